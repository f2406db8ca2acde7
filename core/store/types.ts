/**
 * The stores behind a receiver and the nodes that keep per-chat data. Memory is the default (one
 * engine process); a shared store (Redis) implements the same interfaces so that several webhook
 * processes, workers or Node-RED runtimes see one dedupe memory, one burst per chat and one
 * conversation state. Every method is async so that both fit; each one is one atomic step on the
 * store (a Redis command or script), never a read-then-write from the caller.
 *
 * Keys are built by the caller (gateway, session, chat, …); a store prefixes them with its own
 * namespace (per workflow and node in n8n, per flow and node in Node-RED).
 */
import type { DedupeStore } from '../dedupe/store';

/** A multi-step bot's place in a conversation: a state name and a small JSON object. */
export interface ConversationState {
  /** The step the conversation is at ("ask-email"), or null when only data is kept. */
  state: string | null;
  data: Record<string, unknown>;
  /** ISO 8601, when it was last changed. */
  updatedAt: string;
}

/** One change, applied atomically. `clear` wins over the rest; `merge` is shallow, over `data`. */
export interface ConversationChange {
  state?: string | null;
  merge?: Record<string, unknown>;
  replace?: Record<string, unknown>;
  clear?: boolean;
}

export interface ConversationStore {
  get(key: string): Promise<ConversationState | undefined>;
  /** Applies the change, restarts the TTL and returns the state after it (undefined once cleared). */
  update(key: string, change: ConversationChange, ttlSeconds: number, now: Date): Promise<ConversationState | undefined>;
}

/** Where a message landed in its chat's burst. */
export interface BurstTicket {
  /** Increases with each message appended to this burst; the latest one decides when it closes. */
  seq: number;
  /** When the burst's first message was appended (ms since the epoch), for the maximum wait. */
  firstAt: number;
  /** Messages held, this one included. */
  count: number;
}

/**
 * Held messages per chat ("hi" / "I need" / "the price"), serialized by the caller. The receiver
 * appends, waits out the quiet window, then tries to take the burst: only the holder of the latest
 * ticket gets it (or anyone with `'any'`, at the count bound or on shutdown), so exactly one
 * process emits it however the deliveries were spread.
 */
export interface BurstStore {
  append(key: string, item: string, nowMs: number, ttlMs: number): Promise<BurstTicket>;
  /** Removes and returns the burst when `seq` is still its latest (or with `'any'`); null otherwise. */
  take(key: string, seq: number | 'any'): Promise<string[] | null>;
  /** Bursts held under this store's namespace, for a flush on close. */
  keys(): Promise<string[]>;
}

/** A bounded cache with a TTL per entry (the LID → phone answers). */
export interface CacheStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** Everything one node keeps, from one place: memory, or one shared connection. */
export interface Stores {
  dedupe: DedupeStore;
  conversation: ConversationStore;
  burst: BurstStore;
  lid: CacheStore;
  /** Human-readable, for the node status and logs ("memory", "redis 127.0.0.1:6379 db 0"). No password. */
  describe(): string;
  /** Releases what this node holds (its share of a connection). */
  close(): Promise<void>;
}
