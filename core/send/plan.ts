/**
 * What a send node decides before calling the gateway, the same in both engines: which chat, which
 * message to quote, which session, what to mark read, and how a failure is reported. Each engine
 * computes the text its own way (n8n expressions, Node-RED templates or `msg.payload`) and maps
 * `SendPlanError` to its own error type.
 */
import { replyTargetOf } from '../event/accessors';
import type { NormalizedEvent } from '../event/schema';
import { GatewayError } from './http';
import type { MarkReadInput, SendTextInput } from './types';

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

export function planSend(input: SendPlanInput): SendTextInput {
  const text = input.text.trim();
  const session = sessionFor(input.event, input.provider, input.session);
  let chatId: string;
  let replyTo: string | null = null;
  if (input.mode === 'chatId') {
    chatId = (input.chatId ?? '').trim();
    if (!chatId) throw new SendPlanError(`No chat to send to: ${input.chatIdSource ?? 'the chat ID'} is empty (a chat ID such as 6281234567890@c.us)`);
  } else {
    if (!input.event) throw new SendPlanError(`No chat to reply to: ${input.notAnEvent}`);
    const target = replyTargetOf(input.event);
    if (!target) throw new SendPlanError(`No chat to reply to: a ${input.event.event} event has no chat`);
    chatId = target.chatId;
    replyTo = input.mode === 'quote' ? target.messageId : null;
  }
  if (!text) throw new SendPlanError('Nothing to send: the text is empty');
  return { chatId, text, replyTo, session };
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
