/**
 * open-wa → normalized events. v5 and v4 name the same events differently and wrap them differently,
 * but both forward the same WhatsApp Web objects, so the two rule tables share one set of builders.
 */
import { z } from 'zod';
import type { AckStatus, ContactRef, MessageType, NormalizedEvent, NormalizedMessage, PresenceStatus, SessionStatus } from '../../event/schema';
import { chatOfMessageId, chatTypeOf, chatWith, contactRef } from '../../jid';
import { contentDigest, eventKeyFallback, eventNameOf, issuesOf, normalizeWithRules, rule, malformedEnvelopeEvent } from '../shared/build';
import type { Envelope, EventParts, EventRule } from '../shared/build';
import { firstText, messageTypeFromMime, messageTypeFromWord, sharedContact } from '../shared/message';
import { nonEmptyString } from '../shared/zod';
import type { NormalizeContext } from '../types';
import {
  ackMessageSchema,
  chatStateSchema,
  connectionSchema,
  groupChangeSchema,
  groupChatSchema,
  incomingCallSchema,
  isV4Body,
  messageRefSchema,
  nestedOrFlat,
  participantsChangeSchema,
  pollVoteEventSchema,
  reactionSchema,
  v4BodySchema,
  v5ContextSchema,
  v5EnvelopeSchema,
  v5StateSchema,
  waMessageSchema,
} from './schema';
import type { ChatStateWord, ReactionRecord, WaMessage, WaReaction } from './schema';

type MessageRef = z.output<typeof messageRefSchema>;

export function normalize(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  return isV4Body(body) ? normalizeV4(body, context) : normalizeV5(body, context);
}

function normalizeV5(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  const parsed = v5EnvelopeSchema.safeParse(body);
  if (!parsed.success)
    return malformedEnvelopeEvent('openwa', body, { providerEvent: eventNameOf(body), session: body.sessionId }, context, issuesOf(parsed.error));
  const { sessionId, event, payload, timestamp } = parsed.data;
  // v5 has no per-event id: `webhookId` names the webhook target and `ctx.correlationId` is a
  // constant per event type. Keys come from the content, else the body's digest (a retry sends
  // identical bytes, and every new event carries a new envelope `timestamp`).
  const ctx = v5ContextSchema.safeParse((payload as { ctx?: unknown } | null)?.ctx);
  const envelope: Envelope = {
    provider: 'openwa',
    providerEvent: event,
    session: sessionId ?? null,
    account: null,
    eventId: null,
    timestamp: timestamp ?? (ctx.success ? ctx.data.ts : null),
    raw: body,
  };
  return normalizeWithRules(V5_RULES, envelope, payload, context);
}

function normalizeV4(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  const parsed = v4BodySchema.safeParse(body);
  if (!parsed.success)
    return malformedEnvelopeEvent('openwa', body, { providerEvent: eventNameOf(body), session: body.sessionId }, context, issuesOf(parsed.error));
  const { sessionId, id, event, data, ts } = parsed.data;
  const envelope: Envelope = {
    provider: 'openwa',
    providerEvent: event,
    session: sessionId ?? null,
    account: null,
    eventId: id || null,
    timestamp: ts,
    raw: body,
  };
  return normalizeWithRules(V4_RULES, envelope, data, context);
}

// ─── ids ─────────────────────────────────────────────────────────────────────────────────────────

/** First non-empty id; open-wa sends `""` for fields it has no value for. */
function firstId(...ids: (string | null | undefined)[]): string | null {
  return ids.find((id): id is string => typeof id === 'string' && id !== '') ?? null;
}

function sentByAccount(message: MessageRef): boolean {
  if (typeof message.fromMe === 'boolean') return message.fromMe;
  if (message.self === 'in' || message.self === 'out') return message.self === 'out';
  return message.id.startsWith('true_');
}

/** `from` is the group on group messages, so a group, broadcast or status id among from/to is the chat. */
function messageChatId(message: MessageRef): string | null {
  const shared = [message.from, message.to].find((id) => id && chatTypeOf(id) !== 'direct');
  const peer = sentByAccount(message) ? message.to : message.from;
  return firstId(message.chatId, message.chat?.id, shared, peer, chatOfMessageId(message.id));
}

/** The author in groups; on direct messages `from` (the own id when fromMe). */
function senderIdOf(message: MessageRef): string | null {
  return firstId(message.author, message.sender?.id, message.from);
}

