/** Genuine, signed requests for every provider, as its gateway would send them, for the core's tests. */
import { PROVIDERS, type ProviderName } from '../../core/event/schema';
import type { WebhookRequest } from '../../core/http/request';
import { providers } from '../../core/providers';
import type { ReceiveOptions } from '../../core/receive';
import { sampleBody } from '../../cli/samples';
import { withSignedTimeNow } from '../helpers/signed-time';

export { PROVIDERS };
export const SECRET = 'unit-test-secret-Zq9';
export const NOW = Date.parse('2026-01-10T02:15:00Z');

/** Verification on for every provider (open-wa: shared secret and HMAC both). */
export function verifyingOptions(provider: ProviderName, extra: Partial<ReceiveOptions> = {}): ReceiveOptions {
  return { provider, secret: SECRET, hmacSecret: provider === 'openwa' ? SECRET : undefined, clock: () => NOW, ...extra };
}

export function signedRequest(provider: ProviderName, body: unknown): WebhookRequest {
  const rawBody = Buffer.isBuffer(body)
    ? body
    : Buffer.from(typeof body === 'string' ? body : JSON.stringify(withSignedTimeNow(providers[provider], body, NOW)));
  const signed = providers[provider].sign({ body: rawBody, secret: SECRET, nowMs: NOW, options: { hmacSecret: provider === 'openwa' ? SECRET : undefined } });
  return { method: 'POST', headers: { 'content-type': 'application/json', ...lowerCased(signed.headers) }, query: signed.query, rawBody };
}

/** A documented `message` body of the provider. */
export function messageBody(provider: ProviderName): Record<string, unknown> {
  return sampleBody(providers[provider], 'message')!;
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}
