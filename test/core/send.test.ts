import { createClient, GatewayError, replyTargetOf, type ClientConfig } from '../../core/send';
import type { NormalizedEvent } from '../../core/event/schema';
import { PROVIDER_LIST } from '../../core/providers';
import { SandboxGateway } from '../../sandbox/gateway';

/** The credentials the sandbox accepts by default, per provider. */
const SANDBOX = Object.fromEntries(PROVIDER_LIST.map((p) => [p.name, p.sandbox.credentials])) as Record<
  string,
  { apiKey?: string; instanceId?: string; accessToken?: string }
>;

const gateway = new SandboxGateway();
const noWait = { backoffMs: () => 0, timeoutMs: 2000 };

beforeAll(() => gateway.start());
afterAll(() => gateway.stop());
beforeEach(() => gateway.reset());

const configs = (): Record<'waha' | 'wawp' | 'openwa' | 'openwaV4', ClientConfig> => ({
  waha: { baseUrl: gateway.baseUrlFor('waha'), apiKey: SANDBOX.waha.apiKey, http: noWait },
  wawp: { baseUrl: gateway.baseUrlFor('wawp'), instanceId: SANDBOX.wawp.instanceId, accessToken: SANDBOX.wawp.accessToken, http: noWait },
  openwa: { baseUrl: gateway.baseUrlFor('openwa'), apiKey: SANDBOX.openwa.apiKey, http: noWait },
  openwaV4: { baseUrl: gateway.baseUrlFor('openwa', 'v4'), apiKey: SANDBOX.openwa.apiKey, apiVersion: 'v4', http: noWait },
});

async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('expected a GatewayError');
}

describe('documented request contracts', () => {
  it('WAHA: POST /api/sendText with X-Api-Key, session, chatId, text, reply_to', async () => {
    const result = await createClient('waha', configs().waha).sendText({ chatId: '111@c.us', text: 'hi 😀', replyTo: 'false_111@c.us_A', session: 'sales' });
    expect(gateway.deliveries).toEqual([
      expect.objectContaining({
        provider: 'waha',
        operation: 'sendText',
        chatId: '111@c.us',
        text: 'hi 😀',
        replyTo: 'false_111@c.us_A',
        session: 'sales',
        body: { session: 'sales', chatId: '111@c.us', text: 'hi 😀', reply_to: 'false_111@c.us_A' },
      }),
    ]);
    expect(result).toMatchObject({ provider: 'waha', chatId: '111@c.us', quoted: true, messageId: gateway.deliveries[0].messageId });
  });

  it('WAHA: session defaults to "default"; markRead posts /api/sendSeen', async () => {
    const client = createClient('waha', configs().waha);
    await client.sendText({ chatId: '111@c.us', text: 'x' });
    await client.markRead({ chatId: '111@c.us', messageIds: ['m1'] });
    expect(gateway.deliveries.map((d) => [d.operation, d.session, d.body])).toEqual([
      ['sendText', 'default', { session: 'default', chatId: '111@c.us', text: 'x' }],
      ['sendSeen', 'default', { session: 'default', chatId: '111@c.us', messageIds: ['m1'] }],
    ]);
  });

  it('Wawp: POST /v2/send/text with instance_id, access_token, chatId, message, reply_to', async () => {
    const result = await createClient('wawp', configs().wawp).sendText({ chatId: '222@c.us', text: 'halo', replyTo: 'R1' });
    expect(gateway.deliveries[0].body).toEqual({
      instance_id: 'sandbox-instance',
      access_token: 'sandbox-token',
      chatId: '222@c.us',
      message: 'halo',
      reply_to: 'R1',
    });
    expect(result.messageId).toBe(gateway.deliveries[0].messageId);
  });

  it('open-wa v5: POST /api/sendText {to, text} with X-API-Key; a reply goes out unquoted', async () => {
    const result = await createClient('openwa', configs().openwa).sendText({ chatId: '333@c.us', text: 'ok', replyTo: 'Q' });
    expect(gateway.deliveries[0]).toMatchObject({ path: '/api/sendText', body: { to: '333@c.us', text: 'ok' } });
    expect(result.quoted).toBe(false);
    expect(result.messageId).toBe(gateway.deliveries[0].messageId);
  });

  it('open-wa v4: /sendText and /reply with {args} and api_key; /sendSeen marks read', async () => {
    const client = createClient('openwa', configs().openwaV4);
    await client.sendText({ chatId: '444@c.us', text: 'plain' });
    const reply = await client.sendText({ chatId: '444@c.us', text: 'quoted', replyTo: 'Q4' });
    await client.markRead({ chatId: '444@c.us', messageIds: [] });
    expect(gateway.deliveries.map((d) => [d.path, d.body])).toEqual([
      ['/sendText', { args: { to: '444@c.us', content: 'plain' } }],
      ['/reply', { args: { to: '444@c.us', content: 'quoted', quotedMsgId: 'Q4' } }],
      ['/sendSeen', { args: { chatId: '444@c.us' } }],
    ]);
    expect(reply.quoted).toBe(true);
  });

  it('wa-server is receive-only, and says so', async () => {
    const error = await rejection(createClient('waserver', {}).sendText({ chatId: '1@s.whatsapp.net', text: 'x' }));
    expect(error.message).toContain('wa-server does not support sending messages: it has no documented send API');
  });

  it.each([
    ['wawp', 'Wawp does not support marking messages as read: its API documents no call for it'],
    ['openwa', 'open-wa does not support marking messages as read: the v5 REST API documents no call for it (v4 has one: set API Version to v4)'],
  ] as const)('%s markRead is refused clearly', async (provider, message) => {
    const error = await rejection(createClient(provider, configs()[provider]).markRead({ chatId: '1@c.us', messageIds: ['m'] }));
    expect(error.message).toBe(message);
    expect(gateway.requests).toEqual([]);
  });
});

