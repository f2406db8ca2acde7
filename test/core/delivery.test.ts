/**
 * Issue 11, "Replays" and "Delivery guarantees": the replay window on signed times, and the
 * two-step dedupe (claim, then settle) the at-least-once mode uses.
 */
import { MemoryDedupeStore, type DedupeStore } from '../../core/dedupe/store';
import { providers, PROVIDER_LIST } from '../../core/providers';
import { createReceiver, type ReceiveOptions } from '../../core/receive';
import { messageBody, NOW, SECRET, signedRequest } from './signed';

const SECOND = 1000;
const wahaAt = (timestamp: number) => ({ ...messageBody('waha'), timestamp });
/** Signed without the helper's "time = now": the body's own time goes out as is. */
function signedAsIs(body: object) {
  const rawBody = Buffer.from(JSON.stringify(body));
  const { headers } = providers.waha.sign({ body: rawBody, secret: SECRET, nowMs: NOW });
  return { method: 'POST', headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), query: {}, rawBody };
}
const receiver = (extra: Partial<ReceiveOptions> = {}) => createReceiver({ provider: 'waha', secret: SECRET, clock: () => NOW, ...extra });

describe('replay window (signed times)', () => {
  it('accepts a fresh WAHA delivery and one just inside the window (default: the dedupe TTL, 600 s)', async () => {
    expect((await receiver().receive(signedAsIs(wahaAt(NOW - 5 * SECOND)))).status).toBe(200);
    expect((await receiver().receive(signedAsIs(wahaAt(NOW - 600 * SECOND)))).status).toBe(200);
    // A gateway clock ahead of ours is not a replay.
    expect((await receiver().receive(signedAsIs(wahaAt(NOW + 60 * SECOND)))).status).toBe(200);
  });

  it('refuses an older one with 401 and the age, before any dedupe or event', async () => {
    const result = await receiver().receive(signedAsIs(wahaAt(NOW - 601 * SECOND)));
    expect(result).toMatchObject({ status: 401, events: [], body: { ok: false, status: 401 } });
    expect(result.error).toBe('Delivery is 601 s old (its signed timestamp); replays older than the 600 s window are refused');
  });

  it('follows the dedupe TTL, or its own setting; 0 turns it off', async () => {
    const old = wahaAt(NOW - 120 * SECOND);
    expect((await receiver({ dedupe: { ttlSeconds: 60 } }).receive(signedAsIs(old))).status).toBe(401);
    expect((await receiver({ dedupe: { ttlSeconds: 60 }, replayWindowSeconds: 300 }).receive(signedAsIs(old))).status).toBe(200);
    expect((await receiver({ replayWindowSeconds: 60 }).receive(signedAsIs(old))).error).toMatch(/120 s old.*the 60 s window/);
    expect((await receiver({ replayWindowSeconds: 0 }).receive(signedAsIs(wahaAt(NOW - 10 * 365 * 86_400 * SECOND)))).status).toBe(200);
  });

  it('is not checked without a secret: an unsigned time proves nothing', async () => {
    const rawBody = Buffer.from(JSON.stringify(wahaAt(NOW - 86_400 * SECOND)));
    const result = await createReceiver({ provider: 'waha', clock: () => NOW }).receive({ method: 'POST', headers: {}, query: {}, rawBody });
    expect(result.status).toBe(200);
  });

  it('reads WAHA seconds as seconds; a body without a time is not checked', async () => {
    expect((await receiver().receive(signedAsIs(wahaAt(Math.floor(NOW / SECOND) - 3600)))).error).toMatch(/^Delivery is 3600 s old/);
    const { timestamp: _none, ...untimed } = wahaAt(0);
    expect((await receiver().receive(signedAsIs(untimed))).status).toBe(200);
  });

  it('only WAHA declares a signed time (Wawp copies its envelope unsigned), and wrong windows are refused when the receiver is built', () => {
    expect(PROVIDER_LIST.filter((p) => typeof p.signedTimeOf === 'function').map((p) => p.name)).toEqual(['waha']);
    expect(() => receiver({ replayWindowSeconds: -1 })).toThrow(/Replay window must be 0 \(off\) or a positive number/);
  });

  it("the tests' signing helper sets the signed time to the signing time", async () => {
    const result = await receiver().receive(signedRequest('waha', wahaAt(NOW - 86_400 * SECOND)));
    expect(result.status).toBe(200);
  });
});

