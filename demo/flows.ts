/**
 * The demo's flows: the shipped example flows (examples/*.json), deployed once per provider and
 * pointed at the sandbox gateway, plus an event log that appends every event as a CSV row.
 * Deriving them from the examples means the demo shows exactly what a user imports.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROVIDERS, type ProviderName } from '../core/event/schema';
import { providerOf, SENDING_PROVIDERS } from '../core/providers';
import { storedValuesOf } from '../core/send/config';
import { SAMPLE_PHOTO_PATH } from '../sandbox/gateway';
import { packageRoot } from './package-root';

type FlowNode = Record<string, unknown> & { id: string; type: string; wires?: string[][] };

export interface DemoSettings {
  /** The sandbox gateway's root URL, e.g. http://127.0.0.1:3000. */
  sandboxUrl: string;
  /** Where the event log CSV is written. */
  csvFile: string;
}

/** Demo secrets, printed at start-up: the webhook secret each gateway would be configured with. */
export const DEMO_SECRETS: Record<ProviderName, string> = {
  waha: 'demo-waha-hmac-key',
  wawp: 'demo-wawp-token',
  openwa: 'demo-openwa-secret',
  waserver: 'demo-waserver-secret',
  evolution: 'demo-evolution-secret',
  cloudapi: 'demo-cloudapi-secret',
};

export const webhookPath = (provider: ProviderName) => `/whatsapp/${provider}`;

export const CSV_COLUMNS = ['timestamp', 'provider', 'event', 'session', 'chat', 'sender', 'type', 'direction', 'text'];

function example(name: string): FlowNode[] {
  return JSON.parse(readFileSync(join(packageRoot(), 'examples', name), 'utf8')) as FlowNode[];
}

/** Copies nodes with ids made unique by a prefix (the provider's name), wires and references rewritten to match. */
function cloneFor(prefix: string, nodes: FlowNode[]): FlowNode[] {
  const rename = (id: string) => `${prefix}-${id}`;
  const ids = new Set(nodes.map((node) => node.id));
  return nodes.map((node) => {
    const copy: FlowNode = { ...node, id: rename(node.id) };
    for (const [key, value] of Object.entries(copy)) {
      if (key !== 'id' && typeof value === 'string' && ids.has(value)) copy[key] = rename(value);
    }
    if (node.wires) copy.wires = node.wires.map((port) => port.map(rename));
    return copy;
  });
}

/** The gateway's settings and secrets as the demo sandbox (at `sandboxUrl`) needs them. */
function sandboxValues(provider: ProviderName, sandboxUrl: string) {
  const { sandbox } = providerOf(provider);
  const api = SENDING_PROVIDERS.includes(provider) ? { ...sandbox.credentials, baseUrl: `${sandboxUrl}/${sandbox.variants[0].prefix}` } : {};
  // The demo secret is also the verify token where the gateway checks the URL first (the Cloud API's handshake).
  return storedValuesOf(providerOf(provider), 'nodeRed', { ...api, secret: DEMO_SECRETS[provider], verifyToken: DEMO_SECRETS[provider] });
}

function gatewaySettings(provider: ProviderName, sandboxUrl: string): Record<string, unknown> {
  return { name: `${providerOf(provider).displayName} (demo)`, provider, ...sandboxValues(provider, sandboxUrl).settings };
}

/** Credentials per gateway config node id, in the form flows_cred.json holds them. */
export function gatewayCredentials(provider: ProviderName): Record<string, string> {
  return sandboxValues(provider, 'http://unused').secrets;
}

/** The auto-reply bot for one provider: wa-server cannot send, so its replies go to a debug node. */
function botFor(provider: ProviderName, settings: DemoSettings, logInput: string): { nodes: FlowNode[]; gatewayId: string } {
  const nodes = cloneFor(provider, example('auto-reply-bot.json'));
  const tab = nodes.find((node) => node.type === 'tab')!;
  tab.label = `Bot: ${providerOf(provider).displayName}`;
  const gateway = nodes.find((node) => node.type === 'whatsapp-gateway')!;
  Object.assign(gateway, gatewaySettings(provider, settings.sandboxUrl));
  const input = nodes.find((node) => node.type === 'whatsapp in')!;
  input.path = webhookPath(provider);
  input.wires = [[...(input.wires?.[0] ?? []), logInput]];
  if (SENDING_PROVIDERS.includes(provider)) return { nodes, gatewayId: gateway.id };

  const debugId = `${provider}-receive-only`;
  const sendIds = new Set(nodes.filter((node) => node.type === 'whatsapp send').map((node) => node.id));
  const kept = nodes.filter((node) => !sendIds.has(node.id));
  const router = kept.find((node) => node.type === 'whatsapp router')!;
  router.wires = router.wires?.map(() => [debugId]);
  kept.push({
    id: debugId,
    type: 'debug',
    z: tab.id,
    name: 'wa-server is receive-only: routed here',
    active: true,
    tosidebar: true,
    console: false,
    complete: 'payload.message.text',
    targetType: 'msg',
    x: 620,
    y: 200,
    wires: [],
  });
  return { nodes: kept, gatewayId: gateway.id };
}

