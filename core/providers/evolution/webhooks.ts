/**
 * Which of Evolution's event names (the UPPER_SNAKE list of `EventController.events`) carry each
 * canonical event, for the webhook a trigger registers. An empty list subscribes to every event at
 * Evolution (`webhook.controller.ts#set`), so `unknown`, no selection, or a selection Evolution
 * cannot deliver (poll votes, group updates) all register everything and the receiver filters.
 */
import type { CanonicalEvent } from '../../event/schema';

export const GATEWAY_EVENTS: Record<Exclude<CanonicalEvent, 'unknown'>, string[]> = {
  message: ['MESSAGES_UPSERT'],
  'message.reaction': ['MESSAGES_UPSERT'],
  'message.edited': ['MESSAGES_EDITED', 'SEND_MESSAGE_UPDATE'],
  'message.ack': ['MESSAGES_UPDATE'],
  'message.revoked': ['MESSAGES_DELETE', 'MESSAGES_EDITED'],
  presence: ['PRESENCE_UPDATE'],
  'chat.presence': ['PRESENCE_UPDATE'],
  'group.participants': ['GROUP_PARTICIPANTS_UPDATE'],
  // groups.update is emitted as GROUPS_UPDATE but allowed as GROUP_UPDATE: never delivered (2.3.6).
  'group.update': [],
  call: ['CALL'],
  // Evolution reports poll votes only inside messages.update, which this package reads as receipts.
  'poll.vote': [],
  'session.status': ['CONNECTION_UPDATE', 'QRCODE_UPDATED', 'STATUS_INSTANCE', 'LOGOUT_INSTANCE', 'REMOVE_INSTANCE'],
};

export function gatewayEventsFor(events: readonly string[], includeOwnMessages: boolean): string[] {
  if (events.length === 0 || events.includes('unknown')) return [];
  const names = events.flatMap((event) => GATEWAY_EVENTS[event as keyof typeof GATEWAY_EVENTS] ?? []);
  // Messages typed on the phone come as MESSAGES_UPSERT (fromMe); those sent through the API as SEND_MESSAGE.
  const own = includeOwnMessages && names.includes('MESSAGES_UPSERT') ? ['SEND_MESSAGE'] : [];
  return [...new Set([...names, ...own])];
}
