import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two secrets or digests. Both sides are hashed first so that inputs of
 * different lengths take the same time and `timingSafeEqual` never throws on a length mismatch.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const digestA = createHash('sha256').update(a).digest();
  const digestB = createHash('sha256').update(b).digest();
  return timingSafeEqual(digestA, digestB);
}

export type HmacAlgorithm = 'sha256' | 'sha512';

export function hmac(algorithm: HmacAlgorithm, key: string, ...parts: (string | Buffer)[]): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Checks a received signature against the expected digest, accepting lower/upper-case hex with an
 * optional `sha256=` / `sha512=` prefix, or base64. Comparison is constant-time on the decoded bytes.
 */
export function signatureMatches(received: string, expected: Buffer): boolean {
  const value = received.trim().replace(/^sha(256|512)=/i, '');
  const candidates: Buffer[] = [];
  if (/^[0-9a-f]+$/i.test(value) && value.length === expected.length * 2) {
    candidates.push(Buffer.from(value, 'hex'));
  }
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) {
    candidates.push(Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
  }
  // Evaluate every candidate so the time taken does not depend on which encoding matched.
  let matched = false;
  for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
  return matched;
}
