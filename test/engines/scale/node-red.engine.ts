/**
 * Two real Node-RED runtimes running one flow behind a round-robin, sharing a real Redis through a
 * `whatsapp-store` config node (password as a Node-RED credential): every signed WAHA delivery is
 * sent to the next runtime in turn, a redelivered copy to the other one (half of them while the first
 * copy is in flight), and the events that come out of both, counted in files the flow writes, must
 * be exactly the unique events. Then Redis is stopped mid-run: events still flow (every answer 200,
 * nothing lost), duplicates become possible and are counted, and the runtimes say so in their log.
 * Figures are printed for the README, never asserted against a time.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers } from '../../../core/providers';
import { fileNode, installPackage, NodeRed, packPackage, postSigned, readJsonLines, until } from '../node-red/runtime';
import { boundedPool, genuine } from '../reliability/hostile';
import { startRedis, type RedisServer } from './redis-server';

const SECRET = 'scale-waha-hmac-key';
const UNIQUE = Number(process.env.WAFLOW_SCALE_EVENTS ?? 1_000);
const FAULT_UNIQUE = 600;
const figures: string[] = [];

const LINE = 'msg.payload = { id: msg.payload.id };\nreturn msg;';
const BURST_LINE = 'msg.payload = { ids: (msg.payload.messages || []).map(function (m) { return m.id; }), text: msg.payload.message.text };\nreturn msg;';

function flows(redis: RedisServer, out: string): object[] {
  return [
    { id: 'tab-scale', type: 'tab', label: 'waflow scale' },
    { id: 'scale-gw', type: 'whatsapp-gateway', name: 'waha', provider: 'waha', credentials: { secret: SECRET } },
    {
      id: 'scale-store',
      type: 'whatsapp-store',
      name: 'shared',
      host: redis.host,
      port: String(redis.port),
      db: '0',
      keyPrefix: 'scale',
      credentials: { password: redis.password },
    },
    {
      id: 'scale-in',
      type: 'whatsapp in',
      z: 'tab-scale',
      gateway: 'scale-gw',
      store: 'scale-store',
      path: '/scale',
      events: [],
      dedupe: true,
      includeRaw: false,
      wires: [['scale-line']],
    },
    { id: 'scale-line', type: 'function', z: 'tab-scale', func: LINE, outputs: 1, wires: [['scale-file']] },
    fileNode('scale-file', 'tab-scale', out),
    // The burst buffer on the shared store: messages of one chat spread over both runtimes.
    {
      id: 'scale-burst-in',
      type: 'whatsapp in',
      z: 'tab-scale',
      gateway: 'scale-gw',
      store: 'scale-store',
      path: '/scale-burst',
      events: [],
      includeRaw: false,
      combine: true,
      combineQuiet: '1.5',
      combineMaxWait: '20',
      combineMaxCount: '50',
      wires: [['scale-burst-line']],
    },
    { id: 'scale-burst-line', type: 'function', z: 'tab-scale', func: BURST_LINE, outputs: 1, wires: [['scale-burst-file']] },
    fileNode('scale-burst-file', 'tab-scale', out.replace(/events\.jsonl$/, 'bursts.jsonl')),
    // Conversation state on the shared store: each message's state as it arrived, then "greeted".
    {
      id: 'scale-state-in',
      type: 'whatsapp in',
      z: 'tab-scale',
      gateway: 'scale-gw',
      store: 'scale-store',
      path: '/scale-state',
      events: [],
      includeRaw: false,
      wires: [['scale-state-line']],
    },
    {
      id: 'scale-state-line',
      type: 'function',
      z: 'tab-scale',
      func: 'msg.line = { id: msg.payload.id, state: msg.payload.conversation ? msg.payload.conversation.state : null }; return msg;',
      outputs: 1,
      wires: [['scale-state-set']],
    },
    {
      id: 'scale-state-set',
      type: 'whatsapp conversation',
      z: 'tab-scale',
      gateway: 'scale-gw',
      store: 'scale-store',
      action: 'set',
      state: 'greeted',
      wires: [['scale-state-out']],
    },
    {
      id: 'scale-state-out',
      type: 'change',
      z: 'tab-scale',
      rules: [{ t: 'move', p: 'line', pt: 'msg', to: 'payload', tot: 'msg' }],
      wires: [['scale-state-file']],
    },
    fileNode('scale-state-file', 'tab-scale', out.replace(/events\.jsonl$/, 'states.jsonl')),
  ];
}

const idOf = (body: Buffer) => providers.waha.normalize(JSON.parse(body.toString()), { receivedAtMs: 0, bodyDigest: '-' })[0].id;

let redis: RedisServer;
let packDir = '';
const runtimes: Array<{ red: NodeRed; dir: string; out: string }> = [];

beforeAll(async () => {
  redis = await startRedis();
  packDir = mkdtempSync(join(tmpdir(), 'waflow-pack-'));
  const tarball = packPackage(packDir);
  for (let i = 0; i < 2; i++) {
    const dir = mkdtempSync(join(tmpdir(), `waflow-scale-nr${i}-`));
    mkdirSync(join(dir, 'out'));
    installPackage(dir, tarball);
    const red = new NodeRed(process.execPath, require.resolve('node-red/red.js'), dir);
    runtimes.push({ red, dir, out: join(dir, 'out', 'events.jsonl') });
  }
  await Promise.all(runtimes.map(({ red }) => red.start()));
  for (const { red, out } of runtimes) await red.deploy(flows(redis, out));
  for (const { red } of runtimes) await until('the in nodes to listen', async () => ((await red.routes()).length === 3 ? true : undefined));
}, 600_000);

afterAll(async () => {
  console.log(figures.join('\n'));
  for (const { red, dir } of runtimes) {
    await red.stop();
    if (process.env.WAFLOW_ENGINE_LOG) console.log(red.log);
    rmSync(dir, { recursive: true, force: true });
  }
  if (packDir) rmSync(packDir, { recursive: true, force: true });
  await redis?.dispose();
});

/** Events out of both runtimes since `from` (lines per runtime file), as id lines. */
const linesOut = (from: number[] = [0, 0]) => runtimes.flatMap(({ out }, i) => readJsonLines<{ id: string }>(out).slice(from[i]));
const lineCounts = () => runtimes.map(({ out }) => readJsonLines(out).length);

