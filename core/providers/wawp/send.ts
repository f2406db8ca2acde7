/**
 * Wawp's API: `POST {base}/v2/send/text` with `instance_id`, `access_token`, `chatId`, `message` and
 * `reply_to` in the JSON body; the instance's webhooks at `GET`/`POST /v2/session/webhook` with the
 * instance credentials in the query (paid plans only: the free tier answers 403
 * `subscription_required`). Wawp documents no "mark as read" call.
 * Media: `POST /v2/send/image`, `/v2/send/video`, `/v2/send/file` (documents), `/v2/send/voice`
 * `{instance_id, access_token, chatId, file: {url, filename, mimetype}, caption?, reply_to?}` (voice:
 * `convert: true`, no caption): Wawp downloads the file from the URL; it takes no bytes.
 * `POST /v2/send/location {…, chatId, latitude, longitude, title}` (WAHA's fields).
 */
import { callGateway, GatewayError } from '../../send/http';
import { endpoint, explainedFailure, sentMessageId } from '../../send/shared';
import { notImplemented } from '../../send/capabilities';
import { filenameOf, mimetypeOf, urlOnly } from '../../send/media';
import type { ClientConfig, GatewayClient, GatewayWebhook, MediaKind } from '../../send/types';
import { gatewayEventsFor } from '../waha/webhooks';

export const WAWP_DEFAULT_BASE_URL = 'https://api.wawp.net';

const PAID_ONLY =
  '. Wawp lets only paid plans register webhooks through the API (subscription_required): turn automatic registration off and paste the webhook URL (with ?secret=… added if you set a webhook secret) into the Wawp dashboard.';

const MEDIA_PATHS: Partial<Record<MediaKind, string>> = {
  image: '/v2/send/image',
  video: '/v2/send/video',
  document: '/v2/send/file',
  voice: '/v2/send/voice',
};

export function createClient(config: ClientConfig): GatewayClient {
  const credentials = () => {
    if (!config.instanceId || !config.accessToken) throw new GatewayError('wawp', null, 'Wawp: the instance ID and access token are not configured');
    return { instance_id: config.instanceId, access_token: config.accessToken };
  };
  const url = (path: string) => endpoint('wawp', config.baseUrl || WAWP_DEFAULT_BASE_URL, path);
  const webhookCall = (method: 'GET' | 'POST', what: string, body?: unknown) => {
    const query = new URLSearchParams(credentials()).toString();
    return callGateway({ provider: 'wawp', method, url: `${url('/v2/session/webhook')}?${query}`, body }, { ...config.http, retries: 0 }).catch(
      (error: unknown) => {
        const paidOnly = error instanceof GatewayError && error.status === 403 && JSON.stringify(error.response ?? '').includes('subscription_required');
        throw explainedFailure(error, what, paidOnly ? PAID_ONLY : '');
      },
    );
  };
  return {
    provider: 'wawp',
    async sendText({ chatId, text, replyTo }) {
      const body = { ...credentials(), chatId, message: text, ...(replyTo ? { reply_to: replyTo } : {}) };
      const response = await callGateway({ provider: 'wawp', method: 'POST', url: url('/v2/send/text'), body, bodySecrets: [config.accessToken] }, config.http);
      return { provider: 'wawp', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async sendMedia({ chatId, kind, file, caption, replyTo }) {
      const path = MEDIA_PATHS[kind];
      if (!path) throw new GatewayError('wawp', null, `Wawp has no ${kind} send`);
      const body = {
        ...credentials(),
        chatId,
        file: { url: urlOnly('wawp', file), filename: filenameOf(kind, file), mimetype: mimetypeOf(kind, file) },
        ...(kind === 'voice' ? { convert: true } : caption ? { caption } : {}),
        ...(replyTo ? { reply_to: replyTo } : {}),
      };
      const response = await callGateway({ provider: 'wawp', method: 'POST', url: url(path), body }, config.http);
      return { provider: 'wawp', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async sendLocation({ chatId, latitude, longitude, name, address, replyTo }) {
      const title = [name, address].filter(Boolean).join(', ');
      const body = { ...credentials(), chatId, latitude, longitude, title, ...(replyTo ? { reply_to: replyTo } : {}) };
      const response = await callGateway({ provider: 'wawp', method: 'POST', url: url('/v2/send/location'), body }, config.http);
      return { provider: 'wawp', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    react: notImplemented('wawp', 'react'),
    startTyping: notImplemented('wawp', 'typing'),
    stopTyping: notImplemented('wawp', 'typing'),
    markRead: notImplemented('wawp', 'markRead'),
    resolveLid: notImplemented('wawp', 'resolveLid'),
    async webhooks() {
      const answer = ((await webhookCall('GET', 'reading the instance webhooks')) ?? {}) as Record<string, unknown>;
      return {
        webhooks: (Array.isArray(answer.webhooks) ? answer.webhooks : []) as GatewayWebhook[],
        async write(webhooks) {
          await webhookCall('POST', 'updating the instance webhooks', { webhooks });
        },
      };
    },
    webhookEntry({ url: target, events, includeOwnMessages, secret, secretQueryParam }) {
      const param = secretQueryParam || 'secret';
      const withSecret = secret ? `${target}${target.includes('?') ? '&' : '?'}${encodeURIComponent(param)}=${encodeURIComponent(secret)}` : target;
      return { url: withSecret, events: gatewayEventsFor(events, includeOwnMessages), is_active: 1 };
    },
  };
}
