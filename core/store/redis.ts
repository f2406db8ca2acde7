/**
 * The shared store: every interface of `Stores` on Redis, so that several n8n webhook processes and
 * workers, or several Node-RED runtimes, see one dedupe memory, one burst per chat, one conversation
 * state and one LID cache.
 *
 * Each method is one atomic step on the server: a single command (`SET NX PX`) or a Lua script,
 * never a read in JavaScript followed by a write. The client is ioredis; one connection per process
 * and connection settings, shared by every node that uses them (refcounted, closed with the last).
 *
 * Failures are the caller's to handle (the receiver lets the event through), but this store counts
 * them and says so once per outage through `onFailure`, so the node can show it. While the
 * connection is down a command fails at once rather than waiting in a queue: an event is never held
 * up by the outage for longer than `commandTimeoutMs`.
 */
import { createHash } from 'node:crypto';
import Redis, { type RedisOptions } from 'ioredis';
import { boundedKey } from '../dedupe/key';
import { DEDUPE_MAX_KEY_LENGTH, DEFAULT_DEDUPE_TTL_SECONDS, type DedupeClaim, type DedupeStore } from '../dedupe/store';
import type { BurstStore, BurstTicket, CacheStore, ConversationChange, ConversationState, ConversationStore, Stores } from './types';

export interface RedisConnectionSettings {
  host: string;
  port: number;
  username?: string;
  password?: string;
  tls?: boolean;
  /** Database index, 0 by default. */
  db?: number;
  /** Prepended to every key (`waflow` by default), so one Redis can serve several installations. */
  keyPrefix?: string;
  /** How long connecting may take, ms. */
  connectTimeoutMs?: number;
  /** How long one command may take before it fails (and the event goes through), ms. */
  commandTimeoutMs?: number;
}

export interface RedisStoresOptions {
  /** This node's namespace inside the key prefix: `n8n:<workflow>:<node>`, `nr:<flow>:<node>`. */
  namespace: string;
  /** Where conversation state lives, when it is shared more widely than the node (n8n: the workflow's). */
  conversationNamespace?: string;
  dedupeTtlSeconds?: number;
  /** How long an unsettled at-least-once claim blocks other copies; default: the dedupe TTL. */
  claimLeaseSeconds?: number;
  /** Called on the first failure after a success (and on the first one), with the count so far. */
  onFailure?: (message: string, failures: number) => void;
}

/**
 * `commandTimeoutMs` is generous on purpose: a timer in a busy process (n8n under load) can fire
 * late and all at once, and a command timed out while its reply is on the way lets a redelivery
 * through. An outage does not wait for it: while disconnected, commands fail at once.
 */
export const REDIS_DEFAULTS = { port: 6379, db: 0, keyPrefix: 'waflow', connectTimeoutMs: 5_000, commandTimeoutMs: 5_000 };

/** A store's health, for the node's status: failed operations so far and the last reason. */
export interface StoreHealth {
  failures: number;
  lastError: string | null;
}

// ---- one connection per process and settings ----

interface SharedConnection {
  client: Redis;
  refs: number;
  /** Whether it has been ready once: from then on a command while disconnected fails at once. */
  wasReady: boolean;
}

const connections = new Map<string, SharedConnection>();

/** Identifies the settings without holding the password in the map's keys. */
function connectionKey(settings: RedisConnectionSettings): string {
  const { keyPrefix: _prefix, ...connection } = settings;
  return createHash('sha256').update(JSON.stringify(connection)).digest('hex');
}

function clientOptions(settings: RedisConnectionSettings): RedisOptions {
  return {
    host: settings.host,
    port: settings.port,
    username: settings.username || undefined,
    password: settings.password || undefined,
    db: settings.db ?? REDIS_DEFAULTS.db,
    tls: settings.tls ? { servername: settings.host } : undefined,
    connectTimeout: settings.connectTimeoutMs ?? REDIS_DEFAULTS.connectTimeoutMs,
    commandTimeout: settings.commandTimeoutMs ?? REDIS_DEFAULTS.commandTimeoutMs,
    // A command in flight when the connection drops fails instead of being retried later: the
    // receiver lets the event through at once.
    maxRetriesPerRequest: 0,
    // Reconnect forever, backing off to 2 s.
    retryStrategy: (times) => Math.min(times * 100, 2_000),
    lazyConnect: false,
    // A socket that does not close when asked is destroyed soon, so a closing process is not held up.
    disconnectTimeout: 200,
  };
}

