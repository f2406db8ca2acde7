/**
 * Recognising a normalized event in an n8n item: the router and the send node act only on events,
 * never on arbitrary JSON (a flat row, an HTTP answer), where a rule or a reply could misfire.
 */
import type { IDataObject } from 'n8n-workflow';
import { isNormalizedEvent } from '../../core/event/guard';
import type { NormalizedEvent } from '../../core';

export { isNormalizedEvent };

/**
 * The event an item is about: the item itself (a trigger's or the router's output, router fields
 * included), else its `event` field (what WhatsApp Send outputs, so send → send keeps answering
 * the same message).
 */
export function eventOf(json: IDataObject): NormalizedEvent | null {
  if (isNormalizedEvent(json)) return json;
  return isNormalizedEvent(json.event) ? json.event : null;
}
