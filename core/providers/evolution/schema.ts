/**
 * Evolution API v2 webhook bodies (EvolutionAPI/evolution-api `webhook.controller.ts#emit`): one
 * envelope `{event, instance, data, destination, date_time, sender, server_url, apikey}` around
 * Baileys' objects, as `whatsapp.baileys.service.ts` prepares them. Payload schemas require only
 * what identifies an event and keep every other key: Evolution's versions differ in the details.
 */
import { z } from 'zod';
import type { AckStatus, PresenceStatus, SessionStatus } from '../../event/schema';
import { nonEmptyString, numberish, optBool, optString, timeValue } from '../shared/zod';

/** `src/api/types/wa.types.ts` `enum Events`: the dotted names the body's `event` carries. */
export const EVENT_NAMES = [
  'application.startup',
  'instance.create',
  'instance.delete',
  'qrcode.updated',
  'connection.update',
  'status.instance',
  'messages.set',
  'messages.upsert',
  'messages.edited',
  'messages.update',
  'messages.delete',
  'send.message',
  'send.message.update',
  'contacts.set',
  'contacts.upsert',
  'contacts.update',
  'presence.update',
  'chats.set',
  'chats.update',
  'chats.upsert',
  'chats.delete',
  'groups.upsert',
  'groups.update',
  'group-participants.update',
  'call',
  'typebot.start',
  'typebot.change-status',
  'labels.edit',
  'labels.association',
  'remove.instance',
  'logout.instance',
] as const;

/** Evolution's own folding of a name (`webhook.controller.ts#emit`): `messages.upsert` → `MESSAGES_UPSERT`. */
export function upperEventName(name: string): string {
  return name.replace(/[.-]/g, '_').toUpperCase();
}

/**
 * Where "Webhook by Events" posts each event, below the webhook URL: `webhook.controller.ts` turns
 * `messages.upsert` into `MESSAGES_UPSERT`, then into `messages-upsert`.
 */
export const EVENT_SUB_PATHS: readonly string[] = EVENT_NAMES.map((name) => upperEventName(name).replace(/_/g, '-').toLowerCase());

const DOTTED = new Map<string, string>(EVENT_NAMES.map((name) => [upperEventName(name), name]));

/**
 * The dotted name for any spelling Evolution uses: the body's `messages.upsert`, the settings'
 * `MESSAGES_UPSERT`, the `webhook_by_events` path's `messages-upsert`. A name not in the list is
 * kept as sent.
 */
export function dottedEventName(name: string): string {
  return DOTTED.get(upperEventName(name)) ?? name;
}

export const evolutionEnvelopeSchema = z.looseObject({
  event: nonEmptyString,
  instance: optString,
  data: z.unknown().optional(),
  destination: optString,
  date_time: timeValue,
  /** The connected account's JID; absent before the instance has connected. */
  sender: optString,
  server_url: optString,
  /** The instance token when AUTHENTICATION_EXPOSE_IN_FETCH_INSTANCES is on: a live credential. */
  apikey: optString,
});

/**
 * A protobuf uint64 in any of Evolution's encodings: a number, a numeric string (protobuf `toJSON`,
 * before 2.3.5) or a Long object `{low, high, unsigned}` (2.3.5's `deserializeMessageBuffers`).
 */
export function longValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return /^\d+$/.test(value) ? Number(value) : null;
  if (value && typeof value === 'object' && typeof (value as { low?: unknown }).low === 'number') {
    const { low, high } = value as { low: number; high?: unknown };
    return (typeof high === 'number' ? high : 0) * 2 ** 32 + (low >>> 0);
  }
  return null;
}

const longish = z.union([z.number(), z.string(), z.looseObject({ low: z.number() })]).nullish();

/** Baileys' `WAMessageKey` as Evolution forwards it, with the LID alternates of each version. */
export const messageKeySchema = z.looseObject({
  remoteJid: nonEmptyString,
  fromMe: optBool,
  id: nonEmptyString,
  participant: optString,
  /** Baileys 7 (Evolution 2.3.3+): the other identity of the chat / of a group sender. */
  remoteJidAlt: optString,
  participantAlt: optString,
  /** Evolution 2.3.0's Baileys fork: the phone JID next to a LID. */
  senderPn: optString,
  participantPn: optString,
  /** Evolution 2.3.1 overwrote `remoteJid` with `senderPn` and kept the LID here. */
  previousRemoteJid: optString,
});
export type MessageKey = z.output<typeof messageKeySchema>;

/** `prepareMessage()`: messages.upsert and send.message. */
export const evolutionMessageSchema = z.looseObject({
  key: messageKeySchema,
  pushName: optString,
  status: optString,
  message: z.record(z.string(), z.unknown()).nullish(),
  contextInfo: z.record(z.string(), z.unknown()).nullish(),
  messageType: optString,
  messageTimestamp: longish,
  source: optString,
});
export type EvolutionMessage = z.output<typeof evolutionMessageSchema>;

