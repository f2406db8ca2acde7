/**
 * The burst buffer: "hi" / "I need" / "the price of the blue one" become one event, so an AI agent
 * answers once. Per chat, inbound messages are held for a quiet window that each new message
 * restarts, bounded by a maximum wait from the first message and a maximum count.
 *
 * Each delivery holds its own ticket and waits (`hold`); when its window ends it tries to take the
 * burst, which only the latest ticket can (core/store/types.ts#BurstStore): exactly one delivery
 * resolves with the combined event, the others with null. That fits both engines: n8n's webhook()
 * returns workflowData for the delivery that closed the burst only, Node-RED sends it from there.
 * The held messages live in the store, not in this object, so a shared store lets any process close.
 */
import { conversationKey, conversationRefOf } from '../conversation';
import type { NormalizedEvent, NormalizedMessage } from '../event/schema';
import type { BurstStore } from '../store/types';

export interface BurstOptions {
  /** Quiet time that closes a burst, restarted by each new message (ms). */
  quietMs: number;
  /** Longest a burst is held, from its first message (ms). */
  maxWaitMs: number;
  /** Messages that close a burst at once. */
  maxCount: number;
}

export const BURST_DEFAULTS: BurstOptions = { quietMs: 5_000, maxWaitMs: 30_000, maxCount: 20 };

/** How long a held burst outlives its maximum wait in the store, should no waiter take it. */
const STORE_TTL_MARGIN_MS = 60_000;

export interface BurstBuffer {
  /**
   * A message event is held: resolves with the combined event when this delivery closes the burst,
   * null when another one does. Any other event (an ack, an own message) resolves at once with itself.
   */
  hold(event: NormalizedEvent): Promise<NormalizedEvent | null>;
  /** Closes every burst now: each waiter closes its own; bursts no waiter here holds are returned. */
  flush(): Promise<NormalizedEvent[]>;
  /**
   * Stops waiting without closing: the bursts stay in the store for `resume`. Returns the chats and
   * messages left there (messages null when a resumed burst, whose size is not known here, is among them).
   */
  release(): Promise<{ chats: number; messages: number | null }>;
  /** Takes over bursts left in the store (a previous instance's): each closes after a quiet window. */
  resume(emit: (event: NormalizedEvent) => void): Promise<number>;
  /** Deliveries waiting now. */
  readonly waiting: number;
}

export interface BurstDeps {
  store: BurstStore;
  clock?: () => number;
  /** Store failures: the event then goes out alone (a failure never loses a message). */
  warn?: (message: string) => void;
}

export function checkBurstOptions(options: Partial<BurstOptions>): BurstOptions {
  const merged = { ...BURST_DEFAULTS, ...definedOnly(options) };
  for (const [name, label] of [
    ['quietMs', 'Quiet window'],
    ['maxWaitMs', 'Maximum wait'],
  ] as const) {
    if (!Number.isFinite(merged[name]) || merged[name] <= 0) throw new Error(`${label} must be a positive number of seconds, got ${merged[name] / 1000}`);
  }
  if (!Number.isInteger(merged.maxCount) || merged.maxCount < 1)
    throw new Error(`Maximum messages per burst must be a whole number ≥ 1, got ${merged.maxCount}`);
  if (merged.maxWaitMs < merged.quietMs)
    throw new Error(`Maximum wait (${merged.maxWaitMs / 1000} s) must not be shorter than the quiet window (${merged.quietMs / 1000} s)`);
  return merged;
}

function definedOnly(options: Partial<BurstOptions>): Partial<BurstOptions> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<BurstOptions>;
}

/** The chat a message is buffered under, or null for what is never buffered. */
export function burstKeyOf(event: NormalizedEvent): string | null {
  if (event.event !== 'message' || !event.message || event.message.fromMe) return null;
  const ref = conversationRefOf(event);
  return ref ? conversationKey(ref) : null;
}

/**
 * One event for a burst: the last message's event (the reply target), its text the texts joined
 * with newlines, and `messages` listing every message in order (media ones included).
 */
export function combineBurst(events: readonly NormalizedEvent[]): NormalizedEvent {
  if (events.length === 0) throw new Error('A burst has at least one message');
  const last = events[events.length - 1];
  const messages = events.map((event) => event.message).filter((message): message is NormalizedMessage => message !== undefined);
  const text = messages
    .map((message) => message.text)
    .filter((part) => part.trim() !== '')
    .join('\n');
  const issues = events.flatMap((event) => event.issues ?? []);
  const combined: NormalizedEvent = { ...last, message: { ...last.message!, text }, messages };
  if (issues.length > 0) combined.issues = issues;
  return combined;
}

interface Waiter {
  /** The chat, and the messages its burst held when this delivery joined it (null: resumed, not known). */
  key: string;
  count: number | null;
  wake: (mode: 'close' | 'leave') => void;
}