/**
 * `unique` deliveries, 30 % of them redelivered to the other runtime (15 % while the first copy is
 * in flight, 15 % after its answer), round-robin over the two, 50 at a time. `during(i)` runs before
 * delivery i (the fault test stops and starts Redis there).
 */
async function run(unique: number, during: (i: number) => Promise<void> = async () => undefined) {
  const agent = new Agent({ keepAlive: true, maxSockets: 50 });
  const sent = new Set<string>();
  const statuses: Record<number, number> = {};
  const problems: string[] = [];
  let emitted = 0;
  let duplicates = 0;
  let next = 0;
  const post = async (body: Buffer, runtime: number) => {
    const res = await postSigned(runtimes[runtime].red, 'waha', body, SECRET, '/scale', { agent });
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status !== 200) {
      if (problems.length < 10) problems.push(`${res.status} ${res.text}`);
      return;
    }
    emitted += res.json().emitted;
    duplicates += res.json().duplicates;
  };
  const started = Date.now();
  const from = lineCounts();
  const ran = await boundedPool(unique, 50, 180_000, async (i) => {
    await during(i);
    const body = Buffer.from(genuine('waha'));
    sent.add(idOf(body));
    const first = next++ % 2;
    const other = 1 - first;
    if (i % 20 < 3) await Promise.all([post(body, first), post(body, other)]);
    else if (i % 20 < 6) await post(body, first).then(() => post(body, other));
    else await post(body, first);
  });
  agent.destroy();
  const seconds = (Date.now() - started) / 1000;
  // The flows write after the answer: wait until every emitted event is in a file (this run's lines).
  const lines = await until(`${emitted} events written`, () => (linesOut(from).length >= emitted ? linesOut(from) : undefined), 30_000);
  return { ran, sent, statuses, problems, emitted, duplicates, lines, seconds };
}

