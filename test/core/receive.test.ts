import { createHmac } from 'node:crypto';
import { createReceiver, type ReceiveOptions } from '../../core/receive';
import { normalizedEventSchema } from '../../core/event/schema';
import { providers } from '../../core/providers';
import type { WebhookRequest } from '../../core/http/request';
import type { EventFilter } from '../../core/filter';

const SECRET = 'top-secret-hmac-key';

function wahaMessage(event: string, overrides: Record<string, unknown> = {}) {
  return {
    event,
    session: 'default',
    payload: {
      id: 'false_11111111111@c.us_AAAA',
      timestamp: 1667561485,
      from: '11111111111@c.us',
      fromMe: false,
      to: '22222222222@c.us',
      body: 'Hi there! 😀 \u00e9',
      hasMedia: false,
      ...overrides,
    },
  };
}

function post(body: unknown, extra: Partial<WebhookRequest> = {}): WebhookRequest {
  const rawBody = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  return { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, rawBody, ...extra };
}

function signedWaha(body: unknown): WebhookRequest {
  const rawBody = Buffer.from(JSON.stringify(body));
  const hmac = createHmac('sha512', SECRET).update(rawBody).digest('hex');
  return post(rawBody, { headers: { 'X-Webhook-Hmac': hmac, 'X-Webhook-Hmac-Algorithm': 'sha512' } });
}

const receiver = (options: Partial<ReceiveOptions> = {}) => createReceiver({ provider: 'waha', ...options });

