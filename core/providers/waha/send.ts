/**
 * WAHA's API, as far as this package calls it, authenticated with `X-Api-Key`:
 * - `POST /api/sendText {session, chatId, text, reply_to}`, `POST /api/sendSeen {session, chatId, messageIds}`;
 * - webhooks live in the session's config: `GET /api/sessions/{name}`, then `PUT` with the whole
 *   config back (a PUT replaces it), so the session's other settings and webhooks are kept;
 * - `GET /api/{session}/lids/{lid}` answers `{lid, pn}`, `pn` the phone JID or null when the session
 *   does not know it (WAHA's LidsController; every engine implements it since 2025.5).
 * - media: `POST /api/sendImage`, `/api/sendFile` (documents), `/api/sendVideo`, `/api/sendVoice`
 *   `{session, chatId, file: {mimetype, filename, url | data (base64)}, caption?, reply_to?}`;
 *   WAHA Core (the free tier) refuses them with 422 "… is available only in Plus version";
 * - `POST /api/sendLocation {session, chatId, latitude, longitude, title, reply_to?}`;
 * - `PUT /api/reaction {session, messageId, reaction}` ('' removes);
 * - `POST /api/startTyping` / `/api/stopTyping {session, chatId}`; "recording…" through
 *   `POST /api/{session}/presence {chatId, presence: "recording" | "paused"}`.
 * Wawp's bodies are WAHA's, but its API is not: see ../wawp/send.ts.
 */
import { callGateway, GatewayError } from '../../send/http';
import { phoneOf } from '../../jid';
import { endpoint, explainedFailure, sentMessageId } from '../../send/shared';
import { filenameOf, mediaNoun, mimetypeOf } from '../../send/media';
import type { ClientConfig, GatewayClient, GatewayWebhook, MediaKind } from '../../send/types';
import { gatewayEventsFor } from './webhooks';

const MEDIA_PATHS: Partial<Record<MediaKind, string>> = {
  image: '/api/sendImage',
  document: '/api/sendFile',
  video: '/api/sendVideo',
  voice: '/api/sendVoice',
};

/** WAHA Core answers media sends with 422 "… is available only in Plus version": say which tier it takes. */
function tierFailure(error: unknown, kind: MediaKind): unknown {
  if (!(error instanceof GatewayError) || error.status !== 422 || !/plus/i.test(JSON.stringify(error.response ?? ''))) return error;
  return new GatewayError(
    'waha',
    422,
    `WAHA Core (the free tier) does not send media: sending ${mediaNoun(kind)} needs WAHA Plus (WAHA answered 422: available only in Plus version)`,
    error.response,
  );
}

export function createClient(config: ClientConfig): GatewayClient {
  const headers = config.apiKey ? { 'X-Api-Key': config.apiKey } : undefined;
  const call = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, retries?: number) =>
    callGateway(
      { provider: 'waha', method, url: endpoint('waha', config.baseUrl, path), headers, body },
      { ...config.http, ...(retries === undefined ? {} : { retries }) },
    );
  return {
    provider: 'waha',
    async sendText({ chatId, text, replyTo, session }) {
      const body = { session: session || 'default', chatId, text, ...(replyTo ? { reply_to: replyTo } : {}) };
      const response = await call('POST', '/api/sendText', body);
      return { provider: 'waha', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async sendMedia({ chatId, kind, file, caption, replyTo, session }) {
      const path = MEDIA_PATHS[kind];
      if (!path) throw new GatewayError('waha', null, `WAHA has no ${kind} send`);
      const wahaFile = {
        mimetype: mimetypeOf(kind, file),
        filename: filenameOf(kind, file),
        ...(file.data ? { data: file.data.toString('base64') } : { url: file.url }),
      };
      const body = {
        session: session || 'default',
        chatId,
        file: wahaFile,
        ...(caption && kind !== 'voice' ? { caption } : {}),
        ...(replyTo ? { reply_to: replyTo } : {}),
      };
      const response = await call('POST', path, body).catch((error: unknown) => {
        throw tierFailure(error, kind);
      });
      return { provider: 'waha', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async sendLocation({ chatId, latitude, longitude, name, address, replyTo, session }) {
      const title = [name, address].filter(Boolean).join(', ');
      const body = { session: session || 'default', chatId, latitude, longitude, title, ...(replyTo ? { reply_to: replyTo } : {}) };
      const response = await call('POST', '/api/sendLocation', body);
      return { provider: 'waha', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async react({ messageId, emoji, session }) {
      await call('PUT', '/api/reaction', { session: session || 'default', messageId, reaction: emoji });
    },
    async startTyping({ chatId, kind, session }) {
      const name = session || 'default';
      if (kind === 'recording') await call('POST', `/api/${encodeURIComponent(name)}/presence`, { chatId, presence: 'recording' }, 0);
      else await call('POST', '/api/startTyping', { session: name, chatId }, 0);
    },
    async stopTyping({ chatId, kind, session }) {
      const name = session || 'default';
      if (kind === 'recording') await call('POST', `/api/${encodeURIComponent(name)}/presence`, { chatId, presence: 'paused' }, 0);
      else await call('POST', '/api/stopTyping', { session: name, chatId }, 0);
    },
    async markRead({ chatId, messageIds, session }) {
      await call('POST', '/api/sendSeen', { session: session || 'default', chatId, messageIds });
    },
    async webhooks(session) {
      const name = session || 'default';
      const path = `/api/sessions/${encodeURIComponent(name)}`;
      let answer: Record<string, unknown>;
      try {
        answer = ((await call('GET', path, undefined, 0)) ?? {}) as Record<string, unknown>;
      } catch (error) {
        if (error instanceof GatewayError && error.status === 404) {
          throw new GatewayError(
            'waha',
            404,
            `WAHA has no session named "${name}": create and start it in WAHA first, or set the session to an existing one`,
            error.response,
          );
        }
        throw explainedFailure(error, `reading session "${name}"`);
      }
      const sessionConfig = (answer.config && typeof answer.config === 'object' ? answer.config : {}) as Record<string, unknown>;
      return {
        webhooks: (Array.isArray(sessionConfig.webhooks) ? sessionConfig.webhooks : []) as GatewayWebhook[],
        async write(webhooks) {
          // PUT replaces the whole config: everything else goes back as it was.
          await call('PUT', path, { name, config: { ...sessionConfig, webhooks } }, 0).catch((error: unknown) => {
            throw explainedFailure(error, `updating the webhooks of session "${name}"`);
          });
        },
      };
    },
    webhookEntry({ url, events, includeOwnMessages, secret }) {
      return { url, events: gatewayEventsFor(events, includeOwnMessages), hmac: secret ? { key: secret } : null };
    },
    async resolveLid({ lid, session }) {
      // A lookup is worth little late: one attempt, no retries.
      const answer = await call('GET', `/api/${encodeURIComponent(session || 'default')}/lids/${encodeURIComponent(lid)}`, undefined, 0);
      const pn = (answer as { pn?: unknown } | null)?.pn;
      return typeof pn === 'string' ? phoneOf(pn) : null;
    },
  };
}
