/**
 * Drops events the user does not want before they cost an execution. Applied by the receiver after
 * normalization and before dedupe, so filtered events do not take room in the dedupe store.
 */
import type { CanonicalEvent, ChatType, NormalizedEvent } from './event/schema';
import { chatTypeOf } from './jid';

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

/** The chat an event happened in, whichever block carries it. */
export function chatIdOf(event: NormalizedEvent): string | null {
  return (
    event.message?.chat.id ??
    event.ack?.chatId ??
    event.reaction?.chatId ??
    event.revoked?.chatId ??
    event.presence?.chatId ??
    event.group?.id ??
    event.poll?.chatId ??
    null
  );
}

export function chatTypeOfEvent(event: NormalizedEvent): ChatType | null {
  if (event.message) return event.message.chat.type;
  const chatId = chatIdOf(event);
  return chatId ? chatTypeOf(chatId) : null;
}

export function isFromMe(event: NormalizedEvent): boolean {
  return event.message?.fromMe ?? event.reaction?.fromMe ?? false;
}

/** The reason an event is filtered out, or null when it passes. */
export function filteredOutBy(event: NormalizedEvent, filter: EventFilter): string | null {
  if (filter.events?.length && !filter.events.includes(event.event)) return 'event';
  if (filter.ignoreOwnMessages && isFromMe(event)) return 'own message';
  const chatType = chatTypeOfEvent(event);
  if (filter.ignoreGroups && chatType === 'group') return 'group';
  if (filter.ignoreChannels && chatType === 'channel') return 'channel';
  if (filter.ignoreStatus && (chatType === 'status' || chatType === 'broadcast')) return 'status';
  return null;
}
