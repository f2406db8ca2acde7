/**
 * n8n 1.123 in queue mode, for real: EXECUTIONS_MODE=queue on a real Redis and a real PostgreSQL
 * (n8n's processes share one database), a main process (editor, API, activation), TWO `n8n webhook`
 * processes that receive the production webhooks (the main one does not: N8N_DISABLE_PRODUCTION_
 * MAIN_PROCESS) and one `n8n worker` that runs the executions. The WAHA Trigger's Shared Store is
 * "Redis of Queue Mode": each webhook process reads n8n's own QUEUE_BULL_REDIS_* settings.
 *
 * 1 000 signed WAHA deliveries, 30 % of them redelivered to the other webhook process (half while
 * the first copy is in flight), round-robin over both: the executions n8n created must be exactly
 * the unique events, each once. Figures are printed, never asserted against a time.
 *
 * Then issue 14 across processes: a burst split across both webhook processes is one execution,
 * and the conversation state a WhatsApp Conversation node sets in the worker is on the next message
 * a webhook process takes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers } from '../../../core/providers';
import { activate, createCredential, installN8n, n8nEnvironment, PACKAGE, startN8n, until, type Engine, type N8nInstance } from '../../../demo/n8n/instance';
import { freePort } from '../../../demo/ports';
import { http } from '../../../demo/node-red/instance';
import { boundedPool, genuine } from '../reliability/hostile';
import { startPostgres, type Postgres } from './postgres';
import { startRedis, type RedisServer } from './redis-server';

const SECRET = 'scale-n8n-waha-hmac-key';
const UNIQUE = Number(process.env.WAFLOW_SCALE_EVENTS ?? 1_000);
const ENCRYPTION_KEY = 'waflow-scale-suite-encryption-key';
const figures: string[] = [];

interface Process {
  name: string;
  child: ChildProcess;
  port: number;
  logFile: string;
}

/** The queue-mode settings every n8n process of the set-up shares. */
function queueEnvironment(redis: RedisServer, pg: Postgres): Record<string, string> {
  return {
    EXECUTIONS_MODE: 'queue',
    QUEUE_BULL_REDIS_HOST: redis.host,
    QUEUE_BULL_REDIS_PORT: String(redis.port),
    QUEUE_BULL_REDIS_PASSWORD: redis.password,
    DB_TYPE: 'postgresdb',
    DB_POSTGRESDB_HOST: pg.host,
    DB_POSTGRESDB_PORT: String(pg.port),
    DB_POSTGRESDB_DATABASE: pg.database,
    DB_POSTGRESDB_USER: pg.user,
    DB_POSTGRESDB_PASSWORD: pg.password,
    // The default pool of 2 connections makes n8n answer 503 "Database is not ready!" under load.
    DB_POSTGRESDB_POOL_SIZE: '10',
    N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
    // Production webhooks go to the webhook processes only, as behind a load balancer.
    N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true',
    EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
    N8N_LOG_LEVEL: 'warn',
  };
}

