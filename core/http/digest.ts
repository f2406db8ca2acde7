import { createHash } from 'node:crypto';

/** A short digest of the exact raw body: the dedupe key of last resort (identical redeliveries match). */
export function bodyDigest(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 32);
}
