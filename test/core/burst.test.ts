/**
 * The burst buffer over the memory store, on fake timers: windows, bounds and order, media in the
 * middle, chats interleaved, a duplicate inside a burst (dedupe comes first), flush and release.
 */
import { createBurstBuffer, combineBurst, checkBurstOptions, type BurstBuffer } from '../../core/burst';
import { createReceiver } from '../../core/receive';
import type { NormalizedEvent } from '../../core/event/schema';
import { MemoryBurstStore } from '../../core/store/memory';
import type { BurstStore } from '../../core/store/types';
import { ackEvent, messageEvent } from '../helpers/events';
import { wahaTextMessage } from '../helpers/waha';

const ANN = '6281234567890@c.us';
const BOB = '6289999999999@c.us';

function says(text: string, chat = ANN, extra: Parameters<typeof messageEvent>[0] = {}): NormalizedEvent {
  return messageEvent({ id: `${chat}-${text}`, text, chat: { id: chat, type: 'direct', lid: null }, ...extra }, { id: `waha:default:${chat}:${text}` });
}

/** Every combined event the buffer gives out, in order, from the deliveries that closed them. */
function collect(buffer: BurstBuffer) {
  const out: NormalizedEvent[] = [];
  const pending: Array<Promise<unknown>> = [];
  return {
    out,
    offer(event: NormalizedEvent) {
      pending.push(buffer.hold(event).then((combined) => combined && out.push(combined)));
    },
    settled: () => Promise.all(pending),
  };
}

beforeEach(() => jest.useFakeTimers({ now: Date.parse('2026-03-01T10:00:00Z') }));
afterEach(() => jest.useRealTimers());

function buffer(options: Parameters<typeof createBurstBuffer>[0] = {}, store: BurstStore = new MemoryBurstStore()) {
  return createBurstBuffer({ quietMs: 5_000, maxWaitMs: 30_000, maxCount: 20, ...options }, { store });
}

describe('burst buffer windows', () => {
  it('three quick messages become one event: joined text, every message in order, the last as reply target', async () => {
    const run = collect(buffer());
    run.offer(says('hi'));
    await jest.advanceTimersByTimeAsync(2_000);
    run.offer(says('I need'));
    await jest.advanceTimersByTimeAsync(4_000); // 6 s after the first: the first window would have closed
    run.offer(says('the price of the blue one'));
    await jest.advanceTimersByTimeAsync(4_999);
    expect(run.out).toHaveLength(0);
    await jest.advanceTimersByTimeAsync(1);
    await run.settled();
    expect(run.out).toHaveLength(1);
    const [event] = run.out;
    expect(event.message!.text).toBe('hi\nI need\nthe price of the blue one');
    expect(event.messages!.map((m) => m.text)).toEqual(['hi', 'I need', 'the price of the blue one']);
    expect(event.message!.id).toBe(`${ANN}-the price of the blue one`);
    expect(event.id).toBe(`waha:default:${ANN}:the price of the blue one`);
  });

  it('a message after the quiet window starts a new burst', async () => {
    const run = collect(buffer());
    run.offer(says('one'));
    await jest.advanceTimersByTimeAsync(5_000);
    run.offer(says('two'));
    await jest.advanceTimersByTimeAsync(5_000);
    await run.settled();
    expect(run.out.map((e) => e.message!.text)).toEqual(['one', 'two']);
  });

  it('the maximum wait closes a burst that keeps going, counted from its first message', async () => {
    const run = collect(buffer({ quietMs: 5_000, maxWaitMs: 12_000 }));
    for (let i = 0; i < 5; i++) {
      run.offer(says(`m${i}`));
      await jest.advanceTimersByTimeAsync(3_000);
    }
    // m0..m3 at 0, 3, 6, 9 s; the burst closes at 12 s, when m4 is offered (its own burst)
    await jest.advanceTimersByTimeAsync(10_000);
    await run.settled();
    expect(run.out.map((e) => e.message!.text)).toEqual(['m0\nm1\nm2\nm3', 'm4']);
  });

  it('the maximum count closes a burst at once, with the message that reached it', async () => {
    const run = collect(buffer({ maxCount: 3 }));
    run.offer(says('a'));
    run.offer(says('b'));
    run.offer(says('c'));
    await jest.advanceTimersByTimeAsync(0);
    expect(run.out.map((e) => e.message!.text)).toEqual(['a\nb\nc']);
    run.offer(says('d'));
    await jest.advanceTimersByTimeAsync(5_000);
    await run.settled();
    expect(run.out.map((e) => e.message!.text)).toEqual(['a\nb\nc', 'd']);
  });

  it('keeps a media message in the middle in messages[]; its caption joins the text', async () => {
    const media = { mimeType: 'image/jpeg', size: 10, fileName: null, url: 'http://gw/f.jpg', path: null, viewOnce: false };
    const run = collect(buffer());
    run.offer(says('look'));
    run.offer(says('', ANN, { type: 'image', media, id: 'img' }));
    run.offer(says('this one', ANN, { type: 'image', media, id: 'img2' }));
    run.offer(says('how much?'));
    await jest.advanceTimersByTimeAsync(5_000);
    await run.settled();
    const [event] = run.out;
    expect(event.message!.text).toBe('look\nthis one\nhow much?');
    expect(event.messages!.map((m) => m.type)).toEqual(['text', 'image', 'image', 'text']);
    expect(event.messages![1].media).toEqual(media);
    expect(event.message!.media).toBeUndefined();
  });

  it('two chats interleaved make two bursts, each in its own order', async () => {
    const run = collect(buffer());
    run.offer(says('ann 1', ANN));
    run.offer(says('bob 1', BOB));
    await jest.advanceTimersByTimeAsync(1_000);
    run.offer(says('ann 2', ANN));
    run.offer(says('bob 2', BOB));
    run.offer(says('bob 3', BOB));
    await jest.advanceTimersByTimeAsync(5_000);
    await run.settled();
    const byChat = Object.fromEntries(run.out.map((e) => [e.message!.chat.id, e.message!.text]));
    expect(byChat).toEqual({ [ANN]: 'ann 1\nann 2', [BOB]: 'bob 1\nbob 2\nbob 3' });
    expect(run.out).toHaveLength(2);
  });

  it('does not buffer acks or own messages: they come back at once', async () => {
    const b = buffer();
    await expect(b.hold(ackEvent)).resolves.toBe(ackEvent);
    const own = says('sent by me', ANN, { fromMe: true, direction: 'outbound' });
    await expect(b.hold(own)).resolves.toBe(own);
    expect(b.waiting).toBe(0);
  });
});

