/**
 * A real n8n, for the real-instance suite (test/engines/n8n) and the n8n demo (`npm run n8n-demo`):
 * installed from the npm registry into a cache outside the repository
 * (scripts/engines/install-n8n.sh), run on 127.0.0.1 with its own user folder, with this package
 * packed and installed into `<userFolder>/.n8n/nodes` the way n8n installs community nodes. Driven
 * through n8n's public API (an owner and an API key are created first).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../ports';

export const PACKAGE = '@waflow/n8n-nodes-whatsapp-gateways';

/** The checkout: this file runs from demo/n8n (tests, via ts-jest) and from dist/demo/n8n (the demo). */
function findRoot(dir: string): string {
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE) return dir;
  if (dirname(dir) === dir) throw new Error(`${PACKAGE}: checkout not found above ${__dirname}`);
  return findRoot(dirname(dir));
}

export const REPO = findRoot(__dirname);

/** The owner account created in every instance: the demo prints it, the screenshots log in with it. */
export const OWNER = { email: 'owner@example.com', password: 'Waflow-demo-1', firstName: 'Demo', lastName: 'Owner' };

export type N8nLine = 1 | 2;

export interface Engine {
  dir: string;
  node: string;
  version: string;
}

/** Installs (or finds, when cached) n8n of the given line; minutes the first time. */
export function installN8n(line: N8nLine): Engine {
  const out = execFileSync('bash', [join(REPO, 'scripts', 'engines', 'install-n8n.sh'), String(line)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 20 * 60_000,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Engine;
}

/** Packs the built package and installs the tarball as n8n installs a community node. */
export function installPackage(userFolder: string): void {
  const packDir = mkdtempSync(join(tmpdir(), 'waflow-pack-'));
  try {
    execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
    const tarball = join(
      packDir,
      readdirSync(packDir).find((file) => file.endsWith('.tgz'))!,
    );
    const nodesDir = join(userFolder, '.n8n', 'nodes');
    mkdirSync(nodesDir, { recursive: true });
    writeFileSync(join(nodesDir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', tarball], { cwd: nodesDir, stdio: ['ignore', 'ignore', 'inherit'] });
  } finally {
    rmSync(packDir, { recursive: true, force: true });
  }
}

export interface N8nInstance {
  version: string;
  baseUrl: string;
  /** n8n's own log (stdout and stderr). */
  logFile: string;
  /** The public API (`/api/v1`), authenticated with the API key. */
  // The answers are n8n's JSON, read by the caller as it knows them.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  api<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  /** The editor's REST API (`/rest`), as the owner: for what the public API cannot do (edit a credential). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  rest<T = any>(method: string, path: string, body?: unknown): Promise<T>;
  log(): string;
  /** n8n's data folder (its database, config and log), removed on stop unless the caller gave it. */
  userFolder: string;
  /** Runs an n8n CLI command (`export:credentials --all --output=…`) on this instance's data; its output. */
  cli(args: string[]): string;
  stop(): Promise<void>;
}

export async function until<T>(what: string, deadlineMs: number, probe: () => Promise<T | undefined>, child?: ChildProcess): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`n8n exited (${child.exitCode}) while waiting for ${what}`);
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface StartOptions {
  /** Default: a free port. */
  port?: number;
  /** Kept after stop (the demo's, for its log); default: a temporary folder, removed on stop. */
  userFolder?: string;
  /** Extra environment for n8n (the engine benchmarks set N8N_EXPRESSION_ENGINE). */
  env?: Record<string, string>;
}

/**
 * The environment an n8n process of this suite runs with: its own user folder, port and task broker
 * port (5679 by default: another n8n, or a second run, would collide), on 127.0.0.1, quiet.
 */
export function n8nEnvironment(engine: Engine, userFolder: string, port: number, brokerPort: number): Record<string, string> {
  return {
    PATH: `${join(engine.node, '..')}:${process.env.PATH}`,
    HOME: userFolder,
    N8N_USER_FOLDER: userFolder,
    N8N_PORT: String(port),
    N8N_LISTEN_ADDRESS: '127.0.0.1',
    N8N_HOST: '127.0.0.1',
    N8N_PROTOCOL: 'http',
    WEBHOOK_URL: `http://127.0.0.1:${port}/`,
    N8N_RUNNERS_BROKER_PORT: String(brokerPort),
    N8N_DIAGNOSTICS_ENABLED: 'false',
    N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
    N8N_TEMPLATES_ENABLED: 'false',
    N8N_PERSONALIZATION_ENABLED: 'false',
    N8N_SECURE_COOKIE: 'false',
    N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
    DB_SQLITE_POOL_SIZE: '2',
    EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
    N8N_LOG_LEVEL: 'info',
  };
}

export async function startN8n(engine: Engine, options: StartOptions = {}): Promise<N8nInstance> {
  const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'waflow-n8n-'));
  const cleanUp = () => {
    if (!options.userFolder) rmSync(userFolder, { recursive: true, force: true });
  };
  if (options.userFolder) {
    // A fresh instance each time: owner set-up and imports assume an empty database.
    rmSync(userFolder, { recursive: true, force: true });
    mkdirSync(userFolder, { recursive: true });
  }
  try {
    installPackage(userFolder);
  } catch (error) {
    cleanUp();
    throw error;
  }
  const port = options.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  const logFile = join(userFolder, 'n8n.log');
  const logStream = createWriteStream(logFile);
  const bin = join(engine.dir, 'node_modules', 'n8n', 'bin', 'n8n');
  const env = { ...n8nEnvironment(engine, userFolder, port, await freePort()), ...options.env };
  const child = spawn(engine.node, [bin, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  // A CLI command must not take the running instance's ports.
  const cli = (args: string[]) => {
    try {
      return execFileSync(engine.node, [bin, ...args], {
        env: { ...env, N8N_PORT: '0', N8N_RUNNERS_BROKER_PORT: '0' },
        encoding: 'utf8',
        timeout: 120_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`n8n ${args.join(' ')} failed:\n${`${stdout ?? ''}\n${stderr ?? ''}`.trim().slice(-3000)}`);
    }
  };
  child.stdout!.pipe(logStream);
  child.stderr!.pipe(logStream);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    logStream.end();
    cleanUp();
  };
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };

  try {
    // While migrating, n8n answers every path with a "starting up" page (and /healthz with 200):
    // the REST API is there once /rest/settings gives its JSON.
    await until(
      'n8n to be ready',
      180_000,
      async () => {
        const settings = (await (await fetch(`${baseUrl}/rest/settings`)).json()) as { data?: unknown };
        return settings.data ? true : undefined;
      },
      child,
    );
    const { apiKey, session, version } = await createApiKey(baseUrl);
    const call = (prefix: string, auth: Record<string, string>) => async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${baseUrl}${prefix}${path}`, {
        method,
        headers: { ...auth, 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${prefix}${path} → ${res.status}: ${text}`);
      return text ? JSON.parse(text) : undefined;
    };
    return { version, baseUrl, logFile, api: call('/api/v1', { 'X-N8N-API-KEY': apiKey }), rest: call('/rest', session), log, userFolder, cli, stop };
  } catch (error) {
    const output = log();
    await stop();
    throw new Error(`${(error as Error).message}\n--- n8n log ---\n${output.slice(-4000)}`);
  }
}

