/**
 * `whatsapp send` inside Node-RED (test helper, compiled node from dist/) against the sandbox gateway
 * on 127.0.0.1, which checks each provider's documented request contract (path, auth, body) and
 * records what it accepted: what was sent where, the outputs, the status, errors and warnings.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NormalizedEvent, ProviderName } from '../../core/event/schema';
import { providerOf, SENDING_PROVIDERS } from '../../core/providers';
import { createClient, Limiter } from '../../core/send';
import { sandboxCredentials } from '../helpers/sandbox';
import { SandboxGateway } from '../../sandbox/gateway';
import { callsOf, eventually, helper, lastStatus, ourNodes } from './helper';

// Credentials of this suite's sandbox: distinctive, so a leak would be found by a plain search.
const CREDS = {
  wahaApiKey: 'waha-key-SECRET-51c9',
  wawpInstanceId: 'wawp-instance-7',
  wawpAccessToken: 'wawp-token-SECRET-02fe',
  openwaApiKey: 'openwa-key-SECRET-9a3b',
  evolutionApiKey: 'evolution-key-SECRET-7d41',
  cloudapiAccessToken: 'cloudapi-token-SECRET-4e07',
};
const SECRETS = [CREDS.wahaApiKey, CREDS.wawpAccessToken, CREDS.openwaApiKey, CREDS.evolutionApiKey, CREDS.cloudapiAccessToken];

const sandbox = new SandboxGateway({ credentials: sandboxCredentials(CREDS) });

type GatewayKind = 'waha' | 'wawp' | 'openwa-v5' | 'openwa-v4' | 'evolution';

/** A gateway config node (and its credentials) pointing at the sandbox. */
function gatewayFor(kind: GatewayKind | 'waserver', credentials: Record<string, string> = {}) {
  const provider: ProviderName = kind.startsWith('openwa') ? 'openwa' : (kind as ProviderName);
  const apiVersion = kind === 'openwa-v4' ? 'v4' : 'v5';
  const node = {
    id: 'g1',
    type: 'whatsapp-gateway',
    name: 'gw',
    provider,
    apiVersion,
    apiUrl: provider === 'waserver' ? '' : sandbox.baseUrlFor(provider, apiVersion),
    instanceId: provider === 'wawp' ? CREDS.wawpInstanceId : '',
  };
  const secrets = {
    waha: { apiKey: CREDS.wahaApiKey },
    wawp: { accessToken: CREDS.wawpAccessToken },
    openwa: { apiKey: CREDS.openwaApiKey },
    waserver: {},
    evolution: { apiKey: CREDS.evolutionApiKey },
    cloudapi: { accessToken: CREDS.cloudapiAccessToken },
  }[provider];
  return { node, credentials: { ...secrets, ...credentials } };
}

function messageEvent(text = 'hello', top: Partial<NormalizedEvent> = {}): NormalizedEvent {
  return {
    version: 1,
    provider: 'waha',
    event: 'message',
    providerEvent: 'message',
    id: 'waha:default:msg:1',
    session: 'default',
    account: null,
    timestamp: '2026-01-01T00:00:00.000Z',
    message: {
      id: 'false_6281234567890@c.us_3EB0AA',
      type: 'text',
      direction: 'inbound',
      fromMe: false,
      text,
      chat: { id: '6281234567890@c.us', type: 'direct', lid: null },
      sender: { id: '6281234567890@c.us', phone: '6281234567890', lid: null, name: 'Ann' },
    },
    raw: {},
    ...top,
  };
}
const CHAT = '6281234567890@c.us';
const MESSAGE_ID = 'false_6281234567890@c.us_3EB0AA';

interface Loaded {
  send: ReturnType<typeof helper.getNode>;
  sent: Record<string, any>[];
  failed: Record<string, any>[];
}