function senderNameOf(message: MessageRef): string | null {
  return firstId(message.sender?.pushname, message.sender?.formattedName, message.notifyName);
}

/** open-wa sends no `me`: on a direct message the own id is `from` when fromMe, else `to`. */
function accountOf(message: MessageRef): ContactRef | null {
  const chatId = messageChatId(message);
  if (!chatId || chatTypeOf(chatId) !== 'direct') return null;
  const fromMe = sentByAccount(message);
  const id = firstId(fromMe ? message.from : message.to);
  return id ? contactRef(id, { name: fromMe ? senderNameOf(message) : null }) : null;
}

// ─── message ─────────────────────────────────────────────────────────────────────────────────────

const MEDIA_TYPES = new Set<MessageType>(['image', 'video', 'audio', 'voice', 'document', 'sticker']);

function messageTypeOf(message: { type?: string | null; mimetype?: string | null; isMedia?: boolean | null }): MessageType {
  return (
    messageTypeFromWord(message.type) ??
    messageTypeFromMime(message.mimetype) ??
    // The doc's minimal example carries only `body`: a plain text message.
    (message.type || message.isMedia ? 'other' : 'text')
  );
}

/** `body` is the text only on text-like messages: media and locations carry a base64 thumbnail there, vcards the vCard. */
function replyTextOf(message: { body?: string | null; caption?: string | null }, type: MessageType): string {
  return type === 'text' || type === 'other' ? firstText(message.body, message.caption) : firstText(message.caption);
}

function messageBlock(message: WaMessage): NormalizedMessage {
  const fromMe = sentByAccount(message);
  const type = messageTypeOf(message);
  const chatId = messageChatId(message) ?? message.from;
  const block: NormalizedMessage = {
    id: message.id,
    type,
    direction: fromMe ? 'outbound' : 'inbound',
    fromMe,
    text: replyTextOf(message, type),
    // open-wa sends nothing next to a LID: no pairs to read a phone from.
    chat: chatWith(chatId, []),
    sender: contactRef(senderIdOf(message) ?? message.from, { name: senderNameOf(message) }),
  };
  if (MEDIA_TYPES.has(type)) {
    block.media = {
      mimeType: message.mimetype ?? null,
      size: message.size ?? null,
      fileName: message.filename ?? null,
      url: firstId(message.cloudUrl, message.clientUrl, message.deprecatedMms3Url),
      path: null,
      viewOnce: message.isViewOnce ?? false,
    };
  }
  if (type === 'location' && typeof message.lat === 'number' && typeof message.lng === 'number') {
    // WA Web's `loc` is "<place name>\n<address>" for a named place, or one line of description.
    const [name, ...address] = (message.loc ?? '').split('\n');
    block.location = { latitude: message.lat, longitude: message.lng, name: name || null, address: address.join(', ') || null };
  }
  const contacts = message.vcardList?.length
    ? message.vcardList.map((card) => sharedContact(card.vcard, card.displayName || undefined))
    : type === 'contact' && message.body
      ? [sharedContact(message.body)]
      : [];
  if (contacts.length) block.contacts = contacts;
  // WA Web's `quotedMsg` usually lacks the id; open-wa adds the full quoted Message as `quotedMsgObj`.
  // When the quoted message is no longer loaded, quotedMsgObj is null and only the bare stanza id is left.
  const quoted = message.quotedMsgObj ?? message.quotedMsg;
  const quotedId = firstId(message.quotedMsgObj?.id, message.quotedMsg?.id, message.quotedStanzaID);
  if (quoted && quotedId) block.replyTo = { id: quotedId, text: replyTextOf(quoted, messageTypeOf(quoted)) || null };
  return block;
}

/** The same key for message.received / message.any / onMessage / onAnyMessage: the receiver keeps one. */
function messageParts(message: WaMessage): EventParts {
  return {
    key: `msg:${message.id}`,
    timestamp: message.timestamp ?? message.t,
    account: accountOf(message),
    message: messageBlock(message),
  };
}

const ACK_STATUSES: Record<number, AckStatus> = { [-1]: 'error', 0: 'pending', 1: 'sent', 2: 'delivered', 3: 'read', 4: 'played' };

