/**
 * Evolution API v2 → normalized event v1. `data` is Baileys' own objects as Evolution prepares them
 * (`whatsapp.baileys.service.ts#prepareMessage` and the event handlers), so message content is read
 * by its Baileys content key.
 */
import { z } from 'zod';
import type { ContactRef, MessageType, NormalizedEvent, NormalizedMessage } from '../../event/schema';
import { type JidPair, chatWith, contactRef, contactWith } from '../../jid';
import { toIso } from '../../time';
import { type Envelope, type EventRule, contentDigest, eventKeyFallback, issuesOf, malformedEnvelopeEvent, normalizeWithRules, rule } from '../shared/build';
import { BAILEYS_CONTENT_TYPES, BAILEYS_WRAPPERS } from '../shared/baileys';
import { firstText, sharedContact } from '../shared/message';
import type { NormalizeContext } from '../types';
import {
  ACK_WORDS,
  CONNECTION_STATES,
  type EvolutionMessage,
  type MessageKey,
  PRESENCE_WORDS,
  dottedEventName,
  evolutionAckSchema,
  evolutionCallSchema,
  evolutionConnectionSchema,
  evolutionDeleteSchema,
  evolutionEnvelopeSchema,
  evolutionGroupParticipantsSchema,
  evolutionMessageSchema,
  evolutionPresenceSchema,
  evolutionProtocolSchema,
  evolutionQrSchema,
  evolutionStatusInstanceSchema,
  longValue,
} from './schema';

type Account = ContactRef | null;
type Fields = Record<string, unknown>;

/** What replaces the body's `apikey` (the instance token) in `raw`. */
export const MASKED = '***';

/** The body as received, but for its `apikey`: a live API credential of the instance. */
export function maskedBody(body: Record<string, unknown>): Record<string, unknown> {
  return typeof body.apikey === 'string' && body.apikey !== '' ? { ...body, apikey: MASKED } : body;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

function fields(value: unknown): Fields | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : null;
}

// ─── Message content ────────────────────────────────────────────────────────────────────────────

const CONTENT_TYPES = BAILEYS_CONTENT_TYPES;
const WRAPPERS = BAILEYS_WRAPPERS;
const VIEW_ONCE = new Set(['viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension']);
const MEDIA = new Set<MessageType>(['image', 'video', 'audio', 'voice', 'document', 'sticker']);

interface Content {
  /** The Baileys content key, e.g. `imageMessage`; null when the message has none we know. */
  kind: string | null;
  /** The content object (for `conversation`, `{text}`). */
  fields: Fields;
  viewOnce: boolean;
}

/** The content of a Baileys message: `messageType` names it, else the first content key we know. */
function contentOf(message: Fields | null | undefined, messageType?: string | null, viewOnce = false): Content {
  if (!message) return { kind: null, fields: {}, viewOnce };
  for (const wrapper of WRAPPERS) {
    const inner = fields(fields(message[wrapper])?.message);
    if (inner) return contentOf(inner, null, viewOnce || VIEW_ONCE.has(wrapper));
  }
  const kind = [messageType, ...Object.keys(message)].find((key): key is string => !!key && Object.hasOwn(CONTENT_TYPES, key) && message[key] != null) ?? null;
  if (kind === 'conversation') return { kind, fields: { text: message.conversation }, viewOnce };
  return { kind, fields: (kind && fields(message[kind])) || {}, viewOnce };
}

function typeOf(content: Content): MessageType {
  if (!content.kind) return 'other';
  if (content.kind === 'audioMessage' && content.fields.ptt === true) return 'voice';
  return CONTENT_TYPES[content.kind];
}

/** The text of a content: its text, else its caption (buttons and lists: the chosen option's label). */
function textOf(content: Content): string {
  return firstText(content.fields.text, content.fields.caption);
}