/** Loads gateway → send → two collecting helper nodes (output 2 unwired with `failureWired: false`). */
async function load(
  kind: GatewayKind | 'waserver',
  settings: Record<string, unknown> = {},
  options: { credentials?: Record<string, string>; gateway?: object | null; failureWired?: boolean } = {},
): Promise<Loaded> {
  const gateway = gatewayFor(kind, options.credentials);
  const wires = [['ok'], options.failureWired === false ? [] : ['fail']];
  const flow = [
    ...(options.gateway === null ? [] : [{ ...gateway.node, ...options.gateway }]),
    { id: 's1', type: 'whatsapp send', gateway: 'g1', template: '', replyTo: 'quote', chatId: '', markRead: false, ...settings, wires },
    { id: 'ok', type: 'helper' },
    { id: 'fail', type: 'helper' },
  ];
  await helper.load(ourNodes, flow, { g1: gateway.credentials });
  const loaded: Loaded = { send: helper.getNode('s1'), sent: [], failed: [] };
  helper.getNode('ok').on('input', (msg) => loaded.sent.push(msg));
  helper.getNode('fail').on('input', (msg) => loaded.failed.push(msg));
  return loaded;
}

const errorsOf = (node: Loaded['send']) => callsOf(node, 'error').map((args) => String(args[0]?.message ?? args[0]));
const warningsOf = (node: Loaded['send']) => callsOf(node, 'warn').map((args) => String(args[0]));

/** Waits until `count` messages left through either output. */
function settled(loaded: Loaded, count = 1) {
  return eventually(() => expect(loaded.sent.length + loaded.failed.length).toBe(count));
}

beforeAll(async () => {
  await sandbox.start();
  await helper.startServer();
});
afterEach(async () => {
  await helper.unload();
  sandbox.deliveries.length = 0;
  sandbox.requests.length = 0;
});
afterAll(async () => {
  await helper.stopServer();
  await sandbox.stop();
});

describe("whatsapp send: each provider's request contract", () => {
  const cases: Array<[GatewayKind, { path: string; operation: string; quoted: boolean; body: (text: string) => object }]> = [
    [
      'waha',
      { path: '/waha/api/sendText', operation: 'sendText', quoted: true, body: (text) => ({ session: 'default', chatId: CHAT, text, reply_to: MESSAGE_ID }) },
    ],
    [
      'wawp',
      {
        path: '/wawp/v2/send/text',
        operation: 'sendText',
        quoted: true,
        body: (text) => ({ instance_id: CREDS.wawpInstanceId, access_token: CREDS.wawpAccessToken, chatId: CHAT, message: text, reply_to: MESSAGE_ID }),
      },
    ],
    ['openwa-v5', { path: '/openwa/api/sendText', operation: 'sendText', quoted: false, body: (text) => ({ to: CHAT, text }) }],
    [
      'openwa-v4',
      { path: '/openwa-v4/reply', operation: 'reply', quoted: true, body: (text) => ({ args: { to: CHAT, content: text, quotedMsgId: MESSAGE_ID } }) },
    ],
    [
      'evolution',
      {
        path: '/evolution/message/sendText/default',
        operation: 'sendText',
        quoted: true,
        body: (text) => ({ number: CHAT, text, quoted: { key: { id: MESSAGE_ID, remoteJid: CHAT } } }),
      },
    ],
  ];

  it.each(cases)("%s: a quoted reply to the triggering message, with the provider's path, auth and body", async (kind, want) => {
    const loaded = await load(kind);
    const event = messageEvent();
    // What a template node leaves: the reply text in msg.payload, the event in msg.event.
    loaded.send.receive({ payload: 'Thanks, we got it', event, topic: 'message' });
    await settled(loaded);

    expect(sandbox.requests).toEqual([{ method: 'POST', path: want.path }]);
    expect(sandbox.deliveries).toHaveLength(1);
    const [delivery] = sandbox.deliveries;
    expect(delivery).toMatchObject({ operation: want.operation, chatId: CHAT, text: 'Thanks, we got it', replyTo: want.quoted ? MESSAGE_ID : null });
    expect(delivery.body).toEqual(want.body('Thanks, we got it'));

    const [msg] = loaded.sent;
    expect(msg.payload).toEqual({
      provider: kind.startsWith('openwa') ? 'openwa' : kind,
      operation: 'sendText',
      chatId: CHAT,
      messageId: delivery.messageId,
      quoted: want.quoted,
      text: 'Thanks, we got it',
      typing: null,
    });
    expect(msg.payload.messageId).toMatch(kind === 'evolution' ? /^3EB0/ : /^true_/);
    expect(msg.gatewayResponse).toBeDefined();
    expect(msg.event).toBe(event);
    expect(msg.topic).toBe('message');
    expect(loaded.failed).toEqual([]);
    expect(lastStatus(loaded.send)).toEqual({ fill: 'green', shape: 'dot', text: 'sent 1' });
    expect(errorsOf(loaded.send)).toEqual([]);
  });

  it('open-wa v4 without quoting uses /sendText', async () => {
    const loaded = await load('openwa-v4', { replyTo: 'chat' });
    loaded.send.receive({ payload: 'plain', event: messageEvent() });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => [d.path, d.body])).toEqual([['/sendText', { args: { to: CHAT, content: 'plain' } }]]);
    expect(loaded.sent[0].payload.quoted).toBe(false);
  });
});

