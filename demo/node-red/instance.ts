/**
 * A real Node-RED process on 127.0.0.1, for the real-runtime suite (test/engines/node-red) and the
 * engine benchmarks (bench/engines.bench.js): started with its own user directory and settings on a
 * free port, driven through the admin API (flows deployed as the editor's Deploy button does).
 * Node-RED 4.1 is the dev dependency; Node-RED 5 on Node 22 comes from
 * scripts/engines/install-node-red.sh (`installNodeRed5`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Agent } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../ports';
import { packageRoot } from '../package-root';

const DEADLINE_MS = 60_000;
const PACKAGE = '@waflow/n8n-nodes-whatsapp-gateways';

/** Makes Node-RED find this checkout in `userDir` as an installed package (a symlink, as `npm install <dir>` makes). */
export function linkPackage(userDir: string): void {
  const root = packageRoot();
  mkdirSync(join(userDir, 'node_modules', '@waflow'), { recursive: true });
  symlinkSync(root, join(userDir, 'node_modules', PACKAGE), 'dir');
  writeFileSync(
    join(userDir, 'package.json'),
    JSON.stringify({ name: 'waflow-node-red', private: true, dependencies: { [PACKAGE]: `file:${root}` } }, null, 2),
  );
}

/** What scripts/engines/install-node-red.sh installed (cached after the first run). */
export interface InstalledNodeRed {
  node22: string;
  nodeRed5: string;
  express5: string;
}

export function installNodeRed5(): InstalledNodeRed {
  const out = execFileSync('bash', [join(packageRoot(), 'scripts', 'engines', 'install-node-red.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').pop()!) as InstalledNodeRed;
}

export interface Reply {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  // The answers are JSON the caller knows.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: () => any;
}

export interface HttpOptions {
  /** A keep-alive agent, for load. */
  agent?: Agent;
  /** Sent with Transfer-Encoding: chunked (in two chunks) instead of a Content-Length. */
  chunked?: boolean;
}

export function http(
  port: number,
  method: string,
  path: string,
  body?: string | Buffer,
  headers: Record<string, string> = {},
  options: HttpOptions = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const length = body !== undefined && !options.chunked ? { 'content-length': String(Buffer.byteLength(body)) } : {};
    const req = httpRequest({ host: '127.0.0.1', port, method, path, agent: options.agent, headers: { ...headers, ...length } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, text, headers: res.headers, json: () => JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (options.chunked && body !== undefined) {
      const bytes = Buffer.from(body);
      req.write(bytes.subarray(0, bytes.length >> 1));
      req.end(bytes.subarray(bytes.length >> 1));
    } else req.end(body);
  });
}

export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = DEADLINE_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export class NodeRed {
  private child: ChildProcess | null = null;
  log = '';
  port = 0;

  constructor(
    readonly node: string,
    readonly redJs: string,
    readonly userDir: string,
  ) {}

  /** Starts Node-RED on a free port, or on the one it had (a restart keeps its URL). */
  async start(): Promise<void> {
    this.port ||= await freePort();
    const settings = join(this.userDir, 'settings.js');
    writeFileSync(
      settings,
      `module.exports = ${JSON.stringify(
        {
          uiHost: '127.0.0.1',
          uiPort: this.port,
          flowFile: 'flows.json',
          // Fixed, so Node-RED neither prompts nor generates one; credentials are encrypted with it.
          credentialSecret: 'waflow-engine-test-credential-secret',
          logging: { console: { level: 'info', metrics: false, audit: false } },
          telemetry: { enabled: false },
          diagnostics: { enabled: false },
          editorTheme: { tours: false, projects: { enabled: false } },
          externalModules: { autoInstall: false, palette: { allowInstall: false } },
        },
        null,
        2,
      )};\n`,
    );
    if (!existsSync(join(this.userDir, 'flows.json'))) writeFileSync(join(this.userDir, 'flows.json'), '[]');
    const child = spawn(this.node, [this.redJs, '--userDir', this.userDir, '--settings', settings, '--port', String(this.port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.log += chunk.toString()));
    await until('Node-RED to answer on its admin API', async () => {
      if (child.exitCode !== null) throw new Error(`Node-RED exited (${child.exitCode}):\n${this.log}`);
      return (await this.get('/settings')).status === 200 ? true : undefined;
    });
  }

  /** Whether the process is still running (not crashed). */
  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }

  get(path: string, headers: Record<string, string> = {}) {
    return http(this.port, 'GET', path, undefined, headers);
  }

  post(path: string, body: string | Buffer, headers: Record<string, string> = {}, options: HttpOptions = {}) {
    return http(this.port, 'POST', path, body, headers, options);
  }

  /** A full deploy through the admin API, as the editor's Deploy button does. */
  async deploy(flow: object[]): Promise<void> {
    const res = await this.post('/flows', JSON.stringify(flow), { 'content-type': 'application/json', 'Node-RED-Deployment-Type': 'full' });
    if (res.status !== 204 && res.status !== 200) throw new Error(`deploy failed: ${res.status} ${res.text}`);
  }

  routes(): Promise<Array<{ nodeId: string; path: string; routes: number; subPathRoutes?: number }>> {
    return this.get('/waflow/routes').then((res) => res.json());
  }
}

/** The headers and query a provider's gateway sends with `body`, signed with `secret` now. */
