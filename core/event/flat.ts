/**
 * The flat form of a normalized event: one row with the same columns for every event, ready for a
 * Google Sheets / CRM "append row". Blocks are spread into prefixed columns; lists are joined with
 * ", "; what an event does not have is an empty string, so every row has every column.
 */
import { chatOf, senderOf } from './accessors';
import type { NormalizedEvent } from './schema';

export const FLAT_COLUMNS = [
  'id',
  'provider',
  'event',
  'providerEvent',
  'session',
  'timestamp',
  'accountId',
  'accountPhone',
  'chatId',
  'chatType',
  'senderId',
  'senderPhone',
  'senderName',
  'messageId',
  'messageType',
  'direction',
  'fromMe',
  'text',
  'mediaMimeType',
  'mediaFileName',
  'mediaUrl',
  'mediaSize',
  'latitude',
  'longitude',
  'locationName',
  'locationAddress',
  'contactNames',
  'contactPhones',
  'replyToId',
  'replyToText',
  'source',
  'ackStatus',
  'ackMessageIds',
  'reactionEmoji',
  'reactionMessageId',
  'revokedMessageId',
  'presenceStatus',
  'presenceLastSeen',
  'groupId',
  'groupAction',
  'groupParticipants',
  'groupBy',
  'callId',
  'callFrom',
  'callVideo',
  'callStatus',
  'pollId',
  'pollOptions',
  'sessionStatus',
  'sessionReason',
] as const;

export type FlatColumn = (typeof FLAT_COLUMNS)[number];
export type FlatEvent = Record<FlatColumn, string | number | boolean>;

const joined = (values: (string | null | undefined)[] | undefined) => (values ?? []).filter(Boolean).join(', ');

export function flattenEvent(event: NormalizedEvent): FlatEvent {
  const m = event.message;
  const chat = chatOf(event);
  const sender = senderOf(event);
  const values: Partial<Record<FlatColumn, string | number | boolean | null | undefined>> = {
    id: event.id,
    provider: event.provider,
    event: event.event,
    providerEvent: event.providerEvent,
    session: event.session,
    timestamp: event.timestamp,
    accountId: event.account?.id,
    accountPhone: event.account?.phone,
    chatId: chat?.id,
    chatType: chat?.type,
    senderId: sender?.id,
    senderPhone: sender?.phone,
    senderName: sender?.name,
    messageId: m?.id,
    messageType: m?.type,
    direction: m?.direction,
    fromMe: m?.fromMe ?? event.reaction?.fromMe,
    text: m?.text,
    mediaMimeType: m?.media?.mimeType,
    mediaFileName: m?.media?.fileName,
    mediaUrl: m?.media?.url ?? m?.media?.path,
    mediaSize: m?.media?.size,
    latitude: m?.location?.latitude,
    longitude: m?.location?.longitude,
    locationName: m?.location?.name,
    locationAddress: m?.location?.address,
    contactNames: joined(m?.contacts?.map((c) => c.name)),
    contactPhones: joined(m?.contacts?.flatMap((c) => c.phones)),
    replyToId: m?.replyTo?.id,
    replyToText: m?.replyTo?.text,
    source: m?.source,
    ackStatus: event.ack?.status,
    ackMessageIds: joined(event.ack?.messageIds),
    reactionEmoji: event.reaction?.emoji,
    reactionMessageId: event.reaction?.messageId,
    revokedMessageId: event.revoked?.messageId,
    presenceStatus: event.presence?.status,
    presenceLastSeen: event.presence?.lastSeen,
    groupId: event.group?.id,
    groupAction: event.group?.action,
    groupParticipants: joined(event.group?.participants),
    groupBy: event.group?.by,
    callId: event.call?.id,
    callFrom: event.call?.from,
    callVideo: event.call?.video,
    callStatus: event.call?.status,
    pollId: event.poll?.pollId,
    pollOptions: joined(event.poll?.selectedOptions),
    sessionStatus: event.state?.status,
    sessionReason: event.state?.reason,
  };
  return Object.fromEntries(FLAT_COLUMNS.map((column) => [column, values[column] ?? ''])) as FlatEvent;
}