/** Owner set-up, then an API key with every scope the owner may grant; the owner's session headers; and n8n's version. */
async function createApiKey(baseUrl: string): Promise<{ apiKey: string; session: Record<string, string>; version: string }> {
  // n8n binds its session cookie to a browser id sent as a header.
  const headers: Record<string, string> = { 'content-type': 'application/json', 'browser-id': 'waflow-engine-test' };
  const setup = await fetch(`${baseUrl}/rest/owner/setup`, { method: 'POST', headers, body: JSON.stringify(OWNER) });
  if (!setup.ok) throw new Error(`owner setup → ${setup.status}: ${await setup.text()}`);
  const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0];
  const authed = { ...headers, cookie };
  const scopes = ((await (await fetch(`${baseUrl}/rest/api-keys/scopes`, { headers: authed })).json()) as { data: string[] }).data;
  const created = await fetch(`${baseUrl}/rest/api-keys`, {
    method: 'POST',
    headers: authed,
    body: JSON.stringify({ label: 'waflow', scopes, expiresAt: null }),
  });
  if (!created.ok) throw new Error(`API key → ${created.status}: ${await created.text()}`);
  const apiKey = ((await created.json()) as { data: { rawApiKey: string } }).data.rawApiKey;
  const settings = (await (await fetch(`${baseUrl}/rest/settings`, { headers: authed })).json()) as { data: { versionCli: string } };
  return { apiKey, session: { 'browser-id': headers['browser-id'], cookie }, version: settings.data.versionCli };
}

/** What n8n wants beside the fields: n8n 1.123's schema for credentials that authenticate requests wants an allowed-domains choice, and refuses it on the others. */
async function credentialExtras(n8n: N8nInstance, type: string): Promise<Record<string, string>> {
  const schema = await n8n.api<{ properties: Record<string, unknown> }>('GET', `/credentials/schema/${type}`);
  return 'allowedHttpRequestDomains' in schema.properties ? { allowedHttpRequestDomains: 'all' } : {};
}

/** Creates a credential through the public API; returns the reference a node's `credentials` takes. */
export async function createCredential(n8n: N8nInstance, type: string, name: string, data: Record<string, unknown>): Promise<{ id: string; name: string }> {
  const credential = await n8n.api<{ id: string; name: string }>('POST', '/credentials', {
    name,
    type,
    data: { ...data, ...(await credentialExtras(n8n, type)) },
  });
  return { id: credential.id, name: credential.name };
}

/** Saves new data in a credential as the editor does (the public API cannot edit one). */
export async function updateCredential(n8n: N8nInstance, type: string, credential: { id: string; name: string }, data: Record<string, unknown>): Promise<void> {
  await n8n.rest('PATCH', `/credentials/${credential.id}`, { name: credential.name, type, data: { ...data, ...(await credentialExtras(n8n, type)) } });
}

/** n8n's 404 while no webhook is registered; else the node's answer to an empty, unsigned POST. */
export async function unsignedStatus(url: string): Promise<number> {
  return (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status;
}

/**
 * Activates a workflow and waits until its trigger answers on the production URL: n8n 2.x
 * registers webhooks just after answering the activation call (1.x before). The unsigned probe is
 * refused by the node (401), never an execution.
 */
export async function activate(n8n: N8nInstance, workflowId: string, webhookUrl: string): Promise<void> {
  await n8n.api('POST', `/workflows/${workflowId}/activate`);
  await until('the production webhook', 30_000, async () => ((await unsignedStatus(webhookUrl)) !== 404 ? true : undefined));
}
