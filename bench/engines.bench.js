#!/usr/bin/env node
/**
 * Our receiving nodes in the real engines against the engine's own bare webhook, in the same
 * runtime and the same run, as req/s ratios (issue 11, Benchmarks):
 *
 * - Node-RED (4.1, the dev dependency, and 5): `whatsapp in` (signed WAHA messages, dedupe on, a
 *   distinct id per request) / `http in → http response` on the same bodies.
 * - n8n (1.123 and 2.40): the WAHA Trigger / n8n's Webhook node (answering at once) on the same
 *   bodies, for accepted events (each an execution) and for filtered ones (the trigger starts no
 *   execution; the Webhook node still does).
 *
 * Load from autocannon on 127.0.0.1 with a fixed number of connections for a fixed time; each arm in
 * turn, several rounds, the median of the per-round ratios (a noisy neighbour hits both arms alike).
 * Every answer must be 2xx, or the bench fails. The engines are started as the real-engine suites
 * start them (demo/node-red/instance.ts, demo/n8n/instance.ts).
 *
 * `npm run bench:engines`; env: BENCH_SECONDS (default 3) per measurement, BENCH_ROUNDS (3),
 * BENCH_CONNECTIONS (10), BENCH_ENGINES (default "node-red-4,node-red-5,n8n-1,n8n-2"; also
 * "n8n-1-legacy": n8n 1.123 with N8N_EXPRESSION_ENGINE=legacy, to show the cause of its gap).
 */