describe('whatsapp send: the text', () => {
  it('renders the template over the event and the message (router fields under msg.)', async () => {
    const loaded = await load('waha', { template: '  Hi {{name}}, you said: {{text}} ({{msg.keyword}}, {{message.chat.type}})\n' });
    // No msg.event here: the event is in msg.payload, as it comes out of the in node or a router.
    loaded.send.receive({ payload: messageEvent('berapa harga?'), keyword: 'harga' });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => d.text)).toEqual(['Hi Ann, you said: berapa harga? (harga, direct)']);
    expect(loaded.sent[0].payload.text).toBe('Hi Ann, you said: berapa harga? (harga, direct)');
  });

  it('without a template, sends msg.payload when it is text', async () => {
    const loaded = await load('waha');
    loaded.send.receive({ payload: 'from the payload', event: messageEvent() });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => d.text)).toEqual(['from the payload']);
  });

  it.each([
    ['an event in msg.payload and no template', {}, { payload: messageEvent() }, /Nothing to send: msg\.payload is an object, not text/],
    ['a number in msg.payload', {}, { payload: 42, event: messageEvent() }, /msg\.payload is number, not text/],
    ['blank text', {}, { payload: '  \n ', event: messageEvent() }, /Nothing to send: msg\.payload is empty/],
    ['a template rendering nothing', { template: '{{nothing.here}}' }, { payload: messageEvent() }, /the message template rendered empty text/],
  ])('%s: an error (done), nothing sent', async (_name, settings, msg, error) => {
    const loaded = await load('waha', settings);
    loaded.send.receive(msg);
    const errors = await eventually(() => {
      expect(errorsOf(loaded.send)).toHaveLength(1);
      return errorsOf(loaded.send);
    });
    expect(errors[0]).toMatch(error);
    expect(sandbox.requests).toEqual([]);
    expect(loaded.sent.concat(loaded.failed)).toEqual([]);
    expect(lastStatus(loaded.send)).toMatchObject({ fill: 'red', text: expect.stringMatching(/^sent 0 · failed 1 · last: Nothing to send/) });
  });
});

describe('whatsapp send: the chat', () => {
  it('"the message\'s chat, without quoting" sends there with no reply_to', async () => {
    const loaded = await load('waha', { replyTo: 'chat' });
    loaded.send.receive({ payload: 'x', event: messageEvent() });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => [d.chatId, d.replyTo])).toEqual([[CHAT, null]]);
  });

  it('a fixed chat: sent there unquoted, with or without an event', async () => {
    const loaded = await load('waha', { replyTo: 'fixed', chatId: ' 120363000000000001@g.us ', template: 'Alert: {{msg.topic}}' });
    loaded.send.receive({ payload: messageEvent() });
    loaded.send.receive({ payload: 'from an inject node', topic: 'disk full' });
    await settled(loaded, 2);
    expect(sandbox.deliveries.map((d) => [d.chatId, d.replyTo, d.text]).sort()).toEqual([
      ['120363000000000001@g.us', null, 'Alert:'],
      ['120363000000000001@g.us', null, 'Alert: disk full'],
    ]);
  });

  it('msg.chatId: sent there; missing, an error', async () => {
    const loaded = await load('wawp', { replyTo: 'msg' });
    loaded.send.receive({ payload: 'to a chat from the flow', chatId: '628111@c.us' });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => [d.chatId, d.replyTo])).toEqual([['628111@c.us', null]]);
    loaded.send.receive({ payload: 'nowhere', event: messageEvent() });
    await eventually(() => expect(errorsOf(loaded.send)).toEqual([expect.stringMatching(/^No chat to send to: msg\.chatId is empty/)]));
    expect(sandbox.deliveries).toHaveLength(1);
  });

  it.each([
    ['no event at all', { payload: 'hi' }, /^No chat to reply to: msg\.event \(or msg\.payload\) is not a WhatsApp event/],
    [
      'an event without a chat',
      {
        payload: 'hi',
        event: { ...messageEvent(), event: 'session.status', message: undefined, state: { status: 'working', reason: null, providerStatus: 'WORKING' } },
      },
      /^No chat to reply to: a session\.status event has no chat/,
    ],
  ])('reply to the message, %s: an error, nothing sent', async (_name, msg, error) => {
    const loaded = await load('waha');
    loaded.send.receive(msg);
    await eventually(() => expect(errorsOf(loaded.send)).toEqual([expect.stringMatching(error)]));
    expect(sandbox.requests).toEqual([]);
  });

  it('the WAHA session comes from the event when it came through the same provider', async () => {
    const loaded = await load('waha');
    loaded.send.receive({ payload: 'a', event: messageEvent('x', { session: 'sales' }) });
    loaded.send.receive({ payload: 'b', event: messageEvent('x', { provider: 'openwa', session: 'other-gateway' }) });
    await settled(loaded, 2);
    expect(sandbox.deliveries.map((d) => [d.text, d.session]).sort()).toEqual([
      ['a', 'sales'],
      ['b', 'default'],
    ]);
  });
});