function acquire(settings: RedisConnectionSettings): { key: string; connection: SharedConnection } {
  const key = connectionKey(settings);
  let connection = connections.get(key);
  if (!connection) {
    const client = new Redis(clientOptions(settings));
    const shared: SharedConnection = { client, refs: 0, wasReady: false };
    client.on('ready', () => (shared.wasReady = true));
    // Errors are reported per command (and counted there); an unhandled 'error' event would crash the process.
    client.on('error', () => undefined);
    connection = shared;
    connections.set(key, connection);
  }
  connection.refs++;
  return { key, connection };
}

async function release(key: string, connection: SharedConnection): Promise<void> {
  connection.refs--;
  if (connection.refs > 0) return;
  connections.delete(key);
  // QUIT lets replies in flight arrive; a connection that is not up has none, and would only retry.
  if (connection.client.status === 'ready') await connection.client.quit().catch(() => connection.client.disconnect());
  else connection.client.disconnect();
}

/** Connections open in this process (for tests: every node shares one per settings). */
export function openRedisConnections(): number {
  return connections.size;
}

// ---- scripts ----

/** claim: `seen` and `inFlight` are answered, anything else becomes `inFlight` for the lease. */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v == 'seen' then return 'seen' end
if v then return 'inFlight' end
redis.call('SET', KEYS[1], 'inFlight', 'PX', ARGV[1])
return 'new'`;

/** settle(false): forget only our own in-flight mark, never an id another copy recorded as seen. */
const FORGET = `
if redis.call('GET', KEYS[1]) == 'inFlight' then redis.call('DEL', KEYS[1]) end
return 1`;

/**
 * append: KEYS = items list, meta hash; ARGV = item, now, ttl. The sequence lives in the meta hash
 * and is never reset by a take, so a ticket from an earlier burst can never take a later one.
 */
const APPEND = `
local count = redis.call('RPUSH', KEYS[1], ARGV[1])
local seq = redis.call('HINCRBY', KEYS[2], 'seq', 1)
if count == 1 then redis.call('HSET', KEYS[2], 'firstAt', ARGV[2]) end
local firstAt = redis.call('HGET', KEYS[2], 'firstAt') or ARGV[2]
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return {seq, firstAt, count}`;

/** take: KEYS = items list, meta hash; ARGV = seq or 'any'. The items, or nil for anyone else. */
const TAKE = `
if redis.call('LLEN', KEYS[1]) == 0 then return nil end
if ARGV[1] ~= 'any' and redis.call('HGET', KEYS[2], 'seq') ~= ARGV[1] then return nil end
local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], 'firstAt')
return items`;

/**
 * update: a conversation is a hash: `s` the state as JSON, `u` updatedAt, `d:<name>` each top-level
 * data entry as JSON. So a shallow merge is HSET, and values never pass through Lua's JSON (which
 * would turn [] into {} and round large numbers).
 * ARGV = clear, replace, hasState, stateJson, updatedAt, ttlMs, then field/value pairs.
 */
const UPDATE = `
if ARGV[1] == '1' then redis.call('DEL', KEYS[1]) return nil end
if ARGV[2] == '1' then
  for _, field in ipairs(redis.call('HKEYS', KEYS[1])) do
    if string.sub(field, 1, 2) == 'd:' then redis.call('HDEL', KEYS[1], field) end
  end
