/**
 * open-wa's files are decrypted by open-wa itself: the client's `decryptMedia(message)` answers the
 * file as a base64 data URL. v5 serves it as `POST /api/media/decrypt {message}` (`X-API-Key`), the
 * v4 EASY API as `POST /decryptMedia {args: {message}}` (`api_key`). The whole message object of
 * the webhook goes along (its media key and CDN URL are what decrypting needs); without the raw
 * body, its id (open-wa then looks the message up).
 */
import { callGateway, GatewayError } from '../../send/http';
import { endpoint } from '../../send/shared';
import type { MediaLocator } from '../../media/source';
import { fromDataUrl, objectAt } from '../../media/source';

/** The message object of a v4 (`data`) or v5 (`payload.message`) body. */
function rawMessageOf(raw: unknown): Record<string, unknown> | undefined {
  const v4 = objectAt(raw, 'data');
  if (v4 && 'id' in v4) return v4;
  return objectAt(raw, 'payload', 'message');
}

/** `"data:…"`, or `{response: "data:…"}` / `{data: …}` as the APIs wrap their answers. */
function dataUrlOf(answer: unknown): string | null {
  if (typeof answer === 'string') return answer;
  if (!answer || typeof answer !== 'object') return null;
  const record = answer as Record<string, unknown>;
  for (const key of ['response', 'data', 'result']) {
    const found = dataUrlOf(record[key]);
    if (found) return found;
  }
  return null;
}

export const locateMedia: MediaLocator = async ({ event, config, http }) => {
  const v4 = config.apiVersion === 'v4';
  const message = rawMessageOf(event.raw) ?? event.message!.id;
  const headers: Record<string, string> | undefined = config.apiKey ? { [v4 ? 'api_key' : 'X-API-Key']: config.apiKey } : undefined;
  const call = v4 ? { path: '/decryptMedia', body: { args: { message } } } : { path: '/api/media/decrypt', body: { message } };
  const answer = await callGateway({ provider: 'openwa', method: 'POST', url: endpoint('openwa', config.baseUrl, call.path), headers, body: call.body }, http);
  const file = fromDataUrl(dataUrlOf(answer) ?? '');
  if (!file) throw new GatewayError('openwa', null, `open-wa answered ${call.path} without the file (no base64 data URL in its answer)`);
  return { kind: 'bytes', data: file.data, mimeType: file.mimeType };
};
