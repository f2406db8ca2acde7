import type { CanonicalEvent, NormalizedEvent, ProviderName } from '../event/schema';
import type { WebhookRequest } from '../http/request';

/** The settings that decide whether a request is authentic. Which ones apply depends on the provider. */
export interface VerifyOptions {
  /**
   * The provider's secret: WAHA's HMAC key, wa-server's App `webhook_secret`, open-wa's shared
   * header secret / bearer token, Wawp's `?secret=` token. Empty or absent: nothing is checked.
   */
  secret?: string;
  /** open-wa: the header carrying the shared secret (default `X-Webhook-Secret`; `Authorization: Bearer` is always accepted). */
  secretHeader?: string;
  /** open-wa: key of an optional HMAC-SHA256 of the raw body, added by a signing proxy. */
  hmacSecret?: string;
  /** open-wa: header carrying that HMAC (default `X-Webhook-Signature`). */
  signatureHeader?: string;
  /** Wawp: the query parameter carrying the token (default `secret`). */
  secretQueryParam?: string;
  /** wa-server: how far `X-WA-Timestamp` may be from now, in seconds (default 300). */
  timestampToleranceSeconds?: number;
}

export type VerifyResult = { ok: true } | { ok: false; error: string };

export interface VerifyInput {
  request: WebhookRequest;
  rawBody: Buffer;
  nowMs: number;
  options: VerifyOptions;
}

export interface NormalizeContext {
  /** When the request arrived (ms): the timestamp of last resort. */
  receivedAtMs: number;
  /** Hex digest of the raw body: the dedupe key of last resort, stable across identical redeliveries. */
  bodyDigest: string;
}

export interface SignInput {
  body: Buffer;
  secret: string;
  nowMs: number;
  options?: VerifyOptions & { algorithm?: 'sha256' | 'sha512' };
}

/** What a gateway would add to a request for it to pass `verify`. */
export interface SignedRequest {
  headers: Record<string, string>;
  query: Record<string, string>;
}

export interface ProviderAdapter {
  name: ProviderName;
  displayName: string;
  /** Path segment engines use for the webhook URL when the user sets none. */
  defaultPath: string;
  /** Checks authenticity on the exact raw bytes; `ok` when the options configure nothing to check. */
  verify(input: VerifyInput): VerifyResult;
  /** The gateway's side of `verify`: used by the CLI and by tests to produce genuine requests. */
  sign(input: SignInput): SignedRequest;
  /** The provider's own event name, or null when the body has none (a 400). */
  eventNameOf(body: Record<string, unknown>): string | null;
  /** One body may carry several events (a WAHA presence update lists several participants). */
  normalize(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[];
  /** For `waflow send --event KIND`: a realistic body per canonical event this provider emits. */
  sampleBody(event: CanonicalEvent): Record<string, unknown> | null;
}
