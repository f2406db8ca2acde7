/**
 * WAHA → normalized event v1. Wawp sends copies of WAHA's bodies, so it uses this with provider 'wawp'.
 */
import type { ContactRef, MessageType, NormalizedEvent, NormalizedMessage } from '../../event/schema';
import { type JidPair, chatOfMessageId, chatWith, contactRef, contactWith, sameAccount } from '../../jid';
import { toIso } from '../../time';
import {
  type Envelope,
  type EventRule,
  contentDigest,
  eventKeyFallback,
  eventNameOf,
  issuesOf,
  normalizeWithRules,
  rule,
  malformedEnvelopeEvent,
} from '../shared/build';
import { firstText, messageTypeFromMime, messageTypeFromWord, sharedContact } from '../shared/message';
import { type EngineContent, engineContent } from './engine-content';
import { listOf } from './wawp-shapes';
import type { NormalizeContext } from '../types';
import {
  type Addressed,
  type WahaMessage,
  PRESENCE_WORDS,
  ackStatusOf,
  legacyGroupIdOf,
  sessionStatusOf,
  wahaAckSchema,
  wahaCallSchema,
  wahaEditedSchema,
  wahaEnvelopeSchema,
  wahaGroupParticipantsSchema,
  wahaGroupSelfSchema,
  wahaGroupUpdateSchema,
  wahaLegacyGroupSchema,
  wahaMessageSchema,
  wahaPollVoteSchema,
  wahaPresenceSchema,
  wahaReactionSchema,
  wahaRevokedSchema,
  wahaSessionStatusSchema,
  wahaStateChangeSchema,
} from './schema';

type Account = ContactRef | null;

/** A value at a path inside engine data (`_data` differs per engine), without trusting its shape. */
function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * WAHA message ids read `{fromMe}_{chatId}_{msgId}`, so when `fromMe` is missing (the docs' trimmed
 * examples) the prefix still tells the direction; a message sent from the account's own id is ours too.
 */
function fromMeOf(p: Addressed, account: Account): boolean {
  if (typeof p.fromMe === 'boolean') return p.fromMe;
  if (p.id?.startsWith('true_')) return true;
  if (p.id?.startsWith('false_')) return false;
  return !!account && p.from === account.id;
}

/** A group is the chat whichever side it is on; otherwise the other party (`to` when we sent it). */
function payloadChatId(p: Addressed, fromMe: boolean): string | null {
  const group = [p.from, p.to].find((id) => id?.endsWith('@g.us'));
  if (group) return group;
  return (fromMe ? (p.to ?? p.from) : p.from) ?? null;
}

/** The sender's push name, wherever the engine puts it (WEBJS, NOWEB, GOWS). */
function pushNameOf(data: unknown): string | null {
  return str(at(data, 'notifyName')) ?? str(at(data, 'pushName')) ?? str(at(data, 'Info', 'PushName'));
}

/**
 * Who is behind a LID, as far as the engine says: NOWEB copies Baileys' message key
 * (`remoteJidAlt` / `participantAlt`, older `senderPn` / `participantPn` / `senderLid` /
 * `participantLid`), GOWS whatsmeow's `Info.SenderAlt` / `Info.RecipientAlt`; `me` pairs the
 * account's own id and LID. WEBJS sends nothing of the kind.
 */
function lidPairsOf(data: unknown, account: Account): JidPair[] {
  const key = at(data, 'key');
  const info = at(data, 'Info');
  const remote = str(at(key, 'remoteJid'));
  const participant = str(at(key, 'participant'));
  return [
    [remote, str(at(key, 'remoteJidAlt'))],
    [remote, str(at(key, 'senderPn'))],
    [remote, str(at(key, 'senderLid'))],
    [participant, str(at(key, 'participantAlt'))],
    [participant, str(at(key, 'participantPn'))],
    [participant, str(at(key, 'participantLid'))],
    [str(at(info, 'Sender')), str(at(info, 'SenderAlt'))],
    [str(at(info, 'Chat')), str(at(info, 'RecipientAlt'))],
    [account?.id, account?.lid],
  ];
}

function isAccount(id: string, account: Account): boolean {
  return !!account && (sameAccount(id, account.id) || sameAccount(id, account.lid));
}

function senderOf(p: Addressed, fromMe: boolean, chatId: string | null, account: Account): ContactRef | null {
  const pairs = lidPairsOf(p._data, account);
  if (!fromMe) {
    const id = p.participant ?? p.author ?? p.from;
    return id ? contactWith(id, pairs, { name: pushNameOf(p._data) }) : null;
  }
  // Ours: `from` is our own id unless the engine put the chat there; the account is the last resort.
  const id = p.participant ?? p.author ?? (p.from && p.from !== chatId ? p.from : null) ?? account?.id ?? p.from;
  if (!id) return null;
  return account && isAccount(id, account) ? account : contactWith(id, pairs);
}