/** A file: `mediaUrl` when Evolution stored it (S3/MinIO), else the `base64` it inlined as a data URL; never the encrypted CDN url. */
function mediaOf(content: Content, message: Fields | null | undefined): NonNullable<NormalizedMessage['media']> {
  const mimeType = str(content.fields.mimetype);
  const base64 = str(message?.base64);
  return {
    mimeType,
    size: longValue(content.fields.fileLength),
    fileName: str(content.fields.fileName) ?? (content.kind === 'documentMessage' ? str(content.fields.title) : null),
    url: str(message?.mediaUrl) ?? (base64 ? `data:${mimeType ?? 'application/octet-stream'};base64,${base64}` : null),
    path: null,
    viewOnce: content.viewOnce || content.fields.viewOnce === true,
  };
}

function contactsOf(content: Content): NonNullable<NormalizedMessage['contacts']> {
  const cards = content.kind === 'contactsArrayMessage' ? (Array.isArray(content.fields.contacts) ? content.fields.contacts : []) : [content.fields];
  return cards
    .map(fields)
    .filter((card): card is Fields => !!card && typeof card.vcard === 'string' && card.vcard.trim() !== '')
    .map((card) => sharedContact(card.vcard as string, str(card.displayName)));
}

/** The quoted message: Evolution lifts the content's `contextInfo` to the top; older versions keep it inside. */
function replyToOf(contextInfo: Fields | null | undefined, content: Content): NormalizedMessage['replyTo'] {
  const context = contextInfo ?? fields(content.fields.contextInfo);
  const id = str(context?.stanzaId);
  if (!id) return undefined;
  const quoted = contentOf(fields(context?.quotedMessage));
  return { id, text: str(textOf(quoted)) };
}

// ─── People ─────────────────────────────────────────────────────────────────────────────────────

/** Every identity pair the key carries, across Evolution's versions (see `messageKeySchema`). */
function pairsOf(key: Partial<MessageKey>, account: Account): JidPair[] {
  return [
    [key.remoteJid, key.remoteJidAlt],
    [key.remoteJid, key.senderPn],
    [key.remoteJid, key.previousRemoteJid],
    [key.participant, key.participantAlt],
    [key.participant, key.participantPn],
    [account?.id, account?.lid],
  ];
}

/** Evolution fills a missing push name with `"Você"` for own messages and with the sender's number otherwise: neither is a name. */
function nameOf(pushName: string | null | undefined, id: string): string | null {
  if (!pushName || pushName === 'Você' || pushName.includes('@') || pushName === id.split('@')[0]) return null;
  return pushName;
}

/** Ours: the account; otherwise the group participant, else the chat itself. */
function senderOf(key: Partial<MessageKey> & { remoteJid: string }, account: Account, pushName?: string | null): ContactRef {
  if (key.fromMe && account) return account;
  const id = key.participant || key.remoteJid;
  return contactWith(id, pairsOf(key, account), { name: key.fromMe ? null : nameOf(pushName, id) });
}

function revokerOf(key: { remoteJid?: string | null; fromMe?: boolean | null; participant?: string | null }, account: Account): string | null {
  if (key.fromMe) return account?.id ?? null;
  return key.participant || key.remoteJid || null;
}

// ─── Rules ──────────────────────────────────────────────────────────────────────────────────────

function buildMessage(p: EvolutionMessage, content: Content, type: MessageType, envelope: Envelope, api: boolean): NormalizedMessage {
  const fromMe = p.key.fromMe === true;
  const message: NormalizedMessage = {
    id: p.key.id,
    type,
    direction: fromMe ? 'outbound' : 'inbound',
    fromMe,
    text: type === 'location' || type === 'contact' ? '' : textOf(content),
    chat: chatWith(p.key.remoteJid, pairsOf(p.key, envelope.account)),
    sender: senderOf(p.key, envelope.account, p.pushName),
  };
  if (MEDIA.has(type)) message.media = mediaOf(content, p.message);
  if (type === 'location' && typeof content.fields.degreesLatitude === 'number' && typeof content.fields.degreesLongitude === 'number') {
    message.location = {
      latitude: content.fields.degreesLatitude,
      longitude: content.fields.degreesLongitude,
      name: str(content.fields.name),
      address: str(content.fields.address),
    };
  }
  if (type === 'contact') message.contacts = contactsOf(content);
  const replyTo = replyToOf(p.contextInfo, content);
  if (replyTo) message.replyTo = replyTo;
  if (api) message.source = 'api';
  return message;
}

