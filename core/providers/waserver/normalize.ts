/** wa-server webhooks → normalized events. The mapping of each event name is one rule below. */
import type { AckStatus, ContactRef, MessageType, NormalizedEvent, NormalizedMessage, SessionStatus } from '../../event/schema';
import { type JidPair, chatTypeOf, chatWith, contactRef, contactWith } from '../../jid';
import { toEpochMs } from '../../time';
import { eventKeyFallback, issuesOf, normalizeWithRules, rule, malformedEnvelopeEvent, type Envelope, type EventRule } from '../shared/build';
import { firstText, sharedContact } from '../shared/message';
import type { NormalizeContext } from '../types';
import {
  accountFieldsSchema,
  chatPresencePayloadSchema,
  envelopeSchema,
  messagePayloadSchema,
  presencePayloadSchema,
  receiptPayloadSchema,
  revokedPayloadSchema,
  statusPayloadSchema,
  type MessagePayload,
  type ReceiptWord,
} from './schema';

/** `message_type` words; `audio` with `ptt: true` becomes `voice` below. A Map, so `constructor` is not a type. */
const MESSAGE_TYPES = new Map<string, MessageType>([
  ['text', 'text'],
  ['image', 'image'],
  ['video', 'video'],
  ['audio', 'audio'],
  ['document', 'document'],
  ['sticker', 'sticker'],
  ['location', 'location'],
  ['contact', 'contact'],
]);

const MEDIA_TYPES: ReadonlySet<MessageType> = new Set<MessageType>(['image', 'video', 'audio', 'voice', 'document', 'sticker']);

const ACK_STATUS: Record<ReceiptWord, AckStatus> = {
  server: 'sent',
  // Your other devices received the message you sent: it left, nobody else has it yet.
  sender: 'sent',
  delivered: 'delivered',
  '': 'delivered',
  read: 'read',
  'read-self': 'read',
  played: 'played',
  'played-self': 'played',
  // The peer could not decrypt and asked for a resend: not delivered yet.
  retry: 'pending',
  'server-error': 'error',
};

/**
 * What wa-server says about who is behind a LID: `from_lid` next to `from`, `chat_lid` next to
 * `chat`, the account's `wa_number` next to its `wa_lid`, and on an inbound direct message `from`
 * and `chat` are the same person (the page: "sender's JID (same as chat)").
 */
function lidPairsOf(p: MessagePayload, group: boolean): JidPair[] {
  const account = p.wa_number ? `${p.wa_number}@s.whatsapp.net` : null;
  return [[p.from, p.from_lid], [p.chat, p.chat_lid], [account, p.wa_lid], group || p.direction !== 'inbound' ? [null, null] : [p.from, p.chat]];
}

function messageBlock(p: MessagePayload): NormalizedMessage {
  const group = p.is_group === true || chatTypeOf(p.chat) === 'group';
  const pairs = lidPairsOf(p, group);
  const mapped = MESSAGE_TYPES.get((p.message_type ?? '').toLowerCase()) ?? 'other';
  const type: MessageType = mapped === 'audio' && p.ptt === true ? 'voice' : mapped;
  const message: NormalizedMessage = {
    id: p.message_id,
    type,
    direction: p.direction,
    fromMe: p.direction === 'outbound',
    // The page: `text` is the message text or the caption (a location's name); `caption` is the fallback.
    text: firstText(p.text, p.caption),
    chat: group ? { id: p.chat, type: 'group', lid: p.chat_lid || null, phone: null } : chatWith(p.chat, pairs),
    // Outbound: `from` is the device JID (`6285211112222:1@s.whatsapp.net`); phoneOf drops the `:1`.
    sender: contactWith(p.from, pairs, { name: firstText(p.push_name, p.sender_name) || null }),
  };
  if (MEDIA_TYPES.has(type)) {
    message.media = {
      mimeType: p.media_mime_type ?? null,
      size: p.media_size ?? null,
      fileName: p.media_filename ?? null,
      url: null,
      path: p.media_path ?? null,
      viewOnce: p.is_view_once ?? false,
    };
  }
  if (typeof p.latitude === 'number' && typeof p.longitude === 'number') {
    message.location = {
      latitude: p.latitude,
      longitude: p.longitude,
      name: p.location_name ?? null,
      address: p.location_address ?? null,
    };
  }
  if (type === 'contact' && p.contact_vcard) {
    message.contacts = [sharedContact(p.contact_vcard, p.contact_name || null)];
  }
  return message;
}

