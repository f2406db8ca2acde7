/**
 * wa-server signs each delivery with the App's `webhook_secret`:
 * `X-WA-Signature = HMAC(alg, secret, X-WA-Timestamp + "." + raw_body)`, the algorithm named in
 * `X-WA-Signature-Alg`. The timestamp is part of the signed text, so a captured request cannot be
 * replayed later with a fresh timestamp; the window check stops replaying it as is.
 */
import { readHeader } from '../../http/request';
import { hmac, signatureMatches, type HmacAlgorithm } from '../../security/compare';
import { toEpochMs } from '../../time';
import type { SignedRequest, SignInput, VerifyInput, VerifyResult } from '../types';

export const SIGNATURE_HEADER = 'X-WA-Signature';
export const TIMESTAMP_HEADER = 'X-WA-Timestamp';
export const ALGORITHM_HEADER = 'X-WA-Signature-Alg';
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** `sha256`, `SHA512`, `hmac-sha256`, `HMAC_SHA512`, `sha-256` …; absent or empty means sha256. */
function algorithmOf(value: string | undefined): HmacAlgorithm | null {
  const word = (value ?? '').trim();
  if (word === '') return 'sha256';
  const match = /^(?:hmac[-_]?)?sha-?(256|512)$/i.exec(word);
  return match ? (`sha${match[1]}` as HmacAlgorithm) : null;
}

export function verify({ request, rawBody, nowMs, options }: VerifyInput): VerifyResult {
  const secret = options.secret;
  if (!secret) return { ok: true };

  const signature = readHeader(request.headers, SIGNATURE_HEADER);
  if (!signature.ok) return signature;
  if (!signature.value) return { ok: false, error: `Missing ${SIGNATURE_HEADER} header` };
  const timestamp = readHeader(request.headers, TIMESTAMP_HEADER);
  if (!timestamp.ok) return timestamp;
  if (!timestamp.value) return { ok: false, error: `Missing ${TIMESTAMP_HEADER} header` };
  const declared = readHeader(request.headers, ALGORITHM_HEADER);
  if (!declared.ok) return declared;

  const algorithm = algorithmOf(declared.value);
  // The received value is not echoed: headers are attacker-controlled and end up in logs.
  if (!algorithm) return { ok: false, error: `${ALGORITHM_HEADER}: unsupported algorithm (expected sha256 or sha512)` };

  const sentAtMs = toEpochMs(timestamp.value);
  if (sentAtMs === null) {
    return { ok: false, error: `${TIMESTAMP_HEADER} is not a Unix time (s or ms) or an ISO 8601 date` };
  }

  // Signed text: the header exactly as received (not re-formatted) + "." + the exact raw bytes.
  const expected = hmac(algorithm, secret, timestamp.value, '.', rawBody);
  if (!signatureMatches(signature.value, expected)) {
    return { ok: false, error: `${SIGNATURE_HEADER} does not match the body (HMAC-${algorithm.toUpperCase()} of timestamp + "." + body)` };
  }

  const windowSeconds = options.timestampToleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const skewMs = nowMs - sentAtMs;
  if (Math.abs(skewMs) > windowSeconds * 1000) {
    const seconds = Math.round(Math.abs(skewMs) / 1000);
    const when = skewMs > 0 ? 'old' : 'in the future';
    return { ok: false, error: `${TIMESTAMP_HEADER} is ${seconds} s ${when}; the window is ${windowSeconds} s` };
  }
  return { ok: true };
}

export function sign({ body, secret, nowMs, options }: SignInput): SignedRequest {
  const algorithm = options?.algorithm ?? 'sha256';
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    headers: {
      [TIMESTAMP_HEADER]: timestamp,
      [ALGORITHM_HEADER]: algorithm,
      [SIGNATURE_HEADER]: hmac(algorithm, secret, timestamp, '.', body).toString('hex'),
    },
    query: {},
  };
}
