/**
 * LIDs resolved through the gateway's API (core/lid/resolve.ts), against the sandbox's WAHA: the
 * phone filled on LID senders and direct LID chats, one lookup per distinct LID, a bounded cache,
 * and every failure (unknown LID, 404, 401, timeout, no API, a gateway without the operation) left
 * as `phone: null` with a reason in `issues`, never thrown, never carrying the API key.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NormalizedEvent } from '../../core/event/schema';
import { createLidResolver } from '../../core/lid/resolve';
import { wahaProvider } from '../../core/providers/waha';
import { wawpProvider } from '../../core/providers/wawp';
import { compileRouter } from '../../core/router';
import { MemoryCacheStore } from '../../core/store/memory';
import type { CacheStore } from '../../core/store/types';
import { SandboxGateway } from '../../sandbox/gateway';
import { KNOWN_LID, KNOWN_PHONE, wahaMessageFromLid } from '../helpers/lid';

const sandbox = new SandboxGateway();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const fromLid = (lid: string, session = 'default'): NormalizedEvent => {
  const body = { ...wahaMessageFromLid(lid), session };
  return wahaProvider.normalize(body, { receivedAtMs: Date.now(), bodyDigest: '-' })[0];
};
const lookups = () => sandbox.requests.filter((request) => request.path.includes('/lids/'));
const lids = () => sandbox.stateOf('waha').lids as Record<string, string>;

describe('a LID sender whose phone the webhook did not carry', () => {
  it('gets sender.phone and the direct chat phone from the gateway, with one lookup for both', async () => {
    const event = fromLid(KNOWN_LID);
    expect(event.message!.sender).toMatchObject({ id: KNOWN_LID, lid: KNOWN_LID, phone: null });
    await createLidResolver(wahaProvider, sandbox.configFor('waha'))([event]);
    expect(event.message!.sender.phone).toBe(KNOWN_PHONE);
    expect(event.message!.chat).toMatchObject({ id: KNOWN_LID, type: 'direct', phone: KNOWN_PHONE });
    expect(event.issues).toBeUndefined();
    expect(lookups()).toEqual([{ method: 'GET', path: `/waha/api/default/lids/${encodeURIComponent(KNOWN_LID)}` }]);
  });

  it("then the router's Sender Is One Of matches it by phone number", async () => {
    const router = compileRouter([{ kind: 'sender', value: '+62 857-1234-5678' }]);
    const event = fromLid(KNOWN_LID);
    expect(router.route(event).outputs).toEqual([]); // no phone yet: no match
    await createLidResolver(wahaProvider, sandbox.configFor('waha'))([event]);
    expect(router.route(event).outputs).toEqual([0]);
  });

  it('several events with the same LID in one call: one lookup; a second call is answered from the cache', async () => {
    const resolve = createLidResolver(wahaProvider, sandbox.configFor('waha'));
    const events = [fromLid(KNOWN_LID), fromLid(KNOWN_LID), fromLid(KNOWN_LID)];
    await resolve(events);
    const later = fromLid(KNOWN_LID);
    await resolve([later]);
    expect([...events, later].map((event) => event.message!.sender.phone)).toEqual(Array(4).fill(KNOWN_PHONE));
    expect(lookups()).toHaveLength(1);
  });

  it('resolvers given one cache store (two processes on a shared store) ask the gateway once per LID', async () => {
    const cache = new MemoryCacheStore();
    await createLidResolver(wahaProvider, sandbox.configFor('waha'), { cache })([fromLid(KNOWN_LID)]);
    const other = fromLid(KNOWN_LID);
    await createLidResolver(wahaProvider, sandbox.configFor('waha'), { cache })([other]);
    expect(other.message!.sender.phone).toBe(KNOWN_PHONE);
    expect(lookups()).toHaveLength(1);
  });

  it('a cache store that fails (Redis down) is skipped: the gateway answers, nothing is lost', async () => {
    const failing: CacheStore = { get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')) };
    const resolve = createLidResolver(wahaProvider, sandbox.configFor('waha'), { cache: failing });
    const events = [fromLid(KNOWN_LID)];
    await resolve(events);
    const later = fromLid(KNOWN_LID);
    await resolve([later]);
    expect([events[0], later].map((event) => event.message!.sender.phone)).toEqual([KNOWN_PHONE, KNOWN_PHONE]);
    expect(later.issues).toBeUndefined();
    expect(lookups()).toHaveLength(2);
  });

  it('the cache is bounded by count: beyond maxEntries the least recently used LID is asked again', async () => {
    const resolve = createLidResolver(wahaProvider, sandbox.configFor('waha'), { maxEntries: 2 });
    for (const n of [1, 2, 3]) lids()[`10${n}@lid`] = `6281100000${n}@c.us`;
    for (const n of [1, 2, 3, 1]) await resolve([fromLid(`10${n}@lid`)]);
    expect(lookups().map((request) => decodeURIComponent(request.path.split('/').pop()!))).toEqual(['101@lid', '102@lid', '103@lid', '101@lid']);
  });

  it('events without a LID, or whose phone is known, cost no lookup', async () => {
    const known = fromLid('6289876543210@c.us');
    const paired = fromLid(KNOWN_LID);
    paired.message!.sender.phone = '6280000000000';
    paired.message!.chat.phone = '6280000000000';
    await createLidResolver(wahaProvider, sandbox.configFor('waha'))([known, paired]);
    expect(lookups()).toEqual([]);
    expect(paired.message!.sender.phone).toBe('6280000000000');
  });

  it('lookups run at most `concurrency` at once, and all of them answer', async () => {
    let open = 0;
    let most = 0;
    const server = await listen((_req, res) => {
      most = Math.max(most, ++open);
      setTimeout(() => {
        open--;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ lid: 'x', pn: '6281234500000@c.us' }));
      }, 20);
    });
    try {
      const events = Array.from({ length: 10 }, (_, n) => fromLid(`20${n}@lid`));
      await createLidResolver(wahaProvider, { baseUrl: urlOf(server) }, { concurrency: 3 })(events);
      expect(events.map((event) => event.message!.sender.phone)).toEqual(Array(10).fill('6281234500000'));
      expect(most).toBeLessThanOrEqual(3);
      expect(most).toBeGreaterThan(1);
    } finally {
      await close(server);
    }
  });
});

describe('a lookup that fails leaves phone null and says why in issues, without throwing', () => {
  const issuesOf = (event: NormalizedEvent) => event.issues?.map((issue) => [issue.path, issue.message]);

  it('a LID the gateway does not know (WAHA answers 200 with pn: null): an issue per field, and the answer is cached', async () => {
    const resolve = createLidResolver(wahaProvider, sandbox.configFor('waha'));
    const event = fromLid('999@lid');
    await resolve([event]);
    expect(event.message!.sender.phone).toBeNull();
    expect(issuesOf(event)).toEqual([
      ['message.sender.phone', 'LID lookup failed: WAHA does not know the phone number of 999@lid'],
      ['message.chat.phone', 'LID lookup failed: WAHA does not know the phone number of 999@lid'],
    ]);
    await resolve([fromLid('999@lid')]);
    expect(lookups()).toHaveLength(1);
  });

  it('404 (no such session): the gateway says so; not cached, so the next event asks again', async () => {
    const resolve = createLidResolver(wahaProvider, sandbox.configFor('waha'));
    const event = fromLid(KNOWN_LID, 'sales');
    await resolve([event]);
    expect(event.message!.sender.phone).toBeNull();
    expect(event.issues![0]).toEqual({
      path: 'message.sender.phone',
      message: expect.stringMatching(
        /^LID lookup failed: WAHA answered GET http:\/\/127\.0\.0\.1:\d+\/waha\/api\/sales\/lids\/.* with 404: We didn't find a session with name 'sales'/,
      ),
    });
    await resolve([fromLid(KNOWN_LID, 'sales')]);
    expect(lookups()).toHaveLength(2);
  });

  it('401 (a wrong API key): said, and the key is nowhere in the event', async () => {
    const key = 'wrong-key-7c1e0b';
    const event = fromLid(KNOWN_LID);
    await createLidResolver(wahaProvider, { ...sandbox.configFor('waha'), apiKey: key })([event]);
    expect(event.message!.sender.phone).toBeNull();
    expect(event.issues![0].message).toMatch(/^LID lookup failed: WAHA answered GET .* with 401: Unauthorized$/);
    expect(JSON.stringify(event)).not.toContain(key);
    expect(JSON.stringify(event)).not.toContain(sandbox.credentialsOf('waha').apiKey!);
  });

  it('a gateway that does not answer: one attempt, given up after the timeout', async () => {
    const hits: string[] = [];
    const server = await listen((req) => hits.push(req.url ?? '')); // never answers
    try {
      const event = fromLid(KNOWN_LID);
      await createLidResolver(wahaProvider, { baseUrl: urlOf(server) }, { timeoutMs: 150 })([event]);
      expect(event.message!.sender.phone).toBeNull();
      expect(event.issues![0].message).toMatch(/^LID lookup failed: WAHA could not be reached at GET .*: timed out after 150 ms$/);
      expect(hits).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  it('no API URL: the setting that is missing, and no request', async () => {
    const event = fromLid(KNOWN_LID);
    await createLidResolver(wahaProvider, { apiKey: 'k' })([event]);
    expect(event.issues![0].message).toBe('LID lookup failed: To resolve LIDs to phone numbers, set the WAHA API URL');
  });

  it('a gateway that does not declare the operation is refused by the guard, before any request', async () => {
    const event = fromLid(KNOWN_LID);
    await createLidResolver(wawpProvider, sandbox.configFor('wawp'))([event]);
    expect(event.issues![0].message).toBe('LID lookup failed: Wawp does not support looking up the phone number behind a LID');
    expect(sandbox.requests).toEqual([]);
  });
});

function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));