/**
 * The examples beyond the bot, on WAHA and the sandbox, each on the path it ships with: a media
 * reply (its photo from the sandbox's public file instead of the web), the AI-agent-ready bot
 * (combine on) and the multi-step lead capture (its CSV beside the event log).
 */
export const SHOWCASE = [
  { file: 'media-reply.json', path: '/whatsapp/media' },
  { file: 'ai-agent-ready-bot.json', path: '/whatsapp/ai' },
  { file: 'multi-step-lead-capture.json', path: '/whatsapp/leads' },
] as const;

function showcase(settings: DemoSettings): { nodes: FlowNode[]; gatewayIds: string[] } {
  // Examples share node ids (each imports on its own): prefixed per example here.
  const nodes = SHOWCASE.flatMap(({ file }) => cloneFor(`waha-${file.replace(/\.json$/, '')}`, example(file)));
  for (const node of nodes) {
    if (node.type === 'whatsapp-gateway') Object.assign(node, gatewaySettings('waha', settings.sandboxUrl));
    if (node.type === 'http request') node.url = `${settings.sandboxUrl}${SAMPLE_PHOTO_PATH}`;
    if (node.type === 'file') node.filename = join(dirname(settings.csvFile), String(node.filename));
  }
  return { nodes, gatewayIds: nodes.filter((node) => node.type === 'whatsapp-gateway').map((node) => node.id) };
}

/** Every event from every provider, one CSV row each (the columns of CSV_COLUMNS). */
function eventLog(settings: DemoSettings): FlowNode[] {
  const z = 'demo-log';
  return [
    { id: z, type: 'tab', label: 'Event log (CSV)', disabled: false },
    {
      id: 'demo-log-row',
      type: 'change',
      z,
      name: 'event → row',
      x: 200,
      y: 100,
      wires: [['demo-log-csv']],
      rules: [
        {
          t: 'set',
          p: 'payload',
          pt: 'msg',
          tot: 'jsonata',
          to:
            '{"timestamp": payload.timestamp, "provider": payload.provider, "event": payload.event, "session": payload.session, ' +
            '"chat": payload.message.chat.id, "sender": payload.message.sender.id, "type": payload.message.type, ' +
            '"direction": payload.message.direction, "text": payload.message.text}',
        },
      ],
    },
    {
      id: 'demo-log-csv',
      type: 'csv',
      z,
      name: '',
      sep: ',',
      hdrout: 'once',
      multi: 'one',
      ret: '\\n',
      temp: CSV_COLUMNS.join(','),
      skip: '0',
      strings: true,
      include_empty_strings: '',
      include_null_values: '',
      x: 400,
      y: 100,
      wires: [['demo-log-file']],
    },
    {
      id: 'demo-log-file',
      type: 'file',
      z,
      name: 'append to CSV',
      filename: settings.csvFile,
      filenameType: 'str',
      appendNewline: false,
      createDir: true,
      overwriteFile: 'false',
      encoding: 'utf8',
      x: 600,
      y: 100,
      wires: [[]],
    },
  ];
}

export function demoFlows(settings: DemoSettings): { flows: FlowNode[]; credentials: Record<string, Record<string, string>> } {
  const flows: FlowNode[] = [];
  const credentials: Record<string, Record<string, string>> = {};
  for (const provider of PROVIDERS) {
    const bot = botFor(provider, settings, 'demo-log-row');
    flows.push(...bot.nodes);
    credentials[bot.gatewayId] = gatewayCredentials(provider);
  }
  const extra = showcase(settings);
  flows.push(...extra.nodes);
  for (const id of extra.gatewayIds) credentials[id] = gatewayCredentials('waha');
  flows.push(...eventLog(settings));
  return { flows, credentials };
}