describe('receive: rejections', () => {
  it('405 for anything but POST, with Allow', async () => {
    const result = await receiver().receive({ ...post(wahaMessage('message')), method: 'GET' });
    expect(result.status).toBe(405);
    expect(result.headers.allow).toBe('POST');
    expect(result.events).toEqual([]);
  });

  it('413 over the size limit, before anything else', async () => {
    const result = await receiver({ maxBodyBytes: 100, secret: SECRET }).receive(post(wahaMessage('message')));
    expect(result.status).toBe(413);
    expect(result.error).toMatch(/^Body is \d+ bytes; the limit is 100$/);
  });

  it('401 when a secret is configured and the signature is missing or wrong', async () => {
    const r = receiver({ secret: SECRET });
    const missing = await r.receive(post(wahaMessage('message')));
    expect(missing.status).toBe(401);
    expect(missing.body).toEqual({ ok: false, status: 401, error: missing.error });
    const tampered = signedWaha(wahaMessage('message'));
    tampered.rawBody = Buffer.from((tampered.rawBody as Buffer).toString().replace('Hi there', 'Hi thure'));
    const bad = await r.receive(tampered);
    expect(bad.status).toBe(401);
    for (const result of [missing, bad]) expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('200 for a genuine signature, verified on the raw bytes', async () => {
    const result = await receiver({ secret: SECRET }).receive(signedWaha(wahaMessage('message')));
    expect(result.status).toBe(200);
    expect(result.events).toHaveLength(1);
    expect(result.events[0].message?.text).toBe('Hi there! 😀 é');
  });

  it('403 for a caller outside the IP allowlist', async () => {
    const r = createReceiver({ provider: 'wawp', allowedIps: ['203.0.113.0/24'] });
    const body = { ...wahaMessage('message'), id: 'evt_1', timestamp: 1700000000000 };
    expect((await r.receive(post(body, { clientIp: '198.51.100.1' }))).status).toBe(403);
    expect((await r.receive(post(body))).status).toBe(403);
    expect((await r.receive(post(body, { clientIp: '::ffff:203.0.113.5' }))).status).toBe(200);
  });

  it.each([
    ['not JSON', '{"event": "message", ', /^Body is not valid JSON/],
    ['empty', '', /^Body is empty/],
    ['an array', '[1,2]', /^Body is JSON array; expected an object$/],
    ['a string', '"message"', /^Body is JSON string; expected an object$/],
    ['null', 'null', /^Body is JSON null; expected an object$/],
    ['no event name', '{"session":"default","payload":{}}', /^Body has no event name/],
    ['nested too deep', `{"event":"message","payload":${'['.repeat(200)}${']'.repeat(200)}}`, /^Body nests 201 levels deep; the limit is 64$/],
  ])('400 when the body is %s', async (_label, body, message) => {
    const result = await receiver().receive(post(body));
    expect(result.status).toBe(400);
    expect(result.error).toMatch(message);
    expect(result.events).toEqual([]);
  });
});

describe('receive: events', () => {
  it('emits one validated event per message and answers with counts', async () => {
    const result = await receiver().receive(post(wahaMessage('message')));
    expect(result.status).toBe(200);
    expect(result.body).toEqual({ ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 });
    expect(() => normalizedEventSchema.parse(result.events[0])).not.toThrow();
    expect(result.events[0]).toMatchObject({ provider: 'waha', event: 'message', providerEvent: 'message', session: 'default' });
  });

  it('drops a redelivery and the same message arriving as message.any', async () => {
    const r = receiver();
    const first = await r.receive(post(wahaMessage('message')));
    const again = await r.receive(post(wahaMessage('message')));
    const any = await r.receive(post(wahaMessage('message.any')));
    expect(first.events).toHaveLength(1);
    expect(again.events).toEqual([]);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ duplicates: 1, emitted: 0 });
    expect(any.events).toEqual([]);
  });

  it('keeps duplicates when dedupe is off', async () => {
    const r = receiver({ dedupe: false });
    await r.receive(post(wahaMessage('message')));
    expect((await r.receive(post(wahaMessage('message')))).events).toHaveLength(1);
  });

  it('uses a pluggable async store, and lets events through when it fails', async () => {
    const keys: string[] = [];
    const store = {
      firstSeen: async (key: string) => {
        keys.push(key);
        return !keys.slice(0, -1).includes(key);
      },
    };
    const r = receiver({ dedupe: store });
    await r.receive(post(wahaMessage('message')));
    expect((await r.receive(post(wahaMessage('message')))).events).toEqual([]);
    expect(keys).toEqual(['waha:default:msg:false_11111111111@c.us_AAAA', 'waha:default:msg:false_11111111111@c.us_AAAA']);
    const broken = receiver({ dedupe: { firstSeen: () => Promise.reject(new Error('redis down')) } });
    expect((await broken.receive(post(wahaMessage('message')))).events).toHaveLength(1);
  });

  it('filters before dedupe, so a filtered event does not block a later wanted one', async () => {
    const r = receiver({ filter: { ignoreOwnMessages: true } });
    const own = await r.receive(post(wahaMessage('message', { fromMe: true, id: 'true_x@c.us_B' })));
    expect(own.events).toEqual([]);
    expect(own.body).toMatchObject({ filtered: 1, duplicates: 0 });
  });

  it.each<[EventFilter, object, string]>([
    [{ events: ['message.ack'] }, wahaMessage('message'), 'event'],
    [{ ignoreGroups: true }, wahaMessage('message', { from: '120363@g.us', participant: '1@c.us' }), 'group'],
    [{ ignoreChannels: true }, wahaMessage('message', { from: '120363@newsletter' }), 'channel'],
    [{ ignoreStatus: true }, wahaMessage('message', { from: 'status@broadcast', participant: '1@c.us' }), 'status'],
  ])('filter %j drops the event (%#, %s)', async (filter, body) => {
    const result = await receiver({ filter }).receive(post(body));
    expect(result.events).toEqual([]);
    expect(result.body).toMatchObject({ received: 1, filtered: 1 });
  });

  it('passes an event the schemas do not know as unknown with its raw body', async () => {
    const body = { event: 'brand.new.event', session: 'default', payload: { anything: [1, 2] } };
    const result = await receiver().receive(post(body));
    expect(result.status).toBe(200);
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({ event: 'unknown', providerEvent: 'brand.new.event', raw: body });
    expect(result.events[0].issues).toBeUndefined();
  });

  it('passes a known event whose payload fails its schema as unknown with the issues', async () => {
    const body = { event: 'message', session: 'default', payload: { body: 'no id, no chat' } };
    const result = await receiver().receive(post(body));
    expect(result.status).toBe(200);
    expect(result.events[0]).toMatchObject({ event: 'unknown', providerEvent: 'message', raw: body });
    expect(result.events[0].issues?.length).toBeGreaterThan(0);
  });

  it('passes the event on as unknown when a normalizer throws', async () => {
    const spy = jest.spyOn(providers.waha, 'normalize').mockImplementation(() => {
      throw new Error('boom');
    });
    try {
      const result = await receiver().receive(post(wahaMessage('message')));
      expect(result.status).toBe(200);
      expect(result.events[0]).toMatchObject({ event: 'unknown', providerEvent: 'message', issues: [{ path: '(normalizer)', message: 'boom' }] });
    } finally {
      spy.mockRestore();
    }
  });
});

describe('createReceiver: configuration errors', () => {
  it.each([
    [{ provider: 'whatsapp-cloud' }, 'Unknown gateway provider "whatsapp-cloud"'],
    [{ provider: 'wawp', allowedIps: ['10.0.0.0/33'] }, 'IP allowlist entry "10.0.0.0/33"'],
    [{ provider: 'waha', maxBodyBytes: -1 }, 'Maximum body size must be a positive number'],
    [{ provider: 'waha', maxDepth: 0 }, 'Maximum nesting depth must be a positive number'],
  ])('%j', (options, message) => {
    expect(() => createReceiver(options as ReceiveOptions)).toThrow(message);
  });
});
