/**
 * Evolution API v2, as far as this package calls it, authenticated with the `apikey` header (the
 * global key or the instance's token); `{instance}` is the instance name (the event's session):
 * - `POST /message/sendText/{instance} {number, text, quoted?: {key: {id, remoteJid}}}`;
 * - `POST /chat/markMessageAsRead/{instance} {readMessages: [{remoteJid, fromMe, id}]}`;
 * - `GET /webhook/find/{instance}` and `POST /webhook/set/{instance} {webhook: {...}}` (the wrapped
 *   body of 2.1+): one webhook per instance, which registering replaces.
 *
 * - media: `POST /message/sendMedia/{instance} {number, mediatype: image|video|document|audio, media:
 *   URL or base64, mimetype, fileName, caption?, quoted?}`; voice notes `POST
 *   /message/sendWhatsAppAudio/{instance} {number, audio, quoted?}` (Evolution converts to ogg/opus, `ptt`);
 * - `POST /message/sendLocation/{instance} {number, latitude, longitude, name?, address?, quoted?}`;
 * - `POST /message/sendReaction/{instance} {key: {id, remoteJid, fromMe}, reaction}` ('' removes);
 * - `POST /chat/sendPresence/{instance} {number, presence: composing|recording, delay}`, which holds
 *   the request for `delay` ms and pauses the indicator itself.
 *
 * The client's webhook list is that one webhook, or none. Registering writes ours and keeps what was
 * there before inside our own entry, as the header `X-Waflow-Previous-Webhook` (its URL, events and
 * flags; never its headers, which may hold its secrets), so that removing ours writes that one back.
 */
import { notImplemented } from '../../send/capabilities';
import { callGateway, GatewayError } from '../../send/http';
import { endpoint, explainedFailure, sentMessageId } from '../../send/shared';
import { filenameOf, mediaNoun, mimetypeOf } from '../../send/media';
import type { ClientConfig, GatewayClient, GatewayWebhook } from '../../send/types';
import { gatewayEventsFor } from './webhooks';

export const DEFAULT_INSTANCE = 'default';
/** Where our entry keeps the webhook it replaced. */
export const PREVIOUS_HEADER = 'X-Waflow-Previous-Webhook';

/** Evolution's stored webhook (`GET /webhook/find`), the columns of its `Webhook` table. */
interface WebhookRecord {
  url?: unknown;
  enabled?: unknown;
  events?: unknown;
  headers?: unknown;
  webhookByEvents?: unknown;
  webhookBase64?: unknown;
}

/** A webhook in the shape `POST /webhook/set` takes, which is also the client's list entry. */
function entryOf(record: WebhookRecord): GatewayWebhook {
  return {
    url: String(record.url),
    enabled: record.enabled !== false,
    events: Array.isArray(record.events) ? record.events : [],
    byEvents: record.webhookByEvents === true,
    base64: record.webhookBase64 === true,
    headers: record.headers && typeof record.headers === 'object' ? record.headers : {},
  };
}

function headersOf(entry: GatewayWebhook): Record<string, string> {
  return entry.headers && typeof entry.headers === 'object' ? (entry.headers as Record<string, string>) : {};
}

/** The fields of a webhook that may be kept in another's header: no headers, so no secret of its own. */
function previousOf(entry: GatewayWebhook): string {
  const { url, enabled, events, byEvents, base64 } = entry;
  return Buffer.from(JSON.stringify({ url, enabled, events, byEvents, base64 })).toString('base64url');
}

function readPrevious(entry: GatewayWebhook): GatewayWebhook | null {
  const header = Object.entries(headersOf(entry)).find(([name]) => name.toLowerCase() === PREVIOUS_HEADER.toLowerCase())?.[1];
  if (typeof header !== 'string') return null;
  try {
    const kept = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (typeof kept.url !== 'string' || kept.url === '') return null;
    return {
      url: kept.url,
      enabled: kept.enabled !== false,
      events: Array.isArray(kept.events) ? kept.events : [],
      byEvents: kept.byEvents === true,
      base64: kept.base64 === true,
      headers: {},
    };
  } catch {
    return null;
  }
}