describe('whatsapp send: failures', () => {
  it('a 401 goes to output 2 with {provider, status, message}, not retried; the status says so; no error raised', async () => {
    const loaded = await load('waha', {}, { credentials: { apiKey: 'wrong-key-SECRET-77' } });
    const event = messageEvent();
    loaded.send.receive({ payload: 'x', event });
    await settled(loaded);
    expect(sandbox.requests).toHaveLength(1);
    const [msg] = loaded.failed;
    expect(msg.error).toEqual({
      provider: 'waha',
      status: 401,
      message: expect.stringMatching(/^WAHA answered POST http:\/\/127\.0\.0\.1:\d+\/waha\/api\/sendText with 401: Unauthorized$/),
    });
    expect(msg.payload).toBe('x');
    expect(msg.event).toBe(event);
    expect(lastStatus(loaded.send)).toEqual({ fill: 'red', shape: 'ring', text: 'sent 0 · failed 1 · last: HTTP 401' });
    // Output 2 is wired: the user handles it there.
    expect(errorsOf(loaded.send)).toEqual([]);
  });

  it('output 2 not wired: the failure is raised with done(error), for Catch nodes and the log', async () => {
    const loaded = await load('wawp', {}, { credentials: { accessToken: 'wrong-token-SECRET-88' }, failureWired: false });
    loaded.send.receive({ payload: 'x', event: messageEvent() });
    await eventually(() =>
      expect(errorsOf(loaded.send)).toEqual([expect.stringMatching(/^Wawp answered POST .* with 401: Invalid instance_id or access_token$/)]),
    );
  });

  it('5xx answers are retried, then the message is sent once', async () => {
    const loaded = await load('waha');
    sandbox.failNext(503, 2);
    loaded.send.receive({ payload: 'third time lucky', event: messageEvent() });
    await settled(loaded);
    expect(sandbox.requests.map((r) => r.path)).toEqual(['/waha/api/sendText', '/waha/api/sendText', '/waha/api/sendText']);
    expect(sandbox.deliveries.map((d) => d.text)).toEqual(['third time lucky']);
    expect(loaded.failed).toEqual([]);
    expect(lastStatus(loaded.send)).toEqual({ fill: 'green', shape: 'dot', text: 'sent 1' });
  });

  it('an unreachable gateway: output 2 with status null, after the retries', async () => {
    const loaded = await load('openwa-v5', {}, { gateway: { apiUrl: 'http://127.0.0.1:1' } });
    loaded.send.receive({ payload: 'x', event: messageEvent() });
    await eventually(() => expect(loaded.failed).toHaveLength(1));
    expect(loaded.failed[0].error).toEqual({
      provider: 'openwa',
      status: null,
      message: expect.stringMatching(/^open-wa could not be reached at POST http:\/\/127\.0\.0\.1:1\/api\/sendText: /),
    });
  });

  it('the status counts both', async () => {
    const loaded = await load('waha');
    loaded.send.receive({ payload: 'one', event: messageEvent() });
    await settled(loaded, 1);
    sandbox.failNext(400);
    loaded.send.receive({ payload: 'two', event: messageEvent() });
    await settled(loaded, 2);
    expect(lastStatus(loaded.send)).toEqual({ fill: 'red', shape: 'ring', text: 'sent 1 · failed 1 · last: HTTP 400' });
    loaded.send.receive({ payload: 'three', event: messageEvent() });
    await settled(loaded, 3);
    expect(lastStatus(loaded.send)).toEqual({ fill: 'green', shape: 'dot', text: 'sent 2 · failed 1' });
  });
});

