/**
 * A real Node-RED process for the real-engine suites (test/engines/node-red, test/engines/reliability):
 * the package packed with `npm pack` and installed into a fresh user directory, Node-RED started on
 * 127.0.0.1, flows deployed through the admin API, HTTP requests (keep-alive where asked) on loopback.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProviderName } from '../../../core/event/schema';
import { providers } from '../../../core/providers';

export const ROOT = join(__dirname, '..', '..', '..');
export const MODULE = '@waflow/n8n-nodes-whatsapp-gateways';

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

export { http, NodeRed, until, type HttpOptions, type Reply } from '../../../demo/node-red/instance';
import { NodeRed, type HttpOptions, type Reply } from '../../../demo/node-red/instance';

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
