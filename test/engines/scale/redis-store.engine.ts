/**
 * The Redis `Stores` against the store contract, on a real redis-server (password set), plus what
 * only a shared store has: one connection per process and settings, and the failure semantics (a
 * server gone makes every operation fail fast, counted and reported once; it recovers by itself).
 */
import { RedisStores, openRedisConnections } from '../../../core/store/redis';
import { DEDUPE_TTL_SECONDS, describeStoresContract } from '../../store/contract';
import { startRedis, type RedisServer } from './redis-server';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedis();
}, 10 * 60_000);
afterAll(async () => {
  await redis?.dispose();
});

const settings = () => ({ host: redis.host, port: redis.port, password: redis.password, keyPrefix: 'contract' });

describeStoresContract('redis', (namespace) => new RedisStores(settings(), { namespace, dedupeTtlSeconds: DEDUPE_TTL_SECONDS }), { sharedAcrossHandles: true });

describe('Redis stores', () => {
  it('nodes with the same settings share one connection, released with the last', async () => {
    const before = openRedisConnections();
    const a = new RedisStores(settings(), { namespace: 'a' });
    const b = new RedisStores({ ...settings(), keyPrefix: 'other' }, { namespace: 'b' });
    expect(openRedisConnections()).toBe(before + 1);
    const c = new RedisStores({ ...settings(), db: 1 }, { namespace: 'c' });
    expect(openRedisConnections()).toBe(before + 2);
    await a.close();
    expect(openRedisConnections()).toBe(before + 2);
    await a.close(); // twice is once
    await b.close();
    await c.close();
    expect(openRedisConnections()).toBe(before);
  });

  it('describes the server without the password', () => {
    const stores = new RedisStores(settings(), { namespace: 'd' });
    expect(stores.describe()).toBe(`redis ${redis.host}:${redis.port} db 0`);
    return stores.close();
  });

  it('a wrong password fails every operation with a reason, counted', async () => {
    const reports: string[] = [];
    const stores = new RedisStores({ ...settings(), password: 'wrong' }, { namespace: 'w', onFailure: (message) => reports.push(message) });
    await expect(stores.dedupe.firstSeen('x')).rejects.toThrow(/Redis dedupe failed .*WRONGPASS|invalid|NOAUTH|timed out/i);
    await expect(stores.lid.get('x')).rejects.toThrow(/Redis LID cache failed/);
    expect(stores.status().failures).toBe(2);
    expect(reports).toHaveLength(1);
    expect(reports.join()).not.toContain('wrong');
    await stores.close();
  });

  it('refuses bad settings with a clear message', () => {
    expect(() => new RedisStores({ host: '', port: 6379 }, { namespace: 'n' })).toThrow('Redis host is required');
    expect(() => new RedisStores({ host: 'h', port: 0 }, { namespace: 'n' })).toThrow('Redis port must be 1-65535, got 0');
    expect(() => new RedisStores({ host: 'h', port: 1, db: -1 }, { namespace: 'n' })).toThrow('Redis database must be 0 or more, got -1');
    expect(() => new RedisStores({ host: 'h', port: 1 }, { namespace: '' })).toThrow('needs a namespace');
    expect(openRedisConnections()).toBe(0);
  });

  it('server stopped: operations fail fast and are counted, reported once; back up, they work again', async () => {
    const reports: number[] = [];
    const stores = new RedisStores(settings(), { namespace: `outage-${Date.now()}`, onFailure: (_message, failures) => reports.push(failures) });
    expect(await stores.dedupe.firstSeen('before')).toBe(true);
    await redis.stop();
    const failures = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => stores.dedupe.firstSeen(`during-${i}`)));
    expect(failures.every((result) => result.status === 'rejected')).toBe(true);
    expect(stores.status().failures).toBe(20);
    expect(reports).toEqual([1]);
    await redis.start();
    const deadline = Date.now() + 15_000;
    let answer: boolean | null = null;
    while (answer === null && Date.now() < deadline) {
      answer = await Promise.resolve(stores.dedupe.firstSeen('after')).catch(() => null);
      if (answer === null) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(answer).toBe(true);
    await stores.close();
  }, 30_000);
});