describe('whatsapp send: gateways that cannot send', () => {
  it('wa-server: red "receive-only" status and an error at deploy; every message to output 2 with the core\'s reason', async () => {
    const loaded = await load('waserver');
    expect(lastStatus(loaded.send)).toEqual({ fill: 'red', shape: 'ring', text: 'wa-server is receive-only' });
    expect(errorsOf(loaded.send)).toEqual([expect.stringMatching(/^wa-server does not support sending messages: it has no documented send API/)]);
    loaded.send.receive({ payload: 'x', event: messageEvent() });
    loaded.send.receive({ payload: 'y', event: messageEvent() });
    await settled(loaded, 2);
    expect(loaded.failed.map((m) => m.error)).toEqual(
      [0, 1].map(() => ({
        provider: 'waserver',
        status: null,
        message: expect.stringMatching(/^wa-server does not support sending messages: it has no documented send API \(receive-only\)\./),
      })),
    );
    expect(lastStatus(loaded.send)).toEqual({ fill: 'red', shape: 'ring', text: 'wa-server is receive-only' });
    expect(sandbox.requests).toEqual([]);
  });

  it.each([
    ['WAHA without an API URL', 'waha', { apiUrl: '' }, 'To send, set the WAHA API URL in the gateway'],
    ['an API URL that is not http(s)', 'openwa-v5', { apiUrl: 'ftp://host' }, 'open-wa: The API URL must start with http:// or https://, not ftp://'],
    ['Wawp without an instance ID', 'wawp', { instanceId: '' }, 'To send, set the Wawp Instance ID in the gateway'],
  ] as const)('%s: red status at deploy, every message to output 2', async (_name, kind, gateway, reason) => {
    const loaded = await load(kind, {}, { gateway });
    expect(lastStatus(loaded.send)).toEqual({ fill: 'red', shape: 'ring', text: reason.length > 60 ? `${reason.slice(0, 57)}…` : reason });
    loaded.send.receive({ payload: 'x', event: messageEvent() });
    await settled(loaded);
    expect(loaded.failed[0].error).toEqual({ provider: kind.startsWith('openwa') ? 'openwa' : kind, status: null, message: reason });
  });

  it('an API URL with a user:password (issue 11, defect 6): refused at deploy, saying where the password goes, and the password nowhere', async () => {
    const password = 'pw-in-url-7f3a';
    const loaded = await load('waha', {}, { gateway: { apiUrl: `http://admin:${password}@127.0.0.1:9/` } });
    const reason = expect.stringMatching(/^WAHA: The API URL contains a user name or password .*API key \/ password field/);
    expect(lastStatus(loaded.send)).toMatchObject({ fill: 'red', shape: 'ring' });
    expect(errorsOf(loaded.send)).toEqual([reason]);
    loaded.send.receive({ payload: 'x', event: messageEvent() });
    await settled(loaded);
    expect(loaded.failed[0].error).toEqual({ provider: 'waha', status: null, message: reason });
    const everything = JSON.stringify([
      loaded.failed,
      callsOf(loaded.send, 'status'),
      callsOf(loaded.send, 'error'),
      callsOf(loaded.send, 'warn'),
      callsOf(loaded.send, 'log'),
    ]);
    expect(everything).not.toContain(password);
  });

  it('no gateway: red status, every message to output 2', async () => {
    const loaded = await load('waha', {}, { gateway: null });
    expect(lastStatus(loaded.send)).toEqual({ fill: 'red', shape: 'ring', text: 'No WhatsApp gateway configured: pick or add one in the node' });
    loaded.send.receive({ payload: 'x', event: messageEvent() });
    await settled(loaded);
    expect(loaded.failed[0].error).toEqual({ provider: null, status: null, message: 'No WhatsApp gateway configured: pick or add one in the node' });
  });
});

