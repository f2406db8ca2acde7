import type { ProviderName } from '../event/schema';
import { openwaAdapter } from './openwa';
import type { ProviderAdapter } from './types';
import { wahaAdapter } from './waha';
import { waserverAdapter } from './waserver';
import { wawpAdapter } from './wawp';

export const providers: Record<ProviderName, ProviderAdapter> = {
  waha: wahaAdapter,
  wawp: wawpAdapter,
  openwa: openwaAdapter,
  waserver: waserverAdapter,
};

export function providerAdapter(name: string): ProviderAdapter {
  const adapter = Object.prototype.hasOwnProperty.call(providers, name) ? providers[name as ProviderName] : undefined;
  if (!adapter) throw new Error(`Unknown provider "${name}"; expected one of ${Object.keys(providers).join(', ')}`);
  return adapter;
}

export type { ProviderAdapter } from './types';
