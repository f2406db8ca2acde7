/**
 * Recognising a normalized event in a message. The in node puts the event in both `msg.payload` and
 * `msg.event`: the payload is for the user to replace (a template, a change node), `msg.event` keeps
 * saying which message a reply answers.
 */
import { CANONICAL_EVENTS, PROVIDERS, type NormalizedEvent } from '../../core/event/schema';
import type { NodeMessage } from './node-red';

/** Cheap structural check: users may add fields to the payload, so this is not a full schema parse. */
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

/** The event a message is about: `msg.event`, else `msg.payload` when it is one, else null. */
export function eventOf(msg: NodeMessage): NormalizedEvent | null {
  if (isNormalizedEvent(msg.event)) return msg.event;
  return isNormalizedEvent(msg.payload) ? msg.payload : null;
}