describe('whatsapp send: mark as read', () => {
  it('WAHA: sendSeen for the triggering message, then the reply', async () => {
    const loaded = await load('waha', { markRead: true });
    loaded.send.receive({ payload: 'seen it', event: messageEvent() });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => [d.operation, d.body])).toEqual([
      ['sendSeen', { session: 'default', chatId: CHAT, messageIds: [MESSAGE_ID] }],
      ['sendText', { session: 'default', chatId: CHAT, text: 'seen it', reply_to: MESSAGE_ID }],
    ]);
    expect(warningsOf(loaded.send)).toEqual([]);
  });

  it('open-wa v4: sendSeen for the chat', async () => {
    const loaded = await load('openwa-v4', { markRead: true });
    loaded.send.receive({ payload: 'ok', event: messageEvent() });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => [d.path, d.body])).toEqual([
      ['/sendSeen', { args: { chatId: CHAT } }],
      ['/reply', { args: { to: CHAT, content: 'ok', quotedMsgId: MESSAGE_ID } }],
    ]);
  });

  it.each([
    ['wawp', 'Wawp', 'its API documents no call for it'],
    ['openwa-v5', 'open-wa', 'the v5 REST API documents no call for it (v4 has one: set API Version to v4)'],
  ] as const)('%s cannot: one warning at deploy, the messages still go out', async (kind, api, why) => {
    const loaded = await load(kind, { markRead: true });
    expect(warningsOf(loaded.send)).toEqual([`${api} does not support marking messages as read: ${why}. Messages are sent without marking them read.`]);
    expect(lastStatus(loaded.send)).toEqual({ fill: 'yellow', shape: 'ring', text: `mark as read: not supported by ${api}` });
    for (const text of ['one', 'two', 'three']) loaded.send.receive({ payload: text, event: messageEvent() });
    await settled(loaded, 3);
    expect(loaded.sent).toHaveLength(3);
    expect(warningsOf(loaded.send)).toHaveLength(1);
    expect(sandbox.deliveries.every((d) => d.operation !== 'sendSeen')).toBe(true);
  });

  it('a failed mark-as-read is a warning; the reply is still sent', async () => {
    const loaded = await load('waha', { markRead: true });
    sandbox.failNext(400);
    loaded.send.receive({ payload: 'still sent', event: messageEvent() });
    await settled(loaded);
    expect(warningsOf(loaded.send)).toEqual([expect.stringMatching(/^Could not mark the message as read: WAHA answered POST .*\/api\/sendSeen with 400/)]);
    expect(sandbox.deliveries.map((d) => d.operation)).toEqual(['sendText']);
    expect(loaded.sent).toHaveLength(1);
  });

  it("the node's table of who can mark read agrees with the core's clients", async () => {
    for (const provider of SENDING_PROVIDERS) {
      for (const apiVersion of ['v5', 'v4'] as const) {
        let requests = 0;
        const fetch = (async () => {
          requests++;
          return new Response('{}', { status: 200 });
        }) as typeof globalThis.fetch;
        const client = createClient(provider, {
          baseUrl: 'http://127.0.0.1:9',
          apiKey: 'k',
          instanceId: 'i',
          accessToken: 't',
          phoneNumberId: 'p',
          apiVersion,
          http: { fetch, retries: 0 },
        });
        await client.markRead({ chatId: CHAT, messageIds: [MESSAGE_ID] }).catch(() => undefined);
        expect([provider, apiVersion, requests === 1]).toEqual([
          provider,
          apiVersion,
          providerOf(provider).api.capabilities({ apiVersion }).includes('markRead'),
        ]);
      }
    }
  });
});

