/**
 * The n8n nodes in a real n8n: for each gateway, a workflow "trigger → WhatsApp Router → three
 * No-op nodes" is created and activated through n8n's public API, real signed HTTP requests are
 * posted to its production webhook URL on 127.0.0.1, and n8n's own execution data says what ran.
 * Refused, filtered and duplicate deliveries must create no execution. WAHA and Wawp register their
 * webhook at a fake gateway API on activation and remove it on deactivation. Then, per sending
 * gateway, the shipped auto-reply example (trigger → router → WhatsApp Send) answers a real
 * inbound message through the sandbox gateway.
 *
 * n8n lines: WAFLOW_N8N_LINES=1,2 (default both): 1 = n8n 1.123 on Node 22, 2 = n8n 2.40 on Node 24.
 * WAFLOW_N8N_LOG=1 prints n8n's log at the end.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshSample } from '../../../cli/fresh-sample';
import { providers, type CanonicalEvent, type ProviderName } from '../../../core';
import {
  activate,
  createCredential,
  installN8n,
  PACKAGE,
  startN8n,
  unsignedStatus,
  until,
  updateCredential,
  type N8nInstance,
  type N8nLine,
} from '../../../demo/n8n/instance';
import { forGateway, TRIGGERS, webhookUrlOf } from '../../../demo/n8n/workflows';
import { PROVIDER_LIST } from '../../../core/providers';
import { SandboxGateway } from '../../../sandbox/gateway';
import { startFakeGateway, WAHA_API_KEY, WAWP_INSTANCE, WAWP_TOKEN, type FakeGateway } from '../../n8n/fake-gateway';
import { sampleBody } from '../../../cli/samples';
import { fixtureBytes } from '../../helpers/fixtures';
import { KNOWN_LID, KNOWN_PHONE, wahaMessageFromLid } from '../../helpers/lid';

/** The credentials the sandbox accepts by default, per provider. */
const SANDBOX = Object.fromEntries(PROVIDER_LIST.map((p) => [p.name, p.sandbox.credentials])) as Record<
  string,
  { apiKey?: string; instanceId?: string; accessToken?: string; phoneNumberId?: string }
>;

const SECRET = 'engine-test-secret';
const VERIFY_TOKEN = 'engine-verify-token';
const LINES = (process.env.WAFLOW_N8N_LINES ?? '1,2').split(',').map((line) => Number(line.trim()) as N8nLine);

/** The provider's documented message, with fresh ids and the given text. */
function messageSaying(provider: ProviderName, text: string): Record<string, unknown> {
  const body = freshSample(sampleBody(providers[provider], 'message')!, Date.now());
  const original = providers[provider].normalize(body, { receivedAtMs: Date.now(), bodyDigest: '-' })[0].message!.text;
  const replace = (value: unknown): unknown => {
    if (value === original) return text;
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return replace(body) as Record<string, unknown>;
}

function sample(provider: ProviderName, event: CanonicalEvent): Record<string, unknown> {
  return freshSample(sampleBody(providers[provider], event)!, Date.now());
}

interface Delivery {
  status: number;
  body: Record<string, unknown>;
}

/** Posts a body as the gateway would: signed with `secret` at the time of sending. */
async function deliver(url: string, provider: ProviderName, body: Buffer, secret = SECRET): Promise<Delivery> {
  const { headers, query } = providers[provider].sign({ body, secret, nowMs: Date.now() });
  const target = new URL(url);
  for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
  const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await res.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { text };
  }
  return { status: res.status, body: parsed };
}

const bytes = (body: unknown) => Buffer.from(JSON.stringify(body));

interface Execution {
  id: string;
  status: string;
  data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: Record<string, any> }> | null> } }>> } };
}

/** Items a node output in an execution (first run, first output unless told). */
function itemsOf(execution: Execution, node: string, output = 0): Array<Record<string, any>> {
  const run = execution.data.resultData.runData[node]?.[0];
  return (run?.data.main[output] ?? []).map((item) => item.json);
}