/** The ack payload is the whole Message again; its timestamp is the send time, so the envelope's is kept. */
function ackParts(message: z.output<typeof ackMessageSchema>): EventParts {
  const status = ACK_STATUSES[message.ack];
  return {
    key: `ack:${message.id}:${status}`,
    account: accountOf(message),
    ack: { messageIds: [message.id], status, chatId: messageChatId(message), participant: null },
  };
}

function revokedParts(message: MessageRef): EventParts {
  return {
    key: `revoked:${message.id}`,
    account: accountOf(message),
    revoked: { messageId: message.id, chatId: messageChatId(message), by: senderIdOf(message) },
  };
}

// ─── reactions, votes, calls, presence ───────────────────────────────────────────────────────────

/** The record that fired the event: the flat one, else the newest in the ReactionEvent snapshot. */
function firedReaction(reaction: WaReaction): ReactionRecord | null {
  if (reaction.parentMsgKey || reaction.senderUserJid) return reaction;
  const records = (reaction.reactions ?? []).flatMap((group) => group.senders ?? []);
  return records.reduce<ReactionRecord | null>((newest, record) => (!newest || Number(record.timestamp) > Number(newest.timestamp) ? record : newest), null);
}

function reactionParts(reaction: WaReaction, envelope: Envelope, context: NormalizeContext): EventParts {
  const record = firedReaction(reaction);
  const messageId = firstId(record?.parentMsgKey, reaction.message?.id) ?? '';
  const emoji = record?.reactionText ?? '';
  const sender = firstId(record?.senderUserJid);
  return {
    key: eventKeyFallback(envelope, context),
    timestamp: record?.timestamp,
    reaction: {
      messageId,
      emoji,
      removed: emoji === '',
      chatId: firstId(reaction.chatId, reaction.message ? messageChatId(reaction.message) : null, chatOfMessageId(messageId)),
      sender: sender ? contactRef(sender) : null,
      // A reaction's own id is a message key too: `true_…` when the host account reacted.
      fromMe: reaction.fromMe ?? firstId(record?.id, record?.msgKey)?.startsWith('true_') ?? false,
    },
  };
}

function pollVoteParts({ vote, poll }: z.output<typeof pollVoteEventSchema>, envelope: Envelope, context: NormalizeContext): EventParts {
  const pollId = firstId(vote.parentMsgKey, vote.pollId, poll?.id) ?? '';
  const options = vote.pollOptions ?? poll?.pollOptions ?? [];
  const selected =
    vote.selectedOptionValues ??
    (vote.selectedOptionLocalIds ?? []).map((localId) => options.find((option) => option.localId === localId)?.name ?? String(localId));
  const voteId = firstId(vote.id, vote.msgKey);
  return {
    // A changed vote keeps its id: the selection is part of what makes the event.
    key: voteId ? `vote:${voteId}:${contentDigest(selected)}` : eventKeyFallback(envelope, context),
    timestamp: vote.senderTimestampMs,
    poll: {
      pollId,
      voter: firstId(vote.sender, vote.voter) ?? '',
      selectedOptions: selected,
      chatId: firstId(vote.chatId, chatOfMessageId(pollId)),
      failed: false,
    },
  };
}

function callParts(call: z.output<typeof incomingCallSchema>): EventParts {
  return {
    key: `call:${call.id}:offer`,
    timestamp: call.offerTime,
    call: {
      id: call.id,
      from: firstId(call.peerJid, call.from) ?? '',
      video: call.isVideo ?? false,
      group: call.isGroup ?? false,
      status: 'offer',
    },
  };
}

const CHAT_STATES: Record<ChatStateWord, PresenceStatus> = {
  composing: 'typing',
  typing: 'typing',
  recording: 'recording',
  paused: 'paused',
  available: 'paused',
  unavailable: 'offline',
  '0': 'typing',
  '1': 'recording',
  '2': 'paused',
};

function chatStateParts(state: z.output<typeof chatStateSchema>, envelope: Envelope, context: NormalizeContext): EventParts {
  return {
    key: eventKeyFallback(envelope, context),
    presence: {
      chatId: firstId(state.chat, state.chatId) ?? '',
      participant: firstId(state.user, state.participant),
      status: CHAT_STATES[state.state],
      lastSeen: null,
    },
  };
}

// ─── groups ──────────────────────────────────────────────────────────────────────────────────────

