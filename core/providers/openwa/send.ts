/**
 * open-wa's send API, both generations:
 * - v5: `POST /api/sendText {to, text}` with `X-API-Key`. Its REST surface documents no quoted
 *   reply and no "mark as read", so a reply goes out as plain text (`quoted: false`).
 * - v4 (the EASY API: every client method is `POST /<method> {args}`, key in `api_key`):
 *   `/sendText {args: {to, content}}`, `/reply {args: {to, content, quotedMsgId}}`, `/sendSeen {args: {chatId}}`.
 *   Media, by the client's own method names and parameters: `/sendImage {args: {to, file, filename,
 *   caption, quotedMsgId}}`, `/sendFile` (documents and video), `/sendPtt {args: {to, file,
 *   quotedMsgId}}` (voice notes), `/sendAudio`, with `file` a data URL or a URL open-wa downloads;
 *   `/sendLocation {args: {to, lat, lng, loc, address}}`, `/react {args: {messageId, emoji}}`,
 *   `/simulateTyping` and `/simulateRecording {args: {to, on}}`.
 * Neither has an API to register webhooks.
 */
import { callGateway } from '../../send/http';
import { notImplemented } from '../../send/capabilities';
import { dataUrlOf, filenameOf } from '../../send/media';
import { endpoint, sentMessageId } from '../../send/shared';
import type { ClientConfig, GatewayClient, MediaKind } from '../../send/types';

const V4_MEDIA: Record<MediaKind, string> = { image: '/sendImage', video: '/sendFile', document: '/sendFile', voice: '/sendPtt', audio: '/sendAudio' };

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
    async sendMedia({ chatId, kind, file, caption, replyTo }) {
      // Only v4 reaches here: the capability guard refuses media for v5.
      const data = file.data ? dataUrlOf(kind, { ...file, data: file.data }) : file.url;
      const quoted = replyTo ? { quotedMsgId: replyTo } : {};
      const args =
        kind === 'voice' || kind === 'audio'
          ? { to: chatId, file: data, ...quoted }
          : { to: chatId, file: data, filename: filenameOf(kind, file), caption: caption ?? '', ...quoted };
      const response = await post(V4_MEDIA[kind], { args });
      return { provider: 'openwa', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async sendLocation({ chatId, latitude, longitude, name, address }) {
      // open-wa's sendLocation has no quoted-message parameter: it goes out unquoted.
      // The client's signature types lat and lng as strings.
      const response = await post('/sendLocation', {
        args: { to: chatId, lat: String(latitude), lng: String(longitude), loc: name ?? '', ...(address ? { address } : {}) },
      });
      return { provider: 'openwa', chatId, messageId: sentMessageId(response), quoted: false, response };
    },
    async react({ messageId, emoji }) {
      await post('/react', { args: { messageId, emoji } });
    },
    async startTyping({ chatId, kind }) {
      await post(kind === 'recording' ? '/simulateRecording' : '/simulateTyping', { args: { to: chatId, on: true } });
    },
    async stopTyping({ chatId, kind }) {
      await post(kind === 'recording' ? '/simulateRecording' : '/simulateTyping', { args: { to: chatId, on: false } });
    },
    async markRead({ chatId }) {
      await post('/sendSeen', { args: { chatId } });
    },
    webhooks: notImplemented('openwa', 'registerWebhook'),
    webhookEntry: notImplemented('openwa', 'registerWebhook'),
    resolveLid: notImplemented('openwa', 'resolveLid'),
  };
}
