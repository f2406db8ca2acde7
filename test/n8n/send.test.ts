/**
 * WhatsApp Send's `execute()` against the sandbox gateway on 127.0.0.1, which checks each provider's
 * documented request contract (path, auth, body) and records what it accepted: replies, templates
 * and n8n expressions, chat IDs, mark as read, errors (continueOnFail, 401, retried 5xx,
 * receive-only wa-server) and batches of items.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NodeApiError, NodeOperationError, type ICredentialDataDecryptedObject, type IDataObject, type INodeExecutionData } from 'n8n-workflow';
import type { NormalizedEvent, ProviderName } from '../../core';
import { Limiter } from '../../core/send';
import { WhatsAppSend } from '../../nodes/WhatsAppSend/WhatsAppSend.node';
import { sandboxCredentials } from '../helpers/sandbox';
import { SandboxGateway } from '../../sandbox/gateway';
import { executeContext, type Parameters } from './fakes';

// Distinctive credentials, so a leak into an error would be found by a plain search.
const CREDS = {
  wahaApiKey: 'waha-key-SECRET-8d1f',
  wawpInstanceId: 'wawp-instance-3',
  wawpAccessToken: 'wawp-token-SECRET-77aa',
  openwaApiKey: 'openwa-key-SECRET-c0de',
};
const SECRETS = [CREDS.wahaApiKey, CREDS.wawpAccessToken, CREDS.openwaApiKey];
const sandbox = new SandboxGateway({ credentials: sandboxCredentials(CREDS) });
const send = new WhatsAppSend();

const CHAT = '6281234567890@c.us';
const MESSAGE_ID = 'false_6281234567890@c.us_3EB0AA';

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
      id: MESSAGE_ID,
      type: 'text',
      direction: 'inbound',
      fromMe: false,
      text,
      chat: { id: CHAT, type: 'direct', lid: null },
      sender: { id: CHAT, phone: '6281234567890', lid: null, name: 'Ann' },
    },
    raw: {},
    ...top,
  } as NormalizedEvent;
}

type Gateway = 'waha' | 'wawp' | 'openwa-v5' | 'openwa-v4' | 'waserver';

/** The gateway's credential as n8n would decrypt it, pointing at the sandbox. */
function credentialsFor(gateway: Gateway): ICredentialDataDecryptedObject {
  const apiVersion = gateway === 'openwa-v4' ? 'v4' : 'v5';
  switch (gateway) {
    case 'waha':
      return { baseUrl: sandbox.baseUrlFor('waha'), apiKey: CREDS.wahaApiKey, webhookSecret: 'x' };
    case 'wawp':
      return { baseUrl: sandbox.baseUrlFor('wawp'), instanceId: CREDS.wawpInstanceId, accessToken: CREDS.wawpAccessToken };
    case 'openwa-v5':
    case 'openwa-v4':
      return { baseUrl: sandbox.baseUrlFor('openwa', apiVersion), apiKey: CREDS.openwaApiKey, apiVersion };
    case 'waserver':
      return {};
  }
}

const providerOf = (gateway: Gateway): ProviderName => (gateway.startsWith('openwa') ? 'openwa' : (gateway as ProviderName));

interface Run {
  gateway?: Gateway;
  parameters?: Parameters;
  items?: Array<NormalizedEvent | IDataObject>;
  credentials?: ICredentialDataDecryptedObject;
  continueOnFail?: boolean;
}

async function run({ gateway = 'waha', parameters = {}, items = [messageEvent()], credentials, continueOnFail }: Run) {
  const credentialRequests: string[] = [];
  const ctx = executeContext({
    nodeType: send,
    parameters: { provider: providerOf(gateway), ...parameters },
    items: items.map((json) => ({ json: json as IDataObject })),
    credentials: credentials ?? credentialsFor(gateway),
    credentialRequests,
    continueOnFail,
  });
  const [output] = await send.execute!.call(ctx);
  return { output: output as INodeExecutionData[], credentialRequests };
}

beforeAll(() => sandbox.start());
beforeEach(() => sandbox.reset());
afterAll(() => sandbox.stop());

