/**
 * open-wa webhook bodies. Two generations post to the same endpoint:
 * - v5 (`@open-wa/integration-webhook`): `{webhookId, sessionId, event: "message.received", payload, timestamp}`;
 * - v4 (4.76.x): `{ts, sessionId, id, event: "onMessage", data, webhook_id}`.
 * The payloads are the WhatsApp Web objects open-wa forwards (Message, Chat, Call, ReactionEvent,
 * PollVote…), whose fields vary across builds, so schemas require only what identifies an event and
 * keep every other key. Only message fields are documented for v5; the other v5 payloads are read
 * like their v4 counterparts, wrapped under one key (`payload.message`) or flat.
 */
import { z } from 'zod';
import { nonEmptyString, numberish, optBool, optString, timeValue } from '../shared/zod';

/** v4 event names are listener names (`onMessage`); v5 names are dotted (`message.received`). */
const V4_EVENT = /^on[A-Z]\w*$/;

export function isV4Body(body: Record<string, unknown>): boolean {
  return typeof body.event === 'string' && V4_EVENT.test(body.event) && !('payload' in body);
}

export const v5EnvelopeSchema = z.looseObject({
  /** Fixed per webhook target: never an event id. */
  webhookId: optString,
  sessionId: optString,
  event: nonEmptyString,
  payload: z.unknown(),
  /** When open-wa queued the delivery (ms). */
  timestamp: timeValue,
});

export const v4BodySchema = z.looseObject({
  ts: timeValue,
  sessionId: optString,
  /** A uuid per event. */
  id: optString,
  event: z.string().regex(V4_EVENT),
  data: z.unknown(),
  webhook_id: optString,
});

/**
 * v5 `payload.ctx`: only its time is read. Its `correlationId` is a constant per event type in the
 * runtime (`runtime-ack-changed`, `runtime-group-added`…, packages/core/src/transport/Transport.ts),
 * so it never names one event.
 */
export const v5ContextSchema = z.looseObject({ ts: timeValue });

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * v5 wraps the object under one key (`payload.message`, `payload.change`); the runtime uses another
 * key for some events (`ack.changed` is `{ctx, ack: <message>}`), given as `aliases`. The same object
 * may also come flat, as v4's `data` does. The object is moved under `key`, so issues name the same
 * path whichever way it came.
 */
export function nestedOrFlat<K extends string, S extends z.ZodType>(key: K, schema: S, aliases: string[] = []) {
  return z.preprocess(wrapUnder(key, aliases), z.looseObject({ [key]: schema } as Record<K, S>));
}

function wrapUnder(key: string, aliases: string[] = []) {
  return (payload: unknown) => {
    if (!isRecord(payload) || key in payload) return payload;
    const alias = aliases.find((name) => isRecord(payload[name]));
    return { [key]: alias ? payload[alias] : payload };
  };
}

/** A WhatsApp id: a string, or `{_serialized}` where a build forwards WA Web's `Wid` object. */
export const jidSchema = z.union([z.string(), z.looseObject({ _serialized: z.string() }).transform((id) => id._serialized)]);
const optJid = jidSchema.nullish();
/** One id where a list is expected (early `who` in participant changes). */
const jidList = z.union([z.array(jidSchema), jidSchema.transform((id) => [id])]);

export const contactSchema = z.looseObject({ id: optJid, pushname: optString, formattedName: optString, name: optString });
/** Who did something: an id, or a whole Contact (GenericGroupChangeEvent.author). */
const actorSchema = z.union([jidSchema, contactSchema.transform((contact) => contact.id ?? null)]).nullish();

const quotedSchema = z.looseObject({ id: optJid, body: optString, caption: optString, type: optString, mimetype: optString });

/** The fields that locate a message (chat, sender, direction); acks and deletions may carry only these. */
const messageRefShape = {
  id: nonEmptyString,
  from: optJid,
  to: optJid,
  /** The participant who wrote a group message. */
  author: optJid,
  chatId: optJid,
  chat: z.looseObject({ id: optJid }).nullish(),
  fromMe: optBool,
  /** Older builds: `in` | `out`. */
  self: optString,
  sender: contactSchema.nullish(),
  notifyName: optString,
};

export const messageRefSchema = z.looseObject(messageRefShape);