function participantsParts(change: z.output<typeof participantsChangeSchema>, envelope: Envelope, context: NormalizeContext): EventParts {
  return {
    key: eventKeyFallback(envelope, context),
    group: {
      id: firstId(change.groupId, change.chat, change.chatId) ?? '',
      action: change.action.toLowerCase(),
      participants: change.participantIds ?? change.who ?? change.participants ?? [],
      by: firstId(change.by),
    },
  };
}

/** The host account joined or left: open-wa sends the group Chat (v5 runtime: only its id), and no own id to list. */
function membershipParts(chat: z.output<typeof groupChatSchema>, action: 'add' | 'remove', envelope: Envelope, context: NormalizeContext): EventParts {
  return {
    key: eventKeyFallback(envelope, context),
    group: {
      id: firstId(chat.id, chat.groupId) ?? '',
      action,
      participants: envelope.account ? [envelope.account.id] : [],
      by: firstId(chat.by),
      subject: firstId(chat.name, chat.formattedTitle, chat.groupMetadata?.subject),
    },
  };
}

/** A gp2 notification: `body` holds the new subject / description when that is what changed. */
function groupChangeParts(change: z.output<typeof groupChangeSchema>, envelope: Envelope, context: NormalizeContext): EventParts {
  const type = change.type || 'update';
  return {
    key: eventKeyFallback(envelope, context),
    group: {
      id: firstId(change.groupMetadata?.id, change.chatId, change.groupId) ?? '',
      action: type,
      participants: [],
      by: firstId(change.author),
      subject: firstId(type === 'subject' ? change.body : null, change.groupMetadata?.subject),
      description: firstId(type === 'description' ? change.body : null, change.groupMetadata?.desc),
    },
  };
}

// ─── session ─────────────────────────────────────────────────────────────────────────────────────

/** open-wa's STATE words (v4 onStateChanged) and the v5 runtime's (READY, AUTHENTICATING, QR…). */
const SESSION_STATES: Record<string, SessionStatus> = {
  READY: 'connected',
  CONNECTED: 'connected',
  AUTHENTICATING: 'starting',
  OPENING: 'starting',
  PAIRING: 'starting',
  LAUNCHING: 'starting',
  STARTING: 'starting',
  SYNCING: 'starting',
  RESUMING: 'starting',
  QR: 'qr',
  QR_READY: 'qr',
  UNPAIRED_IDLE: 'qr',
  UNPAIRED: 'logged_out',
  LOGGED_OUT: 'logged_out',
  CONFLICT: 'disconnected',
  TIMEOUT: 'disconnected',
  DISCONNECTED: 'disconnected',
  UNLAUNCHED: 'stopped',
  STOPPED: 'stopped',
  TOS_BLOCK: 'failed',
  SMB_TOS_BLOCK: 'failed',
  PROXYBLOCK: 'failed',
  DEPRECATED_VERSION: 'failed',
  FAILED: 'failed',
};

function statusParts(status: SessionStatus, providerStatus: string, reason: string | null, envelope: Envelope, context: NormalizeContext): EventParts {
  return { key: eventKeyFallback(envelope, context), state: { status, reason, providerStatus } };
}

/** A state word this table does not know is still a status change: reported as a warning, word kept. */
function stateWordParts(word: string, reason: string | null, envelope: Envelope, context: NormalizeContext): EventParts {
  return statusParts(SESSION_STATES[word.toUpperCase()] ?? 'warning', word, reason, envelope, context);
}

/** The v5 connection events carry no state word: the event name is the gateway's own word for it. */
function connectionRule(status: SessionStatus): EventRule {
  return rule({
    canonical: 'session.status',
    schema: connectionSchema,
    build: (payload, envelope, context) => statusParts(status, envelope.providerEvent, firstId(payload?.reason, payload?.details?.reason), envelope, context),
  });
}

// ─── rule tables ─────────────────────────────────────────────────────────────────────────────────

const v5Message = rule({ canonical: 'message', schema: nestedOrFlat('message', waMessageSchema), build: (payload) => messageParts(payload.message) });

