import { createHash } from 'node:crypto';

/**
 * Keys and ids of bounded length. An id comes from the sender's body and may be megabytes long; kept
 * as is, every remembered id would retain its full size. A long value keeps a readable head and ends
 * in a SHA-256 of the whole, so distinct values stay distinct and the same value gives the same key.
 */
const DIGEST_CHARS = 43; // SHA-256 in base64url, unpadded

export function boundedKey(value: string, maxLength: number): string {
  if (value.length <= maxLength) return value;
  let head = Math.max(0, maxLength - DIGEST_CHARS - 1);
  // Do not cut a surrogate pair in two (an emoji in a session name, say).
  const last = value.charCodeAt(head - 1);
  if (last >= 0xd800 && last <= 0xdbff) head--;
  // A copy, not `slice` alone: V8 makes a substring a view that keeps the whole original alive.
  const copy = Buffer.from(value.slice(0, head), 'utf8').toString('utf8');
  return `${copy}~${createHash('sha256').update(value).digest('base64url')}`;
}
