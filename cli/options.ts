/**
 * Command-line flags shared by the `waflow` commands, and their translation into the core's options.
 * Every receive option the nodes expose has a flag here, so a user can replay a captured request
 * exactly as their node would see it.
 */
import { CANONICAL_EVENTS, PROVIDERS, type CanonicalEvent, type ProviderName } from '../core/event/schema';
import { PROVIDER_LIST } from '../core/providers';
import type { ReceiveOptions } from '../core/receive';
import { toEpochMs } from '../core/time';

export class UsageError extends Error {}

/** The flag of each provider-specific receive setting (the secret itself is `--secret`). */
export const PROVIDER_SETTING_FLAGS = {
  secretHeader: 'secret-header',
  hmacSecret: 'hmac-secret',
  signatureHeader: 'signature-header',
  secretQueryParam: 'secret-query-param',
  timestampToleranceSeconds: 'timestamp-tolerance',
} as const;

/** `  --secret-header VALUE  open-wa: Secret Header Name (default X-Webhook-Secret)`, from the providers' fields. */
export function providerSettingHelp(): string[] {
  return PROVIDER_LIST.flatMap((provider) =>
    provider.fields.flatMap((field) => {
      const flag = PROVIDER_SETTING_FLAGS[field.key as keyof typeof PROVIDER_SETTING_FLAGS];
      if (!flag) return [];
      const fallback = field.default === '' ? '' : ` (default ${field.default})`;
      return [`  --${`${flag} VALUE`.padEnd(25)} ${provider.displayName}: ${field.label}${fallback}`];
    }),
  );
}

export const receiveFlags = {
  provider: { type: 'string' },
  secret: { type: 'string' },
  'secret-header': { type: 'string' },
  'hmac-secret': { type: 'string' },
  'signature-header': { type: 'string' },
  'secret-query-param': { type: 'string' },
  'timestamp-tolerance': { type: 'string' },
  'allowed-ip': { type: 'string', multiple: true },
  'client-ip': { type: 'string' },
  'max-body-bytes': { type: 'string' },
  'max-depth': { type: 'string' },
  events: { type: 'string' },
  'ignore-own': { type: 'boolean' },
  'ignore-groups': { type: 'boolean' },
  'ignore-channels': { type: 'boolean' },
  'ignore-status': { type: 'boolean' },
  'no-dedupe': { type: 'boolean' },
  'dedupe-ttl': { type: 'string' },
  now: { type: 'string' },
  header: { type: 'string', multiple: true },
  query: { type: 'string', multiple: true },
  method: { type: 'string' },
  algorithm: { type: 'string' },
  sign: { type: 'boolean' },
} as const;

export type FlagValues = {
  [K in keyof typeof receiveFlags]?: (typeof receiveFlags)[K] extends { multiple: true }
    ? string[]
    : (typeof receiveFlags)[K] extends { type: 'boolean' }
      ? boolean
      : string;
};

export function providerFlag(values: FlagValues): ProviderName {
  const provider = values.provider;
  if (!provider) throw new UsageError(`--provider is required (${PROVIDERS.join(', ')})`);
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new UsageError(`--provider must be one of ${PROVIDERS.join(', ')}, got "${provider}"`);
  }
  return provider as ProviderName;
}

export function nowFlag(values: FlagValues): number | undefined {
  if (values.now === undefined) return undefined;
  const ms = toEpochMs(values.now);
  if (ms === null) throw new UsageError(`--now must be an ISO 8601 time or Unix milliseconds, got "${values.now}"`);
  return ms;
}

function numberFlag(values: FlagValues, name: 'timestamp-tolerance' | 'max-body-bytes' | 'max-depth' | 'dedupe-ttl'): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`--${name} must be a positive number, got "${raw}"`);
  return value;
}

function eventsFlag(values: FlagValues): CanonicalEvent[] | undefined {
  if (!values.events) return undefined;
  const events = values.events
    .split(',')
    .map((event) => event.trim())
    .filter(Boolean);
  for (const event of events) {
    if (!(CANONICAL_EVENTS as readonly string[]).includes(event)) {
      throw new UsageError(`--events: "${event}" is not a canonical event (${CANONICAL_EVENTS.join(', ')})`);
    }
  }
  return events as CanonicalEvent[];
}

export function receiveOptionsFrom(values: FlagValues): ReceiveOptions {
  const nowMs = nowFlag(values);
  const ttlSeconds = numberFlag(values, 'dedupe-ttl');
  return {
    provider: providerFlag(values),
    secret: values.secret,
    secretHeader: values['secret-header'],
    hmacSecret: values['hmac-secret'],
    signatureHeader: values['signature-header'],
    secretQueryParam: values['secret-query-param'],
    timestampToleranceSeconds: numberFlag(values, 'timestamp-tolerance'),
    allowedIps: values['allowed-ip'],
    maxBodyBytes: numberFlag(values, 'max-body-bytes'),
    maxDepth: numberFlag(values, 'max-depth'),
    filter: {
      events: eventsFlag(values),
      ignoreOwnMessages: values['ignore-own'],
      ignoreGroups: values['ignore-groups'],
      ignoreChannels: values['ignore-channels'],
      ignoreStatus: values['ignore-status'],
    },
    dedupe: values['no-dedupe'] ? false : ttlSeconds ? { ttlSeconds } : true,
    clock: nowMs === undefined ? undefined : () => nowMs,
  };
}

/** `"Name: value"` pairs. */
export function headerFlags(values: FlagValues): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const entry of values.header ?? []) {
    const colon = entry.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header must look like "Name: value", got "${entry}"`);
    headers[entry.slice(0, colon).trim().toLowerCase()] = entry.slice(colon + 1).trim();
  }
  return headers;
}

/** `k=v` pairs. */
export function queryFlags(values: FlagValues): Record<string, string> {
  const query: Record<string, string> = {};
  for (const entry of values.query ?? []) {
    const equals = entry.indexOf('=');
    if (equals <= 0) throw new UsageError(`--query must look like key=value, got "${entry}"`);
    query[entry.slice(0, equals)] = entry.slice(equals + 1);
  }
  return query;
}

export function algorithmFlag(values: FlagValues): 'sha256' | 'sha512' | undefined {
  const algorithm = values.algorithm?.toLowerCase();
  if (algorithm === undefined) return undefined;
  if (algorithm !== 'sha256' && algorithm !== 'sha512') throw new UsageError(`--algorithm must be sha256 or sha512, got "${values.algorithm}"`);
  return algorithm;
}