const { randomUUID } = require('node:crypto');
const { mkdtempSync, rmSync } = require('node:fs');
const { cpus, tmpdir } = require('node:os');
const { join } = require('node:path');
const autocannon = require('autocannon');
const { installNodeRed5, linkPackage, NodeRed, until } = require('../dist/demo/node-red/instance');
const { activate, createCredential, installN8n, startN8n } = require('../dist/demo/n8n/instance');
const { TRIGGERS } = require('../dist/demo/n8n/workflows');
const { SECRET, wahaDeliveries } = require('./waha-deliveries');

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const ENGINES = (process.env.BENCH_ENGINES ?? 'node-red-4,node-red-5,n8n-1,n8n-2').split(',').map((name) => name.trim());
const TARGET = 1.0;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** req/s of `url` under a bounded load of fresh signed deliveries; throws on any non-2xx answer. */
async function reqPerSecond(url, seconds) {
  const next = wahaDeliveries();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const { body, headers } = next();
          return { ...request, body, headers };
        },
      },
    ],
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts of ${result.requests.total}`);
  }
  return result.requests.total / (result.duration || seconds);
}

/** Each arm measured in turn for ROUNDS rounds after a short warm-up; median req/s and median ratios to `baseline`. */
async function compare(arms, baseline) {
  for (const url of Object.values(arms)) await reqPerSecond(url, 1);
  const rounds = Object.fromEntries(Object.keys(arms).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url] of Object.entries(arms)) rounds[name].push(await reqPerSecond(url, SECONDS));
  }
  return Object.fromEntries(
    Object.keys(arms).map((name) => [name, { reqPerSecond: median(rounds[name]), ratio: median(rounds[name].map((value, i) => value / rounds[baseline][i])) }]),
  );
}

// ---------------------------------------------------------------- Node-RED

function nodeRedFlows() {
  const tab = 'tab-bench';
  return [
    { id: tab, type: 'tab', label: 'waflow bench' },
    { id: 'gw-bench', type: 'whatsapp-gateway', name: 'bench', provider: 'waha', credentials: { secret: SECRET } },
    { id: 'in-bench', type: 'whatsapp in', z: tab, gateway: 'gw-bench', path: '/bench/waha', events: [], dedupe: true, includeRaw: true, wires: [[]] },
    { id: 'bare-in', type: 'http in', z: tab, url: '/bench/bare', method: 'post', upload: false, wires: [['bare-out']] },
    { id: 'bare-out', type: 'http response', z: tab, statusCode: '200', headers: {}, wires: [] },
  ];
}

async function benchNodeRed(label, node, redJs) {
  const userDir = mkdtempSync(join(tmpdir(), 'waflow-bench-node-red-'));
  const red = new NodeRed(node, redJs, userDir);
  try {
    linkPackage(userDir);
    await red.start();
    await red.deploy(nodeRedFlows());
    await until('the in node to listen', async () => ((await red.routes()).length === 1 ? true : undefined));
    const base = `http://127.0.0.1:${red.port}`;
    const results = await compare({ bare: `${base}/bench/bare`, whatsappIn: `${base}/bench/waha` }, 'bare');
    const version = require(join(redJs, '..', 'package.json')).version;
    return [{ engine: `${label} ${version}`, arm: '`whatsapp in` / `http in → http response`', ...results.whatsappIn, baseline: results.bare.reqPerSecond }];
  } finally {
    await red.stop();
    rmSync(userDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------- n8n

/** A one-node workflow, active, and its production URL. */
async function oneNodeWorkflow(n8n, name, node, url) {
  const workflow = await n8n.api('POST', '/workflows', { name, settings: {}, nodes: [{ id: randomUUID(), position: [0, 0], ...node }], connections: {} });
  await activate(n8n, workflow.id, url);
  return url;
}

async function benchN8n(line, env) {
  const n8n = await startN8n(installN8n(line), { env });
  try {
    const credential = await createCredential(n8n, TRIGGERS.waha.credential, 'bench waha', { webhookSecret: SECRET, apiKey: 'bench' });
    const trigger = async (name, parameters) => {
      const webhookId = randomUUID();
      const node = {
        name: 'Trigger',
        type: TRIGGERS.waha.type,
        typeVersion: 1,
        webhookId,
        parameters: { registerWebhook: false, ...parameters },
        credentials: { [TRIGGERS.waha.credential]: credential },
      };
      return oneNodeWorkflow(n8n, name, node, `${n8n.baseUrl}/webhook/${webhookId}/webhook`);
    };
    const path = randomUUID();
    const webhook = await oneNodeWorkflow(
      n8n,
      'bench webhook',
      {
        name: 'Webhook',
        type: 'n8n-nodes-base.webhook',
        typeVersion: 2,
        webhookId: randomUUID(),
        parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
      },
      `${n8n.baseUrl}/webhook/${path}`,
    );
    const accepted = await trigger('bench accepted', { events: ['message'] });
    const filtered = await trigger('bench filtered', { events: ['message.ack'] });
    const results = await compare({ webhook, accepted, filtered }, 'webhook');
    const engine = `n8n ${n8n.version}${
      env
        ? ` (${Object.entries(env)
            .map(([name, value]) => `${name}=${value}`)
            .join(' ')})`
        : ''
    }`;
    return [
      { engine, arm: 'WAHA Trigger, accepted (an execution each) / Webhook node', ...results.accepted, baseline: results.webhook.reqPerSecond },
      { engine, arm: 'WAHA Trigger, filtered (no execution) / Webhook node', ...results.filtered, baseline: results.webhook.reqPerSecond },
    ];
  } finally {
    await n8n.stop();
  }
}

// ---------------------------------------------------------------- the run

function markdown(rows) {
  const lines = ['| engine | ours / baseline | ratio | ours req/s | baseline req/s |', '|---|---|---|---|---|'];
  for (const row of rows) {
    lines.push(
      `| ${row.engine} | ${row.arm} | **${row.ratio.toFixed(2)}×**${row.ratio < TARGET ? ' ⚠' : ''} | ${Math.round(row.reqPerSecond)} | ${Math.round(row.baseline)} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const rows = [];
  const benches = {
    'node-red-4': () => benchNodeRed('Node-RED', process.execPath, require.resolve('node-red/red.js')),
    'node-red-5': () => {
      const installed = installNodeRed5();
      return benchNodeRed('Node-RED', installed.node22, installed.nodeRed5);
    },
    'n8n-1': () => benchN8n(1),
    'n8n-2': () => benchN8n(2),
    // Not run by default: n8n 1.123 with the expression engine that needs no isolate, showing the cause of the gap.
    'n8n-1-legacy': () => benchN8n(1, { N8N_EXPRESSION_ENGINE: 'legacy' }),
  };
  for (const name of ENGINES) {
    if (!benches[name]) throw new Error(`BENCH_ENGINES: unknown engine ${name} (known: ${Object.keys(benches).join(', ')})`);
    rows.push(...(await benches[name]()));
    if (process.env.BENCH_DEBUG) console.log(markdown(rows));
  }
  const environment = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, bench on Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  console.log(
    `Engines: ours / the engine's own webhook, req/s (target ≥ ${TARGET}×), ${environment}; ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s, median\n\n${markdown(rows)}`,
  );
  const under = rows.filter((row) => row.ratio < TARGET);
  if (under.length) console.log(`\n${under.length} row(s) under the ${TARGET}× target (⚠); see bench/RESULTS.md for the known causes.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