/** `n8n webhook` or `n8n worker` on the main process's user folder (the package is installed there). */
async function spawnN8n(engine: Engine, userFolder: string, command: 'webhook' | 'worker', name: string, env: Record<string, string>): Promise<Process> {
  const port = await freePort();
  const logFile = join(userFolder, `${name}.log`);
  const log = createWriteStream(logFile);
  const args = [join(engine.dir, 'node_modules', 'n8n', 'bin', 'n8n'), command, ...(command === 'worker' ? ['--concurrency=20'] : [])];
  const child = spawn(engine.node, args, {
    env: {
      ...n8nEnvironment(engine, userFolder, port, await freePort()),
      ...env,
      ...(command === 'worker' ? { QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(port) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  await until(`${name} to be ready`, 180_000, async () => ((await http(port, 'GET', '/healthz')).status === 200 ? true : undefined), child);
  return { name, child, port, logFile };
}

async function stopProcess(process: Process): Promise<void> {
  const { child } = process;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

const logOf = (process: Process) => {
  try {
    return readFileSync(process.logFile, 'utf8');
  } catch {
    return '';
  }
};

const idOf = (body: Buffer) => providers.waha.normalize(JSON.parse(body.toString()), { receivedAtMs: 0, bodyDigest: '-' })[0].id;

describe('n8n 1.123 in queue mode: main, two webhook processes, a worker, one Redis', () => {
  let redis: RedisServer;
  let pg: Postgres;
  let main: N8nInstance;
  let userFolder = '';
  const processes: Process[] = [];
  let workflowId = '';
  let webhookPath = '';

  beforeAll(async () => {
    const engine = installN8n(1);
    [redis, pg] = await Promise.all([startRedis(), startPostgres()]);
    userFolder = mkdtempSync(join(tmpdir(), 'waflow-scale-n8n-'));
    const env = queueEnvironment(redis, pg);
    main = await startN8n(engine, { userFolder, env });
    const [webhookA, webhookB, worker] = await Promise.all([
      spawnN8n(engine, userFolder, 'webhook', 'webhook-1', env),
      spawnN8n(engine, userFolder, 'webhook', 'webhook-2', env),
      spawnN8n(engine, userFolder, 'worker', 'worker', env),
    ]);
    processes.push(webhookA, webhookB, worker);

    const credential = await createCredential(main, 'wahaApi', 'waha (scale)', { webhookSecret: SECRET });
    const webhookId = randomUUID();
    const workflow = await main.api('POST', '/workflows', {
      name: 'waflow scale (queue mode)',
      settings: { saveDataSuccessExecution: 'all' },
      nodes: [
        {
          id: randomUUID(),
          name: 'Trigger',
          type: `${PACKAGE}.wahaTrigger`,
          typeVersion: 1,
          position: [0, 0],
          webhookId,
          parameters: { registerWebhook: false, events: ['message'], sharedStore: 'queueRedis', output: 'flat' },
          credentials: { wahaApi: credential },
        },
        { id: randomUUID(), name: 'Done', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [300, 0], parameters: {} },
      ],
      connections: { Trigger: { main: [[{ node: 'Done', type: 'main', index: 0 }]] } },
    });
    workflowId = workflow.id;
    webhookPath = `/webhook/${webhookId}/webhook`;
    await activate(main, workflowId, `http://127.0.0.1:${webhookA.port}${webhookPath}`);
    await until('the second webhook process to serve it', 30_000, async () =>
      (await http(webhookB.port, 'POST', webhookPath, '{}', { 'content-type': 'application/json' })).status === 401 ? true : undefined,
    );
  }, 20 * 60_000);

  afterAll(async () => {
    console.log(figures.join('\n'));
    if (process.env.WAFLOW_N8N_LOG) for (const p of processes) console.log(`--- ${p.name}\n${logOf(p)}`);
    for (const p of processes) await stopProcess(p);
    await main?.stop();
    if (userFolder) rmSync(userFolder, { recursive: true, force: true });
    await pg?.stop();
    await redis?.dispose();
  }, 120_000);

  /** Every execution of the workflow, through the public API's pages. */
  async function executions(): Promise<Array<{ id: string; status: string; finished: boolean }>> {
    const all: Array<{ id: string; status: string; finished: boolean }> = [];
    let cursor = '';
    do {
      const page = await main.api<{ data: typeof all; nextCursor?: string | null }>(
        'GET',
        `/executions?workflowId=${workflowId}&limit=250${cursor ? `&cursor=${cursor}` : ''}`,
      );
      all.push(...page.data);
      cursor = page.nextCursor ?? '';
    } while (cursor);
    return all;
  }

  /** The event ids the executions' trigger items carry. */
  async function executedIds(ids: string[]): Promise<string[]> {
    const found: string[] = [];
    await boundedPool(ids.length, 8, 120_000, async (i) => {
      const execution = await main.api('GET', `/executions/${ids[i]}?includeData=true`);
      for (const item of execution.data.resultData.runData.Trigger[0].data.main[0]) found.push(item.json.id);
    });
    return found;
  }

  it(
    `${UNIQUE} signed deliveries + 30 % redelivered, round-robin over both webhook processes: executions = unique events, none lost, none twice`,
    async () => {
      const webhooks = processes.filter((p) => p.name.startsWith('webhook'));
      // A connection per request: n8n closes idle keep-alive sockets, which races with reuse under load.
      const agent = new Agent({ keepAlive: false, maxSockets: 32 });
      const sent = new Set<string>();
      const problems: string[] = [];
      const perProcess = [0, 0];
      let requests = 0;
      let emitted = 0;
      let duplicates = 0;
      let next = 0;
      let retried = 0;
      const retriedStatus: Record<number, number> = {};
      const post = async (body: Buffer, to: number) => {
        requests++;
        const { headers } = providers.waha.sign({ body, secret: SECRET, nowMs: Date.now() });
        // As a gateway does: a connection reset or a 5xx (n8n's own 503 while its database is busy) is
        // retried; the retry is a redelivery, which dedupe handles.
        let res;
        for (let attempt = 1; ; attempt++) {
          try {
            res = await http(webhooks[to].port, 'POST', webhookPath, body, { 'content-type': 'application/json', ...headers }, { agent });
            if (res.status < 500 || attempt === 10) break;
            retriedStatus[res.status] = (retriedStatus[res.status] ?? 0) + 1;
          } catch (error) {
            if (attempt === 10) throw error;
            retried++;
          }
          await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
        }
        if (res.status !== 200) {
          if (problems.length < 10) problems.push(`${webhooks[to].name}: ${res.status} ${res.text.slice(0, 200)}`);
          return;
        }
        const answer = res.json();
        emitted += answer.emitted;
        duplicates += answer.duplicates;
        perProcess[to] += answer.emitted;
      };
      const started = Date.now();
      const ran = await boundedPool(UNIQUE, 32, 600_000, async (i) => {
        const body = Buffer.from(genuine('waha'));
        sent.add(idOf(body));
        const first = next++ % 2;
        if (i % 20 < 3) await Promise.all([post(body, first), post(body, 1 - first)]);
        else if (i % 20 < 6) await post(body, first).then(() => post(body, 1 - first));
        else await post(body, first);
      });
      agent.destroy();
      const seconds = (Date.now() - started) / 1000;
      const waitStarted = Date.now();
      // The worker runs them from the queue: wait until n8n has them all finished (or stops growing).
      const done = await until(`${emitted} finished executions`, 600_000, async () => {
        const list = await executions();
        return list.length >= emitted && list.every((execution) => execution.finished || execution.status === 'success') ? list : undefined;
      });
      const waited = (Date.now() - waitStarted) / 1000;
      // A store failure lets the event through (a duplicate beats a loss) and is logged: none expected here.
      const storeWarnings = webhooks.flatMap((p) => logOf(p).split('\n')).filter((line) => /Redis .* failed/.test(line));
      const ids = await executedIds(done.map((execution) => execution.id));
      figures.push(
        `n8n 1.123 queue mode (2 webhook processes + 1 worker, Redis, PostgreSQL): ${ran} unique events, ${requests} requests in ${seconds.toFixed(1)} s ` +
          `(retried: ${retried} after a connection reset, ${JSON.stringify(retriedStatus)} after n8n's own 5xx; ${perProcess.join(' + ')} accepted per webhook process, ${duplicates} duplicates answered without an execution); ` +
          `all finished ${waited.toFixed(1)} s later; ${done.length} executions, ${new Set(ids).size} distinct events; ${storeWarnings.length} store failures logged`,
      );
      expect(problems).toEqual([]);
      expect(storeWarnings).toEqual([]);
      expect(ran).toBe(UNIQUE);
      expect(emitted).toBe(UNIQUE);
      expect(done).toHaveLength(UNIQUE);
      expect(ids).toHaveLength(UNIQUE);
      expect(new Set(ids)).toEqual(sent);
      expect(perProcess.every((count) => count > UNIQUE / 4)).toBe(true);
      // The worker ran them (the webhook processes only enqueue).
      expect(done.every((execution) => execution.status === 'success')).toBe(true);
    },
    25 * 60_000,
  );

  it('no secret in any process log', () => {
    const logs = [main.log(), ...processes.map(logOf)].join('\n');
    for (const secret of [SECRET, redis.password, pg.password]) expect(logs).not.toContain(secret);
  });

  it(
    'a burst split across both webhook processes is one execution with all its messages; the state the worker sets is on the next message the other webhook process takes',
    async () => {
      const webhooks = processes.filter((p) => p.name.startsWith('webhook'));
      // Trigger (combine, 1 s quiet) → WhatsApp Conversation (set "greeted"), both on the queue's Redis.
      const credential = await createCredential(main, 'wahaApi', 'waha (scale, bursts)', { webhookSecret: SECRET });
      const webhookId = randomUUID();
      const workflow = await main.api('POST', '/workflows', {
        name: 'waflow scale: bursts and state',
        settings: { saveDataSuccessExecution: 'all' },
        nodes: [
          {
            id: randomUUID(),
            name: 'Trigger',
            type: `${PACKAGE}.wahaTrigger`,
            typeVersion: 1,
            position: [0, 0],
            webhookId,
            parameters: { registerWebhook: false, events: ['message'], sharedStore: 'queueRedis', combine: true, combineQuiet: 1 },
            credentials: { wahaApi: credential },
          },
          {
            id: randomUUID(),
            name: 'Greet',
            type: `${PACKAGE}.whatsAppConversation`,
            typeVersion: 1,
            position: [300, 0],
            parameters: { operation: 'set', conversationState: 'greeted', sharedStore: 'queueRedis' },
          },
        ],
        connections: { Trigger: { main: [[{ node: 'Greet', type: 'main', index: 0 }]] } },
      });
      const path = `/webhook/${webhookId}/webhook`;
      await activate(main, workflow.id, `http://127.0.0.1:${webhooks[0].port}${path}`);
      await until('the second webhook process to serve it', 30_000, async () =>
        (await http(webhooks[1].port, 'POST', path, '{}', { 'content-type': 'application/json' })).status === 401 ? true : undefined,
      );
      const post = async (to: number) => {
        const body = Buffer.from(genuine('waha'));
        const { headers } = providers.waha.sign({ body, secret: SECRET, nowMs: Date.now() });
        const res = await http(webhooks[to].port, 'POST', path, body, { 'content-type': 'application/json', ...headers });
        expect(res.status).toBe(200);
        return providers.waha.normalize(JSON.parse(body.toString()), { receivedAtMs: 0, bodyDigest: '-' })[0].message!.id;
      };
      const finished = async (count: number) =>
        until(`${count} executions`, 120_000, async () => {
          const page = await main.api<{ data: Array<{ id: string; status: string }> }>(
            'GET',
            `/executions?workflowId=${workflow.id}&includeData=true&limit=10`,
          );
          return page.data.length >= count && page.data.every((e) => e.status === 'success') ? page.data : undefined;
        });
      const triggerItems = async (id: string) => (await main.api('GET', `/executions/${id}?includeData=true`)).data.resultData.runData.Trigger[0].data.main[0];

      const burst = [await post(0), await post(1), await post(0), await post(1)];
      const [first] = await finished(1);
      const [combined] = await triggerItems(first.id);
      expect(combined.json.messages.map((m: { id: string }) => m.id)).toEqual(burst);
      // Longer than the quiet window again: the burst gave one execution.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(await finished(1)).toHaveLength(1);

      // The worker's Greet set the chat's state in Redis; the next message, on the other process, carries it.
      await post(1);
      const executions = await finished(2);
      const [next] = await triggerItems(executions.find((e) => e.id !== first.id)!.id);
      expect(next.json.conversation).toMatchObject({ state: 'greeted' });
      expect(combined.json.conversation).toBeUndefined();
      figures.push(
        `n8n 1.123 queue mode: a burst of ${burst.length} messages alternating between the webhook processes: 1 execution with ${combined.json.messages.length} messages; the state the worker set read by the other webhook process: ${next.json.conversation.state}`,
      );
      await main.api('POST', `/workflows/${workflow.id}/deactivate`);
    },
    5 * 60_000,
  );
});
