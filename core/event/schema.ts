/**
 * The normalized event, version 1: the product's contract.
 *
 * Every provider's webhook is turned into this one shape, so a flow built on it keeps working when
 * the user switches gateway. Optional blocks are present only on the events they belong to; inside
 * a block, fields the gateway did not send are `null` rather than missing, so a Sheets/CRM column
 * always exists.
 */
import { z } from 'zod';
import { PROVIDER_NAMES, type ProviderName } from '../providers';

/** The gateways, from the provider registry (core/providers/index.ts). */
export const PROVIDERS: readonly ProviderName[] = PROVIDER_NAMES;
export const providerSchema = z.enum(PROVIDER_NAMES);
export type { ProviderName };

export const CANONICAL_EVENTS = [
  'message',
  'message.reaction',
  'message.ack',
  'message.revoked',
  'message.edited',
  'presence',
  'chat.presence',
  'group.participants',
  'group.update',
  'call',
  'poll.vote',
  'session.status',
  'unknown',
] as const;
export const canonicalEventSchema = z.enum(CANONICAL_EVENTS);
export type CanonicalEvent = z.infer<typeof canonicalEventSchema>;

export const MESSAGE_TYPES = ['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'contact', 'poll', 'reaction', 'other'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export const CHAT_TYPES = ['direct', 'group', 'channel', 'broadcast', 'status'] as const;
export type ChatType = (typeof CHAT_TYPES)[number];

export const ACK_STATUSES = ['error', 'pending', 'sent', 'delivered', 'read', 'played'] as const;
export type AckStatus = (typeof ACK_STATUSES)[number];

export const PRESENCE_STATUSES = ['online', 'offline', 'typing', 'recording', 'paused'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

export const SESSION_STATUSES = ['qr', 'starting', 'connected', 'disconnected', 'logged_out', 'failed', 'stopped', 'warning', 'destroyed'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

const isoTimestamp = z.string().describe('ISO 8601 UTC, e.g. 2026-01-10T02:15:00.000Z');
const nullableString = z.string().nullable();

/** A person: the connected account, a message sender, a group actor. */
export const contactRefSchema = z.object({
  id: z.string().describe('The JID as the gateway sent it (opaque)'),
  phone: nullableString.describe(
    'Digits of a @c.us / @s.whatsapp.net id (device suffix removed) or of the phone JID the gateway sent next to its LID; else null',
  ),
  lid: nullableString.describe('The @lid privacy id when known'),
  name: nullableString.describe('Push name / display name when known'),
});
export type ContactRef = z.infer<typeof contactRefSchema>;

export const chatSchema = z.object({
  id: z.string(),
  type: z.enum(CHAT_TYPES),
  lid: nullableString,
  // Optional only so that events built before this field stay valid; every normalizer fills it.
  phone: nullableString
    .optional()
    .describe("A direct chat's phone number: from its id, or from a phone JID the gateway sent next to its LID; null for groups or when unknown"),
});
export type Chat = z.infer<typeof chatSchema>;

export const mediaSchema = z.object({
  mimeType: nullableString,
  size: z.number().nullable().describe('Bytes'),
  fileName: nullableString,
  url: nullableString.describe('Where the gateway serves the file, when it gave a URL'),
  path: nullableString.describe('Gateway-side storage path (wa-server media_path), when given instead of a URL'),
  viewOnce: z.boolean(),
  error: nullableString
    .optional()
    .describe('Set when "Download Media" is on and the file could not be had: why (too big, gone, refused); the event is emitted all the same'),
});

export const locationSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  name: nullableString,
  address: nullableString,
});

export const sharedContactSchema = z.object({
  name: nullableString,
  vcard: z.string(),
  phones: z.array(z.string()).describe('Phone numbers found in the vCard TEL lines, as written'),
});

export const messageSchema = z.object({
  id: z.string(),
  type: z.enum(MESSAGE_TYPES),
  direction: z.enum(['inbound', 'outbound']),
  fromMe: z.boolean(),
  text: z.string().describe('Body, else caption, else empty'),
  chat: chatSchema,
  sender: contactRefSchema,
  media: mediaSchema.optional(),
  location: locationSchema.optional(),
  contacts: z.array(sharedContactSchema).optional(),
  replyTo: z.object({ id: z.string(), text: nullableString }).optional(),
  source: z.enum(['app', 'api']).optional(),
  editedMessageId: z.string().optional().describe('On message.edited: the id of the message that was edited'),
});
export type NormalizedMessage = z.infer<typeof messageSchema>;

export const ackSchema = z.object({
  messageIds: z.array(z.string()).min(1),
  status: z.enum(ACK_STATUSES),
  chatId: nullableString,
  participant: nullableString.describe('In a group, the member whose receipt this is'),
});

export const reactionSchema = z.object({
  messageId: z.string().describe('The message that was reacted to'),
  emoji: z.string().describe('Empty when removed'),
  removed: z.boolean(),
  chatId: nullableString,
  sender: contactRefSchema.nullable(),
  fromMe: z.boolean(),
});

export const revokedSchema = z.object({
  messageId: z.string(),
  chatId: nullableString,
  by: nullableString,
});

export const presenceSchema = z.object({
  chatId: z.string(),
  participant: nullableString.describe('In a group, who the presence is about'),
  status: z.enum(PRESENCE_STATUSES),
  lastSeen: isoTimestamp.nullable(),
});

export const groupSchema = z.object({
  id: z.string(),
  action: z.string().describe('add | remove | promote | demote | join | leave | update | …'),
  participants: z.array(z.string()),
  by: nullableString,
  subject: nullableString.optional(),
  description: nullableString.optional(),
});

export const callSchema = z.object({
  id: z.string(),
  from: z.string(),
  video: z.boolean(),
  group: z.boolean(),
  status: z.enum(['offer', 'accept', 'reject']),
});

export const pollVoteSchema = z.object({
  pollId: z.string().describe('The poll message id'),
  voter: z.string(),
  selectedOptions: z.array(z.string()),
  chatId: nullableString,
  failed: z.boolean().describe('true when the gateway could not decrypt the vote'),
});

export const stateSchema = z.object({
  status: z.enum(SESSION_STATUSES).describe('A gateway status word the core does not know is reported as warning, the word kept in providerStatus'),
  reason: nullableString,
  providerStatus: nullableString.describe("The gateway's own status word"),
});

export const conversationSchema = z
  .object({
    state: nullableString.describe('The step the conversation is at ("ask-email"), null when only data is kept'),
    data: z.record(z.string(), z.unknown()).describe('Small JSON object the flow keeps for this chat'),
    updatedAt: isoTimestamp,
  })
  .describe('Per-chat state kept by the send and conversation nodes, keyed by gateway, session and chat');

export const schemaIssueSchema = z.object({ path: z.string(), message: z.string() });
export type SchemaIssue = z.infer<typeof schemaIssueSchema>;

export const normalizedEventSchema = z.object({
  version: z.literal(1),
  provider: providerSchema,
  event: canonicalEventSchema,
  providerEvent: z.string(),
  id: z.string().describe('Dedupe key, stable across redeliveries'),
  session: nullableString,
  account: contactRefSchema.nullable(),
  timestamp: isoTimestamp,
  message: messageSchema.optional(),
  ack: ackSchema.optional(),
  reaction: reactionSchema.optional(),
  revoked: revokedSchema.optional(),
  presence: presenceSchema.optional(),
  group: groupSchema.optional(),
  call: callSchema.optional(),
  poll: pollVoteSchema.optional(),
  state: stateSchema.optional(),
  messages: z
    .array(messageSchema)
    .optional()
    .describe(
      'With "Combine messages sent in quick succession": every message of the burst, in order (media included). message is then the last one (the reply target) with text the texts joined with newlines',
    ),
  conversation: conversationSchema.optional().describe('On a message event whose chat has a conversation state: the state when the event was emitted'),
  issues: z
    .array(schemaIssueSchema)
    .optional()
    .describe(
      "On unknown: why the known event failed its schema. On any event: why a LID lookup left a phone null (path message.sender.phone…). On a failed ack: the gateway's error codes and titles (WhatsApp Cloud API)",
    ),
  raw: z.unknown().describe('The parsed JSON body as received'),
});
export type NormalizedEvent = z.infer<typeof normalizedEventSchema>;