describe("WhatsApp Send: each provider's request contract", () => {
  const cases: Array<[Gateway, string, { path: string; credential: string; quoted: boolean; body: object }]> = [
    [
      'waha',
      'sendText',
      {
        path: '/waha/api/sendText',
        credential: 'wahaApi',
        quoted: true,
        body: { session: 'default', chatId: CHAT, text: 'You said: hello', reply_to: MESSAGE_ID },
      },
    ],
    [
      'wawp',
      'sendText',
      {
        path: '/wawp/v2/send/text',
        credential: 'wawpApi',
        quoted: true,
        body: { instance_id: CREDS.wawpInstanceId, access_token: CREDS.wawpAccessToken, chatId: CHAT, message: 'You said: hello', reply_to: MESSAGE_ID },
      },
    ],
    ['openwa-v5', 'sendText', { path: '/openwa/api/sendText', credential: 'openWaApi', quoted: false, body: { to: CHAT, text: 'You said: hello' } }],
    [
      'openwa-v4',
      'reply',
      { path: '/openwa-v4/reply', credential: 'openWaApi', quoted: true, body: { args: { to: CHAT, content: 'You said: hello', quotedMsgId: MESSAGE_ID } } },
    ],
  ];

  it.each(cases)('%s: by default a quoted reply to the triggering message (%s), no expression needed', async (gateway, operation, want) => {
    const event = messageEvent('hello', { provider: providerOf(gateway) });
    const { output, credentialRequests } = await run({ gateway, items: [event] });

    expect(credentialRequests).toEqual([want.credential]);
    expect(sandbox.requests).toEqual([{ method: 'POST', path: want.path }]);
    expect(sandbox.deliveries).toHaveLength(1);
    const [delivery] = sandbox.deliveries;
    expect(delivery).toMatchObject({ operation, chatId: CHAT, text: 'You said: hello', replyTo: want.quoted ? MESSAGE_ID : null });
    expect(delivery.body).toEqual(want.body);
    // The output: what was sent, and the event, so the flow can go on.
    expect(output).toEqual([
      {
        json: {
          provider: providerOf(gateway),
          operation: 'sendText',
          chatId: CHAT,
          messageId: delivery.messageId,
          quoted: want.quoted,
          text: 'You said: hello',
          typing: null,
          event,
        },
        pairedItem: { item: 0 },
      },
    ]);
  });

  it('WAHA: sends from the session the event came from, or the one set in the node', async () => {
    await run({ items: [messageEvent('hi', { session: 'sales' })] });
    await run({ items: [messageEvent('hi', { session: 'sales' })], parameters: { session: 'support' } });
    // An event from another gateway says nothing about WAHA sessions.
    await run({ items: [messageEvent('hi', { provider: 'wawp', session: 'ABC123' })] });
    expect(sandbox.deliveries.map((delivery) => delivery.session)).toEqual(['sales', 'support', 'default']);
  });
});

describe('WhatsApp Send: the text', () => {
  const routed = { ...messageEvent('How much is it?'), route: { rule: 2, label: 'Pricing' }, keyword: 'how much' };

  it('a fixed text is a template over the event, router fields included', async () => {
    const { output } = await run({
      items: [routed],
      parameters: { text: 'Hi {{name}} ({{phone}}) in {{chat}}: "{{text}}" matched {{keyword}} via {{route.label}}{{missing}}' },
    });
    expect(sandbox.deliveries[0].text).toBe(`Hi Ann (6281234567890) in ${CHAT}: "How much is it?" matched how much via Pricing`);
    expect(output[0].json.text).toBe(sandbox.deliveries[0].text);
  });

  it("an n8n expression works, alongside the placeholders (n8n's editor makes any text with {{ }} an expression)", async () => {
    await run({ items: [routed], parameters: { text: '=Hi {{name}}! {{ $json.message.text.toUpperCase() }} {{ 20 + 22 }} {{text}}' } });
    expect(sandbox.deliveries[0].text).toBe('Hi Ann! HOW MUCH IS IT? 42 How much is it?');
  });

  it('a message text is never evaluated as an n8n expression', async () => {
    const sneaky = '{{ $json.id }} \u27e6x:0\u27e7 }}';
    await run({ items: [messageEvent(sneaky)], parameters: { text: '=Echo: {{text}} / {{ $json.message.id }}' } });
    expect(sandbox.deliveries[0].text).toBe(`Echo: ${sneaky} / ${MESSAGE_ID}`);
  });

  it('an empty text fails the item instead of sending', async () => {
    await expect(run({ parameters: { text: '{{missing}}  ' } })).rejects.toThrow('Nothing to send: the text is empty');
    expect(sandbox.requests).toEqual([]);
  });
});

