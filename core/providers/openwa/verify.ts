/**
 * open-wa signs nothing: deliveries carry whatever headers the webhook config sets, typically a
 * shared `X-Webhook-Secret` and/or `Authorization: Bearer`. A signing proxy in front may add an
 * HMAC-SHA256 of the raw body. Errors name what failed, never the secret or the expected digest.
 */
import { readHeader } from '../../http/request';
import { constantTimeEqual, hmac, signatureMatches } from '../../security/compare';
import type { SignInput, SignedRequest, VerifyInput, VerifyResult } from '../types';

const DEFAULT_SECRET_HEADER = 'X-Webhook-Secret';
const DEFAULT_SIGNATURE_HEADER = 'X-Webhook-Signature';

export function verify({ request, rawBody, options }: VerifyInput): VerifyResult {
  if (options.secret) {
    const result = checkSharedSecret(request.headers, options.secret, options.secretHeader || DEFAULT_SECRET_HEADER);
    if (!result.ok) return result;
  }
  if (options.hmacSecret) {
    const result = checkSignature(request.headers, rawBody, options.hmacSecret, options.signatureHeader || DEFAULT_SIGNATURE_HEADER);
    if (!result.ok) return result;
  }
  return { ok: true };
}

type Headers = VerifyInput['request']['headers'];

/** Either credential is enough: a config may set both headers, or only one of them. */
function checkSharedSecret(headers: Headers, secret: string, headerName: string): VerifyResult {
  const secretHeader = readHeader(headers, headerName);
  if (!secretHeader.ok) return secretHeader;
  const authorization = readHeader(headers, 'Authorization');
  if (!authorization.ok) return authorization;
  const header = secretHeader.value;
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization.value?.trim() ?? '')?.[1];
  if (header === undefined && bearer === undefined) {
    return { ok: false, error: `Missing ${headerName} header or Authorization: Bearer token` };
  }
  // Both comparisons run whatever the first gives, so timing does not tell which one matched.
  const headerMatches = header !== undefined && constantTimeEqual(header, secret);
  const bearerMatches = bearer !== undefined && constantTimeEqual(bearer, secret);
  if (headerMatches || bearerMatches) return { ok: true };
  if (header !== undefined && bearer !== undefined) {
    return { ok: false, error: `Neither the ${headerName} header nor the Authorization Bearer token matches the configured secret` };
  }
  return {
    ok: false,
    error:
      header !== undefined ? `${headerName} header does not match the configured secret` : 'Authorization Bearer token does not match the configured secret',
  };
}

function checkSignature(headers: Headers, rawBody: Buffer, key: string, headerName: string): VerifyResult {
  const field = readHeader(headers, headerName);
  if (!field.ok) return field;
  const signature = field.value;
  if (!signature) return { ok: false, error: `Missing ${headerName} header (HMAC-SHA256 of the raw body)` };
  if (!signatureMatches(signature, hmac('sha256', key, rawBody))) {
    return { ok: false, error: `${headerName} does not match the HMAC-SHA256 of the raw body` };
  }
  return { ok: true };
}

export function sign({ body, secret, options = {} }: SignInput): SignedRequest {
  const headers: Record<string, string> = {};
  if (secret) headers[options.secretHeader || DEFAULT_SECRET_HEADER] = secret;
  if (options.hmacSecret) {
    headers[options.signatureHeader || DEFAULT_SIGNATURE_HEADER] = `sha256=${hmac('sha256', options.hmacSecret, body).toString('hex')}`;
  }
  return { headers, query: {} };
}
