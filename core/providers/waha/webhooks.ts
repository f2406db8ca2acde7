/**
 * Which of WAHA's event names carry each canonical event, for the webhook entry a trigger registers
 * (Wawp names its events alike: it runs WAHA). The gateway then sends only these, so the receiver's
 * filter rarely has anything left to drop. `unknown` (or no selection) subscribes to all.
 */
import type { CanonicalEvent } from '../../event/schema';

export const GATEWAY_EVENTS: Record<Exclude<CanonicalEvent, 'unknown'>, string[]> = {
  message: ['message'],
  'message.edited': ['message.edited'],
  'message.ack': ['message.ack', 'message.ack.group'],
  'message.reaction': ['message.reaction'],
  'message.revoked': ['message.revoked'],
  presence: ['presence.update'],
  'chat.presence': ['presence.update'],
  'group.participants': ['group.v2.participants', 'group.v2.join', 'group.v2.leave'],
  'group.update': ['group.v2.update'],
  call: ['call.received', 'call.accepted', 'call.rejected'],
  'poll.vote': ['poll.vote', 'poll.vote.failed'],
  'session.status': ['session.status'],
};

export function gatewayEventsFor(events: readonly string[], includeOwnMessages: boolean): string[] {
  if (events.length === 0 || events.includes('unknown')) return ['*'];
  const names = events.flatMap((event) => GATEWAY_EVENTS[event as keyof typeof GATEWAY_EVENTS] ?? []);
  // `message` is inbound only; own messages (sent from the phone or the API) come as `message.any`.
  const withOwn = includeOwnMessages ? names.map((name) => (name === 'message' ? 'message.any' : name)) : names;
  return [...new Set(withOwn)];
}
