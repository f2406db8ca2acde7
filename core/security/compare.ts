import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Constant-time equality of two secrets (tokens, passwords). Both sides are hashed first so that
 * inputs of different lengths take the same time: the length of a configured secret is itself a hint.
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

const PREFIX = /^sha(?:256|512)=/i;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/**
 * Checks a received signature against the expected digest, accepting lower/upper-case hex with an
 * optional `sha256=` / `sha512=` prefix, or base64 / base64url.
 *
 * The encoding is told by the length alone (hex of n bytes is 2n characters, base64 about 4n/3, never
 * equal), so exactly one decoding is compared, with `timingSafeEqual` on buffers of equal length.
 * That is constant-time in the secret digest; the lengths compared are public (the algorithm's).
 * A base64 value must be the canonical spelling of its bytes: a changed character is never accepted.
 */
export function signatureMatches(received: string, expected: Buffer): boolean {
  const value = received.trim().replace(PREFIX, '');
  let decoded: Buffer;
  if (value.length === expected.length * 2) {
    // Node stops decoding hex at the first non-hex pair, so a full-length result means all was hex.
    decoded = Buffer.from(value, 'hex');
  } else if (value.length <= 4 * Math.ceil(expected.length / 3) && BASE64.test(value)) {
    decoded = Buffer.from(value, 'base64'); // Node's base64 decoder also reads the url-safe alphabet.
    // The last character of base64 carries unused low bits, so several spellings decode to the same
    // bytes; only the canonical one is the signature that was sent (this compares public data only).
    if (!isCanonicalBase64(value, decoded)) return false;
  } else {
    return false;
  }
  return decoded.length === expected.length && timingSafeEqual(decoded, expected);
}

function isCanonicalBase64(value: string, decoded: Buffer): boolean {
  const unpadded = value.replace(/=+$/, '');
  return unpadded === decoded.toString('base64').replace(/=+$/, '') || unpadded === decoded.toString('base64url');
}