/** The gateway's trigger node, named "Trigger", with its credential. */
function triggerNode(provider: ProviderName, webhookId: string, parameters: Record<string, unknown>, credential: unknown) {
  const trigger = TRIGGERS[provider];
  return {
    id: randomUUID(),
    name: 'Trigger',
    type: trigger.type,
    typeVersion: 1,
    position: [0, 0],
    webhookId,
    parameters,
    credentials: { [trigger.credential]: credential },
  };
}

describe.each(LINES)('n8n line %s', (line) => {
  let n8n: N8nInstance;
  let gateway: FakeGateway;

  beforeAll(async () => {
    const engine = installN8n(line);
    gateway = await startFakeGateway();
    n8n = await startN8n(engine);
  }, 25 * 60_000);

  afterAll(async () => {
    // WAFLOW_N8N_LOG=1 prints n8n's own log, for when a run fails.
    if (process.env.WAFLOW_N8N_LOG && n8n) process.stdout.write(n8n.log());
    await n8n?.stop();
    await gateway?.close();
  });

  it('runs the n8n version of the line', () => {
    // Whether n8n loaded the package shows below: activation fails on an unknown node type.
    expect(n8n.version).toMatch(line === 1 ? /^1\.123\./ : /^2\.40\./);
  });

  async function createWorkflow(provider: ProviderName, credentialData: Record<string, unknown>, triggerParameters: Record<string, unknown>) {
    const trigger = TRIGGERS[provider];
    const credential = await createCredential(n8n, trigger.credential, `${provider} credential`, credentialData);
    const webhookId = randomUUID();
    const noOp = (name: string, y: number) => ({ id: randomUUID(), name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [500, y], parameters: {} });
    const workflow = await n8n.api('POST', '/workflows', {
      name: `waflow ${provider}`,
      settings: { saveDataSuccessExecution: 'all', saveManualExecutions: true },
      nodes: [
        triggerNode(provider, webhookId, triggerParameters, credential),
        {
          id: randomUUID(),
          name: 'Router',
          type: `${PACKAGE}.whatsAppRouter`,
          typeVersion: 1,
          position: [250, 0],
          parameters: {
            rules: {
              rule: [
                { kind: 'command', commands: 'start' },
                { kind: 'keywords', keywords: 'price', label: 'Pricing' },
              ],
            },
          },
        },
        noOp('Start', -200),
        noOp('Price', 0),
        noOp('Other', 200),
      ],
      connections: {
        Trigger: { main: [[{ node: 'Router', type: 'main', index: 0 }]] },
        Router: {
          main: [[{ node: 'Start', type: 'main', index: 0 }], [{ node: 'Price', type: 'main', index: 0 }], [{ node: 'Other', type: 'main', index: 0 }]],
        },
      },
    });
    return { id: workflow.id as string, url: `${n8n.baseUrl}/webhook/${webhookId}/webhook`, credential };
  }

  async function executionsOf(workflowId: string): Promise<Execution[]> {
    const page = await n8n.api<{ data: Execution[] }>('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=100`);
    return page.data.filter((execution) => execution.status !== 'running' && execution.status !== 'new');
  }

  const CASES: Array<[ProviderName, Record<string, unknown>, Record<string, unknown>]> = [
    ['waha', { webhookSecret: SECRET, apiKey: WAHA_API_KEY }, { events: ['message', 'presence', 'chat.presence'] }],
    ['wawp', { webhookSecret: SECRET, instanceId: WAWP_INSTANCE, accessToken: WAWP_TOKEN }, {}],
    ['openwa', { webhookSecret: SECRET }, { includeRaw: false }],
    ['waserver', { webhookSecret: SECRET }, {}],
    // Registration is Evolution's own test (test/providers/evolution.test.ts); here the fake gateway plays only WAHA and Wawp.
    ['evolution', { webhookSecret: SECRET }, { registerWebhook: false }],
    ['cloudapi', { webhookSecret: SECRET, verifyToken: VERIFY_TOKEN }, {}],
  ];

  it.each(CASES)('%s: verifies, dedupes, filters and routes real deliveries', async (provider, credentialData, triggerParameters) => {
    // The fake gateway is the API of the gateways whose credential has one (wa-server is receive-only).
    const api = providers[provider].fields.some((field) => field.key === 'baseUrl') ? { baseUrl: gateway.url } : {};
    const workflow = await createWorkflow(provider, { ...api, ...credentialData }, triggerParameters);
    await activate(n8n, workflow.id, workflow.url);

    const registered = () => (provider === 'waha' ? (gateway.waha.default.config.webhooks as unknown[]) : provider === 'wawp' ? gateway.wawp.webhooks : []);
    if (provider === 'waha' || provider === 'wawp') {
      await until('the webhook registration', 30_000, async () => (registered().length === 2 ? true : undefined));
    }
    if (provider === 'waha') {
      expect(registered()).toContainEqual({ url: workflow.url, events: ['message', 'presence.update'], hmac: { key: SECRET } });
      expect(gateway.waha.default.config.metadata).toEqual({ team: 'sales' });
    }
    if (provider === 'wawp') {
      expect(registered()).toContainEqual({ url: `${workflow.url}?secret=${SECRET}`, events: ['message'], is_active: 1 });
    }

    // Issue 11, defect 4: an unsigned form post is a 400 with a reason, and no (failed) execution:
    // the executions counted below would include one.
    const form = new FormData();
    form.append('event', 'message');
    const multipart = await fetch(workflow.url, { method: 'POST', body: form });
    expect([multipart.status, await multipart.json()]).toEqual([
      400,
      { ok: false, status: 400, error: expect.stringMatching(/^Body is multipart\/form-data; .* webhooks are JSON$/) },
    ]);

    const start = bytes(messageSaying(provider, '/start now'));
    const accepted = await deliver(workflow.url, provider, start);
    expect(accepted).toEqual({ status: 200, body: { ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 } });
    // Refused, duplicate and filtered-out deliveries: answered, no execution.
    expect(await deliver(workflow.url, provider, start)).toMatchObject({ status: 200, body: { emitted: 0, duplicates: 1 } });
    expect(await deliver(workflow.url, provider, bytes(sample(provider, 'message.ack')))).toMatchObject({ status: 200, body: { emitted: 0, filtered: 1 } });
    const forged = await deliver(workflow.url, provider, bytes(messageSaying(provider, '/start')), 'wrong-secret');
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ ok: false, status: 401, error: expect.any(String) });

    expect((await deliver(workflow.url, provider, bytes(messageSaying(provider, 'What is the PRICE?')))).status).toBe(200);
    expect((await deliver(workflow.url, provider, bytes(messageSaying(provider, 'hello')))).status).toBe(200);
    let expected = 3;
    if (provider === 'waha') {
      // One request carrying two events: one execution with two items.
      expect(await deliver(workflow.url, provider, bytes(sample(provider, 'presence')))).toMatchObject({ status: 200, body: { emitted: 2 } });
      expected = 4;
    }

    const executions = await until(`${expected} executions`, 60_000, async () => {
      const found = await executionsOf(workflow.id);
      return found.length >= expected ? found : undefined;
    });
    expect(executions).toHaveLength(expected);
    expect(executions.map((execution) => execution.status)).toEqual(Array(expected).fill('success'));

    const byNode = (node: string) => executions.flatMap((execution) => itemsOf(execution, node));
    const [started] = byNode('Start');
    expect(byNode('Start')).toHaveLength(1);
    expect(started).toMatchObject({
      version: 1,
      provider,
      event: 'message',
      message: { text: '/start now', direction: 'inbound' },
      route: { rule: 1, label: 'command /start' },
      command: { name: 'start', args: ['now'] },
    });
    expect(started.raw === undefined).toBe(provider === 'openwa'); // Include Raw Body off there
    expect(byNode('Price')).toEqual([expect.objectContaining({ route: { rule: 2, label: 'Pricing' }, keyword: 'price' })]);
    const others = byNode('Other');
    expect(others.map((item) => item.route)).toEqual(others.map(() => ({ rule: null, label: 'otherwise' })));
    expect(others.map((item) => item.event).sort()).toEqual(provider === 'waha' ? ['chat.presence', 'message', 'presence'] : ['message']);
    expect(byNode('Trigger')).toHaveLength(expected + (provider === 'waha' ? 1 : 0));

    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
    // Deactivated: n8n no longer listens on the production URL.
    await until('the webhook to be removed', 30_000, async () => ((await unsignedStatus(workflow.url)) === 404 ? true : undefined));
    if (provider === 'waha' || provider === 'wawp') {
      await until('the webhook removal', 30_000, async () => (registered().length === 1 ? true : undefined));
      expect(registered()).toEqual([
        provider === 'waha' ? { url: 'https://crm.example/hook', events: ['message'] } : { url: 'https://crm.example/wawp', events: ['message'], is_active: 1 },
      ]);
    }
  });

  it('a secret changed in the credential is honoured on the very next request: the old one 401, the new one 200', async () => {
    const workflow = await createWorkflow('waha', { webhookSecret: SECRET, apiKey: WAHA_API_KEY }, { registerWebhook: false, events: ['message'] });
    await activate(n8n, workflow.id, workflow.url);
    expect(await deliver(workflow.url, 'waha', bytes(messageSaying('waha', 'before')))).toMatchObject({ status: 200, body: { emitted: 1 } });
    const rotated = `${SECRET}-rotated`;
    await updateCredential(n8n, TRIGGERS.waha.credential, workflow.credential, { webhookSecret: rotated, apiKey: WAHA_API_KEY });
    expect((await deliver(workflow.url, 'waha', bytes(messageSaying('waha', 'old secret')))).status).toBe(401);
    expect(await deliver(workflow.url, 'waha', bytes(messageSaying('waha', 'new secret')), rotated)).toMatchObject({ status: 200, body: { emitted: 1 } });
    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
  });

  describe('issue 11: replay window and "Answer the Gateway: After the Workflow Has Taken the Event"', () => {
    /** A downstream service on 127.0.0.1 that fails the first call for a "fail once" message; every other call succeeds and counts. */
    let service: Server;
    let serviceUrl = '';
    const calls = new Map<string, number>();
    const taken = new Map<string, number>();
    beforeAll(async () => {
      service = createServer((req, res) => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const id = url.searchParams.get('id') ?? '';
        calls.set(id, (calls.get(id) ?? 0) + 1);
        if (url.searchParams.get('text') === 'fail once' && calls.get(id) === 1) {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"down for a moment"}');
          return;
        }
        taken.set(id, (taken.get(id) ?? 0) + 1);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      });
      await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
      serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}/take`;
    });
    afterAll(() => new Promise((resolve) => service.close(resolve)));

    async function atLeastOnceWorkflow() {
      const credential = await createCredential(n8n, TRIGGERS.waha.credential, 'waha at-least-once', { webhookSecret: SECRET, apiKey: WAHA_API_KEY });
      const webhookId = randomUUID();
      const workflow = await n8n.api('POST', '/workflows', {
        name: 'waflow at-least-once',
        settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
        nodes: [
          triggerNode('waha', webhookId, { registerWebhook: false, respond: 'lastNode' }, credential),
          {
            id: randomUUID(),
            name: 'Take',
            type: 'n8n-nodes-base.httpRequest',
            typeVersion: 4.2,
            position: [250, 0],
            parameters: { url: `={{ '${serviceUrl}?id=' + encodeURIComponent($json.id) + '&text=' + encodeURIComponent($json.message.text) }}`, options: {} },
          },
        ],
        connections: { Trigger: { main: [[{ node: 'Take', type: 'main', index: 0 }]] } },
      });
      const url = `${n8n.baseUrl}/webhook/${webhookId}/webhook`;
      await activate(n8n, workflow.id as string, url);
      return { id: workflow.id as string, url };
    }

    it('a failed execution gets a 5xx and the retry is taken once; a successful one gets 200 and its retry is dropped; an old signed capture, 401', async () => {
      const workflow = await atLeastOnceWorkflow();
      const failing = bytes(messageSaying('waha', 'fail once'));
      const [failingEvent] = providers.waha.normalize(JSON.parse(failing.toString()), { receivedAtMs: Date.now(), bodyDigest: '-' });
      const first = await deliver(workflow.url, 'waha', failing);
      expect(first.status).toBe(500);
      expect(taken.get(failingEvent.id)).toBeUndefined();
      // The gateway's retry: accepted, and n8n answers once the execution has finished.
      expect((await deliver(workflow.url, 'waha', failing)).status).toBe(200);
      expect(taken.get(failingEvent.id)).toBe(1);

      const fine = bytes(messageSaying('waha', 'hello'));
      const [fineEvent] = providers.waha.normalize(JSON.parse(fine.toString()), { receivedAtMs: Date.now(), bodyDigest: '-' });
      expect((await deliver(workflow.url, 'waha', fine)).status).toBe(200);
      expect(taken.get(fineEvent.id)).toBe(1);
      // Retries after a success, answered by the node at once with no execution.
      expect(await deliver(workflow.url, 'waha', fine)).toEqual({ status: 200, body: { ok: true, received: 1, emitted: 0, duplicates: 1, filtered: 0 } });
      expect(await deliver(workflow.url, 'waha', failing)).toMatchObject({ status: 200, body: { emitted: 0, duplicates: 1 } });
      expect([taken.get(failingEvent.id), taken.get(fineEvent.id)]).toEqual([1, 1]);

      const old = bytes({ ...messageSaying('waha', 'replayed'), timestamp: Date.now() - 3_600_000 });
      expect(await deliver(workflow.url, 'waha', old)).toEqual({
        status: 401,
        body: { ok: false, status: 401, error: 'Delivery is 3600 s old (its signed timestamp); replays older than the 600 s window are refused' },
      });

      const executions = await until('three executions', 60_000, async () => {
        const found = await executionsOf(workflow.id);
        return found.length >= 3 ? found : undefined;
      });
      expect(executions.map((execution) => execution.status).sort()).toEqual(['error', 'success', 'success']);
      await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
    });
  });

  it("WhatsApp Cloud API: Meta's GET check gets the challenge for the verify token and 403 otherwise, without an execution; a signed batch (two messages and a status) is one execution of three items, its redelivery none", async () => {
    const workflow = await createWorkflow('cloudapi', { webhookSecret: SECRET, verifyToken: VERIFY_TOKEN }, { events: ['message', 'message.ack'] });
    await activate(n8n, workflow.id, workflow.url);
    const check = async (token: string) => {
      const res = await fetch(`${workflow.url}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
      return [res.status, await res.text()];
    };
    expect(await check(VERIFY_TOKEN)).toEqual([200, '1158201444']);
    const [status, refusal] = await check('not-the-token');
    expect([status, JSON.parse(refusal as string).error]).toEqual([403, 'hub.verify_token does not match the configured Verify Token']);

    const batch = bytes(freshSample(JSON.parse(fixtureBytes('cloudapi', 'meta-overview-batched-messages-and-status.json').toString('utf8')), Date.now()));
    expect(await deliver(workflow.url, 'cloudapi', batch)).toEqual({ status: 200, body: { ok: true, received: 3, emitted: 3, duplicates: 0, filtered: 0 } });
    expect(await deliver(workflow.url, 'cloudapi', batch)).toMatchObject({ status: 200, body: { received: 3, emitted: 0, duplicates: 3 } });
    // The sentinel: once its execution is there, any from the GETs or the redelivery would be too.
    expect(await deliver(workflow.url, 'cloudapi', bytes(messageSaying('cloudapi', 'sentinel')))).toMatchObject({ status: 200, body: { emitted: 1 } });
    const executions = await until('two executions', 60_000, async () => {
      const found = await executionsOf(workflow.id);
      return found.length >= 2 ? found : undefined;
    });
    expect(executions).toHaveLength(2);
    const items = executions.map((execution) => itemsOf(execution, 'Trigger').map((item) => [item.event, item.message?.text ?? item.ack?.status]));
    expect(items.sort((a, b) => b.length - a.length)).toEqual([
      [
        ['message', 'First question'],
        ['message', ''],
        ['message.ack', 'delivered'],
      ],
      [['message', 'sentinel']],
    ]);
    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
  });

  it('Evolution API with "Webhook by Events" on: a delivery to <url>/messages-upsert is taken like one to the URL; two levels down is 404, no execution', async () => {
    const workflow = await createWorkflow('evolution', { webhookSecret: SECRET }, { registerWebhook: false });
    await activate(n8n, workflow.id, workflow.url);
    const message = bytes(messageSaying('evolution', 'by events'));
    expect(await deliver(`${workflow.url}/messages-upsert`, 'evolution', message)).toEqual({
      status: 200,
      body: { ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 },
    });
    // The same delivery on the plain URL is its redelivery.
    expect(await deliver(workflow.url, 'evolution', message)).toMatchObject({ status: 200, body: { emitted: 0, duplicates: 1 } });
    expect((await deliver(`${workflow.url}/messages-upsert/extra`, 'evolution', bytes(messageSaying('evolution', 'too deep')))).status).toBe(404);
    expect(await deliver(`${workflow.url}/connection-update`, 'evolution', bytes(messageSaying('evolution', 'sentinel')))).toMatchObject({
      status: 200,
      body: { emitted: 1 },
    });
    const executions = await until('two executions', 60_000, async () => {
      const found = await executionsOf(workflow.id);
      return found.length >= 2 ? found : undefined;
    });
    expect(executions.map((execution) => itemsOf(execution, 'Trigger').map((item) => item.message?.text)).sort()).toEqual([['by events'], ['sentinel']]);
    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
  });

  describe('the auto-reply example answers through the sandbox gateway', () => {
    const sandbox = new SandboxGateway();
    beforeAll(() => sandbox.start());
    beforeEach(() => sandbox.reset());
    afterAll(() => sandbox.stop());

    const wahaKey = { apiKey: SANDBOX.waha.apiKey };
    // open-wa in v4, the API generation that can quote (v5 sends the same reply unquoted). The last
    // case gives the echo an n8n expression beside a placeholder, as n8n's editor stores typed text.
    // Every row as long as the test's parameter list: jest passes a shorter row a `done` callback.
    const SENDERS: Array<[string, ProviderName, 'v5' | 'v4', Record<string, unknown>, string | null, string]> = [
      ['WAHA', 'waha', 'v5', wahaKey, null, 'You said: hi'],
      ['Wawp', 'wawp', 'v5', { instanceId: SANDBOX.wawp.instanceId, accessToken: SANDBOX.wawp.accessToken }, null, 'You said: hi'],
      ['open-wa v4', 'openwa', 'v4', { apiKey: SANDBOX.openwa.apiKey, apiVersion: 'v4' }, null, 'You said: hi'],
      ['Evolution API', 'evolution', 'v5', { apiKey: SANDBOX.evolution.apiKey }, null, 'You said: hi'],
      // The reply goes out from the number the message came to: no Phone Number ID in the credential.
      ['WhatsApp Cloud API', 'cloudapi', 'v5', { accessToken: SANDBOX.cloudapi.accessToken }, null, 'You said: hi'],
      ['WAHA, text as an expression', 'waha', 'v5', wahaKey, '=You said: {{text}} ({{ $json.message.type.toUpperCase() }})', 'You said: hi (TEXT)'],
    ];

    it('WAHA, Resolve LIDs on: a message from a LID starts the workflow with the phone from the gateway; an unknown LID, phone null and an issue', async () => {
      const credential = { webhookSecret: SECRET, baseUrl: sandbox.baseUrlFor('waha'), ...wahaKey };
      const workflow = await createWorkflow('waha', credential, { registerWebhook: false, options: { resolveLids: true } });
      await activate(n8n, workflow.id, workflow.url);
      for (const lid of [KNOWN_LID, '999000111@lid']) {
        expect(await deliver(workflow.url, 'waha', bytes(wahaMessageFromLid(lid)))).toMatchObject({ status: 200, body: { emitted: 1 } });
      }
      const executions = await until('two executions', 60_000, async () => {
        const found = await executionsOf(workflow.id);
        return found.length >= 2 ? found : undefined;
      });
      const senders = executions
        .flatMap((execution) => itemsOf(execution, 'Trigger'))
        .map((item) => ({ sender: item.message.sender, chatPhone: item.message.chat.phone, issues: item.issues ?? [] }))
        .sort((a, b) => a.sender.id.localeCompare(b.sender.id));
      const unknown = 'LID lookup failed: WAHA does not know the phone number of 999000111@lid';
      expect(senders).toEqual([
        { sender: expect.objectContaining({ id: KNOWN_LID, phone: KNOWN_PHONE }), chatPhone: KNOWN_PHONE, issues: [] },
        {
          sender: expect.objectContaining({ id: '999000111@lid', phone: null }),
          chatPhone: null,
          issues: [
            { path: 'message.sender.phone', message: unknown },
            { path: 'message.chat.phone', message: unknown },
          ],
        },
      ]);
      expect(sandbox.deliveries.map((d) => [d.operation, d.chatId])).toEqual(
        expect.arrayContaining([
          ['resolveLid', KNOWN_LID],
          ['resolveLid', '999000111@lid'],
        ]),
      );
      await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
    });

    // n8n's "Test" button on a saved credential, for each gateway whose credential declares a test,
    // against the sandbox's API: its credentials pass, a changed token is refused by the gateway.
    const TESTED = PROVIDER_LIST.filter((p) => p.api.credentialTest && p.sandbox.credentials);
    it.each(TESTED.map((p) => [p.displayName, p.name] as const))(
      "%s: n8n's credential test passes with the sandbox's credentials and fails with a wrong token",
      async (_name, provider) => {
        const type = TRIGGERS[provider].credential;
        const good = { baseUrl: sandbox.baseUrlFor(provider, 'v5'), ...SANDBOX[provider] };
        const secretKey = (['apiKey', 'accessToken'] as const).find((key) => good[key] !== undefined)!;
        const test = async (data: Record<string, unknown>) => {
          const credential = await createCredential(n8n, type, `${provider} test ${randomUUID()}`, data);
          const answer = await n8n.rest<{ data: { status: string; message: string } }>('POST', '/credentials/test', {
            credentials: { ...credential, type, data },
          });
          return answer.data.status;
        };
        expect(await test(good)).toBe('OK');
        expect(await test({ ...good, [secretKey]: 'not-the-token' })).toBe('Error');
      },
    );

    it.each(SENDERS)('%s: a signed "hi" gets exactly one quoted reply, to its chat', async (_name, provider, apiVersion, data, text, reply) => {
      const credential = await createCredential(n8n, TRIGGERS[provider].credential, `${provider} sender`, {
        webhookSecret: SECRET,
        baseUrl: sandbox.baseUrlFor(provider, apiVersion),
        ...data,
      });
      // The shipped example, on this gateway: trigger → router (/start, price, otherwise) → WhatsApp Send.
      const workflow = forGateway('auto-reply-bot.json', provider, credential, randomUUID());
      if (text) workflow.nodes.find((node) => node.name === 'Echo')!.parameters.text = text;
      const { id } = await n8n.api<{ id: string }>('POST', '/workflows', workflow);
      const url = webhookUrlOf(n8n.baseUrl, workflow);
      await activate(n8n, id, url);

      const body = messageSaying(provider, 'hi');
      const [event] = providers[provider].normalize(body, { receivedAtMs: Date.now(), bodyDigest: '-' });
      expect(await deliver(url, provider, bytes(body))).toMatchObject({ status: 200, body: { emitted: 1 } });
      const [execution] = await until('the execution', 60_000, async () => {
        const found = await executionsOf(id);
        return found.length > 0 ? found : undefined;
      });
      expect(execution.status).toBe('success');

      expect(sandbox.deliveries).toEqual([
        expect.objectContaining({
          provider,
          operation: provider === 'openwa' ? 'reply' : 'sendText',
          chatId: event.message!.chat.id,
          text: reply,
          replyTo: event.message!.id,
        }),
      ]);
      expect(itemsOf(execution, 'Echo')).toEqual([
        expect.objectContaining({ provider, chatId: event.message!.chat.id, messageId: sandbox.deliveries[0].messageId, quoted: true, text: reply }),
      ]);
      await n8n.api('POST', `/workflows/${id}/deactivate`);
    });
  });
});
