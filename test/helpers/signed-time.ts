/**
 * Where the provider signs the delivery's time (`Provider.signedTimeOf`: WAHA's envelope
 * `timestamp`), a test that signs a captured body "now" sets that time to now too, as the gateway
 * would have: else the receiver's replay window refuses the old capture. Same unit as the body's.
 */
import type { Provider } from '../../core/providers/types';

export function withSignedTimeNow<T>(provider: Provider, body: T, nowMs: number): T {
  if (typeof provider.signedTimeOf !== 'function') return body;
  if (Buffer.isBuffer(body)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return body;
    }
    const fresh = withSignedTimeNow(provider, parsed, nowMs);
    return (fresh === parsed ? body : Buffer.from(JSON.stringify(fresh))) as T;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const timestamp = (body as Record<string, unknown>).timestamp;
  if (typeof timestamp !== 'number') return body;
  return { ...body, timestamp: timestamp < 1e11 ? Math.floor(nowMs / 1000) : nowMs };
}
