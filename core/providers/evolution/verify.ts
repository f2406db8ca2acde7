/**
 * Evolution signs no body. What it can put on a delivery (`webhook.controller.ts#emit`): the
 * webhook's own `headers`, sent verbatim (a shared secret, or `Authorization: Bearer <secret>`);
 * with a `jwt_key` header, `Authorization: Bearer <HS256 JWT>` signed with that key, payload
 * `{iat, exp: iat + 600, app: "evolution", action: "webhook"}`; and, when the server exposes it,
 * the instance token as the body's `apikey`. A delivery is authentic when any of these carries the
 * secret. Every compare is constant-time, and all of them run whichever matches.
 */
import { createHmac } from 'node:crypto';
import { readHeader } from '../../http/request';
import { constantTimeEqual, signatureMatches } from '../../security/compare';
import type { SignInput, SignedRequest, VerifyInput, VerifyResult } from '../types';

const DEFAULT_SECRET_HEADER = 'X-Webhook-Secret';
/** How far `iat` may be ahead of our clock. */
const SKEW_SECONDS = 30;

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value = JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why a JWT does not prove the secret, or null when it does. */
export function jwtProblem(token: string, secret: string, nowMs: number): string | null {
  const parts = token.split('.');
  if (parts.length !== 3) return 'is not a JWT';
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJson(headerPart);
  const payload = decodeJson(payloadPart);
  if (!header || !payload) return 'is not a JWT';
  // Only the algorithm Evolution uses: `none` (no signature) and every other one are refused.
  if (header.alg !== 'HS256') return `uses alg ${JSON.stringify(String(header.alg).slice(0, 10))}; only HS256 is accepted`;
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  if (!signatureMatches(signaturePart, expected)) return 'signature does not match the configured secret';
  const now = Math.floor(nowMs / 1000);
  if (typeof payload.exp !== 'number') return 'has no exp';
  if (payload.exp <= now) return `expired ${now - payload.exp} s ago`;
  if (typeof payload.iat === 'number' && payload.iat > now + SKEW_SECONDS) return 'is issued in the future (iat); check the clocks';
  if ((payload.app !== undefined && payload.app !== 'evolution') || (payload.action !== undefined && payload.action !== 'webhook')) {
    return 'is not an Evolution webhook token (app/action)';
  }
  return null;
}

/** The body's `apikey`, read without trusting the body's shape. */
function bodyApikey(rawBody: Buffer): string | undefined {
  try {
    const body = JSON.parse(rawBody.toString('utf8')) as unknown;
    const apikey = body && typeof body === 'object' ? (body as { apikey?: unknown }).apikey : undefined;
    return typeof apikey === 'string' && apikey !== '' ? apikey : undefined;
  } catch {
    return undefined;
  }
}

export function verify({ request, rawBody, nowMs, options }: VerifyInput): VerifyResult {
  const secret = options.secret;
  if (!secret) return { ok: true };
  const headerName = options.secretHeader || DEFAULT_SECRET_HEADER;
  const secretHeader = readHeader(request.headers, headerName);
  if (!secretHeader.ok) return secretHeader;
  const authorization = readHeader(request.headers, 'Authorization');
  if (!authorization.ok) return authorization;
  const bearer = /^Bearer\s+(.+)$/i.exec(authorization.value?.trim() ?? '')?.[1];
  const apikey = bodyApikey(rawBody);

  // Every candidate is compared, whatever an earlier one gave.
  const headerMatches = secretHeader.value !== undefined && constantTimeEqual(secretHeader.value, secret);
  const apikeyMatches = apikey !== undefined && constantTimeEqual(apikey, secret);
  const bearerMatches = bearer !== undefined && constantTimeEqual(bearer, secret);
  const jwt = bearer !== undefined && bearer.includes('.') ? jwtProblem(bearer, secret, nowMs) : undefined;
  if (headerMatches || apikeyMatches || bearerMatches || jwt === null) return { ok: true };

  const tried = [
    secretHeader.value !== undefined && `the ${headerName} header does not match`,
    bearer !== undefined && (jwt ? `the Authorization Bearer JWT ${jwt}` : 'the Authorization Bearer token does not match'),
    apikey !== undefined && "the body's apikey does not match",
  ].filter((reason): reason is string => !!reason);
  if (tried.length === 0) {
    return {
      ok: false,
      error: `No credential found: expected an Authorization: Bearer token (secret or HS256 JWT), a ${headerName} header, or the body's apikey`,
    };
  }
  return { ok: false, error: `Not authenticated: ${tried.join('; ')}` };
}

/** An Evolution webhook JWT, as `generateJwtToken` makes it. */
export function evolutionJwt(secret: string, nowMs: number): string {
  const iat = Math.floor(nowMs / 1000);
  const signed = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify({ iat, exp: iat + 600, app: 'evolution', action: 'webhook' }))}`;
  return `${signed}.${base64url(createHmac('sha256', secret).update(signed).digest())}`;
}

/** What an instance webhook configured with `headers: {jwt_key: <secret>}` sends. */
export function sign({ secret, nowMs }: SignInput): SignedRequest {
  return { headers: { Authorization: `Bearer ${evolutionJwt(secret, nowMs)}` }, query: {} };
}
