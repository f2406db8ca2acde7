/**
 * The Node-RED nodes in a real Node-RED process, installed the way a user installs them: the package
 * is packed with `npm pack` and `npm install`ed into a fresh user directory, Node-RED is started on a
 * free port on 127.0.0.1, flows (with credentials) are deployed through the admin API, and real
 * signed HTTP requests are posted to it. What the flows write to a file is what is checked, and what
 * the send nodes deliver to a sandbox gateway (a local stand-in for the gateways' send APIs).
 *
 * Runs twice: Node-RED 4.1 (the dev dependency) on the machine's Node 20, and Node-RED 5 on Node 22
 * (both installed outside the repository by scripts/engines/install-node-red.sh).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshSample } from '../../../cli/fresh-sample';
import { PROVIDERS, type ProviderName } from '../../../core/event/schema';
import { providers } from '../../../core/providers';
import { SANDBOX_PHONE_NUMBER_ID } from '../../../core/providers/cloudapi/sandbox';
import { createReceiver } from '../../../core/receive';
import { compileRouter, type RouterRule } from '../../../core/router/rules';
import { replyTargetOf, storedValuesOf } from '../../../core/send';
import { countRoutes, removeRoute } from '../../../nodered/shared/routes';
import { KNOWN_LID, KNOWN_PHONE, wahaMessageFromLid } from '../../helpers/lid';
import { sandboxCredentials } from '../../helpers/sandbox';
import { SandboxGateway } from '../../../sandbox/gateway';
import { sampleBody } from '../../../cli/samples';
import { withSignedTimeNow } from '../../helpers/signed-time';
import {
  fileNode,
  installEngines,
  installPackage,
  jsonataNode,
  MODULE,
  NodeRed,
  packPackage,
  postSigned as postSignedTo,
  readJsonLines,
  ROOT,
  until,
} from './runtime';

const SECRETS: Record<ProviderName, string> = {
  waha: 'waha-hmac-key-9f2c',
  wawp: 'wawp-url-token-71ad',
  openwa: 'openwa-shared-secret-c03e',
  waserver: 'waserver-webhook-secret-5b8d',
  evolution: 'evolution-webhook-secret-2e6a',
  cloudapi: 'cloudapi-app-secret-8c1f',
};
const pathOf = (provider: ProviderName) => `/wh/${provider}`;
const WAHA_MAX_BODY_KB = 256;
/** The load tab: one WAHA in node wired straight to a file, for counting what reached the flow. */
const LOAD_PATH = '/load/waha';

// ---------------------------------------------------------------- the auto-reply flows (whatsapp send)

/** The sandbox's credentials: secret-looking, so the no-secret check can look for them. */
const SEND_CREDENTIALS = {
  wahaApiKey: 'waha-api-key-e2e-4d1a',
  wawpInstanceId: 'wawp-instance-e2e',
  wawpAccessToken: 'wawp-access-token-e2e-8c27',
  openwaApiKey: 'openwa-api-key-e2e-b5f0',
  evolutionApiKey: 'evolution-api-key-e2e-71d3',
  cloudapiAccessToken: 'cloudapi-access-token-e2e-6a90',
};
const SEND_SECRETS = [
  SEND_CREDENTIALS.wahaApiKey,
  SEND_CREDENTIALS.wawpAccessToken,
  SEND_CREDENTIALS.openwaApiKey,
  SEND_CREDENTIALS.evolutionApiKey,
  SEND_CREDENTIALS.cloudapiAccessToken,
];

/** One auto-reply bot per gateway: every sending provider and API generation, and receive-only wa-server. */
const BOTS = [
  { key: 'waha', provider: 'waha', apiVersion: 'v5', path: '/api/sendText', quotes: true },
  { key: 'wawp', provider: 'wawp', apiVersion: 'v5', path: '/v2/send/text', quotes: true },
  { key: 'openwa-v5', provider: 'openwa', apiVersion: 'v5', path: '/api/sendText', quotes: false },
  { key: 'openwa-v4', provider: 'openwa', apiVersion: 'v4', path: '/reply', quotes: true },
  { key: 'waserver', provider: 'waserver', apiVersion: 'v5', path: null, quotes: false },
  // Its sample messages come from the instance `loja-centro`, which the reply goes out from.
  { key: 'evolution', provider: 'evolution', apiVersion: 'v5', path: '/message/sendText/loja-centro', quotes: true },
  // The reply goes out from the business number the message came to (its phone_number_id).
  { key: 'cloudapi', provider: 'cloudapi', apiVersion: 'v5', path: `/${SANDBOX_PHONE_NUMBER_ID}/messages`, quotes: true },
] as const;
type Bot = (typeof BOTS)[number];
const botPath = (bot: Bot) => `/reply/${bot.key}`;
const REPLIES = [
  { rule: { kind: 'command', value: 'start' } as RouterRule, template: 'Welcome, {{name}}!' },
  { rule: { kind: 'keywords', value: 'price, harga' } as RouterRule, template: 'Prices: small 10.000, large 25.000 ({{msg.keyword}})' },
  { rule: null, template: 'You said: {{text}}' },
];

