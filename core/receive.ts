/**
 * The one receive step both engines call: raw request in, HTTP answer and normalized events out.
 *
 * Order matters: the size limit first (no hashing of huge bodies), then the caller's address, then
 * authenticity on the exact raw bytes, then parsing. Only an authentic, well-formed request reaches
 * the normalizer; from there on nothing is refused: an event the schemas do not know is emitted as
 * `unknown` with its raw body.
 */
import { DEFAULT_DEDUPE_TTL_SECONDS, type DedupeClaim, DedupeStore, MemoryDedupeOptions, MemoryDedupeStore } from './dedupe/store';
import type { NormalizedEvent, SchemaIssue } from './event/schema';
import { EventFilter, filteredOutBy } from './filter';
import { bodyDigest } from './http/digest';
import { parseJsonBody } from './http/json';
import { rawBodyBytes, type WebhookRequest } from './http/request';
import { providerOf, type ProviderName } from './providers';
import { malformedEnvelopeEvent } from './providers/shared/build';
import type { HandshakeAnswer, NormalizeContext, Provider, VerifyInput, VerifyOptions, VerifyResult } from './providers/types';
import { parseIpAllowlist, type IpAllowlist } from './security/ip-allowlist';

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

export interface ReceiveOptions extends VerifyOptions {
  provider: ProviderName;
  /** Addresses or CIDR ranges allowed to call; empty or absent allows all. */
  allowedIps?: string[];
  maxBodyBytes?: number;
  /** Deepest JSON nesting accepted. */
  maxDepth?: number;
  filter?: EventFilter;
  /** true (default) for an in-memory store, false for none, or a store of your own. */
  dedupe?: boolean | DedupeStore | MemoryDedupeOptions;
  /**
   * Refuse (401) deliveries whose signed time is older than this many seconds; 0 turns it off.
   * Default: the dedupe TTL, so a captured request is refused by one check or the other. Applies
   * only to providers that declare `signedTimeOf`, and only when a secret is set.
   */
  replayWindowSeconds?: number;
  /**
   * `atOnce` (default): an id is recorded when the request is received. `afterFlow`: the engine
   * answers once the flow has taken the events; ids are claimed (a copy arriving meanwhile gets
   * 503) and recorded only when the engine calls `ReceiveResult.settle(true)`.
   */
  delivery?: 'atOnce' | 'afterFlow';
  /** Milliseconds since the epoch; replaceable for replaying captured requests. */
  clock?: () => number;
}

export interface ReceiveStats {
  /** Events the body carried. */
  received: number;
  emitted: number;
  duplicates: number;
  filtered: number;
}

export type ReceiveResponseBody = ({ ok: true } & ReceiveStats) | { ok: false; status: number; error: string };

export interface ReceiveResult {
  /** The HTTP status to answer the gateway with. */
  status: number;
  headers: Record<string, string>;
  body: ReceiveResponseBody;
  /** What to emit into the flow, in order. Empty on a rejection. */
  events: NormalizedEvent[];
  stats: ReceiveStats;
  /** The reason for a non-2xx status. Never contains a secret. */
  error?: string;
  /**
   * `afterFlow` delivery, events emitted: the engine calls this once, with whether the flow took
   * them; true records their ids, false forgets them so that the gateway's retry is accepted.
   * Never rejects; calls after the first do nothing.
   */
  settle?: (taken: boolean) => Promise<void>;
  /** Answer this plain text instead of `body` (a subscription handshake's challenge). */
  text?: string;
}

export interface Receiver {
  readonly provider: Provider<ProviderName>;
  receive(request: WebhookRequest): Promise<ReceiveResult>;
}

const NO_STATS: ReceiveStats = { received: 0, emitted: 0, duplicates: 0, filtered: 0 };
const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' };

export function reject(status: number, error: string, extraHeaders: Record<string, string> = {}): ReceiveResult {
  return {
    status,
    headers: { ...JSON_HEADERS, ...extraHeaders },
    body: { ok: false, status, error },
    events: [],
    stats: { ...NO_STATS },
    error,
  };
}