const V5_RULES: Record<string, EventRule> = {
  'message.received': v5Message,
  'message.any': v5Message,
  'message.deleted': rule({
    canonical: 'message.revoked',
    schema: nestedOrFlat('message', messageRefSchema),
    build: (payload) => revokedParts(payload.message),
  }),
  // The runtime sends `{ctx, ack: <message>}`; the docs page, `{ctx, message}`.
  'ack.changed': rule({
    canonical: 'message.ack',
    schema: nestedOrFlat('message', ackMessageSchema, ['ack']),
    build: (payload) => ackParts(payload.message),
  }),
  'reaction.added': rule({
    canonical: 'message.reaction',
    schema: nestedOrFlat('reaction', reactionSchema),
    build: (payload, envelope, context) => reactionParts(payload.reaction, envelope, context),
  }),
  'ui.poll.vote': rule({ canonical: 'poll.vote', schema: pollVoteEventSchema, build: pollVoteParts }),
  'call.incoming': rule({ canonical: 'call', schema: nestedOrFlat('call', incomingCallSchema), build: (payload) => callParts(payload.call) }),
  'chat.state': rule({ canonical: 'chat.presence', schema: chatStateSchema, build: chatStateParts }),
  'group.participants.changed.global': rule({
    canonical: 'group.participants',
    schema: nestedOrFlat('change', participantsChangeSchema),
    build: (payload, envelope, context) => participantsParts(payload.change, envelope, context),
  }),
  'group.addedToGroup': rule({
    canonical: 'group.participants',
    schema: nestedOrFlat('chat', groupChatSchema),
    build: (payload, envelope, context) => membershipParts(payload.chat, 'add', envelope, context),
  }),
  'group.removedFromGroup': rule({
    canonical: 'group.participants',
    schema: nestedOrFlat('chat', groupChatSchema),
    build: (payload, envelope, context) => membershipParts(payload.chat, 'remove', envelope, context),
  }),
  'group.changed': rule({
    canonical: 'group.update',
    schema: nestedOrFlat('change', groupChangeSchema),
    build: (payload, envelope, context) => groupChangeParts(payload.change, envelope, context),
  }),
  'session.state.changed': rule({
    canonical: 'session.status',
    schema: v5StateSchema,
    build: ({ details }, envelope, context) => stateWordParts(details.next, firstId(details.reason), envelope, context),
  }),
  'session.connection.disconnected': connectionRule('disconnected'),
  'session.connection.reconnecting': connectionRule('starting'),
  'session.connection.reconnected': connectionRule('connected'),
  'session.logout': connectionRule('logged_out'),
};

/** v4's `data` is the object itself, never wrapped. */
const V4_RULES: Record<string, EventRule> = {
  onMessage: rule({ canonical: 'message', schema: waMessageSchema, build: messageParts }),
  onAnyMessage: rule({ canonical: 'message', schema: waMessageSchema, build: messageParts }),
  onMessageDeleted: rule({ canonical: 'message.revoked', schema: messageRefSchema, build: revokedParts }),
  onAck: rule({ canonical: 'message.ack', schema: ackMessageSchema, build: ackParts }),
  onReaction: rule({ canonical: 'message.reaction', schema: reactionSchema, build: reactionParts }),
  onPollVote: rule({ canonical: 'poll.vote', schema: pollVoteEventSchema, build: pollVoteParts }),
  onIncomingCall: rule({ canonical: 'call', schema: incomingCallSchema, build: callParts }),
  onChatState: rule({ canonical: 'chat.presence', schema: chatStateSchema, build: chatStateParts }),
  onGlobalParticipantsChanged: rule({ canonical: 'group.participants', schema: participantsChangeSchema, build: participantsParts }),
  onAddedToGroup: rule({
    canonical: 'group.participants',
    schema: groupChatSchema,
    build: (chat, envelope, context) => membershipParts(chat, 'add', envelope, context),
  }),
  onRemovedFromGroup: rule({
    canonical: 'group.participants',
    schema: groupChatSchema,
    build: (chat, envelope, context) => membershipParts(chat, 'remove', envelope, context),
  }),
  onGroupChange: rule({ canonical: 'group.update', schema: groupChangeSchema, build: groupChangeParts }),
  /** `data` is the bare STATE word, e.g. "CONNECTED". */
  onStateChanged: rule({
    canonical: 'session.status',
    schema: nonEmptyString,
    build: (word, envelope, context) => stateWordParts(word, null, envelope, context),
  }),
  /** `data` carries nothing useful (`true`, or absent). */
  onLogout: rule({
    canonical: 'session.status',
    schema: z.unknown(),
    build: (_data, envelope, context) => statusParts('logged_out', envelope.providerEvent, null, envelope, context),
  }),
};
