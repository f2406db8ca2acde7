/**
 * `waflow send --event KIND` posts a provider's documented example. Sent twice as is, the second
 * would be dropped as a duplicate, so the example's own ids get a fresh suffix and its times become
 * "now" (in the unit the example used). Ids that are JIDs (accounts, chats) are left alone, and so are
 * references to other messages (`messageId`, `revokedMessageId`…): only the event's own ids change.
 */
import { randomBytes } from 'node:crypto';

const OWN_ID_KEYS = new Set(['id', 'message_id', 'request_id', 'correlationId', '_serialized']);
const TIME_KEYS = new Set(['timestamp', 'ts', 't']);
const JID_SUFFIX = /@(c\.us|s\.whatsapp\.net|g\.us|lid|newsletter|broadcast)$/;

export function freshSample(body: Record<string, unknown>, nowMs: number): Record<string, unknown> {
  const suffix = randomBytes(4).toString('hex').toUpperCase();
  return refresh(body, suffix, nowMs) as Record<string, unknown>;
}

function refresh(value: unknown, suffix: string, nowMs: number, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => refresh(item, suffix, nowMs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, refresh(v, suffix, nowMs, k)]));
  }
  if (key && OWN_ID_KEYS.has(key) && typeof value === 'string' && value !== '' && !JID_SUFFIX.test(value)) {
    return `${value}${suffix}`;
  }
  if (key && TIME_KEYS.has(key)) return sameUnitNow(value, nowMs);
  return value;
}

function sameUnitNow(value: unknown, nowMs: number): unknown {
  if (typeof value === 'number') return value < 1e11 ? Math.floor(nowMs / 1000) : nowMs;
  // Unix time as a digit string (the Cloud API's "1739321024"): the same, as a string.
  if (typeof value === 'string' && /^\d+$/.test(value)) return String(sameUnitNow(Number(value), nowMs));
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(nowMs).toISOString().replace('.000Z', 'Z');
  return value;
}
