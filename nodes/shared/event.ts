/**
 * Recognising a normalized event in an n8n item: the router and the send node act only on events,
 * never on arbitrary JSON (a flat row, an HTTP answer), where a rule or a reply could misfire.
 */
import type { IDataObject } from 'n8n-workflow';
import { CANONICAL_EVENTS, PROVIDERS, type NormalizedEvent } from '../../core';

/** Cheap structural check: users may add fields to an event, so this is not a full schema parse. */
export function isNormalizedEvent(value: unknown): value is NormalizedEvent {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as IDataObject;
  return (
    event.version === 1 &&
    typeof event.id === 'string' &&
    (PROVIDERS as readonly unknown[]).includes(event.provider) &&
    (CANONICAL_EVENTS as readonly unknown[]).includes(event.event)
  );
}

/**
 * The event an item is about: the item itself (a trigger's or the router's output, router fields
 * included), else its `event` field (what WhatsApp Send outputs, so send → send keeps answering
 * the same message).
 */
export function eventOf(json: IDataObject): NormalizedEvent | null {
  if (isNormalizedEvent(json)) return json;
  return isNormalizedEvent(json.event) ? json.event : null;
}