describe('gateway errors', () => {
  it('4xx: a clear error naming provider, status and message, never retried', async () => {
    const error = await rejection(createClient('waha', { ...configs().waha, apiKey: 'wrong' }).sendText({ chatId: '1@c.us', text: 'x' }));
    expect(error).toMatchObject({ provider: 'waha', status: 401 });
    expect(error.message).toBe(`WAHA answered POST ${gateway.url}/waha/api/sendText with 401: Unauthorized`);
    expect(gateway.requests).toHaveLength(1);
  });

  it('400 lists what the gateway said', async () => {
    const error = await rejection(createClient('waha', configs().waha).sendText({ chatId: '', text: '' }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('answered POST');
    expect(gateway.requests).toHaveLength(1);
  });

  it('5xx and 429 are retried, boundedly', async () => {
    gateway.failNext(503, 2);
    await createClient('wawp', configs().wawp).sendText({ chatId: '1@c.us', text: 'x' });
    expect(gateway.requests).toHaveLength(3);
    expect(gateway.deliveries).toHaveLength(1);

    gateway.requests.length = 0;
    gateway.failNext(429, 5);
    const error = await rejection(createClient('wawp', configs().wawp).sendText({ chatId: '1@c.us', text: 'x' }));
    expect(error.status).toBe(429);
    expect(gateway.requests).toHaveLength(3);
  });

  it('an unreachable gateway is a network error after the retries, without the token in the message', async () => {
    const error = await rejection(createClient('wawp', { ...configs().wawp, baseUrl: 'http://127.0.0.1:9' }).sendText({ chatId: '1@c.us', text: 'x' }));
    expect(error.status).toBeNull();
    expect(error.message).toMatch(/^Wawp could not be reached at POST http:\/\/127\.0\.0\.1:9\/v2\/send\/text: /);
    expect(error.message).not.toContain('sandbox-token');
  });

  it('a 2xx answer that is not JSON is an error', async () => {
    const fakeFetch = (async () => new Response('<html>proxy</html>', { status: 200 })) as typeof fetch;
    const error = await rejection(createClient('waha', { ...configs().waha, http: { ...noWait, fetch: fakeFetch } }).sendText({ chatId: '1@c.us', text: 'x' }));
    expect(error.message).toContain('but the body is not JSON');
  });

  it('a missing base URL or Wawp token is a configuration error', async () => {
    expect((await rejection(createClient('waha', {}).sendText({ chatId: '1@c.us', text: 'x' }))).message).toBe('WAHA: the API base URL is not configured');
    expect((await rejection(createClient('wawp', {}).sendText({ chatId: '1@c.us', text: 'x' }))).message).toContain(
      'instance ID and access token are not configured',
    );
  });
});

describe('replyTargetOf', () => {
  const base = {
    version: 1,
    provider: 'waha',
    providerEvent: 'x',
    id: 'i',
    session: 's',
    account: null,
    timestamp: '2026-01-01T00:00:00.000Z',
    raw: {},
  } as const;
  it('answers a message in its chat, quoting it', () => {
    const event = { ...base, event: 'message', message: { id: 'M', chat: { id: 'G@g.us', type: 'group', lid: null } } } as unknown as NormalizedEvent;
    expect(replyTargetOf(event)).toEqual({ chatId: 'G@g.us', messageId: 'M', session: 's' });
  });
  it('answers a reaction in its chat; nothing for a session event', () => {
    const reaction = { ...base, event: 'message.reaction', reaction: { chatId: 'C@c.us' } } as unknown as NormalizedEvent;
    expect(replyTargetOf(reaction)).toEqual({ chatId: 'C@c.us', messageId: null, session: 's' });
    expect(replyTargetOf({ ...base, event: 'session.status' } as unknown as NormalizedEvent)).toBeNull();
  });
});

describe('renderTemplate', () => {
  const { renderTemplate } = jest.requireActual('../../core/send') as typeof import('../../core/send');
  const event = {
    version: 1,
    provider: 'waha',
    event: 'message',
    providerEvent: 'message',
    id: 'i',
    session: 'sales',
    account: null,
    timestamp: '2026-01-01T00:00:00.000Z',
    raw: {},
    message: {
      id: 'M',
      text: 'price?',
      chat: { id: 'C@c.us', type: 'direct', lid: null },
      sender: { id: '62811@c.us', phone: '62811', lid: null, name: null },
    },
  } as unknown as NormalizedEvent;
  it('fills shortcuts and dotted paths; unknown paths are empty', () => {
    expect(renderTemplate('Hi {{name}} ({{ phone }}), you said "{{text}}" in {{message.chat.id}} on {{session}}{{nope.x}}', event)).toBe(
      'Hi 62811 (62811), you said "price?" in C@c.us on sales',
    );
  });
  it('takes extra values, such as a command match', () => {
    expect(renderTemplate('args: {{command.argsText}}', event, { command: { argsText: 'a b' } })).toBe('args: a b');
  });
});

describe('cancellation', () => {
  it('an aborted signal stops the call and its retries', async () => {
    gateway.failNext(503, 10);
    const controller = new AbortController();
    const client = createClient('waha', { ...configs().waha, http: { signal: controller.signal, backoffMs: () => 60_000 } });
    const pending = rejection(client.sendText({ chatId: '1@c.us', text: 'x' }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    const error = await pending;
    expect(error.message).toBe(`WAHA: POST ${gateway.url}/waha/api/sendText was cancelled`);
    expect(gateway.requests).toHaveLength(1);
  });
});