describe('two Node-RED runtimes sharing Redis behind a round-robin', () => {
  it(`${UNIQUE} signed deliveries + 30 % redelivered to the other runtime: each event comes out exactly once`, async () => {
    const result = await run(UNIQUE);
    const perRuntime = lineCounts();
    figures.push(
      `Node-RED ×2 + Redis: ${result.ran} unique events, ${Object.values(result.statuses).reduce((a, b) => a + b, 0)} requests in ${result.seconds.toFixed(1)} s; ` +
        `${result.lines.length} events out (${perRuntime.join(' + ')}), ${result.duplicates} duplicates dropped`,
    );
    expect(result.problems).toEqual([]);
    expect(result.ran).toBe(UNIQUE);
    expect(result.emitted).toBe(UNIQUE);
    expect(result.lines).toHaveLength(UNIQUE);
    expect(new Set(result.lines.map((line) => line.id))).toEqual(result.sent);
    // Dropped as duplicates: every redelivery (30 %), whichever runtime had the first copy.
    expect(result.duplicates).toBe(Math.floor(UNIQUE / 20) * 6 + Math.min(UNIQUE % 20, 6));
    // Both runtimes did part of the work.
    expect(perRuntime.every((count) => count > UNIQUE / 4)).toBe(true);
  });

  it('a burst whose messages land on both runtimes comes out once, from one of them, with every message', async () => {
    const burstsOut = () => runtimes.flatMap(({ out }) => readJsonLines<{ ids: string[]; text: string }>(out.replace(/events\.jsonl$/, 'bursts.jsonl')));
    const sentIds: string[] = [];
    for (let i = 0; i < 6; i++) {
      const body = Buffer.from(genuine('waha'));
      sentIds.push(idOf(body));
      const res = await postSigned(runtimes[i % 2].red, 'waha', body, SECRET, '/scale-burst');
      expect(res.status).toBe(200);
    }
    const bursts = await until('the burst to close', () => (burstsOut().length > 0 ? burstsOut() : undefined), 30_000);
    // Longer than the quiet window again: nothing else comes out.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    figures.push(
      `Node-RED ×2 + Redis: a burst of 6 messages alternating between the runtimes: ${burstsOut().length} event out, with ${bursts[0].ids.length} messages`,
    );
    expect(burstsOut()).toHaveLength(1);
    expect(bursts[0].ids).toHaveLength(6);
    expect(new Set(bursts[0].ids).size).toBe(6);
  });

  it('conversation state a whatsapp conversation node sets on one runtime is on the next message the other runtime takes', async () => {
    const statesOut = () => runtimes.flatMap(({ out }) => readJsonLines<{ id: string; state: string | null }>(out.replace(/events\.jsonl$/, 'states.jsonl')));
    const first = Buffer.from(genuine('waha'));
    expect((await postSigned(runtimes[0].red, 'waha', first, SECRET, '/scale-state')).status).toBe(200);
    await until('the first state line', () => (statesOut().length === 1 ? true : undefined), 30_000);
    const second = Buffer.from(genuine('waha'));
    expect((await postSigned(runtimes[1].red, 'waha', second, SECRET, '/scale-state')).status).toBe(200);
    const lines = await until('the second state line', () => (statesOut().length === 2 ? statesOut() : undefined), 30_000);
    const byId = Object.fromEntries(lines.map((line) => [line.id, line.state]));
    figures.push(`Node-RED ×2 + Redis: the state set on runtime 1 read on runtime 2: ${byId[idOf(second)]}`);
    expect([byId[idOf(first)], byId[idOf(second)]]).toEqual([null, 'greeted']);
  });

  it('the Redis password is a Node-RED credential: in neither flows.json', () => {
    for (const { dir } of runtimes) {
      const flowsJson = readFileSync(join(dir, 'flows.json'), 'utf8');
      expect(flowsJson).toContain('whatsapp-store');
      expect(flowsJson).not.toContain(redis.password);
    }
  });

  it(`Redis stopped mid-run (${FAULT_UNIQUE} deliveries + 30 % redelivered): every answer 200, nothing lost, duplicates counted and reported`, async () => {
    let stopped = 0;
    const result = await run(FAULT_UNIQUE, async (i) => {
      if (i === Math.floor(FAULT_UNIQUE / 3)) {
        await redis.stop();
        stopped = Date.now();
      }
      if (i === Math.floor((2 * FAULT_UNIQUE) / 3)) await redis.start();
    });
    const out = result.lines;
    const ids = new Set(out.map((line) => line.id));
    const repeated = out.length - ids.size;
    figures.push(
      `Node-RED ×2, Redis stopped after the first third, restarted after the second: ${result.ran} unique events, ${out.length} out, ${repeated} duplicates let through (of ${Math.floor(FAULT_UNIQUE / 20) * 6} redeliveries), none lost; answers ${JSON.stringify(result.statuses)}`,
    );
    expect(stopped).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
    expect(Object.keys(result.statuses)).toEqual(['200']);
    // Nothing lost: every event sent came out.
    expect(ids).toEqual(result.sent);
    // Duplicates: only redeliveries (none from nowhere), and some (the outage was felt). Not only
    // of the middle third: the clients reconnect with a back-off of up to 2 s, longer than the rest of the run.
    const redeliveries = Math.floor(FAULT_UNIQUE / 20) * 6;
    expect(repeated).toBeGreaterThan(0);
    expect(repeated).toBeLessThanOrEqual(redeliveries);
    expect(out.length).toBe(result.emitted);
    // Said in the runtimes' log: the failure, once per outage per runtime.
    const warned = runtimes.filter(({ red }) => /Redis dedupe failed .*duplicates possible/.test(red.log));
    expect(warned.length).toBeGreaterThan(0);
    expect(runtimes.map(({ red }) => red.log).join()).not.toContain(redis.password);
  });

  it('Redis back: dedupe across the runtimes works again', async () => {
    const body = Buffer.from(genuine('waha'));
    const answers = await until('Redis to be used again', async () => {
      const first = await postSigned(runtimes[0].red, 'waha', body, SECRET, '/scale');
      const again = await postSigned(runtimes[1].red, 'waha', body, SECRET, '/scale');
      return again.json().duplicates === 1 ? [first.json(), again.json()] : undefined;
    });
    expect(answers[1]).toMatchObject({ emitted: 0, duplicates: 1 });
  });
});