/** Last seen as ISO; Go's zero time (`0001-01-01T00:00:00Z`) and 0 mean "not known". */
function lastSeenIso(value: unknown): string | null {
  const ms = toEpochMs(value);
  return ms !== null && ms > 0 ? new Date(ms).toISOString() : null;
}

function sessionRule(status: SessionStatus): EventRule {
  return rule({
    canonical: 'session.status',
    schema: statusPayloadSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      state: { status, reason: p.reason || null, providerStatus: p.status || envelope.providerEvent },
    }),
  });
}

export const RULES: Record<string, EventRule> = {
  message: rule({
    canonical: 'message',
    schema: messagePayloadSchema,
    build: (p) => ({ key: `msg:${p.message_id}`, timestamp: p.timestamp, message: messageBlock(p) }),
  }),

  receipt: rule({
    canonical: 'message.ack',
    schema: receiptPayloadSchema,
    build: (p) => {
      const status = ACK_STATUS[p.receipt];
      const group = p.is_group === true || (!!p.chat && chatTypeOf(p.chat) === 'group');
      // In a group every member sends its own receipt for the same message: keep them apart.
      const reader = group && p.from ? `:${p.from}` : '';
      return {
        key: `ack:${p.message_ids.join(',')}:${status}${reader}`,
        timestamp: p.timestamp,
        ack: { messageIds: p.message_ids, status, chatId: p.chat || null, participant: group ? (p.from ?? null) : null },
      };
    },
  }),

  presence: rule({
    canonical: 'presence',
    schema: presencePayloadSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      presence: {
        chatId: p.from,
        participant: null,
        status: p.unavailable === true ? 'offline' : 'online',
        lastSeen: lastSeenIso(p.last_seen),
      },
    }),
  }),

  chat_presence: rule({
    canonical: 'chat.presence',
    schema: chatPresencePayloadSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      presence: {
        chatId: p.chat,
        participant: p.from || p.sender || null,
        // `composing` with media "audio" is recording a voice note; media "" or "text" is typing.
        status: p.state === 'paused' ? 'paused' : p.media?.toLowerCase() === 'audio' ? 'recording' : 'typing',
        lastSeen: null,
      },
    }),
  }),

  message_revoked: rule({
    canonical: 'message.revoked',
    schema: revokedPayloadSchema,
    build: (p) => ({
      key: `revoked:${p.message_id}`,
      timestamp: p.timestamp,
      revoked: { messageId: p.message_id, chatId: p.chat || null, by: p.from || null },
    }),
  }),

  device_qr_generated: sessionRule('qr'),
  device_connected: sessionRule('connected'),
  device_disconnected: sessionRule('disconnected'),
  device_destroyed: sessionRule('destroyed'),
  warning: sessionRule('warning'),
  logout: sessionRule('logged_out'),
};

/** The connected account from the payload's `wa_number` (and `wa_lid`, sent on device_connected). */
function accountOf(payload: unknown): ContactRef | null {
  const parsed = accountFieldsSchema.safeParse(payload);
  if (!parsed.success || !parsed.data.wa_number) return null;
  const number = parsed.data.wa_number;
  return contactRef(`${number}@s.whatsapp.net`, { phone: number, lid: parsed.data.wa_lid || null });
}

export function normalize(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    // The receiver rejects bodies without an event name before this; keep normalize total anyway.
    const known = { providerEvent: typeof body.event === 'string' ? body.event : null, session: body.device_id };
    return malformedEnvelopeEvent('waserver', body, known, context, issuesOf(parsed.error));
  }
  const { event, device_id, request_id, timestamp, payload } = parsed.data;
  const envelope: Envelope = {
    provider: 'waserver',
    providerEvent: event,
    session: device_id || null,
    account: accountOf(payload),
    eventId: request_id || null,
    timestamp,
    raw: body,
  };
  return normalizeWithRules(RULES, envelope, payload, context);
}
