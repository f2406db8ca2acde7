/**
 * What the `whatsapp send` node decides per message in Node-RED's terms: the text (a template or
 * `msg.payload`) and where the chat comes from. The chat, quote and session are the core's (`planSend`).
 */
import type { NormalizedEvent } from '../../core/event/schema';
import { planSend, renderTemplate, SendPlanError, type SendTextInput } from '../../core/send';
import type { NodeMessage } from './node-red';

/**
 * Where the reply goes: the triggering message's chat, quoting the message (`quote`) or not
 * (`chat`); a chat fixed in the node (`fixed`); the chat in `msg.chatId` (`msg`).
 */
export type ReplyMode = 'quote' | 'chat' | 'fixed' | 'msg';
export const REPLY_MODES: readonly ReplyMode[] = ['quote', 'chat', 'fixed', 'msg'];

/** What a `whatsapp send` node stores. */
export interface SendConfig {
  gateway?: string;
  /** Empty: the text is `msg.payload`. Otherwise a template over the event (core `renderTemplate`). */
  template?: string;
  replyTo?: ReplyMode;
  /** The chat for `fixed`. */
  chatId?: string;
  markRead?: boolean;
  /** Once sent: the chat's conversation state (`none`, `set`, `merge`, `clear`), nodered/shared/conversation.ts. */
  thenConversation?: 'none' | 'set' | 'merge' | 'clear';
  thenState?: string;
  thenData?: string;
  thenTtlHours?: string | number;
  wires?: string[][];
}

/**
 * A message this node cannot send as it is (no text, no chat): a mistake in the flow, reported with
 * `done(error)`, unlike a gateway's refusal, which goes to the failure output.
 */
export class InputError extends SendPlanError {}

const NO_EVENT = 'msg.event (or msg.payload) is not a WhatsApp event: connect this after a whatsapp in node, or choose a fixed chat or msg.chatId';

/** The text to send: the rendered template, else `msg.payload` when it is text. */
export function replyTextOf(template: string | undefined, msg: NodeMessage, event: NormalizedEvent | null): string {
  let text: string;
  if (template?.trim()) {
    // `{{text}}`, `{{name}}`… come from the event; `{{msg.keyword}}` from the message (router fields).
    text = renderTemplate(template, event, { msg });
  } else if (typeof msg.payload === 'string') {
    text = msg.payload;
  } else {
    const kind = msg.payload === null ? 'null' : Array.isArray(msg.payload) ? 'an array' : typeof msg.payload;
    throw new InputError(
      `Nothing to send: msg.payload is ${kind === 'object' ? 'an object' : kind}, not text. Set a message template in the node, or put the text in msg.payload`,
    );
  }
  text = text.trim();
  if (!text) throw new InputError(template?.trim() ? 'Nothing to send: the message template rendered empty text' : 'Nothing to send: msg.payload is empty');
  return text;
}

/** The core's plan for a message: `fixed` and `msg` are the core's `chatId` mode with the chat from the node or the message. */
export function planFor(mode: ReplyMode, config: SendConfig, msg: NodeMessage, event: NormalizedEvent | null, provider: string, text: string): SendTextInput {
  const chatId = mode === 'fixed' ? (config.chatId ?? '') : mode === 'msg' ? (typeof msg.chatId === 'string' ? msg.chatId : '') : undefined;
  return planSend({
    mode: mode === 'fixed' || mode === 'msg' ? 'chatId' : mode,
    event,
    provider,
    text,
    chatId,
    chatIdSource: mode === 'fixed' ? 'the chat ID of the node' : 'msg.chatId',
    notAnEvent: NO_EVENT,
  });
}

export interface SendCounters {
  sent: number;
  failed: number;
}

/** "sent 5 · failed 1", then what went wrong last when the last message failed. */
export function sendStatusText(counters: SendCounters, lastError: string | null): string {
  const text = `sent ${counters.sent}${counters.failed ? ` · failed ${counters.failed}` : ''}${lastError ? ` · ${lastError}` : ''}`;
  return text.length > 72 ? `${text.slice(0, 71)}…` : text;
}
