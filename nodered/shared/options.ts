/**
 * Turns the settings a user typed into the editor into the core's receive options. Kept apart from
 * the node constructors so the translation is plain data in, plain data out.
 */
import { CANONICAL_EVENTS, type CanonicalEvent, type ProviderName, PROVIDERS } from '../../core/event/schema';
import { PROVIDER_DISPLAY_NAMES } from '../../core/providers/names';
import type { ReceiveOptions } from '../../core/receive';
import type { ClientConfig } from '../../core/send';
import { listOf } from '../../core/router/text';
import type { Node } from './node-red';

/** What a `whatsapp-gateway` config node stores: `defaults` (exported with flows) ... */
export interface GatewayConfig {
  name?: string;
  provider?: string;
  secretHeader?: string;
  signatureHeader?: string;
  secretQueryParam?: string;
  /** wa-server timestamp window, seconds; empty for the default. */
  timestampTolerance?: string | number;
  /** Addresses or CIDR ranges, comma- or newline-separated. */
  allowedIps?: string;
  /** The gateway's API root, for sending; empty for Wawp means `https://api.wawp.net`. */
  apiUrl?: string;
  /** Wawp instance: an identifier, not a secret. */
  instanceId?: string;
  /** open-wa API generation; empty means v5. */
  apiVersion?: string;
}

/** ... and `credentials` (kept in the encrypted credentials file, never exported). */
export interface GatewayCredentials {
  secret?: string;
  hmacSecret?: string;
  /** WAHA `X-Api-Key`, open-wa key. */
  apiKey?: string;
  /** Wawp access token. */
  accessToken?: string;
}

/** A running `whatsapp-gateway` config node, as the nodes using it see it. */
export interface GatewayNode extends Node<GatewayCredentials> {
  config: GatewayConfig;
}

/** What a `whatsapp in` node stores. */
export interface InConfig {
  gateway?: string;
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
}

export function providerOf(value: string | undefined): ProviderName {
  if (!value || !(PROVIDERS as readonly string[]).includes(value)) {
    throw new Error(`Gateway provider must be one of ${PROVIDERS.join(', ')}, got "${value ?? ''}"`);
  }
  return value as ProviderName;
}

/** An optional positive number typed into a text field: blank means "use the default". */
function optionalNumber(value: string | number | undefined, label: string): number | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${label} must be a positive number, got "${value}"`);
  return number;
}

function eventsOf(value: InConfig['events']): CanonicalEvent[] {
  const events = Array.isArray(value) ? value : listOf(value);
  const unknown = events.find((event) => !(CANONICAL_EVENTS as readonly string[]).includes(event));
  if (unknown !== undefined) throw new Error(`Unknown event "${unknown}"; expected some of ${CANONICAL_EVENTS.join(', ')}`);
  return events as CanonicalEvent[];
}

/** Throws with a message fit for the user when a setting is wrong. */
export function receiveOptionsOf(gateway: GatewayConfig, credentials: GatewayCredentials, node: InConfig): ReceiveOptions {
  const maxBodyKb = optionalNumber(node.maxBodyKb, 'Max body size (KB)');
  const ttl = optionalNumber(node.dedupeTtl, 'Dedupe TTL (seconds)');
  return {
    provider: providerOf(gateway.provider),
    secret: credentials.secret || undefined,
    hmacSecret: credentials.hmacSecret || undefined,
    secretHeader: gateway.secretHeader?.trim() || undefined,
    signatureHeader: gateway.signatureHeader?.trim() || undefined,
    secretQueryParam: gateway.secretQueryParam?.trim() || undefined,
    timestampToleranceSeconds: optionalNumber(gateway.timestampTolerance, 'Timestamp window (seconds)'),
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
  };
}

/**
 * The core send client's settings for a gateway. Throws, at deploy, with a message fit for the user
 * when something the provider needs is missing. wa-server passes: its client itself says it is
 * receive-only.
 */
export function clientConfigOf(gateway: GatewayConfig, credentials: GatewayCredentials): { provider: ProviderName; config: ClientConfig } {
  const provider = providerOf(gateway.provider);
  const name = PROVIDER_DISPLAY_NAMES[provider];
  const baseUrl = gateway.apiUrl?.trim() || undefined;
  // The URL itself is not repeated in the message: it may carry a user:password.
  if (baseUrl && !/^https?:\/\/[^/]/i.test(baseUrl)) throw new Error(`${name} API URL must start with http:// or https://`);
  if (!baseUrl && (provider === 'waha' || provider === 'openwa')) throw new Error(`To send, set the ${name} API URL in the gateway`);
  const instanceId = gateway.instanceId?.trim() || undefined;
  if (provider === 'wawp' && (!instanceId || !credentials.accessToken)) throw new Error('To send, set the Wawp instance ID and access token in the gateway');
  return {
    provider,
    config: {
      baseUrl,
      apiKey: credentials.apiKey || undefined,
      instanceId,
      accessToken: credentials.accessToken || undefined,
      apiVersion: gateway.apiVersion === 'v4' ? 'v4' : 'v5',
    },
  };
}
