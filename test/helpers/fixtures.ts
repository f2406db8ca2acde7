import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bodyDigest } from '../../core/http/digest';
import { normalizedEventSchema, type NormalizedEvent, type ProviderName } from '../../core/event/schema';
import type { Provider as ProviderAdapter } from '../../core/providers/types';

export const RECEIVED_AT_MS = Date.parse('2026-02-01T00:00:00.000Z');

export function fixtureDir(provider: ProviderName): string {
  return join(__dirname, '..', '..', 'core', 'providers', provider, 'fixtures');
}

export function fixtureFiles(provider: ProviderName): string[] {
  return readdirSync(fixtureDir(provider))
    .filter((file) => file.endsWith('.json'))
    .sort();
}

export function fixtureBytes(provider: ProviderName, file: string): Buffer {
  return readFileSync(join(fixtureDir(provider), file));
}

/** Normalizes a fixture the way the receiver does, and checks the result against the v1 contract. */
export function normalizeFixture(adapter: ProviderAdapter<ProviderName>, file: string): NormalizedEvent[] {
  const bytes = fixtureBytes(adapter.name, file);
  const body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  const events = adapter.normalize(body, {
    receivedAtMs: RECEIVED_AT_MS,
    bodyDigest: bodyDigest(bytes),
  });
  for (const event of events) normalizedEventSchema.parse(event);
  return events;
}

/** The one event a fixture must produce. */
export function normalizeOne(adapter: ProviderAdapter<ProviderName>, file: string): NormalizedEvent {
  const events = normalizeFixture(adapter, file);
  if (events.length !== 1) throw new Error(`${file}: expected one event, got ${events.length}`);
  return events[0];
}
