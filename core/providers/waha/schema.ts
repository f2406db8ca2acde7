/**
 * WAHA webhook bodies (Wawp sends copies of them). Payload schemas require only what identifies an
 * event and keep every other key: WAHA's engines (WEBJS, WPP, NOWEB, GOWS) each add their own.
 */
import { z } from 'zod';
import type { AckStatus, PresenceStatus, SessionStatus } from '../../event/schema';
import { nonEmptyString, numberish, optBool, optString, timeValue } from '../shared/zod';
import { editedFromWawp, groupFromWawp, pollVoteFromWawp, presenceFromWawp, reactionFromWawp, revokedFromWawp } from './wawp-shapes';

/** Older WAHA servers (and the "Receive messages" doc page) send only this. */
export const wahaLegacyEnvelopeSchema = z.looseObject({
  event: nonEmptyString,
  session: optString,
  payload: z.unknown().optional(),
});

/** Current WAHA and Wawp: `me` only once the session is authenticated. */
export const wahaEnvelopeSchema = wahaLegacyEnvelopeSchema.extend({
  id: optString,
  timestamp: timeValue,
  metadata: z.looseObject({}).nullish(),
  me: z.looseObject({ id: nonEmptyString, pushName: optString, lid: optString }).nullish(),
  engine: optString,
  environment: z.looseObject({}).nullish(),
});

/** Engine-internal data: read field by field, never trusted to have a shape. */
const engineData = z.record(z.string(), z.unknown()).nullish();

/** The addressing fields that message-like payloads (messages, acks, reactions, votes) share. */
const addressed = {
  from: optString,
  to: optString,
  fromMe: optBool,
  participant: optString,
  /** Older WAHA's name for `participant`. */
  author: optString,
  _data: engineData,
};

export const wahaMessageSchema = z.looseObject({
  ...addressed,
  id: nonEmptyString,
  from: nonEmptyString,
  timestamp: timeValue,
  body: optString,
  source: optString,
  /** Not in WAHA's DTO, but Wawp's examples carry it (`"type": "text"`). */
  type: optString,
  hasMedia: optBool,
  media: z.looseObject({ url: optString, mimetype: optString, filename: optString }).nullish(),
  /** Deprecated in favour of `media.url`, still on the doc page. */
  mediaUrl: optString,
  location: z.looseObject({ latitude: numberish, longitude: numberish, description: optString, name: optString, address: optString, live: optBool }).nullish(),
  /** An array of vCard strings; some Wawp examples show an object keyed by index. */
  vCards: z.union([z.array(z.string()), z.record(z.string(), z.string())]).nullish(),
  replyTo: z.looseObject({ id: optString, participant: optString, body: optString }).nullish(),
});

/** Also Wawp's documented `{id, newBody, prevBody}`. */
export const wahaEditedSchema = z.preprocess(editedFromWawp, wahaMessageSchema.extend({ editedMessageId: nonEmptyString }));

/** WAMessageAck: -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED. */
export const ACK_NUMBERS: Record<string, AckStatus> = {
  '-1': 'error',
  '0': 'pending',
  '1': 'sent',
  '2': 'delivered',
  '3': 'read',
  '4': 'played',
};
export const ACK_NAMES: Record<string, AckStatus> = {
  ERROR: 'error',
  PENDING: 'pending',
  SERVER: 'sent',
  DEVICE: 'delivered',
  READ: 'read',
  PLAYED: 'played',
};

export function ackStatusOf(ack: number | null | undefined, ackName: string | null | undefined): AckStatus | null {
  if (typeof ack === 'number' && Object.hasOwn(ACK_NUMBERS, String(ack))) return ACK_NUMBERS[String(ack)];
  const name = ackName?.toUpperCase();
  return name && Object.hasOwn(ACK_NAMES, name) ? ACK_NAMES[name] : null;
}

export const wahaAckSchema = z
  .looseObject({
    ...addressed,
    id: optString,
    /** Not in WAHA's DTO: accepted for gateways that batch several messages in one receipt. */
    ids: z.array(nonEmptyString).nullish(),
    /** Wawp's documented acks carry the chat as `chatId`, and no `from`. */
    chatId: optString,
    ack: z.number().nullish(),
    ackName: optString,
  })
  .refine((p) => !!p.id || !!p.ids?.length, { path: ['id'], message: 'A message id (id or ids) is required' })
  .refine((p) => ackStatusOf(p.ack, p.ackName) !== null, {
    path: ['ack'],
    message: 'ack must be -1..4 or ackName one of ERROR, PENDING, SERVER, DEVICE, READ, PLAYED',
  });

/** Also Wawp's documented flat `{id, reaction: "❤️", senderId, messageId}`. */
export const wahaReactionSchema = z.preprocess(
  reactionFromWawp,
  z.looseObject({
    ...addressed,
    id: nonEmptyString,
    timestamp: timeValue,
    reaction: z.looseObject({ text: z.string(), messageId: nonEmptyString }),
  }),
);

const revokedMessage = z.looseObject({ ...addressed, id: optString, timestamp: timeValue });

/** Also Wawp's documented `{id, revokedBy}`. */
export const wahaRevokedSchema = z.preprocess(
  revokedFromWawp,
  z
    .looseObject({ after: revokedMessage.nullish(), before: revokedMessage.nullish(), revokedMessageId: optString, revokedBy: optString })
    .refine((p) => !!(p.revokedMessageId || p.before?.id || p.after?.id), {
      path: ['revokedMessageId'],
      message: 'The revoked message id (revokedMessageId, before.id or after.id) is required',
    }),
);