/** in → router (/start, price, otherwise) → one send node per output; failures (output 2) to a file. */
function botFlows(sandbox: SandboxGateway, failFile: string): object[] {
  const tab = { id: 'tab-bots', type: 'tab', label: 'waflow auto-reply bots' };
  const failures = [
    {
      ...jsonataNode(
        'fail-fields',
        'tab-bots',
        '{"eventId": event.id, "provider": error.provider, "status": error.status, "message": error.message}',
        'fail-file',
      ),
      name: 'failure fields',
    },
    fileNode('fail-file', 'tab-bots', failFile),
  ];
  const bots = BOTS.flatMap((bot) => {
    // The gateway node as a user would fill it for the sandbox: its API settings and secrets by the provider's fields.
    const api = bot.path ? sandbox.configFor(bot.provider, bot.apiVersion) : {};
    const { settings, secrets } = storedValuesOf(providers[bot.provider], 'nodeRed', { ...api, secret: SECRETS[bot.provider] });
    return [
      {
        id: `gw-bot-${bot.key}`,
        type: 'whatsapp-gateway',
        name: `bot ${bot.key}`,
        provider: bot.provider,
        ...settings,
        credentials: secrets,
      },
      {
        id: `in-bot-${bot.key}`,
        type: 'whatsapp in',
        z: 'tab-bots',
        gateway: `gw-bot-${bot.key}`,
        path: botPath(bot),
        events: ['message'],
        dedupe: true,
        includeRaw: false,
        wires: [[`router-bot-${bot.key}`]],
      },
      {
        id: `router-bot-${bot.key}`,
        type: 'whatsapp router',
        z: 'tab-bots',
        rules: REPLIES.flatMap((r) => (r.rule ? [r.rule] : [])),
        mode: 'first',
        otherwise: true,
        outputs: REPLIES.length,
        wires: REPLIES.map((_, i) => [`send-bot-${bot.key}-${i}`]),
      },
      ...REPLIES.map((reply, i) => ({
        id: `send-bot-${bot.key}-${i}`,
        type: 'whatsapp send',
        z: 'tab-bots',
        gateway: `gw-bot-${bot.key}`,
        template: reply.template,
        replyTo: 'quote',
        chatId: '',
        markRead: false,
        wires: [[], ['fail-fields']],
      })),
    ];
  });
  return [tab, ...bots, ...failures];
}

/** A fresh inbound "hi" text message in the format the bot's gateway posts. */
function hiBody(bot: Bot): Buffer {
  const v4 = bot.key === 'openwa-v4';
  const body = v4
    ? JSON.parse(readFileSync(join(ROOT, 'core', 'providers', 'openwa', 'fixtures', 'spec-v4-onMessage-text.json'), 'utf8'))
    : sampleBody(providers[bot.provider], 'message')!;
  const fresh = freshSample(body, Date.now()) as any;
  if (bot.provider === 'waha' || bot.provider === 'wawp') fresh.payload.body = 'hi';
  else if (bot.provider === 'waserver') fresh.payload.text = 'hi';
  else if (v4) fresh.data.body = fresh.data.content = 'hi';
  else if (bot.provider === 'evolution') fresh.data.message = { conversation: 'hi' };
  else if (bot.provider === 'cloudapi') fresh.entry[0].changes[0].value.messages[0].text = { body: 'hi' };
  else fresh.payload.message.body = 'hi';
  return Buffer.from(JSON.stringify(fresh));
}

const RULES: RouterRule[] = [
  { kind: 'command', value: 'start, help' },
  { kind: 'keywords', value: 'price, harga' },
  { kind: 'event', value: 'message' },
  { kind: 'event', value: 'message.ack, message.reaction', label: 'receipts and reactions' },
  { kind: 'event', value: 'session.status' },
];

// ---------------------------------------------------------------- LIDs resolved through the gateway

const LID_PATH = '/lid/waha';

/** A WAHA in node with "Resolve LIDs to phone numbers" on, its API the sandbox; one line per event. */
function lidFlows(sandbox: SandboxGateway, lidFile: string): object[] {
  return [
    { id: 'tab-lid', type: 'tab', label: 'waflow LID lookups' },
    {
      id: 'gw-lid',
      type: 'whatsapp-gateway',
      name: 'lid waha',
      provider: 'waha',
      apiUrl: sandbox.baseUrlFor('waha'),
      credentials: { secret: SECRETS.waha, apiKey: SEND_CREDENTIALS.wahaApiKey },
    },
    { id: 'in-lid', type: 'whatsapp in', z: 'tab-lid', gateway: 'gw-lid', path: LID_PATH, events: ['message'], resolveLids: true, wires: [['lid-fields']] },
    jsonataNode(
      'lid-fields',
      'tab-lid',
      '{"sender": payload.message.sender.id, "phone": payload.message.sender.phone, "chatPhone": payload.message.chat.phone, "issues": payload.issues ? payload.issues : []}',
      'lid-file',
    ),
    fileNode('lid-file', 'tab-lid', lidFile),
  ];
}

