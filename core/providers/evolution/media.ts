/**
 * Evolution's files: the webhook's own `message.base64` when the webhook has `webhookBase64` on (no
 * call at all), else `POST /chat/getBase64FromMediaMessage/{instance} {message}` with the
 * `apikey` header, which answers `{mimetype, fileName, base64, …}`. The whole `data` object of the
 * webhook goes along (its media key is what decrypting needs); without the raw body, its key only,
 * which needs Evolution's message storage on. The encrypted `mmg.whatsapp.net` URL is never used.
 */
import { callGateway, GatewayError } from '../../send/http';
import { endpoint } from '../../send/shared';
import type { MediaLocator } from '../../media/source';
import { fromDataUrl, objectAt } from '../../media/source';
import { DEFAULT_INSTANCE } from './send';

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);

/** Evolution's errors put their words in `response.message` (a list), after a bare `error: "Bad Request"`. */
function withEvolutionsWords(error: unknown): unknown {
  if (!(error instanceof GatewayError) || error.status === null) return error;
  const words = (error.response as { response?: { message?: unknown } } | undefined)?.response?.message;
  const text = (Array.isArray(words) ? words : [words]).filter((word) => typeof word === 'string').join('; ');
  if (!text) return error;
  return new GatewayError('evolution', error.status, `Evolution API answered ${error.status} when fetching the file: ${text.slice(0, 200)}`, error.response);
}

export const locateMedia: MediaLocator = async ({ event, config, http }) => {
  const message = event.message!;
  const inline = message.media?.url ? fromDataUrl(message.media.url) : null;
  if (inline) return { kind: 'bytes', data: inline.data, mimeType: inline.mimeType };
  const data = objectAt(event.raw, 'data');
  const instance = event.session || text((event.raw as Record<string, unknown> | undefined)?.instance) || DEFAULT_INSTANCE;
  const body = { message: data ?? { key: { id: message.id, remoteJid: message.chat.id, fromMe: message.fromMe } } };
  const url = endpoint('evolution', config.baseUrl, `/chat/getBase64FromMediaMessage/${encodeURIComponent(instance)}`);
  const call = { provider: 'evolution', method: 'POST' as const, url, headers: config.apiKey ? { apikey: config.apiKey } : undefined, body };
  const answer = (await callGateway(call, http).catch((error: unknown) => {
    throw withEvolutionsWords(error);
  })) as Record<string, unknown> | null;
  const base64 = text(answer?.base64);
  if (!base64) throw new GatewayError('evolution', null, 'Evolution API answered getBase64FromMediaMessage without the file (no base64)');
  return { kind: 'bytes', data: Buffer.from(base64, 'base64'), mimeType: text(answer?.mimetype), fileName: text(answer?.fileName) };
};