/**
 * messages.upsert and send.message share the key: an API send that also arrives as an upsert
 * (Evolution 2.2.x, issue #1340) is one event. A reaction is a message of its own, keyed by its emoji too.
 */
const messageRule = (api: boolean) =>
  rule({
    canonical: 'message',
    schema: evolutionMessageSchema,
    build: (p, envelope) => {
      const content = contentOf(p.message, p.messageType);
      const type = typeOf(content);
      const timestamp = longValue(p.messageTimestamp);
      if (type === 'reaction') {
        const fromMe = p.key.fromMe === true;
        const emoji = typeof content.fields.text === 'string' ? content.fields.text : '';
        const target = fields(content.fields.key);
        return {
          event: 'message.reaction',
          key: `reaction:${p.key.id}:${contentDigest(emoji)}`,
          timestamp,
          reaction: {
            messageId: str(target?.id) ?? p.key.id,
            emoji,
            removed: emoji === '',
            chatId: p.key.remoteJid,
            sender: senderOf(p.key, envelope.account, p.pushName),
            fromMe,
          },
        };
      }
      return { key: `msg:${p.key.id}`, timestamp, message: buildMessage(p, content, type, envelope, api) };
    },
  });

/** An edit (new content in `editedMessage`) or a delete for everyone, which also comes as messages.delete. */
const protocolRule = rule({
  canonical: 'message.edited',
  schema: evolutionProtocolSchema,
  build: (p, envelope) => {
    const timestamp = longValue(p.timestampMs);
    if (p.type === 'REVOKE') {
      return {
        event: 'message.revoked',
        key: `revoked:${p.key.id}`,
        timestamp,
        revoked: { messageId: p.key.id, chatId: p.key.remoteJid ?? null, by: revokerOf(p.key, envelope.account) },
      };
    }
    const content = contentOf(p.editedMessage);
    const text = textOf(content);
    const chatId = p.key.remoteJid ?? envelope.account?.id ?? p.key.id;
    const key = { ...p.key, remoteJid: chatId };
    const fromMe = p.key.fromMe === true;
    return {
      key: `edited:${p.key.id}:${contentDigest(text)}`,
      timestamp,
      message: {
        id: p.key.id,
        type: content.kind ? typeOf(content) : 'text',
        direction: fromMe ? 'outbound' : 'inbound',
        fromMe,
        text,
        chat: chatWith(chatId, pairsOf(key, envelope.account)),
        sender: senderOf(key, envelope.account),
        editedMessageId: p.key.id,
      },
    };
  },
});

function sessionRule<S extends z.ZodType>(
  schema: S,
  state: (p: z.output<S>) => { status: NonNullable<NormalizedEvent['state']>['status']; reason: string | null; providerStatus: string | null },
  account?: (p: z.output<S>) => Account,
) {
  return rule({
    canonical: 'session.status',
    schema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      state: state(p),
      ...(account && account(p) ? { account: account(p) } : {}),
    }),
  });
}

