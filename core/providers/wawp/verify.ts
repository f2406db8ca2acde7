/**
 * Wawp does not sign webhooks; the documented protection is a secret token in the webhook URL's query
 * (`?secret=...`). The IP allowlist Wawp also suggests is applied by the receiver, not here.
 */
import { readQuery } from '../../http/request';
import { constantTimeEqual } from '../../security/compare';
import type { SignInput, SignedRequest, VerifyInput, VerifyResult, VerifyOptions } from '../types';

function paramOf(options: VerifyOptions | undefined): string {
  return options?.secretQueryParam || 'secret';
}

export function verify({ request, options }: VerifyInput): VerifyResult {
  if (!options.secret) return { ok: true };
  const param = paramOf(options);
  const token = readQuery(request.query, param);
  if (!token.ok) return token;
  if (!token.value) return { ok: false, error: `Missing ?${param}= token in the webhook URL` };
  if (!constantTimeEqual(token.value, options.secret)) return { ok: false, error: `The ?${param}= token does not match` };
  return { ok: true };
}

export function sign({ secret, options }: SignInput): SignedRequest {
  return { headers: {}, query: { [paramOf(options)]: secret } };
}