/** WAHAPresenceStatus, plus the raw WhatsApp words some engines pass through. */
export const PRESENCE_WORDS: Record<string, PresenceStatus> = {
  online: 'online',
  available: 'online',
  offline: 'offline',
  unavailable: 'offline',
  typing: 'typing',
  composing: 'typing',
  recording: 'recording',
  paused: 'paused',
};

/** Also Wawp's documented flat `{chatId, type, from}`. */
export const wahaPresenceSchema = z.preprocess(
  presenceFromWawp,
  z.looseObject({
    id: nonEmptyString,
    presences: z
      .array(
        z.looseObject({
          participant: optString,
          lastKnownPresence: z.string().refine((word) => Object.hasOwn(PRESENCE_WORDS, word.toLowerCase()), {
            message: `lastKnownPresence must be one of ${Object.keys(PRESENCE_WORDS).join(', ')}`,
          }),
          lastSeen: timeValue,
        }),
      )
      .min(1),
  }),
);

const groupRef = z.looseObject({ id: nonEmptyString });

/** group.v2.*: also Wawp's documented `{chatId, action, participants: {"0": …}}`. */
export const wahaGroupParticipantsSchema = z.preprocess(
  groupFromWawp,
  z.looseObject({
    group: groupRef,
    type: nonEmptyString,
    timestamp: timeValue,
    participants: z.array(z.union([z.string(), z.looseObject({ id: nonEmptyString })])),
  }),
);

export const wahaGroupSelfSchema = z.preprocess(groupFromWawp, z.looseObject({ group: groupRef, timestamp: timeValue }));

export const wahaGroupUpdateSchema = z.preprocess(
  groupFromWawp,
  z.looseObject({
    group: groupRef.extend({ subject: optString, description: optString }),
    timestamp: timeValue,
  }),
);

/** Deprecated group.join / group.leave: WEBJS sends a GroupNotification, NOWEB the group's metadata. */
export const wahaLegacyGroupSchema = z
  .looseObject({
    chatId: optString,
    id: z.unknown().optional(),
    author: optString,
    recipientIds: z.array(z.string()).nullish(),
    timestamp: timeValue,
  })
  .refine((p) => legacyGroupIdOf(p) !== null, { path: ['chatId'], message: 'The group id (chatId) is required' });

export function legacyGroupIdOf(p: { chatId?: string | null; id?: unknown }): string | null {
  if (p.chatId) return p.chatId;
  return typeof p.id === 'string' && p.id.endsWith('@g.us') ? p.id : null;
}

export const wahaCallSchema = z.looseObject({
  id: nonEmptyString,
  from: nonEmptyString,
  timestamp: timeValue,
  isVideo: optBool,
  isGroup: optBool,
});

/** Also Wawp's documented poll.vote.failed `{pollId, voter, reason}`. */
export const wahaPollVoteSchema = z.preprocess(
  pollVoteFromWawp,
  z.looseObject({
    vote: z.looseObject({
      ...addressed,
      id: optString,
      from: nonEmptyString,
      selectedOptions: z.array(z.string()).nullish(),
      timestamp: timeValue,
    }),
    poll: z.looseObject({ id: nonEmptyString }),
  }),
);

/**
 * Session words of both events, upper-cased: `session.status` (WAHASessionStatus) and the deprecated
 * `state.change`, which carries the engine's own state (whatsapp-web.js WAState for WEBJS/WPP,
 * Baileys `connection` for NOWEB).
 */
export const SESSION_WORDS: Record<string, SessionStatus> = {
  STOPPED: 'stopped',
  STARTING: 'starting',
  SCAN_QR_CODE: 'qr',
  PASSKEY_REQUIRED: 'qr',
  PASSKEY_CONFIRMATION_REQUIRED: 'qr',
  WORKING: 'connected',
  FAILED: 'failed',
  CONNECTED: 'connected',
  OPENING: 'starting',
  PAIRING: 'starting',
  UNLAUNCHED: 'starting',
  UNPAIRED: 'logged_out',
  UNPAIRED_IDLE: 'logged_out',
  CONFLICT: 'disconnected',
  TIMEOUT: 'disconnected',
  DEPRECATED_VERSION: 'disconnected',
  PROXYBLOCK: 'disconnected',
  TOS_BLOCK: 'disconnected',
  SMB_TOS_BLOCK: 'disconnected',
  OPEN: 'connected',
  CONNECTING: 'starting',
  CLOSE: 'disconnected',
};

export function sessionStatusOf(word: string | null | undefined): SessionStatus | null {
  const upper = word?.toUpperCase();
  return upper && Object.hasOwn(SESSION_WORDS, upper) ? SESSION_WORDS[upper] : null;
}

export const wahaSessionStatusSchema = z.looseObject({
  name: optString,
  status: nonEmptyString,
  statuses: z.array(z.looseObject({ status: optString, timestamp: timeValue })).nullish(),
});

/** WEBJS sends the bare WAState string; others an object. Either way the result is the state word. */
export const wahaStateChangeSchema = z
  .union([z.string(), z.looseObject({ state: optString, status: optString, connection: optString })])
  .transform((p) => (typeof p === 'string' ? p : (p.state ?? p.status ?? p.connection ?? '')))
  .refine((word) => word !== '', { path: ['state'], message: 'state.change carries no state word' });

export type WahaMessage = z.output<typeof wahaMessageSchema>;
/** What the addressing helpers read from any message-like payload. */
export interface Addressed {
  id?: string | null;
  from?: string | null;
  to?: string | null;
  fromMe?: boolean | null;
  participant?: string | null;
  author?: string | null;
  _data?: Record<string, unknown> | null;
}