function vCardsOf(vCards: WahaMessage['vCards']): string[] {
  if (!vCards) return [];
  return (listOf(vCards) as string[]).filter((vcard) => vcard.trim() !== '');
}

/** Only WAHA knows a voice note: WEBJS says `ptt`, NOWEB/GOWS flag the audio content, voice notes are ogg/opus. */
function isVoice(data: unknown, mimeType: string | null): boolean {
  if (at(data, 'type') === 'ptt') return true;
  return !!mimeType && /^audio\/.*(ogg|opus)/i.test(mimeType);
}

const MEDIA_TYPES = new Set<MessageType>(['image', 'video', 'audio', 'voice', 'document', 'sticker']);

function messageTypeOf(p: WahaMessage, content: EngineContent | null, hasMedia: boolean, mimeType: string | null, contactCount: number): MessageType {
  // The engine's own content kind is exact (a photo sent as a document is a documentMessage).
  if (content) return content.type === 'audio' && isVoice(p._data, mimeType) ? 'voice' : content.type;
  if (p.location) return 'location';
  if (contactCount > 0) return 'contact';
  if (hasMedia) {
    if (isVoice(p._data, mimeType)) return 'voice';
    const byMime = messageTypeFromMime(mimeType);
    if (byMime) return byMime;
  }
  const byWord = messageTypeFromWord(str(at(p._data, 'type')) ?? p.type);
  if (byWord) return byWord;
  return p.body && !hasMedia ? 'text' : 'other';
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** Baileys and whatsmeow serialize a file's length as a number or a numeric string. */
function lengthOrNull(value: unknown): number | null {
  return numberOrNull(value) ?? (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : null);
}

/**
 * WEBJS gives `description` as "name\naddress"; NOWEB and GOWS give `name` and `address` and, on a
 * live location, the caption as `description`, which is no place name.
 */
function locationOf(location: NonNullable<WahaMessage['location']>): NonNullable<NormalizedMessage['location']> {
  const named = location.name || location.address || location.live === true;
  const [firstLine = '', ...rest] = named ? [] : (location.description ?? '').split('\n');
  return {
    latitude: location.latitude,
    longitude: location.longitude,
    name: location.name || str(firstLine.trim()),
    address: location.address || str(rest.join(', ').trim()),
  };
}

function buildMessage(p: WahaMessage, envelope: Envelope): NormalizedMessage {
  const fromMe = fromMeOf(p, envelope.account);
  const chatId = payloadChatId(p, fromMe) ?? p.from;
  const contacts = vCardsOf(p.vCards).map((vcard) => sharedContact(vcard));
  const content = engineContent(p._data);
  // `hasMedia: true` with `media: null` means WAHA did not download the file: still a media message.
  const hasMedia = p.hasMedia === true || !!p.media || !!p.mediaUrl || (!!content && MEDIA_TYPES.has(content.type));
  const mimeType = p.media?.mimetype ?? str(at(p._data, 'mimetype')) ?? str(content?.fields.mimetype);
  const type = messageTypeOf(p, content, hasMedia, mimeType, contacts.length);
  const message: NormalizedMessage = {
    id: p.id,
    type,
    direction: fromMe ? 'outbound' : 'inbound',
    fromMe,
    // WEBJS puts a location's base64 thumbnail, or a contact's vCard, in `body`: not the message's text.
    text: type === 'location' || type === 'contact' ? '' : firstText(p.body, at(p._data, 'caption')),
    chat: chatWith(chatId, lidPairsOf(p._data, envelope.account)),
    sender: senderOf(p, fromMe, chatId, envelope.account) ?? contactRef(p.from),
  };
  if (hasMedia) {
    message.media = {
      mimeType,
      size: numberOrNull(at(p._data, 'size')) ?? numberOrNull(at(p.media, 'size')) ?? lengthOrNull(content?.fields.fileLength),
      fileName: p.media?.filename ?? str(at(p._data, 'filename')) ?? str(content?.fields.fileName),
      url: p.media?.url ?? p.mediaUrl ?? null,
      path: null,
      viewOnce: at(p._data, 'isViewOnce') === true,
    };
  }
  if (p.location) message.location = locationOf(p.location);
  if (contacts.length) message.contacts = contacts;
  if (p.replyTo?.id) message.replyTo = { id: p.replyTo.id, text: p.replyTo.body ?? null };
  if (p.source === 'app' || p.source === 'api') message.source = p.source;
  return message;
}

// `message` and `message.any` share the key, so the receiver's dedupe keeps one of the two copies.
const messageRule = rule({
  canonical: 'message',
  schema: wahaMessageSchema,
  build: (p, envelope) => ({ key: `msg:${p.id}`, timestamp: p.timestamp, message: buildMessage(p, envelope) }),
});

const callRule = (status: 'offer' | 'accept' | 'reject') =>
  rule({
    canonical: 'call',
    schema: wahaCallSchema,
    build: (p) => ({
      key: `call:${p.id}:${status}`,
      timestamp: p.timestamp,
      call: { id: p.id, from: p.from, video: p.isVideo === true, group: p.isGroup === true, status },
    }),
  });

const pollVoteRule = (failed: boolean) =>
  rule({
    canonical: 'poll.vote',
    schema: wahaPollVoteSchema,
    build: (p, envelope, context) => ({
      // A changed vote keeps its vote id: the selection is part of what makes the event.
      key: p.vote.id ? `${failed ? 'vote-failed' : 'vote'}:${p.vote.id}:${contentDigest(p.vote.selectedOptions ?? [])}` : eventKeyFallback(envelope, context),
      timestamp: p.vote.timestamp,
      poll: {
        pollId: p.poll.id,
        voter: p.vote.participant ?? p.vote.from,
        selectedOptions: p.vote.selectedOptions ?? [],
        chatId: payloadChatId(p.vote, fromMeOf(p.vote, envelope.account)),
        failed,
      },
    }),
  });

/** group.v2.join / group.v2.leave are about the account itself. */
const selfGroupRule = (action: 'join' | 'leave') =>
  rule({
    canonical: 'group.participants',
    schema: wahaGroupSelfSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      timestamp: p.timestamp,
      group: { id: p.group.id, action, participants: envelope.account ? [envelope.account.id] : [], by: null },
    }),
  });

