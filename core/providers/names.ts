import type { Provider } from './types';

/**
 * How a provider is named to users, in messages and node labels. The registry is looked up when
 * called, not when this module loads: the send helpers that call this are themselves loaded by the
 * provider modules the registry is made of, so a load-time import would be a cycle.
 */
export function displayNameOf(name: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PROVIDER_LIST } = require('./index') as { PROVIDER_LIST: readonly Provider[] };
  return PROVIDER_LIST.find((provider) => provider.name === name)?.displayName ?? name;
}