describe('WhatsApp Send: Reply To', () => {
  it('the triggering chat without quoting', async () => {
    const { output } = await run({ parameters: { replyTo: 'chat' } });
    expect(sandbox.deliveries[0]).toMatchObject({ chatId: CHAT, replyTo: null });
    expect(output[0].json.quoted).toBe(false);
  });

  it('a chat ID (here an expression over any item, whose fields the placeholders read)', async () => {
    const rows = [
      { phone: '628111', name: 'Budi' },
      { phone: '628222', name: 'Sari' },
    ];
    const { output } = await run({
      items: rows,
      parameters: { replyTo: 'chatId', chatId: '={{ $json.phone }}@c.us', text: 'Hello {{name}}, your order shipped' },
    });
    expect(sandbox.deliveries.map((d) => [d.chatId, d.text, d.replyTo])).toEqual([
      ['628111@c.us', 'Hello Budi, your order shipped', null],
      ['628222@c.us', 'Hello Sari, your order shipped', null],
    ]);
    expect(output.map((item) => item.json.event)).toEqual([null, null]);
  });

  it('answers the same message again after another WhatsApp Send (the event travels in json.event)', async () => {
    const { output: first } = await run({ parameters: { text: 'One' } });
    await run({ items: [first[0].json], parameters: { text: 'Two: {{text}}' } });
    expect(sandbox.deliveries.map((d) => [d.text, d.replyTo])).toEqual([
      ['One', MESSAGE_ID],
      ['Two: hello', MESSAGE_ID],
    ]);
  });

  it('an item that is not an event cannot be replied to: a clear error naming the item', async () => {
    const error = await run({ items: [messageEvent(), { text: 'a flat row' }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as Error).message).toMatch(
      /^No chat to reply to: item 1 is not a normalized WhatsApp event: connect this node after a WhatsApp trigger .* or set Reply To to "Chat ID Below"$/,
    );
  });
});

describe('WhatsApp Send: errors', () => {
  const wrongKey = () => ({ ...credentialsFor('waha'), apiKey: 'wrong-key' });

  it("a 401 is a NodeApiError naming provider, status and the gateway's message, not retried, no secret", async () => {
    const error = (await run({ credentials: wrongKey() }).catch((caught: unknown) => caught)) as NodeApiError;
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toMatch(/^WAHA answered POST http:\/\/127\.0\.0\.1:\d+\/waha\/api\/sendText with 401: Unauthorized$/);
    expect(error.httpCode).toBe('401');
    expect(error.description).toMatch(/credential/);
    expect(sandbox.requests).toHaveLength(1);
    for (const secret of [...SECRETS, 'wrong-key']) expect(JSON.stringify({ message: error.message, description: error.description })).not.toContain(secret);
  });

  it('continueOnFail: failed items carry json.error = {provider, status, message} and the event; the others are sent', async () => {
    const items = [messageEvent('one'), { not: 'an event' }];
    const { output } = await run({ credentials: wrongKey(), items, continueOnFail: true });
    expect(output.map((item) => item.json)).toEqual([
      { error: { provider: 'waha', status: 401, message: expect.stringMatching(/WAHA answered .* with 401: Unauthorized/) }, event: items[0] },
      {
        error: { provider: 'waha', status: null, message: expect.stringMatching(/^No chat to reply to: item 1 is not a normalized WhatsApp event/) },
        event: null,
      },
    ]);
    // Set on the item too: n8n routes such items to the error output when that is chosen.
    expect(output[0].error).toBeInstanceOf(NodeApiError);
    expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);

    const { output: mixed } = await run({ items: [messageEvent('ok'), { not: 'an event' }, messageEvent('ok too')], continueOnFail: true });
    expect(mixed.map((item) => Boolean(item.json.error))).toEqual([false, true, false]);
    expect(sandbox.deliveries.map((d) => d.text)).toEqual(['You said: ok', 'You said: ok too']);
  });

  it('a 5xx is retried by the core client, and the message goes out once', async () => {
    sandbox.failNext(503, 2);
    const { output } = await run({});
    expect(sandbox.requests).toHaveLength(3);
    expect(sandbox.deliveries).toHaveLength(1);
    expect(output[0].json.messageId).toBe(sandbox.deliveries[0].messageId);
  });

  it('wa-server is receive-only: a clear error, no credential asked for, nothing sent', async () => {
    const { credentialRequests, output } = await run({ gateway: 'waserver', continueOnFail: true });
    expect(credentialRequests).toEqual([]);
    expect(output[0].json.error).toEqual({
      provider: 'waserver',
      status: null,
      message: expect.stringMatching(/^wa-server does not support sending messages: it has no documented send API/),
    });
    await expect(run({ gateway: 'waserver' })).rejects.toThrow(/receive-only/);
    expect(sandbox.requests).toEqual([]);
  });

  it('an API URL with a user:password (issue 11, defect 6) is refused before any call, with a NodeOperationError saying where the password goes, not quoting it', async () => {
    const password = 'pw-in-url-3c9e';
    const error = await run({ credentials: { ...credentialsFor('waha'), baseUrl: `http://admin:${password}@127.0.0.1:9/` } }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as Error).message).toMatch(/^WAHA: The API URL contains a user name or password .*API key \/ password field/);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain(password);
  });

  it('an unreachable gateway names the provider and the reason', async () => {
    const closed = await new Promise<Server>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => resolve(server));
    });
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const started = Date.now();
    await expect(run({ credentials: { ...credentialsFor('waha'), baseUrl: `http://127.0.0.1:${port}` } })).rejects.toThrow(
      new RegExp(`^WAHA could not be reached at POST http://127\\.0\\.0\\.1:${port}/api/sendText: .*ECONNREFUSED`),
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400); // two retries, 500 + 1000 ms
  });
});

