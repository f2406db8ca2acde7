/**
 * Wawp's send API: `POST {base}/v2/send/text` with `instance_id`, `access_token`, `chatId`, `message`
 * and `reply_to` in the JSON body. Wawp documents no "mark as read" call.
 */
import { callGateway, GatewayError } from '../../send/http';
import { endpoint, sentMessageId, unsupported } from '../../send/shared';
import type { ClientConfig, GatewayClient } from '../../send/types';

export const WAWP_DEFAULT_BASE_URL = 'https://api.wawp.net';

export function wawpClient(config: ClientConfig): GatewayClient {
  return {
    provider: 'wawp',
    async sendText({ chatId, text, replyTo }) {
      if (!config.instanceId || !config.accessToken) {
        throw new GatewayError('wawp', null, 'Wawp: the instance ID and access token are not configured');
      }
      const body = {
        instance_id: config.instanceId,
        access_token: config.accessToken,
        chatId,
        message: text,
        ...(replyTo ? { reply_to: replyTo } : {}),
      };
      const url = endpoint('wawp', config.baseUrl || WAWP_DEFAULT_BASE_URL, '/v2/send/text');
      const response = await callGateway({ provider: 'wawp', method: 'POST', url, body }, config.http);
      return { provider: 'wawp', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    markRead: async () => unsupported('wawp', 'Wawp: the API has no documented call to mark messages as read'),
  };
}
