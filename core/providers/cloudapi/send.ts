/**
 * The Graph API's messages endpoint, as far as this package calls it, with
 * `Authorization: Bearer <access token>`; `{phone_number_id}` is the event's session (the number
 * the message came to), else the configured Phone Number ID:
 * - `POST /{phone_number_id}/messages {messaging_product: "whatsapp", to, type: "text", text: {body}, context?: {message_id}}`
 *   → `{messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid…"}]}`;
 * - `POST /{phone_number_id}/messages {messaging_product: "whatsapp", status: "read", message_id}` → `{success: true}`.
 * - media: `{type: image|video|document|audio, <type>: {link | id, caption?, filename?}}`, bytes
 *   uploaded first to `POST /{phone_number_id}/media` (multipart `file`, `type`, `messaging_product`) → `{id}`;
 * - `{type: "location", location: {latitude, longitude, name?, address?}}`;
 * - `{type: "reaction", reaction: {message_id, emoji}}` ('' removes);
 * - typing: the read receipt of the message answered plus `typing_indicator: {type: "text"}`
 *   (shown until the reply, at most 25 s; there is no call to clear it).
 * Errors are `{error: {message, type, code, error_subcode?, fbtrace_id}}`.
 */
import { notImplemented } from '../../send/capabilities';
import { GatewayError, callGateway } from '../../send/http';
import { endpoint, explainedFailure } from '../../send/shared';
import { filenameOf, mediaNoun, mimetypeOf } from '../../send/media';
import type { ClientConfig, GatewayClient, MediaKind, SendResult } from '../../send/types';

/** The Cloud API's message type per kind: a voice note is an `audio` message (ogg/opus shows as one). */
const TYPE_OF: Record<MediaKind, string> = { image: 'image', video: 'video', document: 'document', voice: 'audio', audio: 'audio' };

export const GRAPH_API_URL = 'https://graph.facebook.com/v21.0';

/** Meta's hint for the errors a user can fix here. */
function hintFor(error: unknown): string {
  if (!(error instanceof GatewayError)) return '';
  const code = (error.response as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (code === 190) return ' (the access token is invalid or expired: make a new one, e.g. a system user token)';
  if (code === 131047) return ' (more than 24 hours since the user last wrote: only a template can be sent)';
  if (code === 100 && error.status === 400) return ' (check the Phone Number ID)';
  return '';
}

export function createClient(config: ClientConfig): GatewayClient {
  const headers = config.accessToken ? { authorization: `Bearer ${config.accessToken}` } : undefined;
  const numberOf = (session: string | null | undefined): string => {
    const id = session || config.phoneNumberId;
    if (!id) throw new GatewayError('cloudapi', null, 'WhatsApp Cloud API: no phone number to send from: the event names none, so set the Phone Number ID');
    return id;
  };
  const post = async (session: string | null | undefined, body: Record<string, unknown>, what: string) => {
    const url = endpoint('cloudapi', config.baseUrl || GRAPH_API_URL, `/${encodeURIComponent(numberOf(session))}/messages`);
    return callGateway({ provider: 'cloudapi', method: 'POST', url, headers, body: { messaging_product: 'whatsapp', ...body } }, config.http).catch(
      (error: unknown) => {
        throw explainedFailure(error, what, hintFor(error));
      },
    );
  };

  const message = async (
    chatId: string,
    replyTo: string | null | undefined,
    session: string | null | undefined,
    content: Record<string, unknown>,
    what: string,
  ): Promise<SendResult> => {
    const body = { recipient_type: 'individual', to: chatId, ...content, ...(replyTo ? { context: { message_id: replyTo } } : {}) };
    const response = (await post(session, body, what)) as { messages?: { id?: unknown }[] } | null;
    const id = response?.messages?.[0]?.id;
    return { provider: 'cloudapi', chatId, messageId: typeof id === 'string' ? id : null, quoted: !!replyTo, response };
  };
  /** Bytes go up first; the message then names the media id. */
  const upload = async (session: string | null | undefined, kind: MediaKind, data: Buffer, mimetype: string, filename: string): Promise<string> => {
    const form = new FormData();
    form.set('messaging_product', 'whatsapp');
    form.set('type', mimetype);
    form.set('file', new Blob([data], { type: mimetype }), filename);
    const url = endpoint('cloudapi', config.baseUrl || GRAPH_API_URL, `/${encodeURIComponent(numberOf(session))}/media`);
    const answer = (await callGateway({ provider: 'cloudapi', method: 'POST', url, headers, form }, config.http).catch((error: unknown) => {
      throw explainedFailure(error, `uploading the ${kind}`, hintFor(error));
    })) as { id?: unknown } | null;
    if (typeof answer?.id !== 'string') throw new GatewayError('cloudapi', null, 'WhatsApp Cloud API: the media upload answered no media id');
    return answer.id;
  };

  return {
    provider: 'cloudapi',
    async sendText({ chatId, text, replyTo, session }) {
      return message(chatId, replyTo, session, { type: 'text', text: { body: text } }, `sending to ${chatId}`);
    },
    async sendMedia({ chatId, kind, file, caption, replyTo, session }) {
      const type = TYPE_OF[kind];
      const filename = filenameOf(kind, file);
      const source = file.data ? { id: await upload(session, kind, file.data, mimetypeOf(kind, file), filename) } : { link: file.url };
      const media = {
        ...source,
        ...(caption && type !== 'audio' ? { caption } : {}),
        ...(type === 'document' ? { filename } : {}),
      };
      return message(chatId, replyTo, session, { type, [type]: media }, `sending ${mediaNoun(kind)} to ${chatId}`);
    },
    async sendLocation({ chatId, latitude, longitude, name, address, replyTo, session }) {
      const location = { latitude, longitude, ...(name ? { name } : {}), ...(address ? { address } : {}) };
      return message(chatId, replyTo, session, { type: 'location', location }, `sending a location to ${chatId}`);
    },
    async react({ chatId, messageId, emoji, session }) {
      await message(chatId, null, session, { type: 'reaction', reaction: { message_id: messageId, emoji } }, `reacting in ${chatId}`);
    },
    async startTyping({ chatId, messageId, session }) {
      if (!messageId) throw new GatewayError('cloudapi', null, 'WhatsApp Cloud API shows typing only in answer to a received message: the item has none');
      await post(session, { status: 'read', message_id: messageId, typing_indicator: { type: 'text' } }, `showing typing in ${chatId}`);
    },
    async stopTyping() {
      // Meta clears the indicator when the reply arrives (or after 25 s): there is no call for it.
    },
    async markRead({ chatId, messageIds, session }) {
      // One call per message: the Graph API marks one wamid (and the earlier ones of that chat) per request.
      for (const id of messageIds) await post(session, { status: 'read', message_id: id }, `marking messages read in ${chatId}`);
    },
    webhooks: notImplemented('cloudapi', 'registerWebhook'),
    webhookEntry: notImplemented('cloudapi', 'registerWebhook'),
    resolveLid: notImplemented('cloudapi', 'resolveLid'),
  };
}
