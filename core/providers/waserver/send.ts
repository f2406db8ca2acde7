/**
 * wa-server documents webhooks only: no send API is published, so this provider is receive-only.
 * The client exists so that engines get one clear error instead of a guessed request.
 */
import { unsupported } from '../../send/shared';
import type { GatewayClient } from '../../send/types';

const RECEIVE_ONLY = 'wa-server has no documented send API: it is receive-only. Reply through another gateway, or an HTTP Request node against your own wa-server endpoint.';

export function waserverClient(): GatewayClient {
  return {
    provider: 'waserver',
    sendText: async () => unsupported('waserver', RECEIVE_ONLY),
    markRead: async () => unsupported('waserver', RECEIVE_ONLY),
  };
}
