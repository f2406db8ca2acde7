/**
 * Meta signs every delivery with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`,
 * keyed with the app's App Secret (Graph API webhooks, "Validating payloads"). The digest is over the
 * exact bytes: Meta writes non-ASCII as `\uXXXX` and `/` as `\/`, so re-serialized JSON never matches.
 * The legacy `X-Hub-Signature` (sha1) alone is refused.
 *
 * Before it delivers anything, Meta checks the callback URL with
 * `GET ?hub.mode=subscribe&hub.verify_token=<token>&hub.challenge=<n>`: the challenge is echoed
 * when the token is the configured verify token.
 */
import { readHeader, readQuery } from '../../http/request';
import { constantTimeEqual, hmac, signatureMatches } from '../../security/compare';
import type { HandshakeAnswer, HandshakeInput, SignInput, SignedRequest, VerifyInput, VerifyResult } from '../types';

const HEADER = 'X-Hub-Signature-256';
const WHERE = 'the App Secret (Meta app dashboard → App settings → Basic)';

export function verify({ request, rawBody, options }: VerifyInput): VerifyResult {
  const secret = options.secret;
  if (!secret) return { ok: true };
  const received = readHeader(request.headers, HEADER);
  if (!received.ok) return received;
  if (!received.value) {
    const legacy = readHeader(request.headers, 'X-Hub-Signature');
    return {
      ok: false,
      error: legacy.ok && legacy.value ? `Only X-Hub-Signature (sha1) was sent; ${HEADER} (sha256) is required` : `Missing ${HEADER} header`,
    };
  }
  if (!/^sha256=/i.test(received.value.trim())) return { ok: false, error: `${HEADER} must read sha256=<hex digest>` };
  if (!signatureMatches(received.value, hmac('sha256', secret, rawBody))) {
    return { ok: false, error: `${HEADER} does not match the body: check ${WHERE}, and that nothing re-encodes the body on the way` };
  }
  return { ok: true };
}

export function sign({ body, secret }: SignInput): SignedRequest {
  return { headers: { [HEADER]: `sha256=${hmac('sha256', secret, body).toString('hex')}` }, query: {} };
}

const refuse = (status: number, body: string): HandshakeAnswer => ({ status, body, contentType: 'application/json' });

/** Meta's subscription check; null for a GET that is not one (no `hub.mode`). */
export function handshake({ query, options }: HandshakeInput): HandshakeAnswer | null {
  const mode = readQuery(query, 'hub.mode');
  if (mode.ok && mode.value === undefined) return null;
  if (!mode.ok) return refuse(400, mode.error);
  if (mode.value !== 'subscribe') return refuse(400, `hub.mode is ${JSON.stringify((mode.value ?? '').slice(0, 20))}; expected "subscribe"`);
  const challenge = readQuery(query, 'hub.challenge');
  if (!challenge.ok) return refuse(400, challenge.error);
  if (!challenge.value) return refuse(400, 'Missing ?hub.challenge= parameter');
  const token = readQuery(query, 'hub.verify_token');
  if (!token.ok) return refuse(400, token.error);
  if (!options.verifyToken)
    return refuse(403, 'No verify token is configured here: set the same Verify Token as in the Meta app dashboard (WhatsApp → Configuration)');
  if (!token.value) return refuse(403, 'Missing ?hub.verify_token= parameter');
  if (!constantTimeEqual(token.value, options.verifyToken)) return refuse(403, 'hub.verify_token does not match the configured Verify Token');
  return { status: 200, body: challenge.value, contentType: 'text/plain; charset=utf-8' };
}