end
if ARGV[3] == '1' then redis.call('HSET', KEYS[1], 's', ARGV[4])
elseif redis.call('HEXISTS', KEYS[1], 's') == 0 then redis.call('HSET', KEYS[1], 's', 'null') end
redis.call('HSET', KEYS[1], 'u', ARGV[5])
for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return redis.call('HGETALL', KEYS[1])`;

type Scripted = Redis & {
  waflowClaim(key: string, leaseMs: number): Promise<DedupeClaim>;
  waflowForget(key: string): Promise<number>;
  waflowAppend(items: string, meta: string, item: string, nowMs: number, ttlMs: number): Promise<[number, string, number]>;
  waflowTake(items: string, meta: string, seq: string): Promise<string[] | null>;
  waflowUpdate(key: string, ...args: string[]): Promise<string[] | null>;
};

function withScripts(client: Redis): Scripted {
  const scripted = client as Scripted;
  // defineCommand sends EVALSHA and falls back to EVAL once per server (after a restart, say).
  if (typeof scripted.waflowClaim !== 'function') {
    client.defineCommand('waflowClaim', { numberOfKeys: 1, lua: CLAIM });
    client.defineCommand('waflowForget', { numberOfKeys: 1, lua: FORGET });
    client.defineCommand('waflowAppend', { numberOfKeys: 2, lua: APPEND });
    client.defineCommand('waflowTake', { numberOfKeys: 2, lua: TAKE });
    client.defineCommand('waflowUpdate', { numberOfKeys: 1, lua: UPDATE });
  }
  return scripted;
}

function stateFromHash(flat: string[] | null): ConversationState | undefined {
  if (!flat || flat.length === 0) return undefined;
  const state: ConversationState = { state: null, data: {}, updatedAt: '' };
  for (let i = 0; i < flat.length; i += 2) {
    const [field, value] = [flat[i], flat[i + 1]];
    if (field === 's') state.state = JSON.parse(value) as string | null;
    else if (field === 'u') state.updatedAt = value;
    else if (field.startsWith('d:')) state.data[field.slice(2)] = JSON.parse(value);
  }
  return state;
}

function hashPairs(data: Record<string, unknown>): string[] {
  return Object.entries(data).flatMap(([name, value]) => (value === undefined ? [] : [`d:${name}`, JSON.stringify(value)]));
}

function positiveMs(value: number, label: string): number {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${label} must be a positive number, got ${value}`);
  return Math.ceil(value);
}

export class RedisStores implements Stores {
  readonly dedupe: DedupeStore;
  readonly conversation: ConversationStore;
  readonly burst: BurstStore;
  readonly lid: CacheStore;
  private readonly health: StoreHealth = { failures: 0, lastError: null };
  private failing = false;
  private closed = false;
  private readonly key: string;
  private readonly connection: SharedConnection;
  private readonly client: Scripted;
  private readonly prefix: string;

