/**
 * WhatsApp Cloud API → normalized event v1. One delivery batches `entry[] × changes[]`, and a
 * `messages` change batches `messages[]` and `statuses[]`: every item is an event of its own, with
 * its own id, so that a redelivery which adds one new item emits only that one.
 *
 * - session: `metadata.phone_number_id`; account: `metadata.display_phone_number`.
 * - messages (and `smb_message_echoes`, the business app's own sends, outbound) by wamid:
 *   `cloudapi:<phone_number_id>:msg:<wamid>`; statuses by wamid and status: `…:ack:<wamid>:<status>`.
 * - media: the media id (what a download needs, `GET /<media id>`) in `media.path`; `media.url`
 *   only when Meta sent one (it needs the access token too).
 * - interactive replies and template buttons: the text is the title; the button or row id stays
 *   in `raw`. A `failed` status carries Meta's error codes and titles in `issues`.
 * - `order`, `system`, `unsupported` and any other message type, and every other `field`, are
 *   `unknown` with the whole body in `raw`.
 */
import type { ContactRef, MessageType, NormalizedEvent, NormalizedMessage, SchemaIssue } from '../../event/schema';
import { type Envelope, type EventRule, issuesOf, malformedEnvelopeEvent, normalizeWithRules, rule, unknownEvent } from '../shared/build';
import { sharedContact } from '../shared/message';
import type { NormalizeContext } from '../types';
import {
  type CloudMessage,
  type CloudSender,
  cloudEnvelopeSchema,
  cloudMessageSchema,
  cloudMessagesValueSchema,
  cloudSenderSchema,
  cloudStatusSchema,
} from './schema';

type Fields = Record<string, unknown>;

const fields = (value: unknown): Fields | null => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Fields) : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** `16505551234` or `+1 650-555-1234` → `16505551234`; a username or business-scoped id (`US.1349…`) → null. */
export function phoneDigits(value: string | null | undefined): string | null {
  if (!value || !/^\+?[\d\s().-]+$/.test(value)) return null;
  const digits = value.replace(/\D/g, '');
  return digits === '' ? null : digits;
}

const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document', 'sticker']);
const INTERACTIVE_REPLIES = new Set(['button_reply', 'list_reply']);

/** The message types read into a message; every other one (`order`, `system`, `unsupported`…) is `unknown`. */
function isHandled(item: unknown): boolean {
  const type = str(fields(item)?.type);
  if (type === null) return true; // a missing type is a schema issue, reported as such
  if (type === 'interactive') return INTERACTIVE_REPLIES.has(str(fields(fields(item)?.interactive)?.type) ?? '');
  return type === 'text' || type === 'button' || type === 'location' || type === 'contacts' || type === 'reaction' || MEDIA_TYPES.has(type);
}

/** A vCard for a shared contact: Meta sends the contact structured, the contract carries a vCard. */
function vcardOf(contact: NonNullable<CloudMessage['contacts']>[number]): { vcard: string; name: string | null } {
  const name = contact.name?.formatted_name ?? ([contact.name?.first_name, contact.name?.last_name].filter(Boolean).join(' ') || null);
  const lines = ['BEGIN:VCARD', 'VERSION:3.0'];
  if (contact.name?.first_name || contact.name?.last_name) lines.push(`N:${contact.name?.last_name ?? ''};${contact.name?.first_name ?? ''};;;`);
  if (name) lines.push(`FN:${name}`);
  for (const phone of contact.phones ?? []) {
    if (!phone.phone && !phone.wa_id) continue;
    lines.push(`TEL;type=${phone.type ?? 'CELL'}${phone.wa_id ? `;waid=${phone.wa_id}` : ''}:${phone.phone ?? ''}`);
  }
  lines.push('END:VCARD');
  return { vcard: lines.join('\n'), name };
}

interface Change {
  senders: CloudSender[];
  account: ContactRef;
}

/** Inbound: the user (`from`, or the business-scoped `from_user_id` of a user known by username only). */
const inboundSchema = cloudMessageSchema.refine((m) => !!(m.from || m.from_user_id), { message: 'from or from_user_id is required', path: ['from'] });
/** Echoes of what the business app sent: `to` is the user. */
const echoSchema = cloudMessageSchema.refine((m) => !!m.to, { message: 'to is required', path: ['to'] });