describe('WhatsApp Send: Mark as Read', () => {
  it.each([
    ['waha', '/waha/api/sendSeen', { session: 'default', chatId: CHAT, messageIds: [MESSAGE_ID] }],
    ['openwa-v4', '/openwa-v4/sendSeen', { args: { chatId: CHAT } }],
  ] as Array<[Gateway, string, object]>)('%s: marks the triggering message read', async (gateway, path, body) => {
    const event = messageEvent('hello', { provider: providerOf(gateway) });
    const { output } = await run({ gateway, items: [event], parameters: { operation: 'markRead' } });
    expect(sandbox.requests).toEqual([{ method: 'POST', path }]);
    expect(sandbox.deliveries[0].body).toEqual(body);
    expect(output[0].json).toEqual({ provider: providerOf(gateway), chatId: CHAT, messageIds: [MESSAGE_ID], event });
  });

  it.each([
    ['wawp', /^Wawp does not support marking messages as read: its API documents no call for it$/],
    ['openwa-v5', /^open-wa does not support marking messages as read: the v5 REST API documents no call for it/],
  ] as Array<[Gateway, RegExp]>)('%s: not in its API, said clearly', async (gateway, message) => {
    await expect(run({ gateway, parameters: { operation: 'markRead' } })).rejects.toThrow(message);
    expect(sandbox.requests).toEqual([]);
  });
});

