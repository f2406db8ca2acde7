/**
 * The n8n demo's workflows, and the real-instance suite's auto-reply ones: the shipped examples
 * (examples/n8n/*.json) moved to a gateway — its trigger, its credential in every node of ours,
 * webhook registration off (the sandbox plays the send API only) — so what runs is exactly what a
 * user imports.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDERS, type ProviderName } from '../../core/event/schema';
import { providerOf, SENDING_PROVIDERS } from '../../core/providers';
import { OpenWaTrigger } from '../../nodes/OpenWaTrigger/OpenWaTrigger.node';
import { WahaTrigger } from '../../nodes/WahaTrigger/WahaTrigger.node';
import { WaServerTrigger } from '../../nodes/WaServerTrigger/WaServerTrigger.node';
import { EvolutionTrigger } from '../../nodes/EvolutionTrigger/EvolutionTrigger.node';
import { WawpTrigger } from '../../nodes/WawpTrigger/WawpTrigger.node';
import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node';
import { PACKAGE, REPO } from './instance';

export interface WorkflowNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  webhookId?: string;
  credentials?: Record<string, { id: string; name: string }>;
}

export interface Workflow {
  name: string;
  nodes: WorkflowNode[];
  connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
  settings: Record<string, unknown>;
}

const TRIGGER_NODES = {
  waha: new WahaTrigger(),
  wawp: new WawpTrigger(),
  openwa: new OpenWaTrigger(),
  waserver: new WaServerTrigger(),
  evolution: new EvolutionTrigger(),
  cloudapi: new WhatsAppCloudTrigger(),
};

/** Each gateway's trigger node type and credential type. */
export const TRIGGERS = Object.fromEntries(
  PROVIDERS.map((provider) => [provider, { type: `${PACKAGE}.${TRIGGER_NODES[provider].description.name}`, credential: providerOf(provider).n8n.credential }]),
) as Record<ProviderName, { type: string; credential: string }>;

const SEND = `${PACKAGE}.whatsAppSend`;
const isTrigger = (node: WorkflowNode) => Object.values(TRIGGERS).some((trigger) => trigger.type === node.type);

export function exampleWorkflow(file: string): Workflow {
  return JSON.parse(readFileSync(join(REPO, 'examples', 'n8n', file), 'utf8')) as Workflow;
}

/** A stable UUID per name: the demo's webhook URLs stay the same from one run to the next. */
export function stableUuid(name: string): string {
  const hex = createHash('sha256').update(`waflow-demo:${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function rename(workflow: Workflow, from: string, to: string): void {
  workflow.nodes.find((node) => node.name === from)!.name = to;
  const connections = Object.entries(workflow.connections).map(([source, { main }]) => [
    source === from ? to : source,
    { main: main.map((output) => output.map((target) => (target.node === from ? { ...target, node: to } : target))) },
  ]);
  workflow.connections = Object.fromEntries(connections);
}

/**
 * An example moved to a gateway. wa-server cannot send: its WhatsApp Send nodes become No-op
 * nodes, so its events still show up routed in the executions.
 */
export function forGateway(file: string, provider: ProviderName, credential: { id: string; name: string }, webhookId: string): Workflow {
  const workflow = exampleWorkflow(file);
  const { type, credential: credentialType } = TRIGGERS[provider];
  const name = providerOf(provider).displayName;
  const trigger = workflow.nodes.find(isTrigger)!;
  Object.assign(trigger, { type, webhookId, credentials: { [credentialType]: credential } });
  // The sandbox has no webhook API to register at (open-wa's and wa-server's triggers have no such setting).
  if (providerOf(provider).api.anyCapabilities.includes('registerWebhook')) trigger.parameters = { ...trigger.parameters, registerWebhook: false };
  rename(workflow, trigger.name, `${name} Trigger`);
  for (const node of workflow.nodes.filter((candidate) => candidate.type === SEND)) {
    if (SENDING_PROVIDERS.includes(provider)) {
      Object.assign(node, { parameters: { ...node.parameters, provider }, credentials: { [credentialType]: credential } });
    } else {
      Object.assign(node, { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
    }
  }
  workflow.name = `${workflow.name} (${name}${SENDING_PROVIDERS.includes(provider) ? '' : ', receive-only: no replies'})`;
  return workflow;
}

/** A workflow's production webhook URL: our triggers listen on `<n8n>/webhook/<webhook id>/webhook`. */
export function webhookUrlOf(baseUrl: string, workflow: Workflow): string {
  return `${baseUrl}/webhook/${workflow.nodes.find(isTrigger)!.webhookId}/webhook`;
}
