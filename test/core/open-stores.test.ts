/**
 * openStores: a node's store setting to its Stores. Memory needs nothing running; Redis is only
 * constructed here (against a closed port: it must fail per operation, never throw at once or hang),
 * its real behaviour is the scale suite's (test/engines/scale). And withSharedDedupe: a receiver on a
 * shared dedupe store keeps the node's replay window.
 */
import { freePort } from '../../demo/ports';
import { createReceiver } from '../../core/receive';
import { openStores, withSharedDedupe } from '../../core/store/open';
import { RedisStores } from '../../core/store/redis';
import { providers } from '../../core/providers';
import { sampleBody } from '../../cli/samples';

describe('openStores', () => {
  it('no setting, or memory: this process, with the node dedupe TTL and a LID cache', async () => {
    const stores = openStores(undefined, { namespace: 'n', dedupeTtlSeconds: 5 });
    expect(stores.describe()).toBe('memory');
    expect(await stores.dedupe.firstSeen('a')).toBe(true);
    expect(await stores.dedupe.firstSeen('a')).toBe(false);
    await stores.lid.set('k', 'v', 60_000);
    expect(await stores.lid.get('k')).toBe('v');
    expect(stores.status()).toEqual({ failures: 0, lastError: null });
    expect(openStores({ kind: 'memory' }, { namespace: 'n' }).describe()).toBe('memory');
    await stores.close();
  });

  it('redis: the Redis stores, described without the password; bad settings are refused at once', async () => {
    const port = await freePort();
    const stores = openStores(
      { kind: 'redis', redis: { host: '127.0.0.1', port, password: 'pw-123', connectTimeoutMs: 200, commandTimeoutMs: 200 } },
      { namespace: 'n' },
    );
    expect(stores).toBeInstanceOf(RedisStores);
    expect(stores.describe()).toBe(`redis 127.0.0.1:${port} db 0`);
    await expect(Promise.resolve(stores.dedupe.firstSeen('x'))).rejects.toThrow(/^Redis dedupe failed \(redis 127\.0\.0\.1:\d+ db 0\)/);
    expect(stores.status().failures).toBe(1);
    expect(stores.status().lastError).not.toContain('pw-123');
    await stores.close();
    expect(() => openStores({ kind: 'redis', redis: { host: '127.0.0.1', port: 70_000 } }, { namespace: 'n' })).toThrow(
      'Redis port must be 1-65535, got 70000',
    );
  });
});

describe('withSharedDedupe', () => {
  const shared = openStores(undefined, { namespace: 'shared' });

  it('replaces the dedupe with the store and keeps the TTL as the replay window', () => {
    const options = withSharedDedupe({ provider: 'waha', dedupe: { ttlSeconds: 120 } }, shared);
    expect(options.dedupe).toBe(shared.dedupe);
    expect(options.replayWindowSeconds).toBe(120);
    expect(withSharedDedupe({ provider: 'waha', dedupe: true }, shared).replayWindowSeconds).toBe(600);
    expect(withSharedDedupe({ provider: 'waha', dedupe: { ttlSeconds: 120 }, replayWindowSeconds: 0 }, shared).replayWindowSeconds).toBe(0);
  });

  it('dedupe off, or no shared store: the options unchanged', () => {
    const off = { provider: 'waha' as const, dedupe: false as const };
    expect(withSharedDedupe(off, shared)).toBe(off);
    const memory = { provider: 'waha' as const };
    expect(withSharedDedupe(memory, null)).toBe(memory);
  });

  it('two receivers on one shared dedupe store drop each other’s redeliveries', async () => {
    const body = Buffer.from(JSON.stringify(sampleBody(providers.waha, 'message')));
    const options = withSharedDedupe({ provider: 'waha', replayWindowSeconds: 0 }, shared);
    const [one, two] = [createReceiver(options), createReceiver(options)];
    const request = { method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: body };
    expect((await one.receive(request)).stats).toMatchObject({ emitted: 1, duplicates: 0 });
    expect((await two.receive(request)).stats).toMatchObject({ emitted: 0, duplicates: 1 });
  });
});