export function createClient(config: ClientConfig): GatewayClient {
  const headers = config.apiKey ? { apikey: config.apiKey } : undefined;
  const call = (method: 'GET' | 'POST', path: string, body?: unknown, retries?: number) =>
    callGateway(
      { provider: 'evolution', method, url: endpoint('evolution', config.baseUrl, path), headers, body },
      { ...config.http, ...(retries === undefined ? {} : { retries }) },
    );
  const instanceOf = (session: string | null | undefined) => session || DEFAULT_INSTANCE;
  const notFound = (error: unknown, instance: string, what: string) => {
    if (error instanceof GatewayError && error.status === 404) {
      return new GatewayError(
        'evolution',
        404,
        `Evolution API has no instance named "${instance}": create it first, or set the session to an existing one`,
        error.response,
      );
    }
    return explainedFailure(error, what);
  };

  return {
    provider: 'evolution',
    async sendText({ chatId, text, replyTo, session }) {
      const instance = instanceOf(session);
      // Without `message`, Evolution finds the quoted message in its own store by its key.
      const body = { number: chatId, text, ...(replyTo ? { quoted: { key: { id: replyTo, remoteJid: chatId } } } : {}) };
      const response = await call('POST', `/message/sendText/${encodeURIComponent(instance)}`, body).catch((error: unknown) => {
        throw notFound(error, instance, `sending to ${chatId}`);
      });
      return { provider: 'evolution', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async sendMedia({ chatId, kind, file, caption, replyTo, session }) {
      const instance = instanceOf(session);
      const media = file.data ? file.data.toString('base64') : file.url!;
      const quoted = replyTo ? { quoted: { key: { id: replyTo, remoteJid: chatId } } } : {};
      const [path, body] =
        kind === 'voice'
          ? ['sendWhatsAppAudio', { number: chatId, audio: media, ...quoted }]
          : [
              'sendMedia',
              {
                number: chatId,
                mediatype: kind,
                media,
                mimetype: mimetypeOf(kind, file),
                fileName: filenameOf(kind, file),
                ...(caption && kind !== 'audio' ? { caption } : {}),
                ...quoted,
              },
            ];
      const response = await call('POST', `/message/${path}/${encodeURIComponent(instance)}`, body).catch((error: unknown) => {
        throw notFound(error, instance, `sending ${mediaNoun(kind)} to ${chatId}`);
      });
      return { provider: 'evolution', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async sendLocation({ chatId, latitude, longitude, name, address, replyTo, session }) {
      const instance = instanceOf(session);
      const body = {
        number: chatId,
        latitude,
        longitude,
        ...(name ? { name } : {}),
        ...(address ? { address } : {}),
        ...(replyTo ? { quoted: { key: { id: replyTo, remoteJid: chatId } } } : {}),
      };
      const response = await call('POST', `/message/sendLocation/${encodeURIComponent(instance)}`, body).catch((error: unknown) => {
        throw notFound(error, instance, `sending a location to ${chatId}`);
      });
      return { provider: 'evolution', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async react({ chatId, messageId, emoji, fromMe, session }) {
      const instance = instanceOf(session);
      const body = { key: { id: messageId, remoteJid: chatId, fromMe: fromMe === true }, reaction: emoji };
      await call('POST', `/message/sendReaction/${encodeURIComponent(instance)}`, body).catch((error: unknown) => {
        throw notFound(error, instance, `reacting in ${chatId}`);
      });
    },
    async startTyping({ chatId, kind, durationMs, session }) {
      const instance = instanceOf(session);
      const body = { number: chatId, presence: kind === 'recording' ? 'recording' : 'composing', delay: Math.round(durationMs) };
      // Evolution answers after `delay`: the call may take that long, so its timeout allows for it.
      await callGateway(
        {
          provider: 'evolution',
          method: 'POST',
          url: endpoint('evolution', config.baseUrl, `/chat/sendPresence/${encodeURIComponent(instance)}`),
          headers,
          body,
        },
        { ...config.http, retries: 0, timeoutMs: (config.http?.timeoutMs ?? 15_000) + durationMs },
      ).catch((error: unknown) => {
        throw notFound(error, instance, `showing typing in ${chatId}`);
      });
      return true;
    },
    async stopTyping() {
      // Evolution pauses the indicator itself once the delay is over.
    },
    async markRead({ chatId, messageIds, session }) {
      const instance = instanceOf(session);
      // Only received messages are marked read. Evolution skips @lid chats without saying so.
      const readMessages = messageIds.map((id) => ({ remoteJid: chatId, fromMe: false, id }));
      await call('POST', `/chat/markMessageAsRead/${encodeURIComponent(instance)}`, { readMessages }).catch((error: unknown) => {
        throw notFound(error, instance, `marking messages read in ${chatId}`);
      });
    },
    async webhooks(session) {
      const instance = instanceOf(session);
      let record: WebhookRecord | null;
      try {
        record = (await call('GET', `/webhook/find/${encodeURIComponent(instance)}`, undefined, 0)) as WebhookRecord | null;
      } catch (error) {
        throw notFound(error, instance, `reading the webhook of instance "${instance}"`);
      }
      const stored = record && typeof record.url === 'string' && record.url ? entryOf(record) : null;
      // One webhook, or none: a disabled one counts as none.
      const current = stored?.enabled ? stored : null;
      const previous = current ? readPrevious(current) : null;
      return {
        // The one it replaced first, as registration.ts lists ours last.
        webhooks: [...(previous ? [previous] : []), ...(current ? [current] : [])],
        async write(webhooks) {
          const [replaced, ours] = webhooks.length > 1 ? webhooks.slice(-2) : [null, webhooks[0]];
          // Nothing left: the webhook is turned off, as it was before ours.
          const webhook = ours
            ? { ...ours, headers: { ...headersOf(ours), ...(replaced ? { [PREVIOUS_HEADER]: previousOf(replaced) } : {}) } }
            : { url: stored?.url ?? '', enabled: false, events: [] };
          await call('POST', `/webhook/set/${encodeURIComponent(instance)}`, { webhook }, 0).catch((error: unknown) => {
            throw notFound(error, instance, `setting the webhook of instance "${instance}"`);
          });
        },
      };
    },
    webhookEntry({ url, events, includeOwnMessages, secret }) {
      // A plain Bearer token works from 2.1.1 on; a `jwt_key` header would need 2.3.0.
      return {
        url,
        enabled: true,
        events: gatewayEventsFor(events, includeOwnMessages),
        byEvents: false,
        base64: false,
        headers: secret ? { Authorization: `Bearer ${secret}` } : {},
      };
    },
    resolveLid: notImplemented('evolution', 'resolveLid'),
  };
}
