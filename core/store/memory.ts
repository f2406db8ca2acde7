/**
 * The memory implementations of the store interfaces (core/store/types.ts): one engine process,
 * bounded, with a TTL on every entry. `memoryStores(namespace)` is the one place engines get their
 * stores from; the same namespace gives the same stores for the life of the process, so that a
 * trigger and a later node of the same workflow (n8n, regular mode), or a redeployed Node-RED node
 * and its previous instance, see the same conversation state and the same held bursts.
 */
import { LRUCache } from 'lru-cache';
import { MemoryDedupeStore } from '../dedupe/store';
import type { BurstStore, BurstTicket, CacheStore, ConversationChange, ConversationState, ConversationStore, Stores } from './types';

export const MEMORY_STORE_LIMITS = {
  /** Conversations kept per namespace (least recently used go first). */
  conversations: 10_000,
  /** Chats with a burst held at once, per namespace. */
  bursts: 10_000,
  /** Cache entries (LID answers) per namespace. */
  cacheEntries: 10_000,
  /** Namespaces kept per process. */
  namespaces: 1_000,
  /** Bytes of one conversation's JSON (state and data): a small object, not a database. */
  conversationBytes: 16 * 1024,
};

/** Monotonic enough for TTLs; replaceable in tests. */
export type Clock = () => number;

export class ConversationTooLargeError extends Error {}

export class MemoryConversationStore implements ConversationStore {
  private readonly entries: LRUCache<string, { value: ConversationState; expiresAt: number }>;

  constructor(
    private readonly now: Clock = Date.now,
    max = MEMORY_STORE_LIMITS.conversations,
  ) {
    this.entries = new LRUCache({ max });
  }

  async get(key: string): Promise<ConversationState | undefined> {
    return this.live(key);
  }

  async update(key: string, change: ConversationChange, ttlSeconds: number, now: Date): Promise<ConversationState | undefined> {
    if (!(ttlSeconds > 0)) throw new Error(`Conversation TTL must be a positive number of seconds, got ${ttlSeconds}`);
    if (change.clear) {
      this.entries.delete(key);
      return undefined;
    }
    const before = this.live(key);
    const next = applyChange(before, change, now);
    const size = JSON.stringify(next).length;
    if (size > MEMORY_STORE_LIMITS.conversationBytes) {
      throw new ConversationTooLargeError(
        `Conversation state would be ${size} bytes; the limit is ${MEMORY_STORE_LIMITS.conversationBytes} (keep data small: ids, answers, not files)`,
      );
    }
    this.entries.set(key, { value: next, expiresAt: this.now() + ttlSeconds * 1000 });
    return structuredClone(next);
  }

  private live(key: string): ConversationState | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return structuredClone(entry.value);
  }
}

/** The state after a change (pure: shared by the memory store and the tests of a shared one). */
export function applyChange(before: ConversationState | undefined, change: ConversationChange, now: Date): ConversationState {
  let data: Record<string, unknown> = before ? { ...before.data } : {};
  if (change.replace) data = { ...change.replace };
  if (change.merge) data = { ...data, ...change.merge };
  const state = change.state !== undefined ? change.state : (before?.state ?? null);
  return { state, data, updatedAt: now.toISOString() };
}

interface HeldBurst {
  items: string[];
  seq: number;
  firstAt: number;
  expiresAt: number;
}

export class MemoryBurstStore implements BurstStore {
  private readonly bursts = new Map<string, HeldBurst>();
  private seq = 0;

  constructor(
    private readonly now: Clock = Date.now,
    private readonly max = MEMORY_STORE_LIMITS.bursts,
  ) {}

  async append(key: string, item: string, nowMs: number, ttlMs: number): Promise<BurstTicket> {
    this.sweep();
    let burst = this.bursts.get(key);
    if (!burst) {
      if (this.bursts.size >= this.max) throw new Error(`${this.max} chats already have messages held; this one is not buffered`);
      burst = { items: [], seq: 0, firstAt: nowMs, expiresAt: 0 };
      this.bursts.set(key, burst);
    }
    burst.items.push(item);
    // One counter for the store: a burst taken and started again never reuses a ticket.
    burst.seq = ++this.seq;
    burst.expiresAt = this.now() + ttlMs;
    return { seq: burst.seq, firstAt: burst.firstAt, count: burst.items.length };
  }

  async take(key: string, seq: number | 'any'): Promise<string[] | null> {
    const burst = this.bursts.get(key);
    // Past its TTL a burst is gone, as in a shared store (Redis expires the key).
    if (burst && burst.expiresAt <= this.now()) this.bursts.delete(key);
    if (!burst || burst.expiresAt <= this.now() || (seq !== 'any' && burst.seq !== seq)) return null;
    this.bursts.delete(key);
    return burst.items;
  }

  async keys(): Promise<string[]> {
    this.sweep();
    return [...this.bursts.keys()];
  }

  /** Bursts nobody took within their TTL (their process waiter is gone) are dropped. */
  private sweep(): void {
    const now = this.now();
    for (const [key, burst] of this.bursts) if (burst.expiresAt <= now) this.bursts.delete(key);
  }
}

export class MemoryCacheStore implements CacheStore {
  private readonly entries: LRUCache<string, string>;

  constructor(now: Clock = Date.now, max = MEMORY_STORE_LIMITS.cacheEntries) {
    this.entries = new LRUCache({ max, ttlAutopurge: false, ttlResolution: 0, perf: { now } });
  }

  async get(key: string): Promise<string | undefined> {
    return this.entries.get(key);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(key, value, { ttl: ttlMs });
  }
}

const namespaces = new LRUCache<string, Stores>({ max: MEMORY_STORE_LIMITS.namespaces });

/** A fresh bundle of memory stores (for tests, or a caller that wants its own). */
export function createMemoryStores(now: Clock = Date.now): Stores {
  return {
    dedupe: new MemoryDedupeStore(),
    conversation: new MemoryConversationStore(now),
    burst: new MemoryBurstStore(now),
    lid: new MemoryCacheStore(now),
    describe: () => 'memory',
    // Memory outlives a node on purpose (a redeploy keeps what was held): nothing to release.
    close: async () => undefined,
  };
}

/**
 * The stores of one namespace in this process: the same object for the same namespace. Engines
 * call this (through `storesFor`), never the classes, so that a shared store can replace it.
 */
export function memoryStores(namespace: string): Stores {
  let stores = namespaces.get(namespace);
  if (!stores) {
    stores = createMemoryStores();
    namespaces.set(namespace, stores);
  }
  return stores;
}

/** For tests: forget every namespace. */
export function clearMemoryStores(): void {
  namespaces.clear();
}