/** `src/utils/renderStatus.ts`, plus the Meta words Evolution's Cloud-API channel upper-cases. */
export const ACK_WORDS: Record<string, AckStatus> = {
  ERROR: 'error',
  FAILED: 'error',
  PENDING: 'pending',
  SERVER_ACK: 'sent',
  SENT: 'sent',
  DELIVERY_ACK: 'delivered',
  DELIVERED: 'delivered',
  READ: 'read',
  PLAYED: 'played',
};

/** messages.update. `DELETED` is Evolution's word for an update without a status (an edit before 2.3.5): no receipt. */
export const evolutionAckSchema = z.looseObject({
  keyId: nonEmptyString,
  remoteJid: optString,
  fromMe: optBool,
  participant: optString,
  status: z.string().refine((word) => Object.hasOwn(ACK_WORDS, word.toUpperCase()), {
    message: `status must be one of ${Object.keys(ACK_WORDS).join(', ')} (DELETED is no receipt)`,
  }),
});

/** messages.delete: the deleted message's key, or (from the API's deleteMessageForEveryone) a row holding it. */
export const evolutionDeleteSchema = z.preprocess(
  (p) => (p && typeof p === 'object' && (p as { key?: unknown }).key && typeof (p as { key?: unknown }).key === 'object' ? (p as { key: unknown }).key : p),
  z.looseObject({ remoteJid: optString, fromMe: optBool, id: nonEmptyString, participant: optString }),
);

/** Protobuf enums arrive as their name (`toJSON`) or their number. */
const PROTOCOL_TYPES: Record<string, string> = { '0': 'REVOKE', '14': 'MESSAGE_EDIT' };

/** messages.edited and send.message.update: the `protocolMessage` of an edit or a delete for everyone. */
export const evolutionProtocolSchema = z.looseObject({
  key: z.looseObject({ remoteJid: optString, fromMe: optBool, id: nonEmptyString, participant: optString }),
  type: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((type) => (type === null || type === undefined ? null : (PROTOCOL_TYPES[String(type)] ?? String(type))))
    .refine((type) => type === 'REVOKE' || type === 'MESSAGE_EDIT', { message: 'type must be MESSAGE_EDIT or REVOKE (0 or 14)' }),
  editedMessage: z.record(z.string(), z.unknown()).nullish(),
  timestampMs: longish,
});

export const PRESENCE_WORDS: Record<string, PresenceStatus> = {
  available: 'online',
  unavailable: 'offline',
  composing: 'typing',
  recording: 'recording',
  paused: 'paused',
};

/** Baileys' presence update: presences keyed by JID (not WAHA's array). */
export const evolutionPresenceSchema = z.looseObject({
  id: nonEmptyString,
  presences: z
    .record(
      z.string(),
      z.looseObject({
        lastKnownPresence: z.string().refine((word) => Object.hasOwn(PRESENCE_WORDS, word), {
          message: `lastKnownPresence must be one of ${Object.keys(PRESENCE_WORDS).join(', ')}`,
        }),
        lastSeen: timeValue,
      }),
    )
    .refine((presences) => Object.keys(presences).length > 0, { message: 'presences is empty' }),
});

/** Newer Baileys builds send participants as objects. */
export const evolutionGroupParticipantsSchema = z.looseObject({
  id: nonEmptyString,
  author: optString,
  action: nonEmptyString,
  participants: z.array(z.union([z.string(), z.looseObject({ id: nonEmptyString })])),
});

/** Only these three have a canonical call status; ringing, timeout and terminate stay `unknown`. */
export const evolutionCallSchema = z.looseObject({
  id: nonEmptyString,
  from: nonEmptyString,
  chatId: optString,
  date: timeValue,
  isVideo: optBool,
  isGroup: optBool,
  status: z.enum(['offer', 'accept', 'reject']),
});

/** `connection.update`: `close` is only reported when Evolution will not reconnect. */
export const evolutionConnectionSchema = z.looseObject({
  state: nonEmptyString,
  statusReason: z.union([z.number(), z.string()]).nullish(),
  wuid: optString,
  profileName: optString,
});

/** `qrcode.updated`: a new code, or at the limit `{message, statusCode: 500}`. */
export const evolutionQrSchema = z.looseObject({
  qrcode: z.looseObject({ code: optString, pairingCode: optString }).nullish(),
  message: optString,
  statusCode: numberish.nullish(),
});

export const evolutionStatusInstanceSchema = z.looseObject({ status: nonEmptyString, disconnectionReasonCode: z.unknown().optional() });

export const CONNECTION_STATES: Record<string, SessionStatus> = {
  open: 'connected',
  connecting: 'starting',
  close: 'disconnected',
  refused: 'failed',
  closed: 'disconnected',
};
