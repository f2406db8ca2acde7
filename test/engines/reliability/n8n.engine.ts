/**
 * Issue 11's reliability suite in a real n8n (1.123 on Node 22, 2.40 on Node 24; the package packed
 * and installed as a community node, workflows created and activated through the public API, every
 * request over loopback to the production webhook URL):
 * - hostile requests, a bounded sample per provider (the Node-RED suite's mix), answered without a
 *   5xx, each JSON with a reason or the counts, and exactly one successful execution per accepted one;
 * - load: distinct signed deliveries plus 30 % redelivered (half while the first copy is in flight)
 *   give exactly one execution per unique event;
 * - no secret in execution data, exported workflows and credentials (n8n's CLI, not decrypted), the
 *   log, or any file in n8n's data folder (its database included).
 * Counts: WAFLOW_RELIABILITY_N8N_HOSTILE (per provider, default 100), WAFLOW_RELIABILITY_N8N_LOAD
 * (distinct deliveries, default 500). Lines: WAFLOW_N8N_LINES=1,2 (default both).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { Agent } from 'node:http';
import { join } from 'node:path';
import { PROVIDERS, type ProviderName } from '../../../core/event/schema';
import { providers } from '../../../core/providers';
import { http, type Reply } from '../../../demo/node-red/instance';
import { activate, createCredential, installN8n, startN8n, until, type N8nInstance, type N8nLine } from '../../../demo/n8n/instance';
import { TRIGGERS } from '../../../demo/n8n/workflows';
import { signedParts } from '../node-red/runtime';
import { answerProblem, boundedPool, deliverWithRedeliveries, heavyCases, hostileCase, prng, type HostileCase } from './hostile';

const LINES = (process.env.WAFLOW_N8N_LINES ?? '1,2').split(',').map((line) => Number(line.trim()) as N8nLine);
const HOSTILE = Number(process.env.WAFLOW_RELIABILITY_N8N_HOSTILE ?? 100);
const LOAD = Number(process.env.WAFLOW_RELIABILITY_N8N_LOAD ?? 500);

const SECRETS: Record<ProviderName, string> = {
  waha: 'n8n-rel-waha-hmac-key-3d9a',
  wawp: 'n8n-rel-wawp-url-token-6f20',
  openwa: 'n8n-rel-openwa-shared-secret-b51c',
  waserver: 'n8n-rel-waserver-webhook-secret-e8a7',
  evolution: 'n8n-rel-evolution-webhook-secret-14f3',
  cloudapi: 'n8n-rel-cloudapi-app-secret-90bd',
};
/** The other secrets the credentials hold (never used for a call: registration is off). */
const API_SECRETS: Partial<Record<ProviderName, Record<string, string>>> = {
  waha: { apiKey: 'n8n-rel-waha-api-key-27c4' },
  wawp: { instanceId: 'REL1234', accessToken: 'n8n-rel-wawp-access-token-5be1' },
  evolution: { apiKey: 'n8n-rel-evolution-api-key-c08e' },
  cloudapi: { verifyToken: 'n8n-rel-cloudapi-verify-token-7a35', accessToken: 'n8n-rel-cloudapi-access-token-d46f' },
};
const ALL_SECRETS = [
  ...Object.values(SECRETS),
  ...Object.values(API_SECRETS).flatMap((fields) => Object.values(fields!).filter((v) => v.startsWith('n8n-rel-'))),
];

const figures: string[] = [];
afterAll(() => console.log(figures.join('\n')));

/**
 * n8n's own answer, given before the trigger runs: its body parser reads and parses every JSON body
 * first (webhook-helpers parseRequestBody), answering `{code, message, hint, stacktrace}` itself.
 * The message, or null for an answer of ours (which always has `ok`).
 */
function n8nOwnAnswer(text: string): string | null {
  try {
    const body = JSON.parse(text);
    return body && typeof body === 'object' && !('ok' in body) && 'code' in body && typeof body.message === 'string' ? body.message : null;
  } catch {
    return null;
  }
}