function messageOf(p: CloudMessage, outbound: boolean, change: Change): NormalizedMessage {
  const user = (outbound ? p.to : p.from || p.from_user_id) as string;
  const chat: NormalizedMessage['chat'] = p.group_id
    ? { id: p.group_id, type: 'group', lid: null, phone: null }
    : { id: user, type: 'direct', lid: null, phone: phoneDigits(user) };
  const contact = change.senders.find((s) => (p.from && s.wa_id === p.from) || (p.from_user_id && s.user_id === p.from_user_id));
  const sender: ContactRef = outbound ? change.account : { id: user, phone: phoneDigits(p.from), lid: null, name: contact?.profile?.name ?? null };
  const message: NormalizedMessage = { id: p.id, type: 'text', direction: outbound ? 'outbound' : 'inbound', fromMe: outbound, text: '', chat, sender };

  if (p.type === 'text') message.text = p.text?.body ?? '';
  else if (p.type === 'interactive') message.text = p.interactive?.button_reply?.title ?? p.interactive?.list_reply?.title ?? '';
  else if (p.type === 'button') message.text = p.button?.text ?? p.button?.payload ?? '';
  else if (MEDIA_TYPES.has(p.type)) {
    const file = p[p.type as 'image' | 'audio' | 'video' | 'document' | 'sticker'];
    message.type = p.type === 'audio' && file?.voice === true ? 'voice' : (p.type as MessageType);
    message.text = file?.caption ?? '';
    message.media = {
      mimeType: file?.mime_type ?? null,
      size: null,
      fileName: file?.filename ?? null,
      url: file?.url ?? null,
      path: file?.id ?? null,
      viewOnce: false,
    };
  } else if (p.type === 'location') {
    message.type = 'location';
    if (p.location)
      message.location = { latitude: p.location.latitude, longitude: p.location.longitude, name: p.location.name ?? null, address: p.location.address ?? null };
  } else if (p.type === 'contacts') {
    message.type = 'contact';
    message.contacts = (p.contacts ?? []).map(vcardOf).map(({ vcard, name }) => sharedContact(vcard, name));
  }
  // A forward has a context without an id: it quotes nothing.
  if (p.context?.id && !p.context.forwarded) message.replyTo = { id: p.context.id, text: null };
  return message;
}

const messageRule = (outbound: boolean, change: Change) =>
  rule({
    canonical: 'message',
    schema: outbound ? echoSchema : inboundSchema,
    build: (p) => {
      const message = messageOf(p, outbound, change);
      if (p.type !== 'reaction' || !p.reaction) return { key: `msg:${p.id}`, timestamp: p.timestamp, message };
      const emoji = p.reaction.emoji ?? '';
      return {
        event: 'message.reaction',
        key: `msg:${p.id}`,
        timestamp: p.timestamp,
        // Meta leaves `emoji` out when the reaction is removed.
        reaction: { messageId: p.reaction.message_id, emoji, removed: emoji === '', chatId: message.chat.id, sender: message.sender, fromMe: outbound },
      };
    },
  });

const statusRule = rule({
  canonical: 'message.ack',
  schema: cloudStatusSchema,
  build: (s) => ({
    key: `ack:${s.id}:${s.status}`,
    timestamp: s.timestamp,
    ack: {
      messageIds: [s.id],
      status: s.status === 'failed' ? 'error' : s.status,
      chatId: s.recipient_id ?? s.recipient_user_id ?? null,
      participant: s.recipient_participant_id ?? null,
    },
  }),
});

/** Meta's `errors` list (a failed status's, or a change's own) as issues: `131047: Re-engagement message`. */
function errorIssues(list: unknown, path: string): SchemaIssue[] | undefined {
  const errors = cloudStatusSchema.shape.errors.safeParse(list);
  if (!errors.success || !errors.data?.length) return undefined;
  return errors.data.map((error, j) => ({ path: `${path}.errors.${j}`, message: `${error.code ?? '?'}: ${error.title ?? error.message ?? ''}`.trim() }));
}

function prefixed(issues: SchemaIssue[], prefix: string): SchemaIssue[] {
  return issues.map((issue) => ({ ...issue, path: issue.path === '(payload)' ? prefix : `${prefix}.${issue.path}` }));
}