describe('WhatsApp Send: many items', () => {
  it('sends every item, outputs in item order, at most 4 requests at once', async () => {
    let inFlight = 0;
    let most = 0;
    let count = 0;
    // A slow WAHA: answers after 30 ms, later requests faster, so answers arrive out of order.
    const slow = createServer((req, res) => {
      const n = count++;
      inFlight++;
      most = Math.max(most, inFlight);
      req.resume();
      setTimeout(
        () => {
          inFlight--;
          res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${n}` }));
        },
        40 - (n % 4) * 10,
      );
    });
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const items = Array.from({ length: 12 }, (_, i) => messageEvent(`message ${i}`));
      const { output } = await run({ items, credentials: { baseUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`, apiKey: 'k' } });
      expect(output.map((item) => item.json.text)).toEqual(items.map((_, i) => `You said: message ${i}`));
      expect(output.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
      expect(count).toBe(12);
      expect(most).toBe(4);
    } finally {
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('after a failure (without continueOnFail) no further item starts', async () => {
    const started: number[] = [];
    const task = async (n: number) => {
      started.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (n === 1) throw new Error('boom');
      return n;
    };
    await expect(Limiter.map([0, 1, 2, 3, 4, 5, 6, 7], 2, task)).rejects.toThrow('boom');
    expect(started).toEqual([0, 1, 2]);
    await expect(Limiter.map([3, 4], 4, task)).resolves.toEqual([3, 4]);
  });
});

describe('WhatsApp Send: rich replies', () => {
  const IMAGE = Buffer.from(Array.from({ length: 3000 }, (_v, i) => (i * 31) % 256));
  const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
  const withBinary = (event: NormalizedEvent, property = 'data'): INodeExecutionData => ({
    json: event as unknown as IDataObject,
    binary: { [property]: { data: IMAGE.toString('base64'), mimeType: 'image/png', fileName: 'chart.png' } },
  });
  async function runItems(gateway: Gateway, parameters: Parameters, items: INodeExecutionData[], continueOnFail = false) {
    const ctx = executeContext({
      nodeType: send,
      parameters: { provider: providerOf(gateway), ...parameters },
      items,
      credentials: credentialsFor(gateway),
      continueOnFail,
    });
    const [output] = await send.execute!.call(ctx);
    return output as INodeExecutionData[];
  }

  it('Send Image from binary data with a caption: the gateway receives the same bytes, quoted', async () => {
    const output = await runItems('waha', { operation: 'sendImage', caption: 'For {{name}}' }, [withBinary(messageEvent())]);
    const [delivery] = sandbox.deliveries;
    expect(delivery).toMatchObject({ path: '/api/sendImage', text: 'For Ann', replyTo: MESSAGE_ID });
    expect(delivery.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), mimetype: 'image/png', filename: 'chart.png' }));
    expect(output[0].json).toEqual(expect.objectContaining({ operation: 'sendImage', quoted: true, text: 'For Ann', messageId: delivery.messageId }));
  });

  it('Send Voice Note from another binary field, with open-wa v4 (a data URL)', async () => {
    await runItems('openwa-v4', { operation: 'sendVoice', binaryPropertyName: 'audio' }, [withBinary(messageEvent(), 'audio')]);
    expect(sandbox.deliveries[0]).toMatchObject({ operation: 'sendPtt', replyTo: MESSAGE_ID });
    expect(sandbox.deliveries[0].media?.sha256).toBe(sha256(IMAGE));
  });

  it("a missing binary field is n8n's own error for the item", async () => {
    await expect(runItems('waha', { operation: 'sendImage', binaryPropertyName: 'nope' }, [withBinary(messageEvent())])).rejects.toThrow(
      "expects the node's input data to contain a binary file 'nope'",
    );
    expect(sandbox.requests).toEqual([]);
  });

  it('React and Send Location', async () => {
    await runItems('waha', { operation: 'react', emoji: '🎉' }, [{ json: messageEvent() as unknown as IDataObject }]);
    await runItems('waha', { operation: 'sendLocation', latitude: '-6.1754', longitude: '106.8272', locationName: 'Monas' }, [
      { json: messageEvent() as unknown as IDataObject },
    ]);
    expect(sandbox.deliveries.map((d) => [d.operation, d.reaction ?? d.text])).toEqual([
      ['reaction', '🎉'],
      ['sendLocation', 'Monas'],
    ]);
  });

  it("an operation the gateway lacks is a NodeOperationError naming it; under Continue it is the item's error", async () => {
    const items = [{ json: messageEvent() as unknown as IDataObject }];
    await expect(runItems('wawp', { operation: 'react', emoji: '👍' }, items)).rejects.toThrow(/^Wawp does not support reactions: /);
    const output = await runItems('wawp', { operation: 'react', emoji: '👍' }, items, true);
    expect(output[0].json.error).toEqual(
      expect.objectContaining({ provider: 'wawp', status: null, message: expect.stringMatching(/^Wawp does not support reactions/) }),
    );
    expect(sandbox.requests).toEqual([]);
  });

  it('a file above Max Upload Size fails with both sizes, before any request', async () => {
    const attempt = runItems('waha', { operation: 'sendImage', maxUploadMb: 0.001 }, [withBinary(messageEvent())]);
    await expect(attempt).rejects.toBeInstanceOf(NodeOperationError);
    await expect(attempt).rejects.toThrow(/too large: 0 MB, more than the maximum upload size of 0 MB/);
    expect(sandbox.requests).toEqual([]);
  });

  it('Typing First: the indicator reaches the gateway before the message, at least the set time earlier', async () => {
    const output = await runItems('waha', { typing: 'fixed', typingMs: 100 }, [{ json: messageEvent() as unknown as IDataObject }]);
    expect(sandbox.deliveries.map((d) => d.operation)).toEqual(['startTyping', 'stopTyping', 'sendText']);
    expect(sandbox.deliveries[2].at! - sandbox.deliveries[0].at!).toBeGreaterThanOrEqual(100);
    expect(output[0].json.typing).toEqual({ delayMs: 100, shown: true, problem: null });
  });
});
