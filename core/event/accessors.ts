/**
 * What an event is about, whichever block carries it: the one definition of "the event's chat",
 * "its sender" and "where a reply goes", used by the trigger filters, the routers, reply
 * templates, flat rows and send. A reaction, an ack or a poll vote in a group is a group event
 * everywhere, and a reply to a poll vote goes to the chat it was cast in.
 */
import { contactRef, chatTypeOf as chatTypeOfJid, isLid, phoneOf } from '../jid';
import type { ChatType, ContactRef, NormalizedEvent } from './schema';

export interface EventChat {
  id: string;
  type: ChatType;
  lid: string | null;
  /** The phone number behind a direct chat, when known (null for groups and unknown LIDs). */
  phone?: string | null;
}

/** The chat the event happened in; a call's chat is the caller's. Null for session events. */
export function chatOf(event: NormalizedEvent): EventChat | null {
  if (event.message) return event.message.chat;
  const id =
    event.ack?.chatId ??
    event.reaction?.chatId ??
    event.revoked?.chatId ??
    event.presence?.chatId ??
    event.group?.id ??
    event.poll?.chatId ??
    event.call?.from ??
    null;
  return id ? { id, type: chatTypeOfJid(id), lid: isLid(id) ? id : null, phone: phoneOf(id) } : null;
}

export function chatTypeOf(event: NormalizedEvent): ChatType | null {
  return chatOf(event)?.type ?? null;
}

/**
 * Who did it: the sender of a message or reaction, the voter, the caller, the member whose
 * presence or receipt this is, the one who changed a group or revoked a message. Null when the
 * gateway does not say.
 */
export function senderOf(event: NormalizedEvent): ContactRef | null {
  const full = event.message?.sender ?? event.reaction?.sender ?? null;
  if (full) return full;
  const id =
    event.poll?.voter ??
    event.call?.from ??
    event.presence?.participant ??
    (event.presence && chatTypeOfJid(event.presence.chatId) === 'direct' ? event.presence.chatId : null) ??
    event.ack?.participant ??
    event.group?.by ??
    event.revoked?.by ??
    null;
  return id ? contactRef(id) : null;
}

/** Whether the connected account itself did it (a bot must not answer its own messages). */
export function isOwnEvent(event: NormalizedEvent): boolean {
  return event.message?.fromMe ?? event.reaction?.fromMe ?? false;
}

export interface ReplyTarget {
  chatId: string;
  /** The triggering message, to quote. */
  messageId: string | null;
  session: string | null;
}

/**
 * Where a reply to this event goes: the event's chat (a group reply goes to the group), quoting
 * the message when the event is one. Null when the event has no chat to answer in.
 */
export function replyTargetOf(event: NormalizedEvent): ReplyTarget | null {
  const chat = chatOf(event);
  if (!chat) return null;
  return { chatId: chat.id, messageId: event.message?.id ?? null, session: event.session };
}