/** One item of a change through its rule; its issues say where in the batch it sits. */
function itemEvents(rules: Record<string, EventRule>, envelope: Envelope, item: unknown, path: string, context: NormalizeContext): NormalizedEvent[] {
  const events = normalizeWithRules(rules, envelope, item, context);
  for (const event of events) if (event.issues) event.issues = prefixed(event.issues, path);
  return events;
}

function changeEvents(body: Fields, field: string, value: unknown, path: string, context: NormalizeContext): NormalizedEvent[] {
  const fallbackId = `${context.bodyDigest}:${path}`;
  const envelopeOf = (session: string | null, account: ContactRef | null, eventId: string, timestamp: unknown): Envelope => ({
    provider: 'cloudapi',
    providerEvent: field,
    session,
    account,
    eventId,
    timestamp,
    raw: body,
  });
  const session = str(fields(fields(value)?.metadata)?.phone_number_id);
  if (field !== 'messages' && field !== 'smb_message_echoes') return [unknownEvent(envelopeOf(session, null, fallbackId, null), context)];

  const parsed = cloudMessagesValueSchema.safeParse(value);
  if (!parsed.success) return [unknownEvent(envelopeOf(session, null, fallbackId, null), context, prefixed(issuesOf(parsed.error), `${path}.value`))];
  const { metadata, contacts, messages, statuses, message_echoes } = parsed.data;
  const display = metadata.display_phone_number ?? null;
  const account: ContactRef = { id: display ?? metadata.phone_number_id, phone: phoneDigits(display), lid: null, name: null };
  const senders = (contacts ?? []).flatMap((contact) => {
    const sender = cloudSenderSchema.safeParse(contact);
    return sender.success ? [sender.data] : [];
  });
  const change: Change = { senders, account };

  const events: NormalizedEvent[] = [];
  const items = [
    ...(messages ?? []).map((item, i) => ({ item, path: `${path}.value.messages.${i}`, outbound: false })),
    ...(message_echoes ?? []).map((item, i) => ({ item, path: `${path}.value.message_echoes.${i}`, outbound: true })),
  ];
  for (const { item, path: itemPath, outbound } of items) {
    const envelope = envelopeOf(metadata.phone_number_id, account, str(fields(item)?.id) ?? `${context.bodyDigest}:${itemPath}`, fields(item)?.timestamp);
    if (!isHandled(item)) events.push(unknownEvent(envelope, context));
    else events.push(...itemEvents({ [field]: messageRule(outbound, change) }, envelope, item, itemPath, context));
  }
  (statuses ?? []).forEach((item, i) => {
    const itemPath = `${path}.value.statuses.${i}`;
    const envelope = envelopeOf(metadata.phone_number_id, account, `${context.bodyDigest}:${itemPath}`, fields(item)?.timestamp);
    const [event] = itemEvents({ [field]: statusRule }, envelope, item, itemPath, context);
    const errors = errorIssues(fields(item)?.errors, itemPath);
    if (event.event === 'message.ack' && errors) event.issues = errors;
    events.push(event);
  });
  // Nothing itemised (an out-of-band `errors` list, say): the change itself is reported.
  if (events.length === 0) {
    events.push(unknownEvent(envelopeOf(metadata.phone_number_id, account, fallbackId, null), context, errorIssues(fields(value)?.errors, `${path}.value`)));
  }
  return events;
}

/** `whatsapp_business_account`: the body's `object`; null when absent (a 400). */
export function eventNameOf(body: Record<string, unknown>): string | null {
  return str(body.object);
}

export function normalize(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[] {
  const parsed = cloudEnvelopeSchema.safeParse(body);
  if (!parsed.success) return malformedEnvelopeEvent('cloudapi', body, { providerEvent: eventNameOf(body), session: null }, context, issuesOf(parsed.error));
  const events = parsed.data.entry.flatMap((entry, e) =>
    entry.changes.flatMap((change, c) => changeEvents(body, change.field, change.value, `entry.${e}.changes.${c}`, context)),
  );
  if (events.length > 0) return events;
  return malformedEnvelopeEvent('cloudapi', body, { providerEvent: eventNameOf(body), session: null }, context, [
    { path: 'entry', message: 'No changes in the delivery' },
  ]);
}
