/**
 * The four gateway triggers' `webhook()` against a fake n8n context: what becomes items, what is
 * answered and how, and that nothing but accepted events creates an execution.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INodeType, IWebhookResponseData } from 'n8n-workflow';
import { FLAT_COLUMNS, providers, type ProviderName } from '../../core';
import { OpenWaTrigger } from '../../nodes/OpenWaTrigger/OpenWaTrigger.node';
import { clearReceivers, MAX_RECEIVERS, receiverCount } from '../../nodes/shared/receivers';
import { WahaTrigger } from '../../nodes/WahaTrigger/WahaTrigger.node';
import { EvolutionTrigger } from '../../nodes/EvolutionTrigger/EvolutionTrigger.node';
import { WaServerTrigger } from '../../nodes/WaServerTrigger/WaServerTrigger.node';
import { WawpTrigger } from '../../nodes/WawpTrigger/WawpTrigger.node';
import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node';
import { webhookContext, type Parameters, type WebhookRequestInit } from './fakes';
import { sampleBody } from '../../cli/samples';
import { SandboxGateway } from '../../sandbox/gateway';
import { KNOWN_LID, KNOWN_PHONE, wahaMessageFromLid } from '../helpers/lid';
import { withSignedTimeNow } from '../helpers/signed-time';

const SECRET = 'n8n-test-secret';

const TRIGGERS: Record<ProviderName, INodeType> = {
  waha: new WahaTrigger(),
  wawp: new WawpTrigger(),
  openwa: new OpenWaTrigger(),
  waserver: new WaServerTrigger(),
  evolution: new EvolutionTrigger(),
  cloudapi: new WhatsAppCloudTrigger(),
};

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

/** A request as the gateway would send it, signed with `secret`. */
function signed(provider: ProviderName, body: unknown, secret = SECRET, extra: { hmacSecret?: string; nowMs?: number } = {}): WebhookRequestInit {
  const nowMs = extra.nowMs ?? Date.now();
  const rawBody = Buffer.from(typeof body === 'string' ? body : JSON.stringify(withSignedTimeNow(providers[provider], body, nowMs)));
  const { headers, query } = providers[provider].sign({ body: rawBody, secret, nowMs, options: { hmacSecret: extra.hmacSecret } });
  return { rawBody, headers: { 'content-type': 'application/json', ...lowerCased(headers) }, query };
}

function sample(provider: ProviderName, event: Parameters[string] & string = 'message'): Record<string, unknown> {
  const body = sampleBody(providers[provider], event as never);
  if (!body) throw new Error(`${provider} has no ${event} sample`);
  return body;
}

async function run(
  provider: ProviderName,
  request: WebhookRequestInit,
  parameters: Parameters = {},
  more: { credentials?: Record<string, string>; nodeId?: string; mode?: string } = {},
) {
  const nodeType = TRIGGERS[provider];
  const { ctx, response } = webhookContext({
    nodeType,
    parameters,
    credentials: more.credentials ?? { webhookSecret: SECRET },
    nodeId: more.nodeId,
    mode: more.mode,
    request,
  });
  const result = (await nodeType.webhook!.call(ctx)) as IWebhookResponseData;
  expect(result.noWebhookResponse).toBe(true); // the node always answers itself
  const answer = response.body === undefined ? undefined : JSON.parse(response.body);
  return { result, response, answer, items: result.workflowData?.[0] ?? [] };
}

beforeEach(() => clearReceivers());

