/** How each canonical event is named and explained to users, in both engines' editors. */
import type { CanonicalEvent } from './schema';

export const EVENT_DESCRIPTIONS: Record<CanonicalEvent, { label: string; help: string }> = {
  message: { label: 'Message', help: 'A message received (or sent, when own messages are kept)' },
  'message.edited': { label: 'Message Edited', help: 'A message was edited' },
  'message.ack': { label: 'Message Ack', help: 'Delivery status changed: sent, delivered, read, played' },
  'message.reaction': { label: 'Message Reaction', help: 'A reaction was added or removed' },
  'message.revoked': { label: 'Message Revoked', help: 'A message was deleted for everyone' },
  presence: { label: 'Presence', help: 'A contact went online or offline' },
  'chat.presence': { label: 'Chat Presence', help: 'Typing, recording or paused in a chat' },
  'group.participants': { label: 'Group Participants', help: 'Members joined, left, were added, removed, promoted or demoted' },
  'group.update': { label: 'Group Update', help: 'Group subject, description or settings changed' },
  call: { label: 'Call', help: 'An incoming call was offered, accepted or rejected' },
  'poll.vote': { label: 'Poll Vote', help: 'A vote on a poll' },
  'session.status': { label: 'Session Status', help: 'The WhatsApp session connected, disconnected, needs a QR scan…' },
  unknown: { label: 'Unknown', help: 'Any event this package does not recognise, with its raw body' },
};