/** Deprecated group.join / group.leave: WEBJS lists the affected ids, NOWEB's only tells that we joined. */
const legacyGroupRule = (action: 'join' | 'leave') =>
  rule({
    canonical: 'group.participants',
    schema: wahaLegacyGroupSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      timestamp: p.timestamp,
      group: {
        id: legacyGroupIdOf(p) as string,
        action,
        participants: p.recipientIds ?? (envelope.account ? [envelope.account.id] : []),
        by: p.author ?? null,
      },
    }),
  });

function sessionState(word: string) {
  // A word this table does not know is still a status change: reported as a warning, word kept.
  return { status: sessionStatusOf(word) ?? 'warning', reason: null, providerStatus: word };
}

const ackRule = rule({
  canonical: 'message.ack',
  schema: wahaAckSchema,
  build: (p, envelope) => {
    const status = ackStatusOf(p.ack, p.ackName)!; // the schema refused anything else
    const messageIds = p.ids?.length ? p.ids : [p.id as string];
    // A group message gets one receipt per member: the reader is part of what makes the event.
    const reader = p.participant ? `:${p.participant}` : '';
    // No timestamp: an ack payload's `timestamp`, when present, is the message's, not the receipt's.
    return {
      key: `ack:${messageIds.join(',')}:${status}${reader}`,
      ack: { messageIds, status, chatId: p.chatId ?? payloadChatId(p, fromMeOf(p, envelope.account)), participant: p.participant ?? null },
    };
  },
});