describe('Answer the Gateway: After the Workflow Has Taken the Event (n8n answers, lastNode)', () => {
  const withId = (id: string) => {
    const body = sample('waha') as { payload: Record<string, unknown> };
    return { ...body, payload: { ...body.payload, id } };
  };
  async function lastNode(body: unknown) {
    const { ctx, response } = webhookContext({
      nodeType: TRIGGERS.waha,
      parameters: { respond: 'lastNode' },
      credentials: { webhookSecret: SECRET },
      request: signed('waha', body),
    });
    const result = (await TRIGGERS.waha.webhook!.call(ctx)) as IWebhookResponseData;
    return { result, response };
  }

  it('an accepted event: no answer from the node and workflowData without noWebhookResponse, so n8n answers at the end', async () => {
    const { result, response } = await lastNode(withId('alo-1'));
    expect(response.body).toBeUndefined();
    expect(result.noWebhookResponse).toBeUndefined();
    expect(result.workflowData?.[0]).toHaveLength(1);
  });

  it('a failed execution (500) forgets the id, so the retry runs; a successful one (200) records it, and its retry is answered by the node', async () => {
    const failed = await lastNode(withId('alo-2'));
    failed.response.finishAs(500);
    const retry = await lastNode(withId('alo-2'));
    expect(retry.result.workflowData?.[0]).toHaveLength(1);
    retry.response.finishAs(200);
    const again = await lastNode(withId('alo-2'));
    expect(again.result).toEqual({ noWebhookResponse: true });
    expect(JSON.parse(again.response.body!)).toMatchObject({ emitted: 0, duplicates: 1 });
  });

  it('a copy arriving while the first is in flight: 503 from the node, no execution; a connection cut before the answer forgets the id', async () => {
    const first = await lastNode(withId('alo-3'));
    const copy = await lastNode(withId('alo-3'));
    expect([copy.response.statusCode, copy.result]).toEqual([503, { noWebhookResponse: true }]);
    expect(copy.response.headers['retry-after']).toBe('5');
    first.response.finishAs();
    expect((await lastNode(withId('alo-3'))).result.workflowData?.[0]).toHaveLength(1);
  });

  it('refused requests are still answered by the node at once', async () => {
    const { ctx, response } = webhookContext({
      nodeType: TRIGGERS.waha,
      parameters: { respond: 'lastNode' },
      credentials: { webhookSecret: SECRET },
      request: signed('waha', withId('alo-4'), 'wrong-secret'),
    });
    expect(await TRIGGERS.waha.webhook!.call(ctx)).toEqual({ noWebhookResponse: true });
    expect(response.statusCode).toBe(401);
  });
});

describe.each(Object.keys(TRIGGERS) as ProviderName[])('%s trigger', (provider) => {
  it('turns a correctly signed message into one normalized item and answers 200 with the counts', async () => {
    const nowMs = Date.now();
    const { response, answer, items } = await run(provider, signed(provider, sample(provider), SECRET, { nowMs }));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(answer).toEqual({ ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 });
    expect(items).toHaveLength(1);
    expect(items[0].json).toMatchObject({ version: 1, provider, event: 'message' });
    // raw is the body as received (its signed time set to now, as signed); Evolution's `apikey` (a live instance token) is masked.
    const body = withSignedTimeNow(providers[provider], sample(provider), nowMs) as Record<string, unknown>;
    expect(items[0].json.raw).toEqual(provider === 'evolution' ? { ...body, apikey: '***' } : body);
    if (provider === 'evolution') expect(JSON.stringify(items)).not.toContain(String(body.apikey));
  });

  it('refuses a request signed with another secret: 401 with the reason, no items', async () => {
    const { result, response } = await run(provider, signed(provider, sample(provider), 'not-the-secret'));
    expect(result.workflowData).toBeUndefined();
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    const body = JSON.parse(response.body!);
    expect(body).toMatchObject({ ok: false, status: 401 });
    expect(body.error).not.toContain(SECRET);
    expect(body.error).not.toContain('not-the-secret');
  });

  it('answers a duplicate delivery with 200 and creates no execution', async () => {
    const request = signed(provider, sample(provider));
    const first = await run(provider, request);
    const second = await run(provider, request);
    expect(first.items).toHaveLength(1);
    expect(second.result.workflowData).toBeUndefined();
    expect(second.response.statusCode).toBe(200);
    expect(second.answer).toMatchObject({ ok: true, emitted: 0, duplicates: 1 });
  });

  it('answers an event the node does not listen to with 200 and creates no execution', async () => {
    const { result, response, answer } = await run(provider, signed(provider, sample(provider)), { events: ['call'] });
    expect(response.statusCode).toBe(200);
    expect(result.workflowData).toBeUndefined();
    expect(answer).toMatchObject({ ok: true, received: 1, emitted: 0, filtered: 1 });
  });

  it('emits the flat row when asked', async () => {
    const { items } = await run(provider, signed(provider, sample(provider)), { output: 'flat' });
    expect(Object.keys(items[0].json)).toEqual([...FLAT_COLUMNS]);
    expect(items[0].json).toMatchObject({ provider, event: 'message' });
  });

  it('leaves the raw body out when Include Raw Body is off', async () => {
    const { items } = await run(provider, signed(provider, sample(provider)), { includeRaw: false });
    expect(items[0].json).not.toHaveProperty('raw');
    expect(items[0].json).toHaveProperty('message');
  });
});

