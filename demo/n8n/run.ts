/**
 * `npm run n8n-demo`: a local n8n on 127.0.0.1 (the cached install of scripts/engines/install-n8n.sh)
 * with this package installed as a community node, an owner account, and the example workflows
 * imported: the auto-reply bot active for every gateway and the route-by-type one for WAHA, all
 * replying through the sandbox gateway, which prints what a real gateway would deliver. The Google
 * Sheets example is imported inactive (it needs a Google account). Drive it with `waflow send`
 * (the commands are printed).
 *
 * Options: --port (n8n, default 5678), --gateway-port (sandbox, default 3001, beside the Node-RED
 * demo's 3000), --n8n 1|2 (n8n 1.123 on Node 22, default; or 2.40 on Node 24),
 * --dir (n8n user folder, default .demo/n8n; its n8n.log stays after the demo). Stops on Ctrl-C.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PROVIDERS, type ProviderName } from '../../core/event/schema';
import { displayNameOf } from '../../core/providers/names';
import { providerOf, SENDING_PROVIDERS } from '../../core/providers';
import { storedValuesOf } from '../../core/send/config';
import { SAMPLE_PHOTO_PATH, SandboxGateway } from '../../sandbox/gateway';
import { DEMO_SECRETS } from '../flows';
import { activate, createCredential, installN8n, OWNER, REPO, startN8n, type N8nInstance, type N8nLine } from './instance';
import { forGateway, stableUuid, TRIGGERS, webhookUrlOf } from './workflows';

export interface N8nDemoOptions {
  port?: number;
  gatewayPort?: number;
  line?: N8nLine;
  userFolder?: string;
  log?: (line: string) => void;
}

export interface DemoWorkflow {
  id: string;
  name: string;
  provider: ProviderName;
  /** Null for the inactive Google Sheets example. */
  webhookUrl: string | null;
}

export interface RunningN8nDemo {
  n8n: N8nInstance;
  sandbox: SandboxGateway;
  workflows: DemoWorkflow[];
  stop(): Promise<void>;
}

/** What each gateway's credential holds in the demo: the demo secret, and the sandbox as its API. */
function credentialData(provider: ProviderName, sandbox: SandboxGateway): Record<string, unknown> {
  const api = SENDING_PROVIDERS.includes(provider) ? sandbox.configFor(provider) : {};
  const { settings, secrets } = storedValuesOf(providerOf(provider), 'n8n', { ...api, secret: DEMO_SECRETS[provider] });
  return { ...settings, ...secrets };
}

export async function startN8nDemo(options: N8nDemoOptions = {}): Promise<RunningN8nDemo> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const engine = installN8n(options.line ?? 1);
  const sandbox = new SandboxGateway({ log });
  await sandbox.start(options.gatewayPort ?? 0);
  let n8n: N8nInstance;
  try {
    log(`Starting n8n ${engine.version} (packing and installing this package first)…`);
    n8n = await startN8n(engine, { port: options.port, userFolder: options.userFolder });
  } catch (error) {
    await sandbox.stop();
    throw error;
  }

  const workflows: DemoWorkflow[] = [];
  const stop = async () => {
    await n8n.stop();
    await sandbox.stop();
  };
  try {
    const credentials = new Map<ProviderName, { id: string; name: string }>();
    for (const provider of PROVIDERS) {
      const name = `${displayNameOf(provider)} (demo, sandbox)`;
      credentials.set(provider, await createCredential(n8n, TRIGGERS[provider].credential, name, credentialData(provider, sandbox)));
    }
    const add = async (file: string, provider: ProviderName, active: boolean, change: (workflow: ReturnType<typeof forGateway>) => void = () => undefined) => {
      const workflow = forGateway(file, provider, credentials.get(provider)!, stableUuid(`${file}:${provider}`));
      change(workflow);
      const { id } = await n8n.api<{ id: string }>('POST', '/workflows', workflow);
      const webhookUrl = active ? webhookUrlOf(n8n.baseUrl, workflow) : null;
      if (webhookUrl) await activate(n8n, id, webhookUrl);
      workflows.push({ id, name: workflow.name, provider, webhookUrl });
    };
    for (const provider of PROVIDERS) await add('auto-reply-bot.json', provider, true);
    await add('route-by-message-type.json', 'waha', true);
    await add('append-to-google-sheet.json', 'waha', false);
    // The media reply's photo from the sandbox's public sample file instead of the web.
    await add('media-reply.json', 'waha', true, (workflow) => {
      const photo = workflow.nodes.find((node) => node.name === 'Photo Reply');
      if (photo) photo.parameters.mediaUrl = `${sandbox.url}${SAMPLE_PHOTO_PATH}`;
    });
    await add('ai-agent-ready-bot.json', 'waha', true);
    // These write files or wait for a transcription node: imported to look at, not active.
    for (const file of ['multi-step-lead-capture.json', 'voice-note-to-file.json', 'save-documents-to-folder.json']) await add(file, 'waha', false);
  } catch (error) {
    const output = n8n.log();
    await stop();
    throw new Error(`${(error as Error).message}\n--- n8n log ---\n${output.slice(-4000)}`);
  }
  return { n8n, sandbox, workflows, stop };
}

function banner(demo: RunningN8nDemo): string {
  const cli = 'node dist/cli/waflow.js';
  const active = demo.workflows.filter((workflow) => workflow.webhookUrl);
  return [
    '',
    `n8n ${demo.n8n.version}:  ${demo.n8n.baseUrl}/   log in as ${OWNER.email} / ${OWNER.password}`,
    `Sandbox gateway:  ${demo.sandbox.url}  (prints every reply a real gateway would deliver)`,
    `n8n log:          ${demo.n8n.logFile}`,
    '',
    'Active workflows, their webhook URLs and demo secrets:',
    ...active.map((w) => `  ${w.name}\n    ${w.webhookUrl}  secret ${DEMO_SECRETS[w.provider]}`),
    ...demo.workflows.filter((w) => !w.webhookUrl).map((w) => `  ${w.name}: imported inactive (pick a Google account and a sheet in n8n, then activate)`),
    '',
    'Drive it from another terminal (in this checkout):',
    ...active.map((w) => `  ${cli} send --provider ${w.provider} --url ${w.webhookUrl} --secret ${DEMO_SECRETS[w.provider]} --event message`),
    `  (wa-server is receive-only: its bot routes without replying; ${SENDING_PROVIDERS.map(displayNameOf).join(', ')} reply through the sandbox)`,
    '',
    'Ctrl-C stops n8n and the sandbox.',
  ].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string' }, 'gateway-port': { type: 'string' }, n8n: { type: 'string' }, dir: { type: 'string' } } });
  const demo = await startN8nDemo({
    port: Number(values.port ?? 5678),
    gatewayPort: Number(values['gateway-port'] ?? 3001),
    line: values.n8n === '2' ? 2 : 1,
    userFolder: values.dir ?? join(REPO, '.demo', 'n8n'),
  });
  process.stdout.write(`${banner(demo)}\n`);
  await new Promise<void>((resolve) => process.once('SIGINT', resolve).once('SIGTERM', resolve));
  process.stdout.write('Stopping…\n');
  await demo.stop();
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  });
}