describe('two-step dedupe in the memory store', () => {
  it('claim → new, then inFlight for another copy; settled taken → seen', () => {
    const store = new MemoryDedupeStore();
    expect(store.claim('a')).toBe('new');
    expect(store.claim('a')).toBe('inFlight');
    store.settle('a', true);
    expect(store.claim('a')).toBe('seen');
    expect(store.firstSeen('a')).toBe(false);
  });

  it('settled not taken: forgotten, so the retry is new; settling a seen id as not taken keeps it', () => {
    const store = new MemoryDedupeStore();
    store.claim('a');
    store.settle('a', false);
    expect(store.claim('a')).toBe('new');
    store.settle('a', true);
    store.settle('a', false);
    expect(store.claim('a')).toBe('seen');
  });

  it('an unsettled claim expires after its lease; a seen id after the TTL', () => {
    let now = 1_000_000;
    const store = new MemoryDedupeStore({ ttlSeconds: 60, claimLeaseSeconds: 5, now: () => now });
    store.claim('a');
    now += 4_000;
    expect(store.claim('a')).toBe('inFlight');
    now += 2_000;
    expect(store.claim('a')).toBe('new');
    store.settle('a', true);
    now += 59_000;
    expect(store.claim('a')).toBe('seen');
    now += 2_000;
    expect(store.claim('a')).toBe('new');
  });
});

describe('receiver in the afterFlow delivery mode', () => {
  const fresh = (id: string) => signedRequest('waha', { ...messageBody('waha'), payload: { ...(messageBody('waha').payload as object), id } });

  it('a retry after a failed flow is accepted; after a taken one, dropped', async () => {
    const r = receiver({ delivery: 'afterFlow' });
    const first = await r.receive(fresh('m1'));
    expect(first).toMatchObject({ status: 200, body: { emitted: 1 } });
    await first.settle!(false);
    const retry = await r.receive(fresh('m1'));
    expect(retry).toMatchObject({ status: 200, body: { emitted: 1 } });
    await retry.settle!(true);
    const again = await r.receive(fresh('m1'));
    expect(again).toMatchObject({ status: 200, events: [], body: { emitted: 0, duplicates: 1 } });
    expect(again.settle).toBeUndefined();
  });

  it('a copy arriving while the first is in flight gets 503 with Retry-After, and runs nothing', async () => {
    const r = receiver({ delivery: 'afterFlow' });
    const first = await r.receive(fresh('m2'));
    const copy = await r.receive(fresh('m2'));
    expect(copy).toMatchObject({ status: 503, events: [], headers: { 'retry-after': '5' } });
    expect(copy.error).toBe('An earlier copy of this event is still being handled; retry');
    await first.settle!(true);
    expect((await r.receive(fresh('m2'))).body).toMatchObject({ duplicates: 1 });
  });

  it('records nothing until settled, and settles once', async () => {
    const r = receiver({ delivery: 'afterFlow' });
    const first = await r.receive(fresh('m3'));
    await first.settle!(true);
    await first.settle!(false);
    expect((await r.receive(fresh('m3'))).body).toMatchObject({ duplicates: 1 });
  });

  it('the default mode records at once and has no settle', async () => {
    const r = receiver();
    const first = await r.receive(fresh('m4'));
    expect(first.settle).toBeUndefined();
    expect((await r.receive(fresh('m4'))).body).toMatchObject({ duplicates: 1 });
  });

  it('a store that cannot claim is refused for the mode; a failing one lets the event through', async () => {
    const plain: DedupeStore = { firstSeen: () => true };
    expect(() => receiver({ delivery: 'afterFlow', dedupe: plain })).toThrow(/cannot claim and settle ids/);
    const broken: DedupeStore = {
      firstSeen: () => true,
      claim: () => Promise.reject(new Error('redis down')),
      settle: () => Promise.reject(new Error('redis down')),
    };
    const result = await receiver({ delivery: 'afterFlow', dedupe: broken }).receive(fresh('m5'));
    expect(result).toMatchObject({ status: 200, body: { emitted: 1 } });
    await expect(result.settle!(true)).resolves.toBeUndefined();
    expect(() => receiver({ delivery: 'later' as never })).toThrow(/Delivery must be "atOnce" or "afterFlow"/);
  });
});
