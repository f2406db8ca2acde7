/**
 * Drops events the user does not want before they cost an execution. Applied by the receiver after
 * normalization and before dedupe, so filtered events do not take room in the dedupe store.
 */
import { chatTypeOf, isOwnEvent } from './event/accessors';
import type { CanonicalEvent, NormalizedEvent } from './event/schema';

export interface EventFilter {
  /** Canonical events to keep; empty or absent keeps all. */
  events?: CanonicalEvent[];
  /** Drop messages, reactions and edits sent by the connected account itself. */
  ignoreOwnMessages?: boolean;
  ignoreGroups?: boolean;
  /** Channels (newsletters). */
  ignoreChannels?: boolean;
  /** Status updates (`status@broadcast`) and broadcast lists. */
  ignoreStatus?: boolean;
}

/** The reason an event is filtered out, or null when it passes. */
export function filteredOutBy(event: NormalizedEvent, filter: EventFilter): string | null {
  if (filter.events?.length && !filter.events.includes(event.event)) return 'event';
  if (filter.ignoreOwnMessages && isOwnEvent(event)) return 'own message';
  const chatType = chatTypeOf(event);
  if (filter.ignoreGroups && chatType === 'group') return 'group';
  if (filter.ignoreChannels && chatType === 'channel') return 'channel';
  if (filter.ignoreStatus && (chatType === 'status' || chatType === 'broadcast')) return 'status';
  return null;
}
