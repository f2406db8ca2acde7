/**
 * What every `Stores` must do, whatever holds the data (memory in one process, Redis shared by
 * many): one suite, run against each implementation.
 *
 *   describeStoresContract('redis', (namespace) => new RedisStores(settings, { namespace, ... }));
 *
 * `open` is called with a fresh namespace per test and may be called twice with the same one: two
 * handles on one namespace stand for two processes and must see the same data (memory stores may
 * say `sharedAcrossHandles: false`, for which those cases are skipped). Stores are opened with a
 * dedupe TTL of `DEDUPE_TTL_SECONDS`.
 */
import { randomUUID } from 'node:crypto';
import type { Stores } from '../../core/store/types';

export const DEDUPE_TTL_SECONDS = 1;

export interface ContractOptions {
  /** Whether two handles opened on one namespace see one store (Redis: yes; memory: each its own). */
  sharedAcrossHandles: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeStoresContract(name: string, open: (namespace: string) => Stores | Promise<Stores>, contract: ContractOptions): void {
  describe(`Stores contract: ${name}`, () => {
    const opened: Stores[] = [];
    let namespace = '';
    const handle = async () => {
      const stores = await open(namespace);
      opened.push(stores);
      return stores;
    };
    const shared = contract.sharedAcrossHandles ? it : it.skip;

    beforeEach(() => {
      namespace = `contract-${randomUUID()}`;
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((stores) => stores.close()));
    });

    it('describes itself without a password', async () => {
      const stores = await handle();
      expect(stores.describe()).toEqual(expect.any(String));
      expect(stores.describe()).not.toMatch(/password|secret/i);
    });

    describe('dedupe', () => {
      it('firstSeen is true once per id, false for every repeat', async () => {
        const { dedupe } = await handle();
        expect(await dedupe.firstSeen('a')).toBe(true);
        expect(await dedupe.firstSeen('a')).toBe(false);
        expect(await dedupe.firstSeen('b')).toBe(true);
        expect(await dedupe.firstSeen('a')).toBe(false);
      });

      it('forgets an id after its TTL', async () => {
        const { dedupe } = await handle();
        expect(await dedupe.firstSeen('ttl')).toBe(true);
        await sleep(DEDUPE_TTL_SECONDS * 1000 + 300);
        expect(await dedupe.firstSeen('ttl')).toBe(true);
      });

      it('keeps long ids apart and recognises them again', async () => {
        const { dedupe } = await handle();
        const long = 'x'.repeat(10_000);
        expect(await dedupe.firstSeen(`${long}1`)).toBe(true);
        expect(await dedupe.firstSeen(`${long}2`)).toBe(true);
        expect(await dedupe.firstSeen(`${long}1`)).toBe(false);
      });

      it('exactly one of many concurrent offers of one id is first', async () => {
        const { dedupe } = await handle();
        const answers = await Promise.all(Array.from({ length: 50 }, () => dedupe.firstSeen('race')));
        expect(answers.filter(Boolean)).toHaveLength(1);
      });

      shared('two handles on one namespace share the ids; another namespace does not', async () => {
        const one = await handle();
        const two = await handle();
        expect(await one.dedupe.firstSeen('shared')).toBe(true);
        expect(await two.dedupe.firstSeen('shared')).toBe(false);
        namespace = `contract-${randomUUID()}`;
        const other = await handle();
        expect(await other.dedupe.firstSeen('shared')).toBe(true);
      });

      it('claim / settle: new, then inFlight for other copies, then seen once taken', async () => {
        const { dedupe } = await handle();
        expect(await dedupe.claim!('c1')).toBe('new');
        expect(await dedupe.claim!('c1')).toBe('inFlight');
        await dedupe.settle!('c1', true);
        expect(await dedupe.claim!('c1')).toBe('seen');
        expect(await dedupe.firstSeen('c1')).toBe(false);
      });

      it('claim / settle: not taken, the id is forgotten and the retry is new', async () => {
        const { dedupe } = await handle();
        expect(await dedupe.claim!('c2')).toBe('new');
        await dedupe.settle!('c2', false);
        expect(await dedupe.claim!('c2')).toBe('new');
      });

      it('settle(false) does not forget an id that firstSeen recorded', async () => {
        const { dedupe } = await handle();
        expect(await dedupe.firstSeen('c3')).toBe(true);
        await dedupe.settle!('c3', false);
        expect(await dedupe.claim!('c3')).toBe('seen');
      });

      it('exactly one of many concurrent claims of one id is new', async () => {
        const { dedupe } = await handle();
        const claims = await Promise.all(Array.from({ length: 50 }, () => dedupe.claim!('claim-race')));
        expect(claims.filter((claim) => claim === 'new')).toHaveLength(1);
        expect(claims.filter((claim) => claim === 'inFlight')).toHaveLength(49);
      });
    });

    describe('burst', () => {
      const TTL = 60_000;

      it('append numbers the messages; only the latest ticket takes the burst, in order', async () => {
        const { burst } = await handle();
        const first = await burst.append('chat', 'hi', 1_000, TTL);
        const second = await burst.append('chat', 'I need', 1_500, TTL);
        const third = await burst.append('chat', 'the price', 2_000, TTL);
        expect(second.seq).toBeGreaterThan(first.seq);
        expect(third.seq).toBeGreaterThan(second.seq);
        expect([first.count, second.count, third.count]).toEqual([1, 2, 3]);
        expect([first.firstAt, second.firstAt, third.firstAt]).toEqual([1_000, 1_000, 1_000]);
        expect(await burst.take('chat', first.seq)).toBeNull();
        expect(await burst.take('chat', second.seq)).toBeNull();
        expect(await burst.take('chat', third.seq)).toEqual(['hi', 'I need', 'the price']);
        expect(await burst.take('chat', third.seq)).toBeNull();
      });

      it("'any' takes whatever is held; an empty burst gives null", async () => {
        const { burst } = await handle();
        expect(await burst.take('empty', 'any')).toBeNull();
        await burst.append('chat', 'one', 1_000, TTL);
        expect(await burst.take('chat', 'any')).toEqual(['one']);
        expect(await burst.take('chat', 'any')).toBeNull();
      });

      it('a new burst starts after a take: its own firstAt and count', async () => {
        const { burst } = await handle();
        const old = await burst.append('chat', 'old', 1_000, TTL);
        expect(await burst.take('chat', old.seq)).toEqual(['old']);
        const fresh = await burst.append('chat', 'new', 9_000, TTL);
        expect(fresh).toMatchObject({ firstAt: 9_000, count: 1 });
      });

      it('a ticket of an earlier burst cannot take a later one', async () => {
        const { burst } = await handle();
        const a1 = await burst.append('chat', 'a', 1_000, TTL);
        const a2 = await burst.append('chat', 'b', 1_100, TTL);
        expect(await burst.take('chat', a2.seq)).toEqual(['a', 'b']);
        await burst.append('chat', 'c', 5_000, TTL);
        // The waiter of "a" wakes late, after the next burst began.
        expect(await burst.take('chat', a1.seq)).toBeNull();
      });

      it('chats are apart; keys lists the bursts held', async () => {
        const { burst } = await handle();
        await burst.append('chat:1', 'x', 1_000, TTL);
        await burst.append('chat:2', 'y', 1_000, TTL);
        expect((await burst.keys()).sort()).toEqual(['chat:1', 'chat:2']);
        expect(await burst.take('chat:1', 'any')).toEqual(['x']);
        expect(await burst.keys()).toEqual(['chat:2']);
      });

      it('of many concurrent takers with the latest ticket, exactly one gets the burst', async () => {
        const { burst } = await handle();
        let last = 0;
        for (let i = 0; i < 5; i++) last = (await burst.append('chat', `m${i}`, 1_000 + i, TTL)).seq;
        const takes = await Promise.all(Array.from({ length: 20 }, (_, i) => burst.take('chat', i % 2 ? last : 'any')));
        const winners = takes.filter((taken) => taken !== null);
        expect(winners).toEqual([['m0', 'm1', 'm2', 'm3', 'm4']]);
      });

      it('concurrent appends get distinct tickets and every message is kept', async () => {
        const { burst } = await handle();
        const tickets = await Promise.all(Array.from({ length: 30 }, (_, i) => burst.append('chat', `m${i}`, 1_000, TTL)));
        expect(new Set(tickets.map((ticket) => ticket.seq)).size).toBe(30);
        const latest = Math.max(...tickets.map((ticket) => ticket.seq));
        const taken = await burst.take('chat', latest);
        expect(taken?.slice().sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${i}`).sort());
      });

      it('a burst nobody takes is gone after its TTL', async () => {
        const { burst } = await handle();
        await burst.append('chat', 'lost?', 1_000, 300);
        await sleep(600);
        expect(await burst.take('chat', 'any')).toBeNull();
        expect(await burst.keys()).toEqual([]);
      });

      shared('a burst appended through one handle is taken through another, once', async () => {
        const one = await handle();
        const two = await handle();
        await one.burst.append('chat', 'from process 1', 1_000, TTL);
        const ticket = await two.burst.append('chat', 'from process 2', 1_200, TTL);
        expect(ticket.count).toBe(2);
        expect(await one.burst.take('chat', ticket.seq)).toEqual(['from process 1', 'from process 2']);
        expect(await two.burst.take('chat', 'any')).toBeNull();
      });
    });

    describe('conversation', () => {
      const now = new Date('2026-01-02T03:04:05.000Z');

      it('no state until one is set; then state, data and updatedAt', async () => {
        const { conversation } = await handle();
        expect(await conversation.get('chat')).toBeUndefined();
        const after = await conversation.update('chat', { state: 'ask-email', merge: { name: 'Ana' } }, 60, now);
        expect(after).toEqual({ state: 'ask-email', data: { name: 'Ana' }, updatedAt: now.toISOString() });
        expect(await conversation.get('chat')).toEqual(after);
      });

      it('merge is shallow over data, replace replaces it, state is kept when not given', async () => {
        const { conversation } = await handle();
        await conversation.update('chat', { state: 's1', merge: { a: 1, nested: { x: 1 } } }, 60, now);
        const merged = await conversation.update('chat', { merge: { b: 2, nested: { y: 2 } } }, 60, now);
        expect(merged).toMatchObject({ state: 's1', data: { a: 1, b: 2, nested: { y: 2 } } });
        const replaced = await conversation.update('chat', { replace: { only: true } }, 60, now);
        expect(replaced).toMatchObject({ state: 's1', data: { only: true } });
        const cleared = await conversation.update('chat', { state: null }, 60, now);
        expect(cleared).toMatchObject({ state: null, data: { only: true } });
      });

      it('JSON values survive as they were: empty arrays and objects, large numbers, unicode', async () => {
        const { conversation } = await handle();
        const data = { list: [], object: {}, big: 2 ** 53 - 1, small: 0.1, text: 'olá 👋', deep: [{ a: [1, null, 'x'] }] };
        await conversation.update('chat', { merge: data }, 60, now);
        expect((await conversation.get('chat'))?.data).toEqual(data);
      });

      it('clear wins over the rest and removes the state', async () => {
        const { conversation } = await handle();
        await conversation.update('chat', { state: 's1' }, 60, now);
        expect(await conversation.update('chat', { clear: true, state: 's2', merge: { a: 1 } }, 60, now)).toBeUndefined();
        expect(await conversation.get('chat')).toBeUndefined();
      });

      it('a state expires after its TTL; each update restarts it', async () => {
        const { conversation } = await handle();
        await conversation.update('chat', { state: 's1' }, 1, now);
        await sleep(700);
        await conversation.update('chat', { merge: { again: true } }, 1, now);
        await sleep(700);
        expect(await conversation.get('chat')).toMatchObject({ state: 's1' });
        await sleep(700);
        expect(await conversation.get('chat')).toBeUndefined();
      });

      it('concurrent merges of different fields all land', async () => {
        const { conversation } = await handle();
        await Promise.all(Array.from({ length: 25 }, (_, i) => conversation.update('chat', { merge: { [`f${i}`]: i } }, 60, now)));
        const data = (await conversation.get('chat'))!.data;
        expect(Object.keys(data)).toHaveLength(25);
      });

      shared('state set through one handle is read through another', async () => {
        const one = await handle();
        const two = await handle();
        await one.conversation.update('chat', { state: 'in-worker', merge: { n: 1 } }, 60, now);
        expect(await two.conversation.get('chat')).toMatchObject({ state: 'in-worker', data: { n: 1 } });
      });
    });

    describe('LID cache', () => {
      it('answers what was set, until its TTL', async () => {
        const { lid } = await handle();
        expect(await lid.get('default\n123@lid')).toBeUndefined();
        await lid.set('default\n123@lid', '4915550001', 400);
        expect(await lid.get('default\n123@lid')).toBe('4915550001');
        await sleep(700);
        expect(await lid.get('default\n123@lid')).toBeUndefined();
      });

      it('set replaces the value', async () => {
        const { lid } = await handle();
        await lid.set('k', 'one', 60_000);
        await lid.set('k', 'two', 60_000);
        expect(await lid.get('k')).toBe('two');
      });
    });
  });
}