/** What n8n answers itself, and for which cases: a body that is not JSON, and a Content-Encoding label the body does not match. */
const N8N_OWN = [
  { status: 422, message: 'Failed to parse request body', kinds: ['random bytes', 'invalid UTF-8', 'truncated JSON', 'BOM', 'gzip label'] },
  { status: 500, message: 'There was a problem executing the workflow', kinds: ['gzip label'] },
];

interface Execution {
  id: string;
  status: string;
  data?: { resultData: { runData: Record<string, Array<{ data: { main: Array<Array<{ json: Record<string, unknown> }> | null> } }>> } };
}

/** Every finished execution of a workflow (the public API pages by cursor, 250 at most a page). */
async function executionsOf(n8n: N8nInstance, workflowId: string, includeData = false): Promise<Execution[]> {
  const all: Execution[] = [];
  let cursor: string | undefined;
  do {
    const page = await n8n.api<{ data: Execution[]; nextCursor?: string | null }>(
      'GET',
      `/executions?workflowId=${workflowId}&limit=250&includeData=${includeData}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    all.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return all.filter((execution) => execution.status !== 'running' && execution.status !== 'new' && execution.status !== 'waiting');
}

/**
 * Waits (counting, without the data) until a workflow has `count` finished executions and no more
 * arrive for two seconds, then returns them; on a timeout, says how many there were.
 */
async function settledExecutions(n8n: N8nInstance, workflowId: string, count: number, includeData = false): Promise<Execution[]> {
  let last = -1;
  let stableSince = Date.now();
  await until(`${count} executions`, 240_000, async () => {
    const found = await executionsOf(n8n, workflowId);
    if (found.length !== last) {
      last = found.length;
      stableSince = Date.now();
    }
    return found.length >= count && Date.now() - stableSince >= 2_000 ? true : undefined;
  }).catch((error: Error) => {
    throw new Error(`${error.message} (${last} finished)`);
  });
  return executionsOf(n8n, workflowId, includeData);
}

/** Every file below `dir`, as text (binary bytes kept as latin1, so an ASCII secret still matches). */
function filesBelow(dir: string): Array<{ path: string; text: string }> {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return [];
    if (stat.isDirectory()) return filesBelow(path);
    return stat.isFile() ? [{ path, text: readFileSync(path).toString('latin1') }] : [];
  });
}

describe.each(LINES)('n8n line %s, reliability', (line) => {
  let n8n: N8nInstance;
  let port = 0;
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const hooks = {} as Record<ProviderName, { workflowId: string; path: string }>;
  let load = { workflowId: '', path: '' };

  /** trigger → No-op, active; its production webhook path. */
  async function workflowFor(provider: ProviderName, name: string): Promise<{ workflowId: string; path: string }> {
    const { type, credential: credentialType } = TRIGGERS[provider];
    const credential = await createCredential(n8n, credentialType, `${name} credential`, { webhookSecret: SECRETS[provider], ...API_SECRETS[provider] });
    const webhookId = randomUUID();
    const register = providers[provider].api.anyCapabilities.includes('registerWebhook') ? { registerWebhook: false } : {};
    const workflow = await n8n.api<{ id: string }>('POST', '/workflows', {
      name,
      settings: { saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' },
      nodes: [
        {
          id: randomUUID(),
          name: 'Trigger',
          type,
          typeVersion: 1,
          position: [0, 0],
          webhookId,
          parameters: { ...register },
          credentials: { [credentialType]: credential },
        },
        { id: randomUUID(), name: 'Taken', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [250, 0], parameters: {} },
      ],
      connections: { Trigger: { main: [[{ node: 'Taken', type: 'main', index: 0 }]] } },
    });
    const path = `/webhook/${webhookId}/webhook`;
    await activate(n8n, workflow.id, `${n8n.baseUrl}${path}`);
    return { workflowId: workflow.id, path };
  }

  /** A hostile case to a trigger the way it says (signed or not, extra headers and query, chunked). */
  function send(provider: ProviderName, path: string, c: HostileCase, via: Agent = agent): Promise<Reply> {
    const signed = c.signed ? signedParts(provider, c.body, SECRETS[provider]) : { headers: { 'content-type': 'application/json' }, search: '' };
    const search = c.query ? `${signed.search ? `${signed.search}&` : '?'}${c.query}` : signed.search;
    // A connection closed without an answer is a problem of its own, named with its case.
    return http(port, 'POST', `${path}${search}`, c.body, { ...signed.headers, ...c.headers }, { agent: via, chunked: c.chunked }).catch(
      (error: Error): Reply => ({ status: 0, text: `no answer: ${error.message}`, headers: {}, json: () => ({}) }),
    );
  }

  beforeAll(async () => {
    n8n = await startN8n(installN8n(line));
    port = Number(new URL(n8n.baseUrl).port);
    for (const provider of PROVIDERS) hooks[provider] = await workflowFor(provider, `reliability ${provider}`);
    load = await workflowFor('waha', 'reliability load');
  }, 25 * 60_000);

  afterAll(async () => {
    agent.destroy();
    if (process.env.WAFLOW_N8N_LOG && n8n) process.stdout.write(n8n.log());
    await n8n?.stop();
  });

  it(`hostile requests: ${HOSTILE} per provider (+ one of each heavy kind): 0 crashes, 0 5xx from the trigger, every answer JSON with a reason, one successful execution per accepted request`, async () => {
    const started = Date.now();
    const problems: string[] = [];
    const statuses: Record<string, number> = {};
    const n8nOwn: Record<string, number> = {};
    const accepted = {} as Record<ProviderName, number>;
    let sent = 0;
    for (const provider of PROVIDERS) {
      accepted[provider] = 0;
      const check = (c: HostileCase, res: Reply) => {
        sent++;
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const own = n8nOwnAnswer(res.text);
        if (own !== null) {
          const key = `${res.status} ${own} (${c.kind})`;
          n8nOwn[key] = (n8nOwn[key] ?? 0) + 1;
          const known = N8N_OWN.some((answer) => answer.status === res.status && answer.message === own && answer.kinds.includes(c.kind));
          if (!known && problems.length < 10) problems.push(`${provider} ${c.kind}: n8n answered ${res.status} ${res.text.slice(0, 200)}`);
          return;
        }
        const problem = answerProblem(res.status, res.text);
        if (problem && problems.length < 10) problems.push(`${provider} ${c.kind}: ${problem}`);
        if (!problem && res.status === 200 && res.json().emitted > 0) accepted[provider]++;
      };
      const heavy = heavyCases(provider).filter(
        (c, i, all) => all.findIndex((other) => other.kind === c.kind && other.body.includes('"a":') === c.body.includes('"a":')) === i,
      );
      for (const c of heavy) check(c, await send(provider, hooks[provider].path, c));
      const random = prng(100 + PROVIDERS.indexOf(provider));
      // Bounded: the count, or 30 s per provider.
      await boundedPool(HOSTILE, 8, 30_000, async () => {
        const c = hostileCase(provider, random);
        check(c, await send(provider, hooks[provider].path, c));
      });
    }
    const seconds = (Date.now() - started) / 1000;
    expect(problems).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(PROVIDERS.length * Math.min(HOSTILE, 50));
    // n8n is up and answering.
    expect((await fetch(`${n8n.baseUrl}/healthz`)).status).toBe(200);
    const executions: string[] = [];
    for (const provider of PROVIDERS) {
      const found = await settledExecutions(n8n, hooks[provider].workflowId, accepted[provider]);
      executions.push(`${provider} ${found.length}/${accepted[provider]}`);
      expect([provider, found.length]).toEqual([provider, accepted[provider]]);
      expect([provider, found.filter((execution) => execution.status !== 'success').length]).toEqual([provider, 0]);
    }
    figures.push(
      `n8n ${n8n.version}: hostile requests: ${sent} (${HOSTILE} per provider + heavy) in ${seconds.toFixed(1)} s; answers ${JSON.stringify(statuses)}; ` +
        `executions = accepted requests (${executions.join(', ')}), all successful; answered by n8n itself before the trigger ran: ${JSON.stringify(n8nOwn)}`,
    );
  });

  it(`load: ${LOAD} distinct signed deliveries + 30 % redelivered (half while the first copy is in flight) at 10 connections give exactly one execution per unique event`, async () => {
    const started = Date.now();
    const via = new Agent({ keepAlive: true, maxSockets: 10 });
    const sentIds = new Set<string>();
    const problems: string[] = [];
    let requests = 0;
    let emitted = 0;
    const post = async (body: Buffer) => {
      requests++;
      const res = await send('waha', load.path, { kind: 'load', signed: true, body }, via);
      if (res.status !== 200 && problems.length < 10) problems.push(`${res.status} ${res.text}`);
      else emitted += res.json().emitted;
    };
    const ran = await boundedPool(LOAD, 10, 240_000, async (i) => {
      await deliverWithRedeliveries(i, sentIds, post);
    });
    via.destroy();
    const seconds = (Date.now() - started) / 1000;
    const executions = await settledExecutions(n8n, load.workflowId, sentIds.size, true);
    const ids = executions.map((execution) => execution.data!.resultData.runData.Trigger[0].data.main[0]![0].json.id as string);
    figures.push(
      `n8n ${n8n.version}: load: ${ran} distinct deliveries, ${requests} requests at 10 connections in ${seconds.toFixed(1)} s (${(requests / seconds).toFixed(0)} req/s); ` +
        `${executions.length} executions for ${sentIds.size} unique events (${executions.filter((e) => e.status === 'success').length} successful)`,
    );
    expect(problems).toEqual([]);
    expect(ran).toBe(LOAD);
    expect(emitted).toBe(sentIds.size);
    expect(executions).toHaveLength(sentIds.size);
    expect(new Set(ids)).toEqual(sentIds);
    expect(executions.every((execution) => execution.status === 'success')).toBe(true);
  });

  it('secrets: none in the execution data, the exported workflows and credentials (not decrypted), the log, or any file of n8n', async () => {
    const workflows = await n8n.api<{ data: Array<{ id: string }> }>('GET', '/workflows?limit=250');
    const executionData = [];
    for (const workflow of workflows.data) executionData.push(JSON.stringify(await executionsOf(n8n, workflow.id, true)));
    const exportDir = join(n8n.userFolder, 'export');
    mkdirSync(exportDir, { recursive: true });
    n8n.cli(['export:credentials', '--all', `--output=${join(exportDir, 'credentials.json')}`]);
    n8n.cli(['export:workflow', '--all', `--output=${join(exportDir, 'workflows.json')}`]);
    const files = filesBelow(n8n.userFolder);
    const exported = (name: string) => files.find((file) => file.path === join(exportDir, name))!.text;
    const places: Record<string, string> = {
      'execution data (public API)': executionData.join('\n'),
      'GET /workflows': JSON.stringify(workflows),
      'export:credentials': exported('credentials.json'),
      'export:workflow': exported('workflows.json'),
      log: n8n.log(),
      ...Object.fromEntries(files.map((file) => [file.path.slice(n8n.userFolder.length + 1), file.text])),
    };
    const found = ALL_SECRETS.flatMap((secret) => Object.entries(places).flatMap(([where, text]) => (text.includes(secret) ? [`${secret} in ${where}`] : [])));
    figures.push(
      `n8n ${n8n.version}: secrets: ${ALL_SECRETS.length} secrets searched in ${(executionData.join('').length / 1e6).toFixed(1)} MB of execution data, ` +
        `${workflows.data.length} workflows, the credentials export, the log and ${files.length} files (${(files.reduce((n, f) => n + f.text.length, 0) / 1e6).toFixed(1)} MB); ${found.length} found`,
    );
    // The places hold what the scan is about: the credentials are there (encrypted), the executions too.
    expect(JSON.parse(exported('credentials.json')).length).toBeGreaterThanOrEqual(PROVIDERS.length);
    expect(executionData.join('').length).toBeGreaterThan(100_000);
    expect(found).toEqual([]);
  });
});