// ---------------------------------------------------------------- the flow under test

interface Line {
  provider: string;
  event: string;
  id: string;
  label: string;
  rule: number | null;
  hasRaw: boolean;
}

/** whatsapp in → file: every event that reached the flow is one line. */
function loadFlow(loadFile: string): object[] {
  return [
    { id: 'tab-load', type: 'tab', label: 'waflow load' },
    {
      id: 'in-load',
      type: 'whatsapp in',
      z: 'tab-load',
      gateway: 'gw-waha',
      path: LOAD_PATH,
      events: [],
      dedupe: true,
      includeRaw: false,
      wires: [['file-load']],
    },
    fileNode('file-load', 'tab-load', loadFile),
  ];
}

// ---------------------------------------------------------------- at-least-once (issue 11, delivery guarantees)

const ALO_PATH = '/alo/waha';

/**
 * A WAHA in node answering "after the flow has taken the event", into a function node that throws
 * (done(error)) the first time it sees a message saying "fail once", then a file: one line per event taken.
 */
function atLeastOnceFlows(aloFile: string): object[] {
  const failOnce = [
    "if (msg.payload.message && msg.payload.message.text === 'fail once' && !context.get(msg.payload.id)) {",
    '  context.set(msg.payload.id, true);',
    "  throw new Error('the flow fails the first time');",
    '}',
    'return { payload: { id: msg.payload.id } };',
  ].join('\n');
  return [
    { id: 'tab-alo', type: 'tab', label: 'waflow at-least-once' },
    {
      id: 'in-alo',
      type: 'whatsapp in',
      z: 'tab-alo',
      gateway: 'gw-waha',
      path: ALO_PATH,
      events: ['message'],
      respond: 'flowDone',
      flowTimeout: '20',
      wires: [['fn-alo']],
    },
    { id: 'fn-alo', type: 'function', z: 'tab-alo', func: failOnce, outputs: 1, wires: [['file-alo']] },
    fileNode('file-alo', 'tab-alo', aloFile),
  ];
}

function flows(outFile: string, bots: object[] = []): object[] {
  const tab = { id: 'tab1', type: 'tab', label: 'waflow engine test' };
  const file = { ...fileNode('file1', 'tab1', outFile), name: 'one line per event' };
  const perProvider = PROVIDERS.flatMap((provider) => [
    // The secret rides along as `credentials`: the admin API moves it to the encrypted credentials file.
    // The Cloud API's verify token is the same string; providers without one store none.
    {
      id: `gw-${provider}`,
      type: 'whatsapp-gateway',
      name: provider,
      provider,
      credentials: storedValuesOf(providers[provider], 'nodeRed', { secret: SECRETS[provider], verifyToken: SECRETS[provider] }).secrets,
    },
    {
      id: `in-${provider}`,
      type: 'whatsapp in',
      z: 'tab1',
      gateway: `gw-${provider}`,
      path: pathOf(provider),
      events: [],
      dedupe: true,
      dedupeTtl: '600',
      includeRaw: true,
      maxBodyKb: provider === 'waha' ? String(WAHA_MAX_BODY_KB) : '',
      wires: [[`router-${provider}`]],
    },
    {
      id: `router-${provider}`,
      type: 'whatsapp router',
      z: 'tab1',
      rules: RULES,
      mode: 'first',
      otherwise: true,
      outputs: RULES.length + 1,
      wires: RULES.map(() => [`change-${provider}`]).concat([[`change-${provider}`]]),
    },
    {
      ...jsonataNode(
        `change-${provider}`,
        'tab1',
        '{"provider": payload.provider, "event": payload.event, "id": payload.id, "label": route.label, "rule": route.rule, "hasRaw": $exists(payload.raw)}',
        'file1',
      ),
      name: 'key fields',
    },
  ]);
  return [tab, ...perProvider, file, ...bots];
}

/** What the flow must write, computed with the core itself: same filters, same dedupe, same rules. */
function oracle() {
  const router = compileRouter(RULES, { mode: 'first', fallback: true });
  const receivers = Object.fromEntries(PROVIDERS.map((p) => [p, createReceiver({ provider: p })]));
  return async (provider: ProviderName, body: Buffer) => {
    const result = await receivers[provider].receive({ method: 'POST', headers: {}, query: {}, rawBody: body });
    const lines = result.events.map((event) => {
      const output = router.route(event).outputs[0];
      return { provider, event: event.event, id: event.id, label: router.labels[output], rule: output < RULES.length ? output + 1 : null, hasRaw: true };
    });
    return { status: result.status, lines };
  };
}

// ---------------------------------------------------------------- a Node-RED process

function postSigned(red: NodeRed, provider: ProviderName, body: Buffer, secret = SECRETS[provider], path = pathOf(provider)) {
  return postSignedTo(red, provider, body, secret, path);
}

function fixtures(provider: ProviderName): Array<{ file: string; body: Buffer }> {
  const dir = join(ROOT, 'core', 'providers', provider, 'fixtures');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, body: readFileSync(join(dir, file)) }));
}

