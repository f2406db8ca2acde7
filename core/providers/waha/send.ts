/**
 * WAHA's send API: `POST /api/sendText {session, chatId, text, reply_to}` and
 * `POST /api/sendSeen {session, chatId, messageIds}`, authenticated with `X-Api-Key`.
 * Wawp's bodies are WAHA's, but its API is not: see ../wawp/send.ts.
 */
import { callGateway } from '../../send/http';
import { endpoint, sentMessageId } from '../../send/shared';
import type { ClientConfig, GatewayClient } from '../../send/types';

export function wahaClient(config: ClientConfig): GatewayClient {
  const headers = config.apiKey ? { 'X-Api-Key': config.apiKey } : undefined;
  const post = (path: string, body: unknown) =>
    callGateway({ provider: 'waha', method: 'POST', url: endpoint('waha', config.baseUrl, path), headers, body }, config.http);
  return {
    provider: 'waha',
    async sendText({ chatId, text, replyTo, session }) {
      const body = { session: session || 'default', chatId, text, ...(replyTo ? { reply_to: replyTo } : {}) };
      const response = await post('/api/sendText', body);
      return { provider: 'waha', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async markRead({ chatId, messageIds, session }) {
      await post('/api/sendSeen', { session: session || 'default', chatId, messageIds });
    },
  };
}
