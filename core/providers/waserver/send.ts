/**
 * wa-server documents webhooks only: no send API is published, so this provider declares no
 * capability and every operation is refused by the capability guard with the reason below.
 */
import { notImplemented } from '../../send/capabilities';
import type { GatewayClient } from '../../send/types';

export const RECEIVE_ONLY =
  'it has no documented send API (receive-only). Reply through another gateway, or an HTTP Request node against your own wa-server endpoint.';

export function createClient(): GatewayClient {
  return {
    provider: 'waserver',
    sendText: notImplemented('waserver', 'sendText'),
    sendMedia: notImplemented('waserver', 'sendImage'),
    sendLocation: notImplemented('waserver', 'sendLocation'),
    react: notImplemented('waserver', 'react'),
    startTyping: notImplemented('waserver', 'typing'),
    stopTyping: notImplemented('waserver', 'typing'),
    markRead: notImplemented('waserver', 'markRead'),
    webhooks: notImplemented('waserver', 'registerWebhook'),
    webhookEntry: notImplemented('waserver', 'registerWebhook'),
    resolveLid: notImplemented('waserver', 'resolveLid'),
  };
}
