/**
 * The main job, `npm run demo`: a local Node-RED on 127.0.0.1 with this checkout's nodes loaded and
 * the example flows deployed for every provider, replying through the sandbox gateway, which prints
 * what a real gateway would deliver. Drive it with `waflow send` (the commands are printed).
 *
 * Options: --port (Node-RED, default 1880, or PORT), --gateway-port (sandbox, default 3000),
 * --dir (Node-RED user directory, default .demo/node-red). Stops on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { PROVIDERS } from '../core/event/schema';
import { displayNameOf } from '../core/providers/names';
import { SandboxGateway } from '../sandbox/gateway';
import { DEMO_SECRETS, demoFlows, SHOWCASE, webhookPath } from './flows';
import { linkPackage } from './node-red/instance';
import { packageRoot } from './package-root';

const ROOT = packageRoot();

export interface DemoOptions {
  port: number;
  gatewayPort: number;
  dir: string;
  log?: (line: string) => void;
}

export interface RunningDemo {
  editorUrl: string;
  sandbox: SandboxGateway;
  csvFile: string;
  stop(): Promise<void>;
}

/** A user directory where Node-RED finds this checkout as an installed package (a symlink, as `npm install <dir>` makes). */
function prepareUserDir(dir: string, port: number): void {
  rmSync(dir, { recursive: true, force: true });
  linkPackage(dir);
  // credentialSecret false: the demo's credentials file stays readable. Never do this for real secrets.
  writeFileSync(
    join(dir, 'settings.js'),
    `module.exports = {
  uiHost: '127.0.0.1',
  uiPort: ${port},
  flowFile: 'flows.json',
  credentialSecret: false,
  logging: { console: { level: 'warn' } },
  editorTheme: { tours: false, projects: { enabled: false } },
  diagnostics: { enabled: false },
  telemetry: { enabled: false },
};
`,
  );
}

async function waitForHttp(url: string, child: ChildProcess, deadlineMs = 60_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Node-RED exited with code ${child.exitCode} before it was ready`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Node-RED did not answer at ${url} within ${deadlineMs / 1000} s`);
}

/** Flows start after the editor answers: wait until every in node has its route. */
async function waitForRoutes(url: string, expected: number, deadlineMs = 30_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (Date.now() < deadline) {
    const routes = (await (await fetch(url)).json()) as { routes: number }[];
    if (routes.filter((route) => route.routes === 1).length >= expected) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the demo's ${expected} webhook routes were not registered within ${deadlineMs / 1000} s`);
}

export async function startDemo(options: DemoOptions): Promise<RunningDemo> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const sandbox = new SandboxGateway({ log });
  await sandbox.start(options.gatewayPort);
  const dir = resolve(options.dir);
  const csvFile = join(dir, 'whatsapp-events.csv');
  try {
    prepareUserDir(dir, options.port);
    const { flows, credentials } = demoFlows({ sandboxUrl: sandbox.url, csvFile });
    writeFileSync(join(dir, 'flows.json'), JSON.stringify(flows, null, 2));
    writeFileSync(join(dir, 'flows_cred.json'), JSON.stringify(credentials, null, 2));
  } catch (error) {
    await sandbox.stop();
    throw error;
  }

  const redJs = require.resolve('node-red/red.js', { paths: [ROOT] });
  const child = spawn(process.execPath, [redJs, '--userDir', dir, '--settings', join(dir, 'settings.js')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => log(`[node-red] ${chunk.toString().trimEnd()}`));
  child.stderr?.on('data', (chunk: Buffer) => log(`[node-red] ${chunk.toString().trimEnd()}`));
  const editorUrl = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHttp(`${editorUrl}/flows`, child);
    await waitForRoutes(`${editorUrl}/waflow/routes`, PROVIDERS.length);
  } catch (error) {
    child.kill();
    await sandbox.stop();
    throw error;
  }
  return {
    editorUrl,
    sandbox,
    csvFile,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGINT');
        await exited;
      }
      await sandbox.stop();
    },
  };
}

function banner(demo: RunningDemo): string {
  const cli = existsSync(join(ROOT, 'dist', 'cli', 'waflow.js')) ? 'node dist/cli/waflow.js' : 'npx waflow';
  const lines = [
    '',
    `Node-RED editor:   ${demo.editorUrl}/`,
    `Sandbox gateway:   ${demo.sandbox.url}  (prints every reply a real gateway would deliver)`,
    `Event log (CSV):   ${demo.csvFile}`,
    '',
    'Webhook URLs and demo secrets:',
    ...PROVIDERS.map((p) => `  ${displayNameOf(p).padEnd(10)} ${demo.editorUrl}${webhookPath(p)}  secret ${DEMO_SECRETS[p]}`),
    '',
    'Drive it from another terminal:',
    ...PROVIDERS.map((p) => `  ${cli} send --provider ${p} --url ${demo.editorUrl}${webhookPath(p)} --secret ${DEMO_SECRETS[p]} --event message`),
    '',
    'The other examples, on WAHA (the same command, another URL): media reply, AI-agent-ready bot (bursts combined), lead capture:',
    ...SHOWCASE.map(({ path }) => `  ${cli} send --provider waha --url ${demo.editorUrl}${path} --secret ${DEMO_SECRETS.waha} --event message`),
    '',
    'Ctrl-C stops Node-RED and the sandbox.',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'gateway-port': { type: 'string' }, dir: { type: 'string' } } });
  const demo = await startDemo({
    port: Number(values.port ?? process.env.PORT ?? 1880),
    gatewayPort: Number(values['gateway-port'] ?? 3000),
    dir: values.dir ?? join(ROOT, '.demo', 'node-red'),
  });
  process.stdout.write(`${banner(demo)}\n`);
  await new Promise<void>((r) => process.once('SIGINT', r).once('SIGTERM', r));
  await demo.stop();
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`demo: ${error.message}\n`);
    process.exit(1);
  });
}