describe('whatsapp send: many messages', () => {
  let slow: Server;
  let inFlight = 0;
  let maxInFlight = 0;
  const order: string[] = [];

  beforeAll(async () => {
    // A WAHA that takes 40 ms per message, counting how many it is handling at once.
    slow = createServer((req, res) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        order.push(JSON.parse(body).text);
        setTimeout(() => {
          inFlight--;
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `true_${CHAT}_X` }));
        }, 40);
      });
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => slow.close(() => resolve())));

  it('20 at once: all sent, at most 4 in flight, none overtaking the window', async () => {
    const loaded = await load('waha', {}, { gateway: { apiUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}` } });
    const texts = Array.from({ length: 20 }, (_, i) => `message ${i + 1}`);
    for (const text of texts) loaded.send.receive({ payload: text, event: messageEvent() });
    await eventually(() => expect(loaded.sent).toHaveLength(20));
    expect(maxInFlight).toBe(4);
    // Message k starts only after k-4 others are done, so at least k-4 reached the gateway before it
    // (the exact arrival order inside the window of 4 depends on the connections).
    expect(texts.filter((text, i) => order.indexOf(text) < i - 3)).toEqual([]);
    expect([...order].sort()).toEqual([...texts].sort());
    expect(lastStatus(loaded.send)).toEqual({ fill: 'green', shape: 'dot', text: 'sent 20' });
  });
});

describe('Limiter', () => {
  it('starts tasks in arrival order, at most `max` at a time', async () => {
    const limiter = new Limiter(2);
    const started: number[] = [];
    const finishers: Array<() => void> = [];
    for (let i = 1; i <= 5; i++) {
      limiter.add(
        () => {
          started.push(i);
          return new Promise<void>((resolve) => finishers.push(resolve));
        },
        () => undefined,
      );
    }
    expect(started).toEqual([1, 2]);
    finishers[1]();
    await eventually(() => expect(started).toEqual([1, 2, 3]));
    finishers[0]();
    finishers[2]();
    await eventually(() => expect(started).toEqual([1, 2, 3, 4, 5]));
  });

  it('closing drops the waiting tasks and resolves once the running ones are done', async () => {
    const limiter = new Limiter(1);
    const log: string[] = [];
    let finish!: () => void;
    limiter.add(
      () => new Promise<void>((resolve) => (finish = resolve)).then(() => void log.push('ran 1')),
      () => log.push('dropped 1'),
    );
    limiter.add(
      async () => void log.push('ran 2'),
      () => log.push('dropped 2'),
    );
    const closed = limiter.close().then(() => log.push('closed'));
    expect(log).toEqual(['dropped 2']);
    finish();
    await closed;
    expect(log).toEqual(['dropped 2', 'ran 1', 'closed']);
  });
});

describe('whatsapp send: secrets', () => {
  it('no API key or token in any message, status, warning, error or log line, sent or failed', async () => {
    const seen: unknown[] = [];
    for (const kind of ['waha', 'wawp', 'openwa-v5', 'openwa-v4'] as const) {
      for (const credentials of [{}, { apiKey: 'bad-SECRET-1', accessToken: 'bad-SECRET-2' }] as Array<Record<string, string>>) {
        const loaded = await load(kind, { markRead: true }, { credentials });
        loaded.send.receive({ payload: 'x', event: messageEvent() });
        await settled(loaded);
        for (const method of ['status', 'warn', 'error', 'log'] as const) seen.push(callsOf(loaded.send, method));
        seen.push(loaded.sent, loaded.failed);
        await helper.unload();
      }
    }
    const text = JSON.stringify(seen);
    expect(text).toContain('"status":401');
    for (const secret of [...SECRETS, 'bad-SECRET-1', 'bad-SECRET-2']) expect([secret, text.includes(secret)]).toEqual([secret, false]);
  });
});

describe('whatsapp send: rich replies', () => {
  const IMAGE = Buffer.from(Array.from({ length: 2048 }, (_v, i) => (i * 37) % 256));
  const sha256 = (bytes: Buffer) => require('node:crypto').createHash('sha256').update(bytes).digest('hex') as string;

  it('sends the image in msg.payload with the template as caption, quoting the triggering message', async () => {
    const loaded = await load('waha', { operation: 'sendImage', template: 'For {{name}}', filename: 'receipt.jpg' });
    loaded.send.receive({ payload: IMAGE, event: messageEvent() });
    await settled(loaded);
    const [delivery] = sandbox.deliveries;
    expect(delivery).toMatchObject({ operation: 'sendImage', path: '/api/sendImage', chatId: CHAT, replyTo: MESSAGE_ID, text: expect.stringMatching(/^For /) });
    expect(delivery.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), size: IMAGE.length, filename: 'receipt.jpg' }));
    expect(loaded.sent[0].payload).toEqual(expect.objectContaining({ provider: 'waha', operation: 'sendImage', quoted: true, messageId: delivery.messageId }));
  });

  it('sends a voice note (Evolution): the bytes arrive unchanged', async () => {
    const loaded = await load('evolution', { operation: 'sendVoice' });
    loaded.send.receive({ payload: IMAGE, event: messageEvent('hi', { provider: 'evolution', session: 'default' } as Partial<NormalizedEvent>) });
    await settled(loaded);
    expect(sandbox.deliveries[0]).toMatchObject({ operation: 'sendWhatsAppAudio', path: '/message/sendWhatsAppAudio/default' });
    expect(sandbox.deliveries[0].media?.sha256).toBe(sha256(IMAGE));
  });

  it('reacts to the triggering message with msg.emoji; an empty one removes it', async () => {
    const loaded = await load('waha', { operation: 'react', emoji: '👍' });
    loaded.send.receive({ event: messageEvent() });
    loaded.send.receive({ event: messageEvent(), emoji: '' });
    await settled(loaded, 2);
    expect(sandbox.deliveries.map((d) => [d.path, d.messageId, d.reaction])).toEqual([
      ['/api/reaction', MESSAGE_ID, '👍'],
      ['/api/reaction', MESSAGE_ID, ''],
    ]);
    expect(loaded.sent[0].payload).toEqual(expect.objectContaining({ operation: 'react', messageId: MESSAGE_ID, text: '👍' }));
  });

  it('sends a location from msg.location', async () => {
    const loaded = await load('waha', { operation: 'sendLocation', replyTo: 'chat' });
    loaded.send.receive({ event: messageEvent(), location: { latitude: -6.1754, longitude: 106.8272, name: 'Monas' } });
    await settled(loaded);
    expect(sandbox.deliveries[0]).toMatchObject({ operation: 'sendLocation', replyTo: null, text: 'Monas' });
    expect(sandbox.deliveries[0].body).toEqual(expect.objectContaining({ latitude: -6.1754, longitude: 106.8272 }));
  });

  it('an operation the gateway lacks: red status at deploy, each message on output 2 with the reason, no request', async () => {
    const loaded = await load('wawp', { operation: 'react', emoji: '👍' });
    expect(lastStatus(loaded.send)).toEqual(expect.objectContaining({ fill: 'red', text: expect.stringMatching(/^Wawp does not support reactions/) }));
    loaded.send.receive({ event: messageEvent() });
    await settled(loaded);
    expect(loaded.failed[0].error).toEqual(expect.objectContaining({ provider: 'wawp', message: expect.stringMatching(/^Wawp does not support reactions: /) }));
    expect(sandbox.requests).toEqual([]);
  });

  it('a file above Max MB is raised as an error before any request', async () => {
    const loaded = await load('waha', { operation: 'sendImage', maxUploadMb: '0.001' });
    loaded.send.receive({ payload: IMAGE, event: messageEvent() });
    await eventually(() =>
      expect(errorsOf(loaded.send)).toEqual([expect.stringMatching(/The file is too large: 0 MB, more than the maximum upload size of 0 MB/)]),
    );
    expect(sandbox.requests).toEqual([]);
  });

  it('no file and no URL is the flow’s mistake, said by name', async () => {
    const loaded = await load('waha', { operation: 'sendDocument' });
    loaded.send.receive({ payload: { not: 'a buffer' }, event: messageEvent() });
    await eventually(() => expect(errorsOf(loaded.send)).toEqual([expect.stringMatching(/msg\.payload is not a Buffer and no file URL is set/)]));
  });

  it('typing: the indicator is recorded before the message, at least the configured time earlier', async () => {
    const loaded = await load('waha', { typing: 'fixed', typingMs: '120', template: 'Hello' });
    loaded.send.receive({ event: messageEvent() });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => d.operation)).toEqual(['startTyping', 'stopTyping', 'sendText']);
    const [start, , sent] = sandbox.deliveries;
    expect(sent.at! - start.at!).toBeGreaterThanOrEqual(120);
    expect(loaded.sent[0].payload.typing).toEqual({ delayMs: 120, shown: true, problem: null });
  });

  it('typing on a gateway without an indicator: one warning at deploy, the pause kept, the message sent', async () => {
    const loaded = await load('wawp', { typing: 'fixed', typingMs: '50', template: 'Hello' });
    expect(warningsOf(loaded.send)).toEqual([expect.stringMatching(/^Wawp does not support showing "typing…"/)]);
    loaded.send.receive({ event: messageEvent() });
    await settled(loaded);
    expect(sandbox.deliveries.map((d) => d.operation)).toEqual(['sendText']);
    expect(loaded.sent[0].payload.typing).toEqual({ delayMs: 50, shown: false, problem: 'not supported by the gateway' });
  });
});
