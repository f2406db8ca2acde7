/**
 * From the settings a user typed (an n8n credential, a Node-RED gateway node) to the core's client
 * and receive settings, by the provider's declared fields, and what is missing for an operation.
 */
import type { Operation, Provider, ProviderField, VerifyOptions } from '../providers/types';
import { apiUrlProblem } from '../security/url';
import type { ClientConfig } from './types';

export type Engine = 'n8n' | 'nodeRed';

/** The name a field is stored under in an engine. */
export function storedNameOf(field: ProviderField, engine: Engine): string {
  return field.storedAs?.[engine] ?? field.key;
}

/** An optional positive number typed into a text field: blank means "use the default". */
export function optionalPositiveNumber(value: unknown, label: string): number | undefined {
  if (value === undefined || value === null || String(value).trim() === '') return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${label} must be a positive number, got "${String(value)}"`);
  return number;
}

function cleaned(field: ProviderField, value: unknown): string | number | undefined {
  if (field.type === 'number') return optionalPositiveNumber(value, field.label);
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

/**
 * The provider's settings by their core names, from an engine's stored values (settings and
 * secrets together). Empty values are left out, so defaults apply. Throws on a malformed number.
 */
export function settingsOf(provider: Provider, engine: Engine, stored: Record<string, unknown>): Partial<Record<ProviderField['key'], string | number>> {
  const settings: Partial<Record<ProviderField['key'], string | number>> = {};
  for (const field of provider.fields) {
    const value = cleaned(field, stored[storedNameOf(field, engine)]);
    if (value !== undefined) settings[field.key] = value;
  }
  return settings;
}

export function clientConfigOf(settings: Partial<Record<ProviderField['key'], string | number>>): ClientConfig {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    baseUrl: text(settings.baseUrl),
    apiKey: text(settings.apiKey),
    instanceId: text(settings.instanceId),
    accessToken: text(settings.accessToken),
    phoneNumberId: text(settings.phoneNumberId),
    apiVersion: settings.apiVersion === 'v4' ? 'v4' : 'v5',
  };
}

export function verifyOptionsOf(settings: Partial<Record<ProviderField['key'], string | number>>): VerifyOptions {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    secret: text(settings.secret),
    hmacSecret: text(settings.hmacSecret),
    secretHeader: text(settings.secretHeader),
    signatureHeader: text(settings.signatureHeader),
    secretQueryParam: text(settings.secretQueryParam),
    verifyToken: text(settings.verifyToken),
    timestampToleranceSeconds: typeof settings.timestampToleranceSeconds === 'number' ? settings.timestampToleranceSeconds : undefined,
  };
}

const VERBS: Record<Operation, string> = {
  sendText: 'send',
  sendImage: 'send',
  sendVideo: 'send',
  sendDocument: 'send',
  sendVoice: 'send',
  sendAudio: 'send',
  sendLocation: 'send',
  react: 'react',
  typing: 'send',
  markRead: 'mark messages as read',
  registerWebhook: 'register the webhook',
  resolveLid: 'resolve LIDs to phone numbers',
  downloadMedia: 'download media',
};

/**
 * Why `operation` cannot work with these settings (`To send, set the WAHA API URL in the gateway`,
 * `place`, when given, saying where the user sets it), or null. An API URL with a user:password in it is refused:
 * the URL itself is never repeated.
 */
export function clientConfigProblem(provider: Provider, config: ClientConfig, operation: Operation, place?: string): string | null {
  const urlProblem = apiUrlProblem(config.baseUrl);
  if (urlProblem) return `${provider.displayName}: ${urlProblem}`;
  const missing = provider.fields.filter((field) => field.requiredFor.includes(operation) && !config[field.key as keyof ClientConfig]);
  if (missing.length === 0) return null;
  return `To ${VERBS[operation]}, set the ${provider.displayName} ${missing.map((field) => field.label).join(' and ')}${place ? ` in ${place}` : ''}`;
}

/**
 * The other way: core settings (a sandbox's client config, a secret) as an engine stores them,
 * plain settings and secrets apart. For demos and tests that write flows and credentials.
 */
export function storedValuesOf(
  provider: Provider,
  engine: Engine,
  values: Partial<Record<ProviderField['key'], unknown>>,
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const field of provider.fields) {
    const value = values[field.key];
    if (value === undefined || value === null || value === '') continue;
    if (field.secret) secrets[storedNameOf(field, engine)] = String(value);
    else settings[storedNameOf(field, engine)] = value;
  }
  return { settings, secrets };
}