describe('burst buffer with the receiver', () => {
  const wahaBody = (id: string, text: string) => Buffer.from(JSON.stringify(wahaTextMessage(id, text)));

  it('a duplicate delivery inside a burst is dropped before buffering', async () => {
    const receiver = createReceiver({ provider: 'waha' });
    const run = collect(buffer());
    for (const [id, text] of [
      ['A1', 'hi'],
      ['A2', 'I need'],
      ['A2', 'I need'], // the gateway's retry of the same message
      ['A3', 'a blue one'],
    ]) {
      const result = await receiver.receive({ method: 'POST', headers: { 'content-type': 'application/json' }, rawBody: wahaBody(id, text) });
      expect(result.status).toBe(200);
      result.events.forEach((event) => run.offer(event));
    }
    await jest.advanceTimersByTimeAsync(5_000);
    await run.settled();
    expect(run.out).toHaveLength(1);
    expect(run.out[0].message!.text).toBe('hi\nI need\na blue one');
  });
});

describe('burst buffer on close', () => {
  it('flush closes every burst at once, each by one delivery', async () => {
    const b = buffer();
    const run = collect(b);
    run.offer(says('ann', ANN));
    run.offer(says('bob', BOB));
    run.offer(says('bob again', BOB));
    await jest.advanceTimersByTimeAsync(1_000);
    const left = await b.flush();
    await run.settled();
    expect(left).toEqual([]);
    expect(run.out.map((e) => e.message!.text).sort()).toEqual(['ann', 'bob\nbob again']);
    expect(b.waiting).toBe(0);
  });

  it('flush returns bursts no delivery of this buffer holds (a previous instance left them)', async () => {
    const store = new MemoryBurstStore();
    const before = buffer({}, store);
    void before.hold(says('held'));
    await jest.advanceTimersByTimeAsync(0);
    await expect(before.release()).resolves.toEqual({ chats: 1, messages: 1 });
    const after = buffer({}, store);
    const left = await after.flush();
    expect(left.map((e) => e.message!.text)).toEqual(['held']);
  });

  it('release keeps the bursts in the store; the next instance resumes and closes them', async () => {
    const store = new MemoryBurstStore();
    const before = buffer({}, store);
    const first = before.hold(says('one'));
    const second = before.hold(says('two'));
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(before.release()).resolves.toEqual({ chats: 1, messages: 2 });
    await expect(first).resolves.toBeNull();
    await expect(second).resolves.toBeNull();
    const after = buffer({}, store);
    const emitted: string[] = [];
    await expect(after.resume((event) => emitted.push(event.message!.text))).resolves.toBe(1);
    await jest.advanceTimersByTimeAsync(4_999);
    expect(emitted).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(emitted).toEqual(['one\ntwo']);
    await expect(store.keys()).resolves.toEqual([]);
  });

  it('a burst resumed and released again is counted by chat, its size unknown', async () => {
    const store = new MemoryBurstStore();
    void buffer({}, store).hold(says('one'));
    await jest.advanceTimersByTimeAsync(0);
    const second = buffer({}, store);
    await expect(second.resume(() => undefined)).resolves.toBe(1);
    await expect(second.release()).resolves.toEqual({ chats: 1, messages: null });
    await expect(store.keys()).resolves.toHaveLength(1);
  });

  it('a failing store lets the message go out on its own', async () => {
    const broken: BurstStore = {
      append: () => Promise.reject(new Error('store down')),
      take: () => Promise.resolve(null),
      keys: () => Promise.resolve([]),
    };
    const warnings: string[] = [];
    const b = createBurstBuffer({}, { store: broken, warn: (m) => warnings.push(m) });
    const out = await b.hold(says('hello'));
    expect(out?.message!.text).toBe('hello');
    expect(out?.messages).toHaveLength(1);
    expect(warnings[0]).toMatch(/not buffered \(store down\)/);
  });
});

describe('burst options and combining', () => {
  it('refuses bad bounds with a clear message', () => {
    expect(() => checkBurstOptions({ quietMs: 0 })).toThrow('Quiet window must be a positive number of seconds, got 0');
    expect(() => checkBurstOptions({ maxCount: 0 })).toThrow('Maximum messages per burst must be a whole number ≥ 1, got 0');
    expect(() => checkBurstOptions({ quietMs: 10_000, maxWaitMs: 5_000 })).toThrow('must not be shorter than the quiet window');
    expect(checkBurstOptions({ quietMs: undefined })).toEqual({ quietMs: 5_000, maxWaitMs: 30_000, maxCount: 20 });
  });

  it('a burst of one is the event itself with messages[] of one', () => {
    const event = says('alone');
    const combined = combineBurst([event]);
    expect(combined).toEqual({ ...event, messages: [event.message] });
  });
});
