/**
 * Wawp's webhook body is a copy of WAHA's current envelope (same event names and payloads, `me.lid`
 * included), so it reuses WAHA's schema and normalizer; only the authentication differs.
 */
import { normalizeWaha, wahaEventNameOf } from '../waha/normalize';
import { wahaSampleBody } from '../waha';
import type { ProviderAdapter } from '../types';
import { signWawp, verifyWawp } from './verify';
import { PROVIDER_DISPLAY_NAMES } from '../names';

export const wawpAdapter: ProviderAdapter = {
  name: 'wawp',
  displayName: PROVIDER_DISPLAY_NAMES.wawp,
  defaultPath: 'wawp',
  verify: verifyWawp,
  sign: signWawp,
  eventNameOf: wahaEventNameOf,
  normalize: (body, context) => normalizeWaha('wawp', body, context),
  sampleBody: wahaSampleBody,
};