/** open-wa's `Message` (wa-automate `src/api/model/message.ts`). */
export const waMessageSchema = z.looseObject({
  ...messageRefShape,
  from: jidSchema,
  type: optString,
  /** The text for `chat`; a base64 thumbnail for media and locations; the vCard for `vcard`. */
  body: optString,
  caption: optString,
  /** Unix seconds. */
  t: timeValue,
  timestamp: timeValue,
  isGroupMsg: optBool,
  isMedia: optBool,
  mimetype: optString,
  size: numberish.nullish(),
  filename: optString,
  /** Set when open-wa is configured to upload decrypted media to cloud storage. */
  cloudUrl: optString,
  clientUrl: optString,
  deprecatedMms3Url: optString,
  isViewOnce: optBool,
  lat: numberish.nullish(),
  lng: numberish.nullish(),
  loc: optString,
  vcardList: z.array(z.looseObject({ displayName: optString, vcard: z.string() })).nullish(),
  /** WA Web's raw quoted message: it usually has no id. */
  quotedMsg: quotedSchema.nullish(),
  /** open-wa's serialized quoted message; null when WA Web no longer has it loaded. */
  quotedMsgObj: quotedSchema.nullish(),
  /** The quoted message's bare id (no chat, no direction): sent even when quotedMsgObj is null. */
  quotedStanzaID: optString,
});
export type WaMessage = z.output<typeof waMessageSchema>;

/** -1 error, 0 pending, 1 server, 2 device, 3 read, 4 played (open-wa's MessageAck). */
export const ackMessageSchema = messageRefSchema.extend({ ack: z.number().int().min(-1).max(4) });

/** v5 `session.state.changed`; v4 `onStateChanged` sends the bare word instead. */
export const v5StateSchema = z.looseObject({
  details: z.looseObject({ prev: optString, next: nonEmptyString, reason: optString }),
});

/** v5 connection / logout events: nothing is required; a reason may be given flat or in `details`. */
export const connectionSchema = z.looseObject({ reason: optString, details: z.looseObject({ reason: optString }).nullish() }).nullish();

/** v5 `change` (`{groupId, action, participantIds, by}`) and v4's ParticipantChangedEventModel (`{chat, who, action, by}`). */
export const participantsChangeSchema = z
  .looseObject({
    groupId: optJid,
    chat: optJid,
    chatId: optJid,
    participantIds: jidList.nullish(),
    who: jidList.nullish(),
    participants: jidList.nullish(),
    action: nonEmptyString,
    by: actorSchema,
  })
  .refine((change) => change.groupId || change.chat || change.chatId, {
    message: 'Expected the group id in groupId, chat or chatId',
    path: ['groupId'],
  });

/**
 * The group `Chat` of onAddedToGroup / onRemovedFromGroup, or the v5 runtime's `{ctx, groupId, by}`
 * (group.addedToGroup, packages/core/src/transport/Transport.ts).
 */
export const groupChatSchema = z
  .looseObject({
    id: optJid,
    groupId: optJid,
    by: actorSchema,
    name: optString,
    formattedTitle: optString,
    groupMetadata: z.looseObject({ subject: optString }).nullish(),
  })
  .refine((chat) => chat.id || chat.groupId, { message: 'Expected the group id in id or groupId', path: ['id'] });

/** open-wa's GenericGroupChangeEvent (a gp2 notification: subject, description, picture…). */
export const groupChangeSchema = z
  .looseObject({
    type: optString,
    body: optString,
    author: actorSchema,
    chatId: optJid,
    groupId: optJid,
    groupMetadata: z.looseObject({ id: optJid, subject: optString, desc: optString }).nullish(),
  })
  .refine((change) => change.groupMetadata?.id || change.chatId || change.groupId, {
    message: 'Expected the group id in groupMetadata.id, chatId or groupId',
    path: ['groupMetadata', 'id'],
  });

/** open-wa's `Call`. */
export const incomingCallSchema = z
  .looseObject({
    id: nonEmptyString,
    peerJid: optJid,
    from: optJid,
    isVideo: optBool,
    isGroup: optBool,
    /** Unix seconds. */
    offerTime: timeValue,
  })
  .refine((call) => call.peerJid || call.from, { message: 'Expected the caller in peerJid or from', path: ['peerJid'] });

