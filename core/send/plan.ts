/**
 * What a send node decides before calling the gateway, the same in both engines: which chat, which
 * message to quote, which session, what to mark read, and how a failure is reported. Each engine
 * computes the text its own way (n8n expressions, Node-RED templates or `msg.payload`) and maps
 * `SendPlanError` to its own error type.
 */
import { replyTargetOf } from '../event/accessors';
import type { NormalizedEvent } from '../event/schema';
import { GatewayError } from './http';
import type { MarkReadInput, MediaFile, MediaKind, ReactInput, SendLocationInput, SendMediaInput, SendTextInput } from './types';

/** Where a text goes: the triggering message's chat, quoting it or not, or a chat given by hand. */
export type ReplyMode = 'quote' | 'chat' | 'chatId';

/** A message that cannot be sent as it is (no chat, no text): the flow's mistake, not the gateway's. */
export class SendPlanError extends Error {}

export interface SendPlanInput {
  mode: ReplyMode;
  /** The event the message answers, if the item or message carries one. */
  event: NormalizedEvent | null;
  /** The gateway sending (a session name only means something to the gateway the event came from). */
  provider: string;
  text: string;
  /** For `chatId`: the chat, and how the engine calls where it came from (`Chat ID`, `msg.chatId`). */
  chatId?: string;
  chatIdSource?: string;
  /** The session set on the node, overriding the event's. */
  session?: string | null;
  /** What the engine tells the user to connect when there is no event. */
  notAnEvent: string;
}

export function sessionFor(event: NormalizedEvent | null, provider: string, override?: string | null): string | null {
  return override?.trim() || (event?.provider === provider ? event.session : null);
}

/** Which chat, which message to quote and which session, for any kind of message. */
export function planTarget(input: Omit<SendPlanInput, 'text'>): { chatId: string; replyTo: string | null; session: string | null } {
  const session = sessionFor(input.event, input.provider, input.session);
  if (input.mode === 'chatId') {
    const chatId = (input.chatId ?? '').trim();
    if (!chatId) throw new SendPlanError(`No chat to send to: ${input.chatIdSource ?? 'the chat ID'} is empty (a chat ID such as 6281234567890@c.us)`);
    return { chatId, replyTo: null, session };
  }
  if (!input.event) throw new SendPlanError(`No chat to reply to: ${input.notAnEvent}`);
  const target = replyTargetOf(input.event);
  if (!target) throw new SendPlanError(`No chat to reply to: a ${input.event.event} event has no chat`);
  return { chatId: target.chatId, replyTo: input.mode === 'quote' ? target.messageId : null, session };
}

export function planSend(input: SendPlanInput): SendTextInput {
  const target = planTarget(input);
  const text = input.text.trim();
  if (!text) throw new SendPlanError('Nothing to send: the text is empty');
  return { ...target, text };
}

/** A media message to the planned chat; the caption is optional (none for voice notes and audio). */
export function planMedia(input: Omit<SendPlanInput, 'text'> & { kind: MediaKind; file: MediaFile; caption?: string }): SendMediaInput {
  const target = planTarget(input);
  const caption = input.kind === 'voice' || input.kind === 'audio' ? null : input.caption?.trim() || null;
  return { ...target, kind: input.kind, file: input.file, caption };
}

/** Latitude and longitude as typed (text or numbers), checked for range. */
export function planLocation(
  input: Omit<SendPlanInput, 'text'> & { latitude: unknown; longitude: unknown; name?: string; address?: string },
): SendLocationInput {
  const coordinate = (value: unknown, label: string, limit: number) => {
    const number = typeof value === 'number' ? value : Number(String(value ?? '').trim());
    if (String(value ?? '').trim() === '' || !Number.isFinite(number) || Math.abs(number) > limit) {
      throw new SendPlanError(`Location: ${label} must be a number between -${limit} and ${limit}, got "${String(value ?? '')}"`);
    }
    return number;
  };
  const latitude = coordinate(input.latitude, 'the latitude', 90);
  const longitude = coordinate(input.longitude, 'the longitude', 180);
  return { ...planTarget(input), latitude, longitude, name: input.name?.trim() || null, address: input.address?.trim() || null };
}

/** A reaction to the triggering message (there is no other message to react to without an event). */
export function planReact(event: NormalizedEvent | null, provider: string, emoji: string, notAnEvent: string, sessionOverride?: string | null): ReactInput {
  if (!event) throw new SendPlanError(`Nothing to react to: ${notAnEvent}`);
  const target = replyTargetOf(event);
  if (!target?.messageId) throw new SendPlanError(`Nothing to react to: a ${event.event} event is not about one message`);
  const trimmed = emoji.trim();
  if ([...trimmed].length > 8) throw new SendPlanError(`A reaction is one emoji (or empty to remove it), got "${trimmed.slice(0, 20)}"`);
  return {
    chatId: target.chatId,
    messageId: target.messageId,
    emoji: trimmed,
    fromMe: event.message?.direction === 'outbound',
    session: sessionFor(event, provider, sessionOverride),
  };
}

/** The triggering message, to mark read. */
export function planMarkRead(event: NormalizedEvent | null, provider: string, notAnEvent: string, sessionOverride?: string | null): MarkReadInput {
  if (!event) throw new SendPlanError(`Nothing to mark as read: ${notAnEvent}`);
  const target = replyTargetOf(event);
  if (!target?.messageId) throw new SendPlanError(`Nothing to mark as read: a ${event.event} event is not about one message`);
  return { chatId: target.chatId, messageIds: [target.messageId], session: sessionFor(event, provider, sessionOverride) };
}

/** What a failed send says, as `msg.error` (Node-RED) and `json.error` (n8n, under Continue). Never a secret. */
export interface SendErrorJson {
  provider: string | null;
  status: number | null;
  message: string;
  [key: string]: string | number | null;
}

export function sendErrorOf(error: Error, provider: string | null): SendErrorJson {
  return {
    provider: error instanceof GatewayError ? error.provider : provider,
    status: error instanceof GatewayError ? error.status : null,
    message: error.message,
  };
}