describe('trigger behaviour shared by every gateway', () => {
  it('keeps one receiver per node: dedupe spans requests; other nodes, changed settings and the test URL start fresh', async () => {
    const request = signed('waha', sample('waha'));
    expect((await run('waha', request, {}, { nodeId: 'a' })).items).toHaveLength(1);
    expect((await run('waha', request, {}, { nodeId: 'a' })).items).toHaveLength(0);
    expect((await run('waha', request, {}, { nodeId: 'b' })).items).toHaveLength(1);
    expect((await run('waha', request, { dedupeTtl: 60 }, { nodeId: 'a' })).items).toHaveLength(1);
    // The test URL ("Listen for test event") keeps its own memory: a gateway posting to both URLs
    // gets each copy through.
    expect((await run('waha', request, {}, { nodeId: 'a', mode: 'manual' })).items).toHaveLength(1);
    expect(receiverCount()).toBe(4);
    expect(MAX_RECEIVERS).toBeGreaterThan(0);
  });

  it('lets duplicates through when Drop Duplicates is off', async () => {
    const request = signed('waha', sample('waha'));
    await run('waha', request, { dedupe: false });
    expect((await run('waha', request, { dedupe: false })).items).toHaveLength(1);
  });

  it('makes several items of one execution from a body carrying several events', async () => {
    const { items } = await run('waha', signed('waha', sample('waha', 'presence')), { events: ['presence', 'chat.presence'] });
    expect(items.length).toBeGreaterThan(1);
    expect(new Set(items.map((item) => item.json.event))).toEqual(new Set(['presence', 'chat.presence']));
  });

  it('drops own messages by default and keeps them when asked', async () => {
    const own = sampleBody(providers.waha, 'message')!;
    const body = { ...own, event: 'message.any', payload: { ...(own.payload as object), fromMe: true, id: 'true_x@c.us_OWN1' } };
    expect((await run('waha', signed('waha', body))).answer).toMatchObject({ filtered: 1 });
    expect((await run('waha', signed('waha', body), { ignoreOwnMessages: false })).items).toHaveLength(1);
  });

  it('refuses a body over the size limit with 413', async () => {
    const { response } = await run('waha', signed('waha', { event: 'message', padding: 'x'.repeat(2048) }), { options: { maxBodyMb: 0.001 } });
    expect(response.statusCode).toBe(413);
  });

  it('refuses a caller outside the IP allowlist with 403', async () => {
    const request = { ...signed('wawp', sample('wawp')), ip: '198.51.100.9' };
    const { response } = await run('wawp', request, { options: { allowedIps: '203.0.113.0/24, 10.0.0.1' } });
    expect(response.statusCode).toBe(403);
    const allowed = await run('wawp', { ...request, ip: '203.0.113.50' }, { options: { allowedIps: '203.0.113.0/24' } });
    expect(allowed.items).toHaveLength(1);
  });

  it('answers 500 with the reason when the settings cannot work, without an execution', async () => {
    const { result, response, answer } = await run('wawp', signed('wawp', sample('wawp')), { options: { allowedIps: 'not-an-ip' } });
    expect(result.workflowData).toBeUndefined();
    expect(response.statusCode).toBe(500);
    expect(answer.error).toMatch(/Wawp trigger is misconfigured/);
  });

  it('refuses a body that is not JSON with 400', async () => {
    const { response } = await run('waha', signed('waha', 'not json'));
    expect(response.statusCode).toBe(400);
  });

  it('reads the Wawp token from the configured query parameter', async () => {
    const request = { ...signed('wawp', sample('wawp')), query: { token: SECRET } };
    expect((await run('wawp', request)).response.statusCode).toBe(401);
    expect((await run('wawp', request, { options: { secretQueryParam: 'token' } })).items).toHaveLength(1);
  });

  it('reads the open-wa secret from the configured header, and checks the HMAC key when set', async () => {
    const body = Buffer.from(JSON.stringify(sample('openwa')));
    const request = { rawBody: body, headers: { 'x-hub-secret': SECRET } };
    expect((await run('openwa', request)).response.statusCode).toBe(401);
    expect((await run('openwa', request, { options: { secretHeader: 'X-Hub-Secret' } })).items).toHaveLength(1);

    clearReceivers();
    const credentials = { webhookSecret: SECRET, hmacSecret: 'hmac-key' };
    expect((await run('openwa', signed('openwa', sample('openwa')), {}, { credentials })).response.statusCode).toBe(401);
    expect((await run('openwa', signed('openwa', sample('openwa'), SECRET, { hmacSecret: 'hmac-key' }), {}, { credentials })).items).toHaveLength(1);
  });

  it('applies the wa-server timestamp window', async () => {
    const tenMinutesAgo = Date.now() - 600_000;
    const request = signed('waserver', sample('waserver'), SECRET, { nowMs: tenMinutesAgo });
    expect((await run('waserver', request)).response.statusCode).toBe(401);
    expect((await run('waserver', request, { options: { timestampTolerance: 900 } })).items).toHaveLength(1);
  });

  it('reads the raw body lazily when n8n has not read it yet', async () => {
    const request = signed('waha', sample('waha'));
    const { items } = await run('waha', { ...request, rawBody: undefined, lazyRawBody: request.rawBody });
    expect(items).toHaveLength(1);
  });

  it.each(Object.keys(TRIGGERS) as ProviderName[])(
    '%s: an unsigned multipart/form-data POST (n8n parsed the form, its readRawBody() fails) is a 400 with a reason, without an execution',
    async (provider) => {
      const { ctx, response } = webhookContext({
        nodeType: TRIGGERS[provider],
        credentials: { webhookSecret: SECRET },
        request: { headers: { 'content-type': 'multipart/form-data; boundary=----x' }, parsedBody: { data: { event: 'message' } } },
      });
      // As n8n 1.123: the form parser took the stream, so reading the raw body fails.
      (ctx.getRequestObject() as unknown as { readRawBody(): Promise<void> }).readRawBody = () => Promise.reject(new Error('stream is not readable'));
      const result = (await TRIGGERS[provider].webhook!.call(ctx)) as IWebhookResponseData;
      expect(response.statusCode).toBe(400);
      expect(JSON.parse(response.body!)).toEqual({
        ok: false,
        status: 400,
        error: expect.stringMatching(/^Body is multipart\/form-data; .* webhooks are JSON$/),
      });
      expect(result.workflowData).toBeUndefined();
    },
  );

  it('a raw body n8n cannot read is a 503 (retry), not a failed execution', async () => {
    const request = signed('waha', sample('waha'));
    const { ctx, response } = webhookContext({ nodeType: TRIGGERS.waha, credentials: { webhookSecret: SECRET }, request: { ...request, rawBody: undefined } });
    (ctx.getRequestObject() as unknown as { readRawBody(): Promise<void> }).readRawBody = () => Promise.reject(new Error('stream is not readable'));
    const result = (await TRIGGERS.waha.webhook!.call(ctx)) as IWebhookResponseData;
    expect([response.statusCode, response.headers['retry-after'], result.workflowData]).toEqual([503, '1', undefined]);
    expect(JSON.parse(response.body!).error).toMatch(/raw body could not be read/);
  });

  it('without raw bytes, re-serializes the parsed body: token checks pass, body signatures fail closed', async () => {
    const body = sample('waha');
    const pretty = JSON.stringify(body, null, 2); // what the gateway sent and signed
    const wahaRequest = signed('waha', pretty);
    const waha = await run('waha', { ...wahaRequest, rawBody: undefined, parsedBody: body });
    expect(waha.response.statusCode).toBe(401);

    const wawpRequest = signed('wawp', pretty);
    const wawp = await run('wawp', { ...wawpRequest, rawBody: undefined, parsedBody: body });
    expect(wawp.items).toHaveLength(1);
  });

  it('describes each trigger as an n8n webhook trigger with its own credential', () => {
    for (const [provider, trigger] of Object.entries(TRIGGERS)) {
      const d = trigger.description;
      expect(d.group).toEqual(['trigger']);
      expect(d.inputs).toEqual([]);
      expect(d.outputs).toEqual(['main']);
      // The response mode is the "Answer the Gateway" parameter (onReceived or lastNode). A gateway that
      // checks the URL with a GET first gets a second webhook on the same path, always answered at once.
      const post = { name: 'default', httpMethod: 'POST', responseMode: '={{$parameter["respond"]}}', responseData: 'noData', path: 'webhook' };
      const handshake = providers[provider as ProviderName].handshake ? [{ ...post, name: 'setup', httpMethod: 'GET', responseMode: 'onReceived' }] : [];
      const byEvent = (providers[provider as ProviderName].eventSubPaths ?? []).map((sub) => ({ ...post, path: `webhook/${sub}`, ndvHideUrl: true }));
      expect(d.webhooks).toEqual([post, ...handshake, ...byEvent]);
      expect(d.properties.find((p) => p.name === 'respond')).toMatchObject({ type: 'options', default: 'onReceived' });
      // The replay window only where the gateway signs the delivery's time.
      const options = d.properties.find((p) => p.name === 'options')!.options as Array<{ name: string; default?: unknown }>;
      expect(options.find((o) => o.name === 'replayWindow')?.default).toBe(
        typeof providers[provider as ProviderName].signedTimeOf === 'function' ? 600 : undefined,
      );
      expect(d.credentials).toEqual([
        { name: expect.stringMatching(/Api$/), required: true },
        { name: 'whatsAppSharedStoreRedisApi', required: true, displayOptions: { show: { sharedStore: ['credential'] } } },
      ]);
      expect(d.description).toMatch(/^Starts the workflow when /);
      const registers = provider === 'waha' || provider === 'wawp' || provider === 'evolution';
      expect(d.properties.some((p) => p.name === 'registerWebhook')).toBe(registers);
      expect(trigger.webhookMethods !== undefined).toBe(registers);
      expect(d.properties.find((p) => p.name === 'events')?.default).toEqual(['message']);
    }
  });
});

