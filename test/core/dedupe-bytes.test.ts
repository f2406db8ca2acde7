/**
 * Issue 11, defect 5: an accepted message with a 4 MiB id retained 4 MiB in the dedupe store. Ids
 * are now bounded where the event id is formed, store keys are bounded again, and the store is
 * bounded by bytes as well as by count.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { boundedKey } from '../../core/dedupe/key';
import { DEDUPE_MAX_KEY_LENGTH, dedupeEntryBytes, MemoryDedupeStore } from '../../core/dedupe/store';
import type { ProviderName } from '../../core/event/schema';
import { MAX_EVENT_ID_LENGTH } from '../../core/providers/shared/build';
import { createReceiver } from '../../core/receive';
import { messageBody, PROVIDERS, signedRequest, verifyingOptions } from './signed';

const MiB = 1024 * 1024;
const LARGEST_ENTRY = dedupeEntryBytes('x'.repeat(DEDUPE_MAX_KEY_LENGTH));

/** The provider's `message` body with its message id replaced (where each gateway puts it). */
function messageWithId(provider: ProviderName, id: string): Record<string, unknown> {
  const body = structuredClone(messageBody(provider)) as Record<string, any>;
  if (provider === 'openwa') body.payload.message.id = id;
  else if (provider === 'waserver') body.payload.message_id = id;
  else if (provider === 'evolution') body.data.key.id = id;
  else if (provider === 'cloudapi') body.entry[0].changes[0].value.messages[0].id = id;
  else body.payload.id = id;
  return body;
}

const huge = (n: number, size = MiB) => `${'x'.repeat(size)}-${n}`;

describe('boundedKey', () => {
  it('keeps a short value as is', () => {
    expect(boundedKey('waha:default:msg:ABC', 256)).toBe('waha:default:msg:ABC');
  });
  it('bounds a long one, the same way each time, keeping distinct values distinct', () => {
    const a = boundedKey(huge(1), 256);
    expect(a.length).toBeLessThanOrEqual(256);
    expect(a.startsWith('xxxx')).toBe(true);
    expect(boundedKey(huge(1), 256)).toBe(a);
    expect(boundedKey(huge(2), 256)).not.toBe(a); // differs only in the last character
  });
  it('does not cut a surrogate pair in two', () => {
    const key = boundedKey('😀'.repeat(300), 128);
    expect(key.length).toBeLessThanOrEqual(128);
    expect(/\p{Cs}/u.test(key)).toBe(false); // no lone surrogate
  });
});

describe('MemoryDedupeStore byte bound', () => {
  it('stores a fixed-size key for a huge id, and still spots its repeat', () => {
    const store = new MemoryDedupeStore();
    for (let n = 0; n < 50; n++) expect(store.firstSeen(huge(n))).toBe(true);
    expect(store.firstSeen(huge(7))).toBe(false);
    expect(store.size).toBe(50);
    expect(store.bytes).toBeLessThanOrEqual(50 * LARGEST_ENTRY);
  });

  it('forgets the oldest ids once the byte limit is reached, whatever the count limit', () => {
    const store = new MemoryDedupeStore({ maxEntries: 100_000, maxBytes: 10_000 });
    for (let n = 0; n < 1000; n++) store.firstSeen(`id-${n}-${'y'.repeat(100)}`);
    expect(store.bytes).toBeLessThanOrEqual(10_000);
    expect(store.size).toBeLessThan(1000);
    expect(store.size).toBeGreaterThan(0);
    expect(store.firstSeen(`id-999-${'y'.repeat(100)}`)).toBe(false);
    expect(store.firstSeen(`id-0-${'y'.repeat(100)}`)).toBe(true);
  });

  it('refuses a byte limit below one entry', () => {
    expect(() => new MemoryDedupeStore({ maxBytes: 10 })).toThrow(`Dedupe store byte limit must be at least ${LARGEST_ENTRY} (one entry)`);
  });
});

describe.each(PROVIDERS)('%s: events with huge ids', (provider) => {
  it('have bounded event ids, stay distinct, and retain bounded bytes in the store', async () => {
    const store = new MemoryDedupeStore();
    const receiver = createReceiver(verifyingOptions(provider, { dedupe: store }));
    for (let n = 0; n < 20; n++) {
      const result = await receiver.receive(signedRequest(provider, messageWithId(provider, huge(n))));
      expect(result.status).toBe(200);
      expect(result.stats.emitted).toBe(1);
      expect(result.events[0].id.length).toBeLessThanOrEqual(MAX_EVENT_ID_LENGTH);
    }
    expect(store.size).toBe(20);
    expect(store.bytes).toBeLessThanOrEqual(20 * LARGEST_ENTRY);
    const again = await receiver.receive(signedRequest(provider, messageWithId(provider, huge(3))));
    expect(again.stats).toMatchObject({ emitted: 0, duplicates: 1 });
  });
});

describe('retained heap', () => {
  // The store's accounting counts key lengths; this checks that no key secretly keeps its source
  // string alive (V8 substrings are views of the whole original).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  async function growth(run: () => Promise<void> | void): Promise<number> {
    gc();
    const before = process.memoryUsage().heapUsed;
    await run();
    gc();
    return process.memoryUsage().heapUsed - before;
  }
  // 40 retained 1 MiB ids would be ≥ 40 MiB; bounded keys are a few KB. The margin absorbs GC noise.
  const LIMIT = 12 * MiB;

  it('stays flat when a store is offered 40 distinct 1 MiB keys', async () => {
    const store = new MemoryDedupeStore();
    expect(
      await growth(() => {
        for (let n = 0; n < 40; n++) store.firstSeen(JSON.parse(JSON.stringify(huge(n))));
      }),
    ).toBeLessThan(LIMIT);
    expect(store.size).toBe(40);
  });

  it('stays flat under 40 accepted 1 MiB-id messages', async () => {
    const receiver = createReceiver(verifyingOptions('waha'));
    const send = async (n: number) => (await receiver.receive(signedRequest('waha', messageWithId('waha', huge(n))))).stats.emitted;
    expect(await send(-1)).toBe(1);
    expect(
      await growth(async () => {
        for (let n = 0; n < 40; n++) expect(await send(n)).toBe(1);
      }),
    ).toBeLessThan(LIMIT);
  });
});