/** Builds a receiver; throws with a clear message when the options themselves are wrong. */
export function createReceiver(options: ReceiveOptions): Receiver {
  const adapter = providerOf(options.provider);
  const maxBodyBytes = positiveOption(options.maxBodyBytes, DEFAULT_MAX_BODY_BYTES, 'Maximum body size');
  const maxDepth = positiveOption(options.maxDepth, DEFAULT_MAX_DEPTH, 'Maximum nesting depth');
  const allowlist: IpAllowlist | null = options.allowedIps?.some((entry) => entry.trim() !== '') ? parseIpAllowlist(options.allowedIps) : null;
  const dedupe = dedupeStoreFrom(options.dedupe);
  const clock = options.clock ?? Date.now;
  const afterFlow = options.delivery === 'afterFlow';
  if (options.delivery !== undefined && options.delivery !== 'atOnce' && !afterFlow) {
    throw new Error(`Delivery must be "atOnce" or "afterFlow", got ${JSON.stringify(options.delivery)}`);
  }
  if (afterFlow && dedupe && (typeof dedupe.claim !== 'function' || typeof dedupe.settle !== 'function')) {
    throw new Error('The dedupe store cannot claim and settle ids, which answering after the flow needs');
  }
  const replayWindowMs = replayWindowOf(options) * 1000;
  // Unsigned bodies prove nothing about their time: only checked when there is a signature to check.
  const checksReplays = replayWindowMs > 0 && typeof adapter.signedTimeOf === 'function' && Boolean(options.secret);

  async function receive(request: WebhookRequest): Promise<ReceiveResult> {
    const nowMs = clock();
    const method = typeof request.method === 'string' ? request.method : '(none)';
    if (method !== 'POST' && method.toUpperCase() !== 'POST') {
      const handshake = method.toUpperCase() === 'GET' && adapter.handshake ? adapter.handshake({ query: request.query ?? {}, options }) : null;
      if (!handshake) {
        return reject(405, `Method ${method.slice(0, 20)} is not allowed; gateways deliver webhooks with POST`, {
          allow: adapter.handshake ? 'GET, POST' : 'POST',
        });
      }
      if (allowlist && !allowlist(request.clientIp)) {
        return reject(403, `Caller address ${request.clientIp ?? '(unknown)'} is not in the IP allowlist`);
      }
      return handshakeResult(handshake);
    }
    const rawBody = rawBodyBytes(request.rawBody as unknown);
    if (!rawBody) {
      // The engine failed to keep the bytes: our fault, not the gateway's, so it should retry.
      return reject(503, 'Raw body unavailable (the engine passed no bytes): signature cannot be verified; retry');
    }
    if (rawBody.length > maxBodyBytes) {
      return reject(413, `Body is ${rawBody.length} bytes; the limit is ${maxBodyBytes}`);
    }
    if (allowlist && !allowlist(request.clientIp)) {
      return reject(403, `Caller address ${request.clientIp ?? '(unknown)'} is not in the IP allowlist`);
    }
    const verdict = verifySafely(adapter, { request, rawBody, nowMs, options });
    if (!verdict.ok) return reject(401, verdict.error);

    const parsed = parseJsonBody(rawBody, maxDepth);
    if (!parsed.ok) return reject(400, parsed.error);
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      return reject(400, `Body is JSON ${jsonKind(parsed.value)}; expected an object`);
    }
    const body = parsed.value as Record<string, unknown>;
    if (!adapter.eventNameOf(body)) {
      return reject(400, `Body has no event name; this does not look like a ${adapter.displayName} webhook`);
    }
    if (checksReplays) {
      const signedAt = signedTimeSafely(adapter, body);
      if (signedAt !== null && nowMs - signedAt > replayWindowMs) {
        const age = Math.floor((nowMs - signedAt) / 1000);
        return reject(401, `Delivery is ${age} s old (its signed timestamp); replays older than the ${replayWindowMs / 1000} s window are refused`);
      }
    }

    const stats: ReceiveStats = { ...NO_STATS };
    const events: NormalizedEvent[] = [];
    const claimed: string[] = [];
    let inFlight = false;
    for (const event of normalizeSafely(adapter, body, normalizeContext(nowMs, rawBody))) {
      stats.received++;
      if (options.filter && filteredOutBy(event, options.filter)) {
        stats.filtered++;
        continue;
      }
      let first = true;
      if (dedupe && afterFlow) {
        const claim = await claimOrNew(dedupe, event.id);
        if (claim === 'new') claimed.push(event.id);
        if (claim === 'inFlight') {
          inFlight = true;
          continue;
        }
        first = claim !== 'seen';
      } else if (dedupe) {
        const seen = firstSeenOrTrue(dedupe, event.id);
        first = typeof seen === 'boolean' ? seen : await seen;
      }
      if (first) {
        stats.emitted++;
        events.push(event);
      } else {
        stats.duplicates++;
      }
    }
    const settle = afterFlow && dedupe ? settler(dedupe, claimed) : undefined;
    if (inFlight) {
      // Neither taken nor dropped: the gateway retries once the first copy is settled.
      await settle?.(false);
      return reject(503, 'An earlier copy of this event is still being handled; retry', { 'retry-after': '5' });
    }
    const result: ReceiveResult = { status: 200, headers: { ...JSON_HEADERS }, body: { ok: true, ...stats }, events, stats };
    if (afterFlow && events.length > 0) result.settle = settle ?? (async () => undefined);
    return result;
  }

  return { provider: adapter, receive };
}

