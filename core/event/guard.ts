import { CANONICAL_EVENTS, PROVIDERS, type NormalizedEvent } from './schema';

/**
 * Cheap structural check that a value is a normalized event, for routers and send nodes that must
 * act only on events. Users may add fields to an event, so this is not a full schema parse.
 */
export function isNormalizedEvent(value: unknown): value is NormalizedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return (
    event.version === 1 &&
    typeof event.id === 'string' &&
    (PROVIDERS as readonly unknown[]).includes(event.provider) &&
    (CANONICAL_EVENTS as readonly unknown[]).includes(event.event)
  );
}