export const EVOLUTION_RULES: Record<string, EventRule> = {
  'messages.upsert': messageRule(false),
  'send.message': messageRule(true),
  'messages.edited': protocolRule,
  'send.message.update': protocolRule,
  'messages.update': rule({
    canonical: 'message.ack',
    schema: evolutionAckSchema,
    build: (p) => {
      const status = ACK_WORDS[p.status.toUpperCase()];
      // No timestamp: Evolution sends none for a receipt.
      return { key: `ack:${p.keyId}:${status}`, ack: { messageIds: [p.keyId], status, chatId: p.remoteJid ?? null, participant: null } };
    },
  }),
  'messages.delete': rule({
    canonical: 'message.revoked',
    schema: evolutionDeleteSchema,
    build: (p, envelope) => ({ key: `revoked:${p.id}`, revoked: { messageId: p.id, chatId: p.remoteJid ?? null, by: revokerOf(p, envelope.account) } }),
  }),
  'presence.update': rule({
    canonical: 'presence',
    schema: evolutionPresenceSchema,
    build: (p, _envelope, context) =>
      Object.entries(p.presences).map(([jid, entry]) => {
        const status = PRESENCE_WORDS[entry.lastKnownPresence];
        return {
          // online/offline is about a person; typing/recording/paused about a person in a chat.
          event: status === 'online' || status === 'offline' ? 'presence' : 'chat.presence',
          key: `presence:${p.id}:${jid}:${status}:${context.bodyDigest}`,
          presence: { chatId: p.id, participant: p.id.endsWith('@g.us') ? jid : null, status, lastSeen: entry.lastSeen ? toIso(entry.lastSeen) : null },
        };
      }),
  }),
  'group-participants.update': rule({
    canonical: 'group.participants',
    schema: evolutionGroupParticipantsSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      group: { id: p.id, action: p.action, participants: p.participants.map((x) => (typeof x === 'string' ? x : x.id)), by: p.author || null },
    }),
  }),
  call: rule({
    canonical: 'call',
    schema: evolutionCallSchema,
    build: (p) => ({
      key: `call:${p.id}:${p.status}`,
      timestamp: p.date,
      call: { id: p.id, from: p.from, video: p.isVideo === true, group: p.isGroup === true, status: p.status },
    }),
  }),
  'connection.update': sessionRule(
    evolutionConnectionSchema,
    (p) => ({
      // `close` with 401 is a logout; Evolution reports `close` only when it will not reconnect.
      status: p.state === 'close' && String(p.statusReason) === '401' ? 'logged_out' : (CONNECTION_STATES[p.state] ?? 'warning'),
      reason: p.statusReason === null || p.statusReason === undefined ? null : String(p.statusReason),
      providerStatus: p.state,
    }),
    (p) => (p.wuid ? contactRef(p.wuid.replace(/:\d+@/, '@'), { name: p.profileName }) : null),
  ),
  'qrcode.updated': sessionRule(evolutionQrSchema, (p) =>
    p.qrcode?.code || Number(p.statusCode) !== 500
      ? { status: 'qr', reason: null, providerStatus: null }
      : { status: 'failed', reason: p.message ?? null, providerStatus: null },
  ),
  'status.instance': sessionRule(evolutionStatusInstanceSchema, (p) => ({
    status: CONNECTION_STATES[p.status] ?? 'warning',
    reason: p.disconnectionReasonCode === null || p.disconnectionReasonCode === undefined ? null : String(p.disconnectionReasonCode),
    providerStatus: p.status,
  })),
  'logout.instance': sessionRule(z.unknown(), () => ({ status: 'logged_out', reason: null, providerStatus: null })),
  'remove.instance': sessionRule(z.unknown(), () => ({ status: 'destroyed', reason: null, providerStatus: null })),
};

/** The body's event name in the dotted form, whichever way Evolution spelled it; null when absent (a 400). */
export function eventNameOf(body: Record<string, unknown>): string | null {
  return typeof body.event === 'string' && body.event !== '' ? dottedEventName(body.event) : null;
}

export function normalize(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  const raw = maskedBody(body);
  const parsed = evolutionEnvelopeSchema.safeParse(body);
  if (!parsed.success) {
    return malformedEnvelopeEvent('evolution', raw, { providerEvent: eventNameOf(body), session: body.instance }, context, issuesOf(parsed.error));
  }
  const { event, instance, sender, date_time, data } = parsed.data;
  const envelope: Envelope = {
    provider: 'evolution',
    providerEvent: dottedEventName(event),
    session: instance ?? null,
    account: sender ? contactRef(sender) : null,
    eventId: null,
    timestamp: date_time,
    raw,
  };
  return normalizeWithRules(EVOLUTION_RULES, envelope, data, context);
}
