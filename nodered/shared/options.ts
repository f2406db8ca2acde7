/**
 * Turns the settings a user typed into the editor into the core's receive options. Kept apart from
 * the node constructors so the translation is plain data in, plain data out.
 */
import { CANONICAL_EVENTS, type CanonicalEvent } from '../../core/event/schema';
import { PROVIDER_LIST, providerOf, type ProviderName } from '../../core/providers';
import type { Provider } from '../../core/providers/types';
import type { ReceiveOptions } from '../../core/receive';
import { clientConfigOf, clientConfigProblem, optionalPositiveNumber, settingsOf, storedNameOf, verifyOptionsOf } from '../../core/send/config';
import type { ClientConfig } from '../../core/send/types';
import { listOf } from '../../core/router/text';
import type { Node } from './node-red';

/**
 * What a `whatsapp-gateway` config node stores: `provider`, `allowedIps` and each provider field
 * under its Node-RED name in `defaults` (exported with flows); the secret fields in `credentials`
 * (kept in the encrypted credentials file, never exported).
 */
export interface GatewayConfig extends Record<string, unknown> {
  name?: string;
  provider?: string;
  /** Addresses or CIDR ranges, comma- or newline-separated. */
  allowedIps?: string;
}

export type GatewayCredentials = Record<string, string | undefined>;

/** A running `whatsapp-gateway` config node, as the nodes using it see it. */
export interface GatewayNode extends Node<GatewayCredentials> {
  config: GatewayConfig;
}

/** What a `whatsapp in` node stores. */
export interface InConfig {
  gateway?: string;
  /** A `whatsapp-store` config node: the Redis shared with other runtimes; none is this runtime's memory. */
  store?: string;
  path?: string;
  events?: string[] | string;
  ignoreOwn?: boolean;
  ignoreGroups?: boolean;
  ignoreChannels?: boolean;
  ignoreStatus?: boolean;
  dedupe?: boolean;
  dedupeTtl?: string | number;
  includeRaw?: boolean;
  /** Kibibytes; empty for the core's default (5 MiB). */
  maxBodyKb?: string | number;
  /** Ask the gateway's API for the phone number behind LID senders (where it has the `resolveLid` operation). */
  resolveLids?: boolean;
  /** Seconds; 0 off; empty: the dedupe TTL. Where the gateway signs the delivery's time. */
  replayWindow?: string | number;
  /** `received` (default): answer at once; `flowDone`: once every node the event reached called done(). */
  respond?: 'received' | 'flowDone';
  /** Seconds the `flowDone` answer waits for the flow (default 30) before answering 503. */
  flowTimeout?: string | number;
  /** "Combine messages sent in quick succession" (core/burst): the gateway is then answered at once. */
  combine?: boolean;
  /** Seconds; empty for the defaults (5, 30, 20 messages). */
  combineQuiet?: string | number;
  combineMaxWait?: string | number;
  combineMaxCount?: string | number;
  /** Fetch a media message's file through the gateway's API into `msg[mediaProperty]` (a Buffer). */
  downloadMedia?: boolean;
  /** MB; empty for the core's default (16 MB). */
  maxMediaMb?: string | number;
  /** The message property the file goes to (default `media`); `mimeType` and `fileName` go beside it. */
  mediaProperty?: string;
}

export const DEFAULT_FLOW_TIMEOUT_SECONDS = 30;

/** Empty: undefined; else a number ≥ 0 (0 turns the check off). */
function optionalNonNegative(value: unknown, label: string): number | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number < 0) throw new Error(`${label} must be 0 (off) or a positive number, got "${String(value)}"`);
  return number;
}

/** The provider a gateway node names; a clear error for a flow naming one this package does not have. */
export function gatewayProviderOf(gateway: GatewayConfig): Provider<ProviderName> {
  return providerOf(gateway.provider);
}

/** Every provider field's Node-RED name, settings and secrets apart: what the config node registers and keeps. */
export const GATEWAY_SETTINGS = [...new Set(PROVIDER_LIST.flatMap((p) => p.fields.filter((f) => !f.secret).map((f) => storedNameOf(f, 'nodeRed'))))];
export const GATEWAY_SECRETS = [...new Set(PROVIDER_LIST.flatMap((p) => p.fields.filter((f) => f.secret).map((f) => storedNameOf(f, 'nodeRed'))))];

function eventsOf(value: InConfig['events']): CanonicalEvent[] {
  const events = Array.isArray(value) ? value : listOf(value);
  const unknown = events.find((event) => !(CANONICAL_EVENTS as readonly string[]).includes(event));
  if (unknown !== undefined) throw new Error(`Unknown event "${unknown}"; expected some of ${CANONICAL_EVENTS.join(', ')}`);
  return events as CanonicalEvent[];
}

/** Throws with a message fit for the user when a setting is wrong. */
export function receiveOptionsOf(gateway: GatewayConfig, credentials: GatewayCredentials, node: InConfig): ReceiveOptions {
  const maxBodyKb = optionalPositiveNumber(node.maxBodyKb, 'Max body size (KB)');
  const ttl = optionalPositiveNumber(node.dedupeTtl, 'Dedupe TTL (seconds)');
  const provider = gatewayProviderOf(gateway);
  return {
    provider: provider.name,
    ...verifyOptionsOf(settingsOf(provider, 'nodeRed', { ...gateway, ...credentials })),
    allowedIps: listOf(gateway.allowedIps),
    maxBodyBytes: maxBodyKb === undefined ? undefined : Math.floor(maxBodyKb * 1024),
    filter: {
      events: eventsOf(node.events),
      ignoreOwnMessages: node.ignoreOwn === true,
      ignoreGroups: node.ignoreGroups === true,
      ignoreChannels: node.ignoreChannels === true,
      ignoreStatus: node.ignoreStatus === true,
    },
    dedupe: node.dedupe === false ? false : ttl === undefined ? true : { ttlSeconds: ttl },
    replayWindowSeconds: optionalNonNegative(node.replayWindow, 'Refuse replays older than (seconds)'),
    // A burst closes after the quiet window: each delivery is answered at once, held or not.
    delivery: node.respond === 'flowDone' && node.combine !== true ? 'afterFlow' : 'atOnce',
  };
}

/** Where every node using this gateway config node keeps its chats' conversation state. */
export function conversationNamespaceOf(gatewayId: string): string {
  return `nodered:gateway:${gatewayId}`;
}

/**
 * The core send client's settings for a gateway. Throws, at deploy, with a message fit for the user
 * when something sending needs is missing. A gateway that cannot send passes: its client itself
 * says why on every message.
 */
export function clientConfigFor(gateway: GatewayConfig, credentials: GatewayCredentials): { provider: Provider<ProviderName>; config: ClientConfig } {
  const provider = gatewayProviderOf(gateway);
  const config = clientConfigOf(settingsOf(provider, 'nodeRed', { ...gateway, ...credentials }));
  const problem = provider.api.capabilities(config).includes('sendText') ? clientConfigProblem(provider, config, 'sendText', 'the gateway') : null;
  if (problem) throw new Error(problem);
  return { provider, config };
}