const readLines = (file: string) => readJsonLines<Line>(file);

const key = (line: Line) => `${line.provider}|${line.id}|${line.event}|${line.label}`;

// ---------------------------------------------------------------- set-up shared by both engines

let tarball = '';
let packDir = '';
let installed: { node22: string; nodeRed5: string; express5: string };
const timings: string[] = [];
/** The gateways' send APIs, played on 127.0.0.1 by the sandbox; the bots reply to it. */
const sandbox = new SandboxGateway({ credentials: sandboxCredentials(SEND_CREDENTIALS) });

beforeAll(async () => {
  installed = installEngines();
  // The package as published: `files` from package.json, built dist/ (test:node-red builds first).
  packDir = mkdtempSync(join(tmpdir(), 'waflow-pack-'));
  tarball = packPackage(packDir);
  await sandbox.start();
}, 600_000);

afterAll(async () => {
  await sandbox.stop();
  // Measured run times, for the record (no assertion on them).
  if (timings.length) console.log(timings.join('\n'));
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe.each([
  ['Node-RED 4', () => ({ node: process.execPath, redJs: require.resolve('node-red/red.js') })],
  ['Node-RED 5', () => ({ node: installed.node22, redJs: installed.nodeRed5 })],
])('%s, real runtime', (label, engine) => {
  let red: NodeRed;
  let userDir = '';
  let outFile = '';
  let failFile = '';
  let lidFile = '';
  let loadFile = '';
  let aloFile = '';
  let started = 0;
  const allFlows = () => flows(outFile, [...botFlows(sandbox, failFile), ...lidFlows(sandbox, lidFile), ...loadFlow(loadFile), ...atLeastOnceFlows(aloFile)]);
  const allPaths = () => [
    { nodeId: 'in-load', path: LOAD_PATH },
    { nodeId: 'in-alo', path: ALO_PATH },
    ...PROVIDERS.map((p) => ({ nodeId: `in-${p}`, path: pathOf(p) })),
    ...BOTS.map((b) => ({ nodeId: `in-bot-${b.key}`, path: botPath(b) })),
    { nodeId: 'in-lid', path: LID_PATH },
  ];
  let versions = '';

  beforeAll(async () => {
    started = Date.now();
    const { node, redJs } = engine();
    userDir = mkdtempSync(join(tmpdir(), 'waflow-node-red-'));
    mkdirSync(join(userDir, 'out'));
    outFile = join(userDir, 'out', 'events.jsonl');
    failFile = join(userDir, 'out', 'send-failures.jsonl');
    lidFile = join(userDir, 'out', 'lids.jsonl');
    loadFile = join(userDir, 'out', 'load.jsonl');
    aloFile = join(userDir, 'out', 'alo.jsonl');
    installPackage(userDir, tarball);
    const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
    const redVersion = JSON.parse(readFileSync(join(redJs, '..', 'package.json'), 'utf8')).version;
    versions = `Node-RED ${redVersion} on Node ${nodeVersion}`;
    red = new NodeRed(node, redJs, userDir);
    await red.start();
    await red.deploy(allFlows());
    await until('every in node to listen', async () => ((await red.routes()).length === allPaths().length ? true : undefined));
  }, 300_000);

  afterAll(async () => {
    await red?.stop();
    if (process.env.WAFLOW_ENGINE_LOG) console.log(`${label} log:\n${red?.log}`);
    else if (userDir) rmSync(userDir, { recursive: true, force: true });
    timings.push(`${label}: ${versions}: ${((Date.now() - started) / 1000).toFixed(1)} s (install, start, all tests, stop)`);
  });

  it('runs the expected engine', () => {
    expect(versions).toMatch(label === 'Node-RED 4' ? /^Node-RED 4\.1\.\d+ on Node v(2\d|[3-9]\d)\./ : /^Node-RED 5\.\d+\.\d+ on Node v2[2-9]\./);
  });

  it('loads the installed package: seven node types, no load error', async () => {
    const sets: Array<{ module: string; types: string[]; err?: string; enabled: boolean }> = (await red.get('/nodes', { accept: 'application/json' })).json();
    const ours = sets.filter((set) => set.module === MODULE);
    expect(ours.map((set) => [set.types, set.enabled, set.err ?? null])).toEqual([
      [['whatsapp-gateway'], true, null],
      [['whatsapp in'], true, null],
      [['whatsapp router'], true, null],
      [['whatsapp send'], true, null],
      [['whatsapp-store'], true, null],
      [['whatsapp conversation'], true, null],
      [['whatsapp media'], true, null],
    ]);
  });

  it('lists the example flows in Import › Examples', async () => {
    const res = await red.get(`/library/examples/flows/${MODULE}`, { accept: 'application/json' });
    expect(res.status).toBe(200);
    // Only Node-RED flows there: Node-RED lists every *.json under examples/, folders included.
    expect(res.json()).toEqual([
      { fn: 'ai-agent-ready-bot' },
      { fn: 'auto-reply-bot' },
      { fn: 'log-everything' },
      { fn: 'media-reply' },
      { fn: 'multi-step-lead-capture' },
      { fn: 'save-documents-to-folder' },
      { fn: 'voice-note-to-file' },
    ]);
  });

  it('every fixture of every provider, signed and posted over HTTP: the right answer, and each event once in the file with its route label', async () => {
    const expectEvents = oracle();
    const expected: Line[] = [];
    for (const provider of PROVIDERS) {
      for (const fixture of fixtures(provider)) {
        // Signed now, so with the time it is signed at (else the replay window refuses the old capture).
        const { file } = fixture;
        const body = withSignedTimeNow(providers[provider], fixture.body, Date.now());
        const want = await expectEvents(provider, body);
        const res = await postSigned(red, provider, body);
        expect([provider, file, res.status]).toEqual([provider, file, want.status]);
        expected.push(...want.lines);
      }
    }
    expect(expected.length).toBeGreaterThan(150);
    timings.push(`${label}: ${expected.length} events from ${PROVIDERS.map((p) => fixtures(p).length).reduce((a, b) => a + b)} fixtures`);
    const lines = await until(`${expected.length} lines in ${outFile}`, () => {
      const lines = readLines(outFile);
      return lines.length >= expected.length ? lines : undefined;
    });
    expect(lines.map(key).sort()).toEqual(expected.map(key).sort());
    expect(lines.every((line) => line.hasRaw === true)).toBe(true);
    // The fixtures reach the event outputs and the otherwise output.
    expect(new Set(lines.map((line) => line.label))).toEqual(new Set(['event is message', 'receipts and reactions', 'event is session.status', 'otherwise']));
  });

  /** A fresh event (new ids) posted after a rejected request: once its line is there, the rejected one would be too. */
  async function sentinel(provider: ProviderName): Promise<void> {
    const body = Buffer.from(JSON.stringify(freshSample(sampleBody(providers[provider], 'message')!, Date.now())));
    const [event] = (await oracle()(provider, body)).lines;
    expect((await postSigned(red, provider, body)).status).toBe(200);
    await until(`the sentinel line ${event.id}`, () => (readLines(outFile).some((line) => line.id === event.id) ? true : undefined));
  }

  it('bad signature: 401 and no line; malformed JSON: 400; oversized body: 413', async () => {
    for (const provider of PROVIDERS) {
      const before = readLines(outFile).length;
      const body = Buffer.from(JSON.stringify(freshSample(sampleBody(providers[provider], 'message')!, Date.now())));
      const forged = await postSigned(red, provider, body, 'not-the-secret');
      expect([provider, forged.status]).toEqual([provider, 401]);
      expect(forged.json()).toMatchObject({ ok: false, status: 401 });
      const malformed = await postSigned(red, provider, Buffer.from('{"event": "message", "payload": {'));
      expect([provider, malformed.status]).toEqual([provider, 400]);
      await sentinel(provider);
      expect(readLines(outFile).length).toBe(before + 1);
    }
    const big = Buffer.from(JSON.stringify({ ...sampleBody(providers.waha, 'message'), padding: 'x'.repeat(WAHA_MAX_BODY_KB * 1024) }));
    const tooLarge = await postSigned(red, 'waha', big);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.json().error).toMatch(/limit is 262144/);
  });

  it('replay window (issue 11): a WAHA capture signed long ago, replayed with a valid signature, is refused with 401 and why', async () => {
    const old = { ...freshSample(sampleBody(providers.waha, 'message')!, Date.now()), timestamp: Date.now() - 3_600_000 };
    const bytes = Buffer.from(JSON.stringify(old));
    const [event] = (await oracle()('waha', bytes)).lines;
    const res = await postSigned(red, 'waha', bytes);
    expect([res.status, res.json()]).toEqual([
      401,
      { ok: false, status: 401, error: 'Delivery is 3600 s old (its signed timestamp); replays older than the 600 s window are refused' },
    ]);
    await sentinel('waha');
    expect(readLines(outFile).some((line) => line.id === event.id)).toBe(false);
  });

  it('answer after the flow (issue 11): a flow failing the first time gets 500, the retry is taken once; a flow that succeeds gets 200 and its retry is dropped', async () => {
    const failing = freshSample(sampleBody(providers.waha, 'message')!, Date.now()) as any;
    failing.payload.body = 'fail once';
    const failingBytes = Buffer.from(JSON.stringify(failing));
    const [failingEvent] = (await oracle()('waha', failingBytes)).lines;
    const first = await postSigned(red, 'waha', failingBytes, SECRETS.waha, ALO_PATH);
    expect([first.status, first.json()]).toEqual([500, { ok: false, status: 500, error: 'The flow reported an error on the event (node fn-alo); retry' }]);
    expect(readLines(aloFile)).toEqual([]);
    // The gateway's retry: the same bytes, signed again.
    expect(await postSigned(red, 'waha', failingBytes, SECRETS.waha, ALO_PATH).then((r) => [r.status, r.json()])).toEqual([
      200,
      { ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 },
    ]);
    // Answered after the flow: the line is there already, no waiting.
    expect(readLines(aloFile).map((line) => line.id)).toEqual([failingEvent.id]);

    const fine = Buffer.from(JSON.stringify(freshSample(sampleBody(providers.waha, 'message')!, Date.now())));
    const [fineEvent] = (await oracle()('waha', fine)).lines;
    expect((await postSigned(red, 'waha', fine, SECRETS.waha, ALO_PATH)).json()).toMatchObject({ ok: true, emitted: 1 });
    expect((await postSigned(red, 'waha', fine, SECRETS.waha, ALO_PATH)).json()).toMatchObject({ ok: true, emitted: 0, duplicates: 1 });
    expect((await postSigned(red, 'waha', failingBytes, SECRETS.waha, ALO_PATH)).json()).toMatchObject({ ok: true, emitted: 0, duplicates: 1 });
    expect(readLines(aloFile).map((line) => line.id)).toEqual([failingEvent.id, fineEvent.id]);
  });

  it('WhatsApp Cloud API: a signed batched delivery (two messages and a status) is three events, each once; its GET check echoes the challenge for the verify token, 403 otherwise', async () => {
    const batch = freshSample(
      JSON.parse(readFileSync(join(ROOT, 'core', 'providers', 'cloudapi', 'fixtures', 'meta-overview-batched-messages-and-status.json'), 'utf8')),
      Date.now(),
    );
    const body = Buffer.from(JSON.stringify(batch));
    const want = (await oracle()('cloudapi', body)).lines;
    expect(want.map((line) => line.event)).toEqual(['message', 'message', 'message.ack']);
    expect((await postSigned(red, 'cloudapi', body)).json()).toMatchObject({ received: 3, emitted: 3, duplicates: 0 });
    expect((await postSigned(red, 'cloudapi', body)).json()).toMatchObject({ received: 3, emitted: 0, duplicates: 3 });
    await sentinel('cloudapi');
    expect(want.map((line) => readLines(outFile).filter((l) => l.id === line.id).length)).toEqual([1, 1, 1]);

    const check = (token: string) => red.get(`${pathOf('cloudapi')}?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`);
    const ok = await check(SECRETS.cloudapi);
    expect([ok.status, ok.text]).toEqual([200, '1158201444']);
    const refused = await check('not-the-token');
    expect([refused.status, refused.json().error]).toEqual([403, 'hub.verify_token does not match the configured Verify Token']);
    // An in node of a provider without a handshake has no GET route at all: Express's 404.
    expect((await red.get(`${pathOf('waha')}?hub.mode=subscribe`)).status).toBe(404);
  });

  it('Evolution API with "Webhook by Events" on: a delivery to <path>/messages-upsert is taken like one to the path (raw body and all); two levels down is 404', async () => {
    const body = Buffer.from(JSON.stringify(freshSample(sampleBody(providers.evolution, 'message')!, Date.now())));
    const [line] = (await oracle()('evolution', body)).lines;
    const byEvent = await postSigned(red, 'evolution', body, SECRETS.evolution, `${pathOf('evolution')}/messages-upsert`);
    expect([byEvent.status, byEvent.json()]).toEqual([200, { ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 }]);
    // The same delivery on the plain path is its redelivery.
    expect((await postSigned(red, 'evolution', body)).json()).toMatchObject({ emitted: 0, duplicates: 1 });
    expect((await postSigned(red, 'evolution', body, SECRETS.evolution, `${pathOf('evolution')}/messages-upsert/extra`)).status).toBe(404);
    // A gateway without sub-paths has none.
    const waha = Buffer.from(JSON.stringify(freshSample(sampleBody(providers.waha, 'message')!, Date.now())));
    expect((await postSigned(red, 'waha', waha, SECRETS.waha, `${pathOf('waha')}/message`)).status).toBe(404);
    await sentinel('evolution');
    expect(readLines(outFile).filter((l) => l.id === line.id)).toHaveLength(1);
  });

  it('a duplicate delivery gives one line', async () => {
    for (const provider of PROVIDERS) {
      const body = Buffer.from(JSON.stringify(freshSample(sampleBody(providers[provider], 'message')!, Date.now())));
      const [event] = (await oracle()(provider, body)).lines;
      expect((await postSigned(red, provider, body)).json()).toMatchObject({ emitted: 1 });
      expect((await postSigned(red, provider, body)).json()).toMatchObject({ emitted: 0, duplicates: 1 });
      await sentinel(provider);
      expect(readLines(outFile).filter((line) => line.id === event.id)).toHaveLength(1);
    }
  });

  /**
   * A signed "hi" to every bot; then each gateway that can send got exactly one reply, with the
   * otherwise template, in the message's chat, quoting it where the API can, and wa-server's bot
   * reported one failure on its second output.
   */
  async function autoReplyRound(): Promise<void> {
    const mark = sandbox.deliveries.length;
    const failuresBefore = readLines(failFile).length;
    const expected = [];
    for (const bot of BOTS) {
      const body = hiBody(bot);
      // What the reply must be, from the core: the same event, its reply target.
      const [event] = (await createReceiver({ provider: bot.provider }).receive({ method: 'POST', headers: {}, query: {}, rawBody: body })).events;
      expect([bot.key, event.message?.text]).toEqual([bot.key, 'hi']);
      expected.push({ bot, event, target: replyTargetOf(event)! });
      const res = await postSigned(red, bot.provider, body, SECRETS[bot.provider], botPath(bot));
      expect([bot.key, res.status, res.json().emitted]).toEqual([bot.key, 200, 1]);
    }
    const senders = BOTS.filter((bot) => bot.path !== null);
    await until(`${senders.length} replies in the sandbox and one send failure`, () =>
      sandbox.deliveries.length - mark >= senders.length && readLines(failFile).length > failuresBefore ? true : undefined,
    );
    // Time for a doubled reply to show up, if there were one.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const replies = sandbox.deliveries.slice(mark);
    expect(replies).toHaveLength(senders.length);
    for (const { bot, target } of expected.filter((e) => e.bot.path !== null)) {
      const mine = replies.filter((d) => d.provider === bot.provider && d.path === bot.path);
      expect([bot.key, mine.map((d) => ({ chatId: d.chatId, text: d.text, replyTo: d.replyTo }))]).toEqual([
        bot.key,
        [{ chatId: target.chatId, text: 'You said: hi', replyTo: bot.quotes ? target.messageId : null }],
      ]);
    }
    const waserver = expected.find((e) => e.bot.provider === 'waserver')!;
    expect(readLines(failFile).slice(failuresBefore)).toEqual([
      {
        eventId: waserver.event.id,
        provider: 'waserver',
        status: null,
        message: expect.stringMatching(/^wa-server does not support sending messages: it has no documented send API/),
      },
    ]);
  }

  it('auto-reply: a signed "hi" through in → router → send gives exactly one reply per sending gateway (WAHA, Wawp, open-wa v5 and v4, Evolution, Cloud API) in the sandbox', async () => {
    const started = Date.now();
    await autoReplyRound();
    timings.push(`${label}: auto-reply round (${BOTS.length} bots, ${BOTS.filter((bot) => bot.path).length} replies): ${Date.now() - started} ms`);
  });

  it('Resolve LIDs on: a signed WAHA message from a LID reaches the flow with the phone from the gateway; an unknown LID, phone null and an issue', async () => {
    for (const lid of [KNOWN_LID, '999000111@lid']) {
      const res = await postSigned(red, 'waha', Buffer.from(JSON.stringify(wahaMessageFromLid(lid))), SECRETS.waha, LID_PATH);
      expect([lid, res.status, res.json().emitted]).toEqual([lid, 200, 1]);
    }
    const lines = await until('two lines in the LID file', () => {
      const lines = readLines(lidFile) as unknown as Array<Record<string, unknown>>;
      return lines.length >= 2 ? lines : undefined;
    });
    // The two lookups may finish in either order.
    expect(lines.sort((a, b) => String(a.sender).localeCompare(String(b.sender)))).toEqual([
      { sender: KNOWN_LID, phone: KNOWN_PHONE, chatPhone: KNOWN_PHONE, issues: [] },
      {
        sender: '999000111@lid',
        phone: null,
        chatPhone: null,
        issues: [
          { path: 'message.sender.phone', message: 'LID lookup failed: WAHA does not know the phone number of 999000111@lid' },
          { path: 'message.chat.phone', message: 'LID lookup failed: WAHA does not know the phone number of 999000111@lid' },
        ],
      },
    ]);
  });

  it('no secret (webhook secrets, API keys, tokens) in the exported flows, the flows file, the credentials file or the log, after replies were sent', async () => {
    const exported = (await red.get('/flows', { accept: 'application/json' })).text;
    const flowsFile = readFileSync(join(red.userDir, 'flows.json'), 'utf8');
    const credentialsFile = readFileSync(join(red.userDir, 'flows_cred.json'), 'utf8');
    for (const secret of [...Object.values(SECRETS), ...SEND_SECRETS]) {
      expect([secret, exported.includes(secret), flowsFile.includes(secret), credentialsFile.includes(secret), red.log.includes(secret)]).toEqual([
        secret,
        false,
        false,
        false,
        false,
      ]);
    }
  });

  it('20 full redeploys through the admin API leave exactly one route per in node (and per sub-path route), still receiving and replying once', async () => {
    for (let i = 0; i < 20; i++) await red.deploy(allFlows());
    const routes = await until('every in node after the redeploys', async () => {
      const routes = await red.routes();
      return routes.length === allPaths().length ? routes : undefined;
    });
    expect(routes.sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      allPaths()
        .sort((a, b) => a.path.localeCompare(b.path))
        // Evolution's in nodes also listen on <path>/:event (Webhook by Events).
        .map((p) => ({ ...p, routes: 1, ...(p.nodeId.endsWith('evolution') ? { subPathRoutes: 1 } : {}) })),
    );
    for (const provider of PROVIDERS) await sentinel(provider);
    await autoReplyRound();
  });

  it('full deploys under load (issue 11, defects 1 and 2): every delivery answered 200 reached the flow, and no genuine delivery got a 4xx', async () => {
    const DEPLOYS = 10;
    const WORKERS = 8;
    const MAX_DELIVERIES = 5_000;
    const expectEvents = oracle();
    const statuses = new Map<number, number>();
    const accepted: string[] = [];
    const sentIds = new Set<string>();
    let deliveries = 0;
    let deploying = true;
    async function gateway(): Promise<void> {
      // Bounded: stops when the deploys are done, and at MAX_DELIVERIES whatever happens.
      while (deploying && deliveries < MAX_DELIVERIES) {
        deliveries++;
        const body = Buffer.from(JSON.stringify(freshSample(sampleBody(providers.waha, 'message')!, Date.now())));
        const [event] = (await expectEvents('waha', body)).lines;
        sentIds.add(event.id);
        const res = await postSigned(red, 'waha', body, SECRETS.waha, LOAD_PATH);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200 && res.json().emitted === 1) accepted.push(event.id);
        if (res.status === 503) expect(res.json()).toMatchObject({ ok: false, status: 503, error: expect.stringMatching(/retry/) });
      }
    }
    const gateways = Array.from({ length: WORKERS }, gateway);
    for (let i = 0; i < DEPLOYS; i++) await red.deploy(allFlows());
    deploying = false;
    await Promise.all(gateways);

    const reached = () => new Set(readLines(loadFile).map((line) => line.id));
    await until('every accepted event in the load file', () => (accepted.every((id) => reached().has(id)) ? true : undefined), 20_000).catch(() => undefined);
    const inFile = reached();
    const lost = accepted.filter((id) => !inFile.has(id));
    const extra = [...inFile].filter((id) => !accepted.includes(id));
    timings.push(
      `${label}: ${deliveries} deliveries over ${DEPLOYS} full deploys: ${JSON.stringify(Object.fromEntries(statuses))}; answered 200 = ${accepted.length}, ` +
        `reached the flow = ${inFile.size} (${lost.length} lost, ${extra.length} also reached though answered 503)`,
    );
    expect(accepted.length).toBeGreaterThan(0);
    expect(lost).toEqual([]);
    // Only 200 or 503 (retry): never a 4xx (400 raw body unavailable, 404 between routes) for a genuine request.
    expect([...statuses.keys()].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    // An event reaching the flow but answered 503 (the deploy came between send and answer) is one the gateway retries.
    expect(extra.every((id) => sentIds.has(id))).toBe(true);
    expect(extra.length).toBeLessThanOrEqual(statuses.get(503) ?? 0);
  });

  it('an API URL with a user:password (issue 11, defect 6): the send node refuses it at deploy, saying why in the log, which never shows the password', async () => {
    const password = 'pw-in-api-url-e2e-91b4';
    const mark = red.log.length;
    const tab = { id: 'tab-pw', type: 'tab', label: 'password in URL' };
    const gw = {
      id: 'gw-pw',
      type: 'whatsapp-gateway',
      name: 'pw',
      provider: 'waha',
      apiUrl: `http://admin:${password}@127.0.0.1:9/`,
      credentials: { apiKey: 'k' },
    };
    const send = {
      id: 'send-pw',
      type: 'whatsapp send',
      z: 'tab-pw',
      gateway: 'gw-pw',
      template: 'x',
      replyTo: 'none',
      chatId: '1@c.us',
      markRead: false,
      wires: [[], []],
    };
    await red.deploy([...allFlows(), tab, gw, send]);
    const log = await until('the refusal in the log', () =>
      /The API URL contains a user name or password/.test(red.log.slice(mark)) ? red.log.slice(mark) : undefined,
    );
    expect(log).not.toContain(password);
    // GET /flows and flows.json keep what was deployed (the editor refuses such a URL; the admin API does not ask).
    await red.deploy(allFlows());
  });
});

describe('route bookkeeping on Express 5', () => {
  it("counts and removes exactly one handler's route on an Express 5 app (app.router instead of app._router)", () => {
    const express = require(installed.express5);
    expect(JSON.parse(readFileSync(join(installed.express5, 'package.json'), 'utf8')).version).toMatch(/^5\./);
    const app = express();
    const ours = (_req: unknown, res: { end(): void }) => res.end();
    const theirs = (_req: unknown, res: { end(): void }) => res.end();
    app.post('/wh/waha', ours);
    app.post('/wh/waha', theirs);
    app.get('/wh/waha', theirs);
    expect(app._router).toBeUndefined();
    expect(countRoutes(app, '/wh/waha', 'post')).toBe(2);
    expect(countRoutes(app, '/wh/waha', 'post', ours)).toBe(1);
    expect(removeRoute(app, '/wh/waha', 'post', ours)).toBe(1);
    expect(countRoutes(app, '/wh/waha', 'post')).toBe(1);
    expect(countRoutes(app, '/wh/waha', 'get')).toBe(1);
  });
});
