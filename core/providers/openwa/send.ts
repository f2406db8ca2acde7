/**
 * open-wa's send API, both generations:
 * - v5: `POST /api/sendText {to, text}` with `X-API-Key`. Its REST surface documents no quoted
 *   reply and no "mark as read", so a reply goes out as plain text (`quoted: false`).
 * - v4 (the EASY API: every client method is `POST /<method> {args}`, key in `api_key`):
 *   `/sendText {args: {to, content}}`, `/reply {args: {to, content, quotedMsgId}}`, `/sendSeen {args: {chatId}}`.
 * Neither has an API to register webhooks.
 */
import { callGateway } from '../../send/http';
import { notImplemented } from '../../send/capabilities';
import { endpoint, sentMessageId } from '../../send/shared';
import type { ClientConfig, GatewayClient } from '../../send/types';

export function createClient(config: ClientConfig): GatewayClient {
  const v4 = config.apiVersion === 'v4';
  const headers: Record<string, string> | undefined = config.apiKey ? { [v4 ? 'api_key' : 'X-API-Key']: config.apiKey } : undefined;
  const post = (path: string, body: unknown) =>
    callGateway({ provider: 'openwa', method: 'POST', url: endpoint('openwa', config.baseUrl, path), headers, body }, config.http);
  return {
    provider: 'openwa',
    async sendText({ chatId, text, replyTo }) {
      let response: unknown;
      if (!v4) response = await post('/api/sendText', { to: chatId, text });
      else if (replyTo) response = await post('/reply', { args: { to: chatId, content: text, quotedMsgId: replyTo } });
      else response = await post('/sendText', { args: { to: chatId, content: text } });
      return { provider: 'openwa', chatId, messageId: sentMessageId(response), quoted: v4 && !!replyTo, response };
    },
    async markRead({ chatId }) {
      await post('/sendSeen', { args: { chatId } });
    },
    webhooks: notImplemented('openwa', 'registerWebhook'),
    webhookEntry: notImplemented('openwa', 'registerWebhook'),
    resolveLid: notImplemented('openwa', 'resolveLid'),
  };
}
