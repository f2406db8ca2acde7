import { LRUCache } from 'lru-cache';

/**
 * Remembers event ids for a while so that redeliveries (gateway retries, the same message sent as
 * both `message` and `message.any`, one URL registered twice) produce one event.
 *
 * Pluggable: a store backed by Redis or a database can implement this for setups with several
 * engine processes behind one URL. `firstSeen` must check and record in one step.
 */
export interface DedupeStore {
  /** true the first time `key` is offered within its TTL, false for every repeat. */
  firstSeen(key: string): boolean | Promise<boolean>;
}

export interface MemoryDedupeOptions {
  /** How long an id is remembered. WAHA retries for ~30 s, Wawp backs off up to ~80 s: 10 min covers both with margin. */
  ttlSeconds?: number;
  /** Upper bound on remembered ids, so memory stays bounded under any traffic. */
  maxEntries?: number;
  /** Monotonic milliseconds; replaceable in tests. */
  now?: () => number;
}

export const DEFAULT_DEDUPE_TTL_SECONDS = 600;
export const DEFAULT_DEDUPE_MAX_ENTRIES = 10_000;

export class MemoryDedupeStore implements DedupeStore {
  private readonly seen: LRUCache<string, true>;

  constructor(options: MemoryDedupeOptions = {}) {
    const ttlSeconds = options.ttlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS;
    const maxEntries = options.maxEntries ?? DEFAULT_DEDUPE_MAX_ENTRIES;
    if (!(ttlSeconds > 0)) throw new Error('Dedupe TTL must be a positive number of seconds');
    if (!(maxEntries >= 1)) throw new Error('Dedupe store must hold at least one entry');
    this.seen = new LRUCache({
      max: Math.floor(maxEntries),
      ttl: ttlSeconds * 1000,
      // Read the clock on every check: the default caches it for a millisecond via a timer.
      ttlResolution: 0,
      ...(options.now ? { perf: { now: options.now } } : {}),
    });
  }

  firstSeen(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.set(key, true);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}
