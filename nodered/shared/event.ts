/**
 * Recognising a normalized event in a message. The in node puts the event in both `msg.payload` and
 * `msg.event`: the payload is for the user to replace (a template, a change node), `msg.event` keeps
 * saying which message a reply answers.
 */
import { isNormalizedEvent } from '../../core/event/guard';
import type { NormalizedEvent } from '../../core/event/schema';
import type { NodeMessage } from './node-red';

export { isNormalizedEvent };

/** The event a message is about: `msg.event`, else `msg.payload` when it is one, else null. */
export function eventOf(msg: NodeMessage): NormalizedEvent | null {
  if (isNormalizedEvent(msg.event)) return msg.event;
  return isNormalizedEvent(msg.payload) ? msg.payload : null;
}