const reactionRecordShape = {
  id: optString,
  msgKey: optString,
  /** The message reacted to. */
  parentMsgKey: optJid,
  /** Empty when the reaction was removed. */
  reactionText: z.string().nullish(),
  senderUserJid: optJid,
  timestamp: timeValue,
};
export const reactionRecordSchema = z.looseObject(reactionRecordShape);
export type ReactionRecord = z.output<typeof reactionRecordSchema>;

/**
 * Either one ReactionRecord (flat), or open-wa's ReactionEvent `{message, reactions: [{senders}], type}`:
 * a snapshot of every reaction on `message`, whose newest record is the one that fired it.
 */
export const reactionSchema = z
  .looseObject({
    ...reactionRecordShape,
    chatId: optJid,
    fromMe: optBool,
    message: waMessageSchema.nullish(),
    reactions: z.array(z.looseObject({ aggregateEmoji: optString, senders: z.array(reactionRecordSchema).nullish() })).nullish(),
  })
  .refine((reaction) => reaction.parentMsgKey || reaction.message?.id, {
    message: 'Expected the reacted message in parentMsgKey or message.id',
    path: ['parentMsgKey'],
  });
export type WaReaction = z.output<typeof reactionSchema>;

const pollOptionSchema = z.looseObject({ name: z.string(), localId: z.number() });

const pollVoteSchema = z
  .looseObject({
    /** The vote's own message key; a changed vote keeps it. */
    id: optString,
    msgKey: optString,
    parentMsgKey: optJid,
    pollId: optJid,
    sender: optJid,
    voter: optJid,
    chatId: optJid,
    selectedOptionValues: z.array(z.string()).nullish(),
    selectedOptionLocalIds: z.array(z.number()).nullish(),
    pollOptions: z.array(pollOptionSchema).nullish(),
    senderTimestampMs: timeValue,
  })
  .refine((vote) => vote.parentMsgKey || vote.pollId, { message: 'Expected the poll in parentMsgKey or pollId', path: ['parentMsgKey'] })
  .refine((vote) => vote.sender || vote.voter, { message: 'Expected the voter in sender or voter', path: ['sender'] });

/**
 * v4 `onPollVote` sends open-wa's PollData `{totalVotes, pollOptions, votes[], pollMessage}`
 * (src/api/model/message.ts): every vote so far. The newest of them is the one that fired the event.
 */
function fromPollData(payload: unknown): unknown {
  if (!isRecord(payload) || 'vote' in payload || !Array.isArray(payload.votes) || payload.votes.length === 0) return payload;
  const votes = payload.votes as unknown[];
  const time = (vote: unknown) => (isRecord(vote) ? Number(vote.senderTimestampMs) || 0 : 0);
  const newest = votes.reduce((a, b) => (time(b) > time(a) ? b : a));
  const pollMessage = isRecord(payload.pollMessage) ? payload.pollMessage : {};
  return { vote: newest, poll: { id: pollMessage.id, pollOptions: payload.pollOptions } };
}

/** open-wa's PollVote, under `vote` or flat, or a PollData; the options come with it or in a sibling `poll`. */
export const pollVoteEventSchema = z.preprocess(
  (payload) => wrapUnder('vote')(fromPollData(payload)),
  z.looseObject({
    vote: pollVoteSchema,
    poll: z.looseObject({ id: optJid, pollOptions: z.array(pollOptionSchema).nullish() }).nullish(),
  }),
);

/** WA Web chat-state words, and open-wa's ChatState enum (0 typing, 1 recording, 2 paused). */
export const CHAT_STATE_WORDS = ['composing', 'typing', 'recording', 'paused', 'available', 'unavailable', '0', '1', '2'] as const;
export type ChatStateWord = (typeof CHAT_STATE_WORDS)[number];

/** open-wa's onChatState object: `{chat, user, state}`. */
export const chatStateSchema = z
  .looseObject({
    chat: optJid,
    chatId: optJid,
    user: optJid,
    participant: optJid,
    state: z
      .union([z.string(), z.number()])
      .transform((word) => String(word).toLowerCase())
      .pipe(z.enum(CHAT_STATE_WORDS)),
  })
  .refine((state) => state.chat || state.chatId, { message: 'Expected the chat in chat or chatId', path: ['chat'] });
