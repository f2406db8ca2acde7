/**
 * What the `whatsapp send` node decides per message, as plain functions: the text, the chat, what to
 * mark as read. Kept apart from the node so each rule can be read (and tested) on its own.
 */
import type { NormalizedEvent, ProviderName } from '../../core/event/schema';
import { renderTemplate, replyTargetOf, type MarkReadInput, type SendTextInput } from '../../core/send';
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
  wires?: string[][];
}

/**
 * A message this node cannot send as it is (no text, no chat): a mistake in the flow, reported with
 * `done(error)`, unlike a gateway's refusal, which goes to the failure output.
 */
export class InputError extends Error {}

const NO_EVENT = 'msg.event (or msg.payload) is not a WhatsApp event: connect this after a whatsapp in node, or choose a fixed chat or msg.chatId';

/** The text to send: the rendered template, else `msg.payload` when it is text. */
export function textOf(template: string | undefined, msg: NodeMessage, event: NormalizedEvent | null): string {
  let text: string;
  if (template?.trim()) {
    // `{{text}}`, `{{name}}`… come from the event; `{{msg.keyword}}` from the message (router fields).
    text = renderTemplate(template, event ?? ({} as NormalizedEvent), { msg });
  } else if (typeof msg.payload === 'string') {
    text = msg.payload;
  } else {
    const kind = msg.payload === null ? 'null' : Array.isArray(msg.payload) ? 'an array' : typeof msg.payload;
    throw new InputError(`Nothing to send: msg.payload is ${kind === 'object' ? 'an object' : kind}, not text. Set a message template in the node, or put the text in msg.payload`);
  }
  text = text.trim();
  if (!text) throw new InputError(template?.trim() ? 'Nothing to send: the message template rendered empty text' : 'Nothing to send: msg.payload is empty');
  return text;
}

/** The chat to send to, and the message to quote. */
export function targetOf(mode: ReplyMode, config: SendConfig, msg: NodeMessage, event: NormalizedEvent | null, provider: ProviderName): Omit<SendTextInput, 'text'> {
  // A WAHA session name only means something to the gateway the event came from.
  const session = event?.provider === provider ? event.session : null;
  if (mode === 'fixed') {
    const chatId = config.chatId?.trim();
    if (!chatId) throw new InputError('No chat to send to: set the chat ID in the node');
    return { chatId, replyTo: null, session };
  }
  if (mode === 'msg') {
    const chatId = typeof msg.chatId === 'string' ? msg.chatId.trim() : '';
    if (!chatId) throw new InputError('No chat to send to: msg.chatId is not set (a chat ID such as 6281234567890@c.us)');
    return { chatId, replyTo: null, session };
  }
  if (!event) throw new InputError(`No chat to reply to: ${NO_EVENT}`);
  const target = replyTargetOf(event);
  if (!target) throw new InputError(`No chat to reply to: a ${event.event} event has no chat`);
  return { chatId: target.chatId, replyTo: mode === 'quote' ? target.messageId : null, session };
}

/** The triggering message, to mark read; null when the event is not about one message. */
export function readTargetOf(event: NormalizedEvent | null, provider: ProviderName): MarkReadInput | null {
  const target = event && replyTargetOf(event);
  if (!target?.messageId) return null;
  return { chatId: target.chatId, messageIds: [target.messageId], session: event!.provider === provider ? target.session : null };
}

export { canMarkRead } from '../../core/send';

export interface SendCounters {
  sent: number;
  failed: number;
}

/** "sent 5 · failed 1", then what went wrong last when the last message failed. */
export function sendStatusText(counters: SendCounters, lastError: string | null): string {
  const text = `sent ${counters.sent}${counters.failed ? ` · failed ${counters.failed}` : ''}${lastError ? ` · ${lastError}` : ''}`;
  return text.length > 72 ? `${text.slice(0, 71)}…` : text;
}

/**
 * Runs at most `max` tasks at once, the rest in arrival order: a burst of messages must not open a
 * burst of connections to the gateway (which may rate-limit or ban the number).
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<{ run: () => Promise<void>; drop: () => void }> = [];
  private idle: Array<() => void> = [];

  constructor(private readonly max: number) {}

  /** `drop` is called instead of `run` when the limiter is closed before the task's turn. */
  add(run: () => Promise<void>, drop: () => void): void {
    if (this.active < this.max) this.start(run);
    else this.waiting.push({ run, drop });
  }

  private start(run: () => Promise<void>): void {
    this.active++;
    run()
      .catch(() => undefined)
      .finally(() => {
        this.active--;
        const next = this.waiting.shift();
        if (next) this.start(next.run);
        else if (this.active === 0) this.idle.splice(0).forEach((resolve) => resolve());
      });
  }

  /** Drops the waiting tasks; resolves when the running ones have finished. */
  close(): Promise<void> {
    this.waiting.splice(0).forEach((task) => task.drop());
    return this.active === 0 ? Promise.resolve() : new Promise((resolve) => this.idle.push(resolve));
  }
}
