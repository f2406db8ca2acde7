/**
 * The one list of gateways. Everything else (the normalized schema's provider enum, the engines'
 * gateway lists, fields and help, the sandbox, the CLI) is derived from it. Adding a gateway means
 * its folder, one line here, and the thin n8n trigger and credential files.
 */
import { cloudapiProvider } from './cloudapi';
import { evolutionProvider } from './evolution';
import { openwaProvider } from './openwa';
import type { Provider } from './types';
import { wahaProvider } from './waha';
import { waserverProvider } from './waserver';
import { wawpProvider } from './wawp';

export const PROVIDER_LIST = [wahaProvider, wawpProvider, openwaProvider, waserverProvider, evolutionProvider, cloudapiProvider] as const;

export type ProviderName = (typeof PROVIDER_LIST)[number]['name'];

/** `['waha', 'wawp', …]`, in the list's order. */
export const PROVIDER_NAMES = PROVIDER_LIST.map((provider) => provider.name) as [ProviderName, ...ProviderName[]];

export const providers = Object.fromEntries(PROVIDER_LIST.map((provider) => [provider.name, provider])) as Record<ProviderName, Provider<ProviderName>>;

export function isProviderName(name: unknown): name is ProviderName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(providers, name);
}

/** The provider by name; a clear error naming the known ones otherwise. */
export function providerOf(name: unknown): Provider<ProviderName> {
  if (!isProviderName(name)) throw new Error(`Unknown gateway provider "${String(name ?? '')}"; expected one of ${PROVIDER_NAMES.join(', ')}`);
  return providers[name];
}

export type { Provider, ProviderField, Operation, VerifyOptions, SignedRequest, CredentialValue } from './types';
export { OPERATIONS, OPERATION_NAMES } from './types';

/** The gateways whose API can send messages (some configuration of it, at least). */
export const SENDING_PROVIDERS: readonly ProviderName[] = PROVIDER_LIST.filter((provider) => provider.api.anyCapabilities.includes('sendText')).map(
  (p) => p.name,
);
