/**
 * A real Node-RED process for the real-engine suites (test/engines/node-red, test/engines/reliability):
 * the package packed with `npm pack` and installed into a fresh user directory, Node-RED started on
 * 127.0.0.1, flows deployed through the admin API, HTTP requests (keep-alive where asked) on loopback.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type Agent } from 'node:http';
import { join } from 'node:path';
import type { ProviderName } from '../../../core/event/schema';
import { providers } from '../../../core/providers';
import { freePort } from '../../../demo/ports';

export const ROOT = join(__dirname, '..', '..', '..');
export const MODULE = '@waflow/n8n-nodes-whatsapp-gateways';
const DEADLINE_MS = 60_000;

/** Node 22, Node-RED 5 and Express 5 from the engine cache (scripts/engines/install-node-red.sh). */
export function installEngines(): { node22: string; nodeRed5: string; express5: string } {
  const out = execFileSync('bash', [join(ROOT, 'scripts', 'engines', 'install-node-red.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** The package as published (`files` from package.json, built dist/), packed into `packDir`; the tarball's path. */
export function packPackage(packDir: string): string {
  const packed = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', packDir], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  return join(packDir, packed[0].filename);
}

/** As a user would: `npm install <package>` in ~/.node-red. Only registry deps: zod, lru-cache, ipaddr.js. */
export function installPackage(userDir: string, tarball: string): void {
  execFileSync('npm', ['install', '--prefix', userDir, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', tarball], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** A change node setting `msg.payload` to a JSONata expression, wired to `next`. */
export function jsonataNode(id: string, z: string, expression: string, next: string): object {
  return { id, type: 'change', z, rules: [{ t: 'set', p: 'payload', pt: 'msg', tot: 'jsonata', to: expression }], wires: [[next]] };
}

/** A file node appending one line per message to `filename`. */
export function fileNode(id: string, z: string, filename: string): object {
  return { id, type: 'file', z, filename, filenameType: 'str', appendNewline: true, createDir: true, overwriteFile: 'false', encoding: 'none', wires: [[]] };
}

/** Every JSON line of a file (none when it does not exist yet). */
export function readJsonLines<T = Record<string, unknown>>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line));
}

export interface Reply {
  status: number;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  // The answers are JSON the caller knows.
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

  routes(): Promise<Array<{ nodeId: string; path: string; routes: number }>> {
    return this.get('/waflow/routes').then((res) => res.json());
  }
}

/** The headers and query a provider's gateway sends with `body`, signed with `secret` now. */
export function signedParts(provider: ProviderName, body: Buffer, secret: string): { headers: Record<string, string>; search: string } {
  const { headers, query } = providers[provider].sign({ body, secret, nowMs: Date.now() });
  const search = new URLSearchParams(query).toString();
  return { headers: { 'content-type': 'application/json', ...headers }, search: search ? `?${search}` : '' };
}

/** Posts a body to an in node, signed by the provider's own signing code as its gateway would. */
export function postSigned(red: NodeRed, provider: ProviderName, body: Buffer, secret: string, path: string, options: HttpOptions = {}): Promise<Reply> {
  const { headers, search } = signedParts(provider, body, secret);
  return red.post(`${path}${search}`, body, headers, options);
}