  constructor(
    private readonly settings: RedisConnectionSettings,
    private readonly options: RedisStoresOptions,
  ) {
    if (!settings.host) throw new Error('Redis host is required');
    if (!Number.isInteger(settings.port) || settings.port < 1 || settings.port > 65535) throw new Error(`Redis port must be 1-65535, got ${settings.port}`);
    if (settings.db !== undefined && !(Number.isInteger(settings.db) && settings.db >= 0))
      throw new Error(`Redis database must be 0 or more, got ${settings.db}`);
    if (!options.namespace) throw new Error('A Redis store needs a namespace (the node it belongs to)');
    const ttlMs = positiveMs((options.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS) * 1000, 'Dedupe TTL (ms)');
    const leaseMs = positiveMs((options.claimLeaseSeconds ?? ttlMs / 1000) * 1000, 'Dedupe claim lease (ms)');
    ({ key: this.key, connection: this.connection } = acquire(settings));
    this.client = withScripts(this.connection.client);
    this.prefix = `${settings.keyPrefix || REDIS_DEFAULTS.keyPrefix}:${options.namespace}:`;

    const dedupeKey = (id: string) => `${this.prefix}d:${boundedKey(id, DEDUPE_MAX_KEY_LENGTH)}`;
    this.dedupe = {
      firstSeen: (id) => this.run('dedupe', async (c) => (await c.set(dedupeKey(id), 'seen', 'PX', ttlMs, 'NX')) === 'OK'),
      claim: (id) => this.run('dedupe claim', (c) => c.waflowClaim(dedupeKey(id), leaseMs)),
      settle: (id, taken) =>
        this.run('dedupe settle', async (c) => {
          if (taken) await c.set(dedupeKey(id), 'seen', 'PX', ttlMs);
          else await c.waflowForget(dedupeKey(id));
        }),
    };

    const burstItems = (key: string) => `${this.prefix}b:${key}`;
    const burstMeta = (key: string) => `${this.prefix}bm:${key}`;
    this.burst = {
      append: (key, item, nowMs, ttlMs) =>
        this.run('burst append', async (c): Promise<BurstTicket> => {
          const [seq, firstAt, count] = await c.waflowAppend(burstItems(key), burstMeta(key), item, nowMs, positiveMs(ttlMs, 'Burst TTL (ms)'));
          return { seq: Number(seq), firstAt: Number(firstAt), count: Number(count) };
        }),
      take: (key, seq) => this.run('burst take', (c) => c.waflowTake(burstItems(key), burstMeta(key), String(seq))),
      keys: () => this.run('burst keys', (c) => this.scan(c, `${this.prefix}b:`)),
    };

    const conversationPrefix = options.conversationNamespace
      ? `${settings.keyPrefix || REDIS_DEFAULTS.keyPrefix}:${options.conversationNamespace}:`
      : this.prefix;
    const conversationKey = (key: string) => `${conversationPrefix}c:${key}`;
    this.conversation = {
      get: (key) => this.run('conversation get', async (c) => stateFromHash(await c.hgetall(conversationKey(key)).then(flatten))),
      update: (key, change: ConversationChange, ttlSeconds, now) =>
        this.run('conversation update', async (c) => {
          const ttlMs = positiveMs(ttlSeconds * 1000, 'Conversation TTL (ms)');
          const hasState = change.state !== undefined;
          const pairs = [...hashPairs(change.replace ?? {}), ...hashPairs(change.merge ?? {})];
          const flat = await c.waflowUpdate(
            conversationKey(key),
            change.clear ? '1' : '0',
            change.replace ? '1' : '0',
            hasState ? '1' : '0',
            JSON.stringify(hasState ? change.state : null),
            now.toISOString(),
            String(ttlMs),
            ...pairs,
          );
          return stateFromHash(flat);
        }),
    };

    const lidKey = (key: string) => `${this.prefix}l:${boundedKey(key, DEDUPE_MAX_KEY_LENGTH)}`;
    this.lid = {
      get: (key) => this.run('LID cache', async (c) => (await c.get(lidKey(key))) ?? undefined),
      set: (key, value, ttlMs) =>
        this.run('LID cache', async (c) => {
          await c.set(lidKey(key), value, 'PX', positiveMs(ttlMs, 'LID cache TTL (ms)'));
        }),
    };
  }

  describe(): string {
    const db = this.settings.db ?? REDIS_DEFAULTS.db;
    return `redis ${this.settings.tls ? 'tls ' : ''}${this.settings.host}:${this.settings.port} db ${db}`;
  }

  /** Failed operations so far (each one let its event through or degraded it), and the last reason. */
  status(): StoreHealth {
    return { ...this.health };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await release(this.key, this.connection);
  }

  /** One operation: fails at once while disconnected, counts failures, says so once per outage. */
  private async run<T>(operation: string, step: (client: Scripted) => Promise<T>): Promise<T> {
    try {
      if (this.closed) throw new Error('the store is closed');
      const status = this.client.status;
      // Before the first connection, a command waits for it; after a failed attempt or a loss, none waits.
      const down = status === 'reconnecting' || status === 'close' || status === 'end';
      if (down || (this.connection.wasReady && status !== 'ready')) throw new Error(`not connected (${status})`);
      const result = await step(this.client);
      this.failing = false;
      return result;
    } catch (error) {
      const message = `Redis ${operation} failed (${this.describe()}): ${(error as Error).message}`;
      this.health.failures++;
      this.health.lastError = message;
      if (!this.failing) this.options.onFailure?.(message, this.health.failures);
      this.failing = true;
      throw new Error(message);
    }
  }

  private async scan(client: Scripted, match: string): Promise<string[]> {
    const found = new Set<string>();
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${escapeGlob(match)}*`, 'COUNT', 500);
      for (const key of keys) found.add(key.slice(match.length));
      cursor = next;
    } while (cursor !== '0');
    return [...found];
  }
}

/** ioredis answers HGETALL with an object; the script with a flat list: one shape for both. */
function flatten(hash: Record<string, string>): string[] {
  return Object.entries(hash).flat();
}

/** A key prefix taken literally in SCAN's MATCH pattern. */
function escapeGlob(value: string): string {
  return value.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}
