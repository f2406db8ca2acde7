import type { ProviderName } from '../event/schema';

/** How each provider is named to users, in messages and node labels. */
export const PROVIDER_DISPLAY_NAMES: Record<ProviderName, string> = {
  waha: 'WAHA',
  wawp: 'Wawp',
  openwa: 'open-wa',
  waserver: 'wa-server',
};
