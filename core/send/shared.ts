import { displayNameOf } from '../providers/names';
import { GatewayError } from './http';

/** The sent message's id from the usual answer shapes (`id`, `id._serialized`, `key.id`, `messageId`…). */
export function sentMessageId(response: unknown): string | null {
  if (!response || typeof response !== 'object') return typeof response === 'string' && response ? response : null;
  const record = response as Record<string, unknown>;
  for (const candidate of [record.id, record.messageId, record.message_id, record.idMessage, (record.key as Record<string, unknown> | undefined)?.id]) {
    if (typeof candidate === 'string' && candidate) return candidate;
    if (candidate && typeof candidate === 'object' && typeof (candidate as { _serialized?: unknown })._serialized === 'string') {
      return (candidate as { _serialized: string })._serialized;
    }
  }
  // Wrapped answers: `{data: {...}}`, open-wa's `{success, response: "<id>"}`.
  for (const nested of [record.data, record.response, record.result]) {
    const id = nested && (typeof nested === 'object' || typeof nested === 'string') ? sentMessageId(nested) : null;
    if (id) return id;
  }
  return null;
}

/** `http://host:3000/` + `/api/sendText` without a doubled slash; a missing base URL is a clear error. */
export function endpoint(provider: string, baseUrl: string | undefined, path: string): string {
  if (!baseUrl) throw new GatewayError(provider, null, `${displayNameOf(provider)}: the API base URL is not configured`);
  return `${baseUrl.replace(/\/+$/, '')}${path}`;
}

/**
 * A failed API call restated as what we were doing: `WAHA answered 401 when reading session
 * "default": Unauthorized`, plus a hint where the gateway's answer has a known cause.
 */
export function explainedFailure(error: unknown, what: string, hint = ''): unknown {
  if (!(error instanceof GatewayError) || error.status === null) return error;
  const words = error.message.slice(error.message.lastIndexOf(': ') + 2);
  return new GatewayError(
    error.provider,
    error.status,
    `${displayNameOf(error.provider)} answered ${error.status} when ${what}: ${words}${hint}`,
    error.response,
  );
}