export const WAHA_RULES: Record<string, EventRule> = {
  message: messageRule,
  'message.any': messageRule,
  'message.edited': rule({
    canonical: 'message.edited',
    schema: wahaEditedSchema,
    build: (p, envelope) => ({
      // WEBJS repeats the original message's id on every edit: the new text tells two edits apart.
      key: `edited:${p.id}:${contentDigest(p.body ?? '')}`,
      timestamp: p.timestamp,
      message: { ...buildMessage(p, envelope), editedMessageId: p.editedMessageId },
    }),
  }),
  'message.ack': ackRule,
  'message.ack.group': ackRule,
  'message.reaction': rule({
    canonical: 'message.reaction',
    schema: wahaReactionSchema,
    build: (p, envelope) => {
      const fromMe = fromMeOf(p, envelope.account);
      const chatId = payloadChatId(p, fromMe);
      return {
        // One reaction id may carry another emoji later (WEBJS keys a reaction by its sender's message key).
        key: `reaction:${p.id}:${contentDigest(p.reaction.text)}`,
        timestamp: p.timestamp,
        reaction: {
          messageId: p.reaction.messageId,
          emoji: p.reaction.text,
          removed: p.reaction.text === '',
          chatId,
          sender: senderOf(p, fromMe, chatId, envelope.account),
          fromMe,
        },
      };
    },
  }),
  'message.revoked': rule({
    canonical: 'message.revoked',
    schema: wahaRevokedSchema,
    build: (p, envelope) => {
      const messageId = (p.revokedMessageId || p.before?.id || p.after?.id) as string;
      // `after` is the revocation itself; `before` (often null) the message as it was.
      const m = p.after ?? p.before;
      const fromMe = m ? fromMeOf(m, envelope.account) : false;
      // Wawp's documented shape names only the message and who revoked it; the chat is in the id.
      const chatId = m ? payloadChatId(m, fromMe) : chatOfMessageId(messageId);
      const by = p.revokedBy ?? (m ? (senderOf(m, fromMe, chatId, envelope.account)?.id ?? null) : null);
      return { key: `revoked:${messageId}`, timestamp: p.after?.timestamp, revoked: { messageId, chatId, by } };
    },
  }),
  'presence.update': rule({
    canonical: 'presence',
    schema: wahaPresenceSchema,
    build: (p, envelope, context) =>
      p.presences.map((entry) => {
        const status = PRESENCE_WORDS[entry.lastKnownPresence.toLowerCase()];
        const participant = entry.participant ?? null;
        return {
          // online/offline is about a person; typing/recording/paused about a person in a chat.
          event: status === 'online' || status === 'offline' ? 'presence' : 'chat.presence',
          key: `presence:${p.id}:${participant ?? '-'}:${status}:${envelope.eventId ?? context.bodyDigest}`,
          presence: { chatId: p.id, participant, status, lastSeen: entry.lastSeen ? toIso(entry.lastSeen) : null },
        };
      }),
  }),
  'group.v2.participants': rule({
    canonical: 'group.participants',
    schema: wahaGroupParticipantsSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      timestamp: p.timestamp,
      group: {
        id: p.group.id,
        action: p.type,
        participants: p.participants.map((x) => (typeof x === 'string' ? x : x.id)),
        by: null, // WAHA does not say who made the change
      },
    }),
  }),
  'group.v2.join': selfGroupRule('join'),
  'group.v2.leave': selfGroupRule('leave'),
  'group.v2.update': rule({
    canonical: 'group.update',
    schema: wahaGroupUpdateSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      timestamp: p.timestamp,
      group: {
        id: p.group.id,
        action: 'update',
        participants: [],
        by: null,
        subject: p.group.subject ?? null,
        description: p.group.description ?? null,
      },
    }),
  }),
  'group.join': legacyGroupRule('join'),
  'group.leave': legacyGroupRule('leave'),
  // The "Receive messages" doc page names the leave event `group.left`.
  'group.left': legacyGroupRule('leave'),
  'call.received': callRule('offer'),
  'call.accepted': callRule('accept'),
  'call.rejected': callRule('reject'),
  'poll.vote': pollVoteRule(false),
  'poll.vote.failed': pollVoteRule(true),
  'session.status': rule({
    canonical: 'session.status',
    schema: wahaSessionStatusSchema,
    build: (p, envelope, context) => ({
      key: eventKeyFallback(envelope, context),
      timestamp: p.statuses?.at(-1)?.timestamp, // the latest entry is the change being reported
      state: sessionState(p.status),
    }),
  }),
  // Deprecated; the schema reduces its payload to the state word.
  'state.change': rule({
    canonical: 'session.status',
    schema: wahaStateChangeSchema,
    build: (word, envelope, context) => ({ key: eventKeyFallback(envelope, context), state: sessionState(word) }),
  }),
};

/** WAHA's envelope, which Wawp's copies: `provider` says whose it is. */
export function normalizeEnvelope(provider: 'waha' | 'wawp', body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  const parsed = wahaEnvelopeSchema.safeParse(body);
  if (!parsed.success) {
    const known = { providerEvent: eventNameOf(body), session: body.session };
    return malformedEnvelopeEvent(provider, body, known, context, issuesOf(parsed.error));
  }
  const { event, session, me, id, timestamp, payload } = parsed.data;
  const envelope: Envelope = {
    provider,
    providerEvent: event,
    session: session ?? null,
    account: me ? contactRef(me.id, { lid: me.lid, name: me.pushName }) : null,
    eventId: id ?? null,
    timestamp,
    raw: body,
  };
  return normalizeWithRules(WAHA_RULES, envelope, payload, context);
}