describe('Resolve LIDs to Phone Numbers (trigger option)', () => {
  const sandbox = new SandboxGateway();
  beforeAll(() => sandbox.start());
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.reset());
  const credentials = () => ({ webhookSecret: SECRET, baseUrl: sandbox.baseUrlFor('waha'), apiKey: sandbox.credentialsOf('waha').apiKey! });

  it('is an option of the triggers whose gateway declares resolveLid, off by default', () => {
    for (const [provider, trigger] of Object.entries(TRIGGERS)) {
      const options = trigger.description.properties.find((p) => p.name === 'options')!.options as Array<{ name: string; default: unknown }>;
      const option = options.find((o) => o.name === 'resolveLids');
      expect([provider, option?.default]).toEqual([
        provider,
        providers[provider as ProviderName].api.anyCapabilities.includes('resolveLid') ? false : undefined,
      ]);
    }
  });

  it('on: a LID sender gets its phone from the gateway; an unknown LID keeps phone null with an issue', async () => {
    const known = await run('waha', signed('waha', wahaMessageFromLid(KNOWN_LID)), { options: { resolveLids: true } }, { credentials: credentials() });
    expect(known.answer).toMatchObject({ emitted: 1 });
    expect(known.items[0].json).toMatchObject({ message: { sender: { id: KNOWN_LID, phone: KNOWN_PHONE }, chat: { phone: KNOWN_PHONE } } });
    const unknown = await run('waha', signed('waha', wahaMessageFromLid('999@lid')), { options: { resolveLids: true } }, { credentials: credentials() });
    expect(unknown.items[0].json).toMatchObject({
      message: { sender: { id: '999@lid', phone: null } },
      issues: [{ path: 'message.sender.phone', message: 'LID lookup failed: WAHA does not know the phone number of 999@lid' }, expect.anything()],
    });
  });

  it('off (the default): no lookup, phone null, no issue', async () => {
    const { items } = await run('waha', signed('waha', wahaMessageFromLid(KNOWN_LID)), {}, { credentials: credentials() });
    expect(items[0].json).toMatchObject({ message: { sender: { phone: null } } });
    expect(items[0].json.issues).toBeUndefined();
    expect(sandbox.requests).toEqual([]);
  });

  it('the gateway has its answer before the lookup starts', async () => {
    let answeredFirst: boolean | null = null;
    const { ctx, response } = webhookContext({
      nodeType: TRIGGERS.waha,
      parameters: { options: { resolveLids: true } },
      credentials: { webhookSecret: SECRET, baseUrl: '' },
      request: signed('waha', wahaMessageFromLid(KNOWN_LID)),
    });
    const server = createServer((_req, res) => {
      answeredFirst = response.body !== undefined;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ lid: KNOWN_LID, pn: `${KNOWN_PHONE}@c.us` }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      (await ctx.getCredentials('wahaApi')).baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const result = (await TRIGGERS.waha.webhook!.call(ctx)) as IWebhookResponseData;
      expect(answeredFirst).toBe(true);
      expect(result.workflowData![0][0].json).toMatchObject({ message: { sender: { phone: KNOWN_PHONE } } });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe("a gateway's GET subscription check (WhatsApp Cloud API Trigger)", () => {
  const credentials = { webhookSecret: SECRET, verifyToken: 'verify-token-5d2e' };
  const get = (query: Record<string, string>) => run('cloudapi', { method: 'GET', query }, {}, { credentials });

  it('echoes hub.challenge as plain text for the verify token, and starts no execution', async () => {
    const { response, result } = await get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-token-5d2e', 'hub.challenge': '1158201444' });
    expect([response.statusCode, response.body, response.headers['content-type']]).toEqual([200, '1158201444', 'text/plain; charset=utf-8']);
    expect(result.workflowData).toBeUndefined();
  });

  it('refuses another token with 403 and the reason, without quoting either token', async () => {
    const { response, answer, result } = await get({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1' });
    expect([response.statusCode, answer.error]).toEqual([403, 'hub.verify_token does not match the configured Verify Token']);
    expect(response.body).not.toContain('verify-token-5d2e');
    expect(result.workflowData).toBeUndefined();
  });

  it('a trigger of a gateway without one still answers GET with 405', async () => {
    const { response } = await run('waha', { method: 'GET', query: { 'hub.mode': 'subscribe' } });
    expect(response.statusCode).toBe(405);
  });
});