export function createBurstBuffer(options: Partial<BurstOptions>, deps: BurstDeps): BurstBuffer {
  const settings = checkBurstOptions(options);
  const { store } = deps;
  const clock = deps.clock ?? Date.now;
  const warn = deps.warn ?? (() => undefined);
  const ttlMs = settings.maxWaitMs + settings.quietMs + STORE_TTL_MARGIN_MS;
  const waiters = new Set<Waiter>();
  /** Deliveries between their wait and their take: a flush lets them take theirs before it looks further. */
  const active = new Set<Promise<NormalizedEvent | null>>();

  async function takeCombined(key: string, seq: number | 'any'): Promise<NormalizedEvent | null> {
    let items: string[] | null;
    try {
      items = await store.take(key, seq);
    } catch (error) {
      // Still in the store (it failed to answer): whichever delivery comes next takes it with its own.
      warn(`Could not take the held messages of a chat: ${(error as Error).message}`);
      return null;
    }
    if (!items || items.length === 0) return null;
    return combineBurst(items.map((item) => JSON.parse(item) as NormalizedEvent));
  }

  /** Resolves after `ms`, or early with how a flush or release woke it. */
  function wait(ms: number, key: string, count: number | null): Promise<'timer' | 'close' | 'leave'> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        key,
        count,
        wake: (mode) => {
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mode);
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        resolve('timer');
      }, ms);
      waiters.add(waiter);
    });
  }

  async function hold(event: NormalizedEvent): Promise<NormalizedEvent | null> {
    const key = burstKeyOf(event);
    if (!key) return event;
    let ticket;
    try {
      ticket = await store.append(key, JSON.stringify(event), clock(), ttlMs);
    } catch (error) {
      warn(`Message ${event.id} was not buffered (${(error as Error).message}); it goes out on its own`);
      return { ...event, messages: event.message ? [event.message] : [] };
    }
    if (ticket.count >= settings.maxCount) return takeCombined(key, 'any');
    const waitMs = Math.max(0, Math.min(settings.quietMs, ticket.firstAt + settings.maxWaitMs - clock()));
    const closing = wait(waitMs, key, ticket.count).then((woken) => (woken === 'leave' ? null : takeCombined(key, woken === 'close' ? 'any' : ticket.seq)));
    active.add(closing);
    void closing.finally(() => active.delete(closing));
    return closing;
  }

  function wakeAll(mode: 'close' | 'leave'): void {
    for (const waiter of [...waiters]) waiter.wake(mode);
  }

  return {
    hold,
    get waiting() {
      return waiters.size;
    },
    async flush() {
      wakeAll('close');
      await Promise.allSettled([...active]);
      const left: NormalizedEvent[] = [];
      for (const key of await store.keys()) {
        const combined = await takeCombined(key, 'any');
        if (combined) left.push(combined);
      }
      return left;
    },
    async release() {
      const held = new Map<string, number | null>();
      for (const waiter of waiters) {
        const before = held.get(waiter.key);
        held.set(waiter.key, waiter.count === null || before === null ? null : Math.max(before ?? 0, waiter.count));
      }
      wakeAll('leave');
      const counts = [...held.values()];
      return { chats: held.size, messages: counts.includes(null) ? null : (counts as number[]).reduce((sum, count) => sum + count, 0) };
    },
    async resume(emit) {
      const keys = await store.keys();
      for (const key of keys) {
        const closing = wait(settings.quietMs, key, null).then(async (woken) => {
          if (woken === 'leave') return null;
          const combined = await takeCombined(key, 'any');
          if (combined) emit(combined);
          return combined;
        });
        active.add(closing);
        void closing.finally(() => active.delete(closing));
      }
      return keys.length;
    },
  };
}

/** The settings as nodes store them (seconds; text in Node-RED, numbers in n8n; empty for the default). */
export interface BurstSettings {
  quietSeconds?: unknown;
  maxWaitSeconds?: unknown;
  maxCount?: unknown;
}

/** Checked options from a node's settings; throws with a message fit for the user. */
export function burstOptionsOf(settings: BurstSettings): BurstOptions {
  const number = (value: unknown, label: string): number | undefined => {
    if (value === undefined || value === null || String(value).trim() === '') return undefined;
    const parsed = Number(value);
    if (!Number.isFinite(parsed)) throw new Error(`${label} must be a number, got "${String(value)}"`);
    return parsed;
  };
  const quiet = number(settings.quietSeconds, 'Quiet window (seconds)');
  const maxWait = number(settings.maxWaitSeconds, 'Maximum wait (seconds)');
  return checkBurstOptions({
    quietMs: quiet === undefined ? undefined : quiet * 1000,
    maxWaitMs: maxWait === undefined ? undefined : maxWait * 1000,
    maxCount: number(settings.maxCount, 'Maximum messages per burst'),
  });
}