/** A handshake's answer as the engines send it: a refusal in the usual JSON, a success as its plain text. */
function handshakeResult(answer: HandshakeAnswer): ReceiveResult {
  if (answer.status >= 300) return reject(answer.status, answer.body);
  return {
    status: answer.status,
    headers: { 'content-type': answer.contentType, 'x-content-type-options': 'nosniff' },
    body: { ok: true, ...NO_STATS },
    text: answer.body,
    events: [],
    stats: { ...NO_STATS },
  };
}

/**
 * A verifier must answer, not throw, whatever the request holds; should one throw anyway (a bug), the
 * request is refused with a reason rather than crashing the engine's handler. The error's own text
 * is not passed on: it could quote the request.
 */
function verifySafely(adapter: Provider<ProviderName>, input: VerifyInput): VerifyResult {
  try {
    return adapter.verify(input);
  } catch {
    return { ok: false, error: `The request could not be checked (${adapter.displayName} verification failed on its headers or query)` };
  }
}

/** The body digest is only a fallback dedupe key, so it is computed the first time a normalizer asks. */
function normalizeContext(receivedAtMs: number, rawBody: Buffer): NormalizeContext {
  let digest: string | undefined;
  return {
    receivedAtMs,
    get bodyDigest() {
      return (digest ??= bodyDigest(rawBody));
    },
  };
}

/** A normalizer bug must not lose the event: it is emitted as `unknown` with the error as its issue. */
function normalizeSafely(adapter: Provider<ProviderName>, body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  try {
    return adapter.normalize(body, context);
  } catch (error) {
    const issues: SchemaIssue[] = [{ path: '(normalizer)', message: (error as Error).message }];
    return malformedEnvelopeEvent(adapter.name, body, { providerEvent: adapter.eventNameOf(body), session: null }, context, issues);
  }
}

/** A failing shared store (say, Redis down) lets the event through: a duplicate beats a lost message. */
function firstSeenOrTrue(store: DedupeStore, key: string): boolean | Promise<boolean> {
  try {
    const seen = store.firstSeen(key);
    // The memory store answers at once: no promise to make and wait for on every event.
    return typeof seen === 'boolean' ? seen : Promise.resolve(seen).catch(() => true);
  } catch {
    return true;
  }
}

/** A failing store claims nothing: the event goes through (a duplicate beats a lost message). */
async function claimOrNew(store: DedupeStore, key: string): Promise<DedupeClaim | 'unrecorded'> {
  try {
    const claim = await store.claim!(key);
    return claim === 'seen' || claim === 'inFlight' ? claim : 'new';
  } catch {
    return 'unrecorded';
  }
}

/** Settles every claim once; a failing store leaves the ids unrecorded (a retry may then repeat). */
function settler(store: DedupeStore, keys: string[]): (taken: boolean) => Promise<void> {
  let settled = false;
  return async (taken) => {
    if (settled) return;
    settled = true;
    for (const key of keys) {
      try {
        await store.settle!(key, taken);
      } catch {
        // nothing more to do: see above
      }
    }
  };
}

/** A bug reading the time must not refuse a genuine delivery: no time, no replay check. */
function signedTimeSafely(adapter: Provider<ProviderName>, body: Record<string, unknown>): number | null {
  try {
    const time = adapter.signedTimeOf!(body);
    return typeof time === 'number' && Number.isFinite(time) ? time : null;
  } catch {
    return null;
  }
}

/** The replay window in seconds: the option, else the dedupe TTL. */
function replayWindowOf(options: ReceiveOptions): number {
  const window = options.replayWindowSeconds;
  if (window !== undefined) {
    if (!Number.isFinite(window) || window < 0) throw new Error(`Replay window must be 0 (off) or a positive number of seconds, got ${window}`);
    return window;
  }
  const dedupe = options.dedupe;
  const ttl = dedupe && typeof dedupe === 'object' && !('firstSeen' in dedupe) ? dedupe.ttlSeconds : undefined;
  return ttl ?? DEFAULT_DEDUPE_TTL_SECONDS;
}

function dedupeStoreFrom(option: ReceiveOptions['dedupe']): DedupeStore | null {
  if (option === false) return null;
  if (option === undefined || option === true) return new MemoryDedupeStore();
  if (typeof (option as DedupeStore).firstSeen === 'function') return option as DedupeStore;
  return new MemoryDedupeStore(option as MemoryDedupeOptions);
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function positiveOption(value: number | undefined, fallback: number, label: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${label} must be a positive number, got ${value}`);
  return value;
}
