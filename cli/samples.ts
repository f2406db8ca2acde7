/**
 * `waflow send --event KIND` bodies: the fixture a provider names for that event. The fixtures sit
 * beside the provider's code in the sources and are copied beside it into dist/ by the asset build,
 * so the same path works from ts-jest and from the installed package. Reading files is the CLI's
 * job: the core (which n8n loads) reads none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalEvent } from '../core/event/schema';
import type { Provider } from '../core/providers/types';

export function sampleBody(provider: Provider, event: CanonicalEvent): Record<string, unknown> | null {
  const file = provider.samples.files[event];
  if (!file) return null;
  const path = join(__dirname, '..', 'core', 'providers', provider.samples.folder, 'fixtures', file);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}
