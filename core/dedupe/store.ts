import { LRUCache } from 'lru-cache';
import { boundedKey } from './key';

/**
 * Remembers event ids for a while so that redeliveries (gateway retries, the same message sent as
 * both `message` and `message.any`, one URL registered twice) produce one event.
 *
 * Pluggable: a store backed by Redis or a database can implement this for setups with several
 * engine processes behind one URL. `firstSeen` must check and record in one step.
 *
 * The at-least-once delivery mode records an id only once the flow has taken the event, in two
 * steps: `claim` marks the id in flight (one atomic check-and-set, like Redis `SET key inflight NX
 * PX <lease>`), `settle` then remembers it (taken) or forgets it (not taken: the gateway's retry is
 * accepted). A store without the two is refused for that mode when the receiver is built.
 */
export interface DedupeStore {
  /** true the first time `key` is offered within its TTL, false for every repeat. */
  firstSeen(key: string): boolean | Promise<boolean>;
  /** `new` (now marked in flight), `inFlight` (another copy is being handled) or `seen` (taken before). */
  claim?(key: string): DedupeClaim | Promise<DedupeClaim>;
  /** Ends a `new` claim: taken, the id is remembered for the TTL; not taken, it is forgotten. */
  settle?(key: string, taken: boolean): void | Promise<void>;
}

export type DedupeClaim = 'new' | 'inFlight' | 'seen';

export interface MemoryDedupeOptions {
  /** How long an id is remembered. WAHA retries for ~30 s, Wawp backs off up to ~80 s: 10 min covers both with margin. */
  ttlSeconds?: number;
  /** Upper bound on remembered ids, so memory stays bounded under any traffic. */
  maxEntries?: number;
  /** Upper bound on the bytes the remembered ids take (as counted by `bytes`), whatever their length. */
  maxBytes?: number;
  /**
   * How long an unsettled claim blocks other copies (default: the TTL). Engines always settle
   * (their flow timeout answers), so this only bounds an entry nobody settles.
   */
  claimLeaseSeconds?: number;
  /** Monotonic milliseconds; replaceable in tests. */
  now?: () => number;
}

export const DEFAULT_DEDUPE_TTL_SECONDS = 600;
export const DEFAULT_DEDUPE_MAX_ENTRIES = 10_000;
export const DEFAULT_DEDUPE_MAX_BYTES = 4 * 1024 * 1024;
/** Longer keys are stored as a head and a digest (`boundedKey`), so one entry never exceeds ~0.4 KB. */
export const DEDUPE_MAX_KEY_LENGTH = 128;
/** Rough cost of one entry besides its key: the cache's map slot, list links and TTL arrays. */
const ENTRY_OVERHEAD_BYTES = 96;
const LARGEST_ENTRY_BYTES = 2 * DEDUPE_MAX_KEY_LENGTH + ENTRY_OVERHEAD_BYTES;

/** What one entry is counted as: two bytes a UTF-16 unit (the worst case of V8 strings) plus the overhead. */
export function dedupeEntryBytes(key: string): number {
  return 2 * key.length + ENTRY_OVERHEAD_BYTES;
}

export class MemoryDedupeStore implements DedupeStore {
  private readonly seen: LRUCache<string, 'seen' | 'inFlight'>;
  private readonly leaseMs: number;

  constructor(options: MemoryDedupeOptions = {}) {
    const ttlSeconds = options.ttlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS;
    const maxEntries = options.maxEntries ?? DEFAULT_DEDUPE_MAX_ENTRIES;
    const maxBytes = options.maxBytes ?? DEFAULT_DEDUPE_MAX_BYTES;
    if (!(ttlSeconds > 0)) throw new Error('Dedupe TTL must be a positive number of seconds');
    if (!(maxEntries >= 1)) throw new Error('Dedupe store must hold at least one entry');
    this.leaseMs = (options.claimLeaseSeconds ?? ttlSeconds) * 1000;
    if (!(this.leaseMs > 0)) throw new Error('Dedupe claim lease must be a positive number of seconds');
    if (!(maxBytes >= LARGEST_ENTRY_BYTES)) throw new Error(`Dedupe store byte limit must be at least ${LARGEST_ENTRY_BYTES} (one entry)`);
    this.seen = new LRUCache({
      max: Math.floor(maxEntries),
      maxSize: Math.floor(maxBytes),
      sizeCalculation: (_value, key) => dedupeEntryBytes(key),
      ttl: ttlSeconds * 1000,
      // Read the clock on every check: the default caches it for a millisecond via a timer.
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
    });
  }

  firstSeen(key: string): boolean {
    const stored = boundedKey(key, DEDUPE_MAX_KEY_LENGTH);
    if (this.seen.has(stored)) return false;
    this.seen.set(stored, 'seen');
    return true;
  }

  claim(key: string): DedupeClaim {
    const stored = boundedKey(key, DEDUPE_MAX_KEY_LENGTH);
    const state = this.seen.get(stored);
    if (state === 'seen') return 'seen';
    if (state === 'inFlight') return 'inFlight';
    this.seen.set(stored, 'inFlight', { ttl: this.leaseMs });
    return 'new';
  }

  settle(key: string, taken: boolean): void {
    const stored = boundedKey(key, DEDUPE_MAX_KEY_LENGTH);
    if (taken) this.seen.set(stored, 'seen');
    else if (this.seen.get(stored) === 'inFlight') this.seen.delete(stored);
  }

  /** Remembered ids. */
  get size(): number {
    return this.seen.size;
  }

  /** Bytes the remembered ids are counted as; never above `maxBytes`. */
  get bytes(): number {
    return this.seen.calculatedSize;
  }
}
