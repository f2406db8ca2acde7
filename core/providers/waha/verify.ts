/**
 * WAHA signs each request with an HMAC of the exact raw body: `X-Webhook-Hmac` (lower-case hex) and
 * `X-Webhook-Hmac-Algorithm` (sha512). The request id and timestamp headers are not signed.
 */
import { randomUUID } from 'node:crypto';
import { type HmacAlgorithm, hmac, signatureMatches } from '../../security/compare';
import { readHeader } from '../../http/request';
import type { SignInput, SignedRequest, VerifyInput, VerifyResult } from '../types';

const ALGORITHMS: readonly string[] = ['sha256', 'sha512'] satisfies HmacAlgorithm[];

export function verify({ request, rawBody, options }: VerifyInput): VerifyResult {
  const secret = options.secret;
  if (!secret) return { ok: true };
  const received = readHeader(request.headers, 'X-Webhook-Hmac');
  if (!received.ok) return received;
  if (!received.value) return { ok: false, error: 'Missing X-Webhook-Hmac header' };
  const declaredHeader = readHeader(request.headers, 'X-Webhook-Hmac-Algorithm');
  if (!declaredHeader.ok) return declaredHeader;
  const declared = declaredHeader.value?.trim();
  const algorithm = (declared || 'sha512').toLowerCase();
  if (!ALGORITHMS.includes(algorithm)) {
    // The header is the sender's, not a secret; cut it short so a hostile value cannot flood the log.
    return {
      ok: false,
      error: `X-Webhook-Hmac-Algorithm ${JSON.stringify(declared?.slice(0, 20))} is an unsupported algorithm; expected sha512 or sha256`,
    };
  }
  // Errors name the algorithm only: never the secret or the digest we expected.
  if (!signatureMatches(received.value, hmac(algorithm as HmacAlgorithm, secret, rawBody))) {
    return { ok: false, error: `X-Webhook-Hmac does not match the body (${algorithm})` };
  }
  return { ok: true };
}

export function sign({ body, secret, nowMs, options }: SignInput): SignedRequest {
  const algorithm = options?.algorithm ?? 'sha512';
  return {
    headers: {
      'X-Webhook-Hmac': hmac(algorithm, secret, body).toString('hex'),
      'X-Webhook-Hmac-Algorithm': algorithm,
      'X-Webhook-Request-Id': randomUUID(),
      'X-Webhook-Timestamp': String(nowMs),
    },
    query: {},
  };
}
