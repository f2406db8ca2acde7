/**
 * What the `whatsapp send` node decides per message in Node-RED's terms: the text (a template or
 * `msg.payload`) and where the chat comes from. The chat, quote and session are the core's (`planSend`).
 */
import { basename } from 'node:path';
import type { NormalizedEvent } from '../../core/event/schema';
import {
  DEFAULT_MAX_UPLOAD_BYTES,
  mediaKindOf,
  optionalPositiveNumber,
  planLocation,
  planMedia,
  planReact,
  planSend,
  renderTemplate,
  SendPlanError,
  SEND_OPERATIONS,
  TYPING_MODES,
  typingOptionsProblem,
  type MediaFile,
  type PlannedSend,
  type SendOperation,
  type SendTextInput,
  type TypingMode,
  type TypingOptions,
} from '../../core/send';
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
  /** A `whatsapp-store` config node: where "Then" changes the conversation state (none: this runtime's memory). */
  store?: string;
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
  /** What the node sends (default: a text). */
  operation?: SendOperation;
  /** Media: the message property holding the file's bytes (a Buffer), default `payload`. */
  mediaProperty?: string;
  /** Media: a URL the gateway downloads the file from, when the message has no bytes (`msg.mediaUrl` wins). */
  mediaUrl?: string;
  filename?: string;
  mimetype?: string;
  /** Media: the largest file sent, MB (default 16). */
  maxUploadMb?: string | number;
  /** Location, unless `msg.location` has them. */
  latitude?: string | number;
  longitude?: string | number;
  locationName?: string;
  address?: string;
  /** React: the emoji (`msg.emoji` wins); empty removes the reaction. */
  emoji?: string;
  typing?: TypingMode;
  typingMs?: string | number;
  typingMinMs?: string | number;
  typingMaxMs?: string | number;
  wires?: string[][];
}

export function operationOfConfig(config: SendConfig): SendOperation {
  return SEND_OPERATIONS.includes(config.operation as SendOperation) ? (config.operation as SendOperation) : 'sendText';
}

/** The node's typing options; throws on a malformed number (shown at deploy). */
export function typingOf(config: SendConfig): TypingOptions {
  const mode: TypingMode = TYPING_MODES.includes(config.typing as TypingMode) ? (config.typing as TypingMode) : 'off';
  const options: TypingOptions = {
    mode,
    ms: optionalPositiveNumber(config.typingMs, 'Typing time (ms)'),
    minMs: optionalPositiveNumber(config.typingMinMs, 'Minimum typing time (ms)'),
    maxMs: optionalPositiveNumber(config.typingMaxMs, 'Maximum typing time (ms)'),
  };
  const problem = typingOptionsProblem(options);
  if (problem) throw new Error(problem);
  return options;
}

export function maxUploadBytesOf(config: SendConfig): number {
  const mb = optionalPositiveNumber(config.maxUploadMb, 'Max upload size (MB)');
  return mb === undefined ? DEFAULT_MAX_UPLOAD_BYTES : Math.round(mb * 1024 * 1024);
}

function property(msg: NodeMessage, path: string): unknown {
  let current: unknown = msg;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The file: a Buffer in the configured property, else a URL (`msg.mediaUrl`, the node's, or that property as a URL). */
export function mediaFileOf(config: SendConfig, msg: NodeMessage): MediaFile {
  const path = config.mediaProperty?.trim() || 'payload';
  const value = property(msg, path);
  // The node's name and type first; else the message's: a file in node's msg.filename (a path: only
  // its base name goes out), or the msg.fileName and msg.mimeType a whatsapp in or media node sets.
  const fromMessage = text(msg.filename) || text(msg.fileName);
  const filename = config.filename?.trim() || (fromMessage ? basename(fromMessage) : undefined);
  const meta = { filename: filename || undefined, mimetype: config.mimetype?.trim() || text(msg.mimetype) || text(msg.mimeType) || undefined };
  if (Buffer.isBuffer(value)) return { data: value, ...meta };
  const url = text(msg.mediaUrl)?.trim() || config.mediaUrl?.trim() || (typeof value === 'string' && /^https?:\/\//i.test(value.trim()) ? value.trim() : '');
  if (url) return { url, ...meta };
  throw new InputError(`Nothing to send: msg.${path} is not a Buffer and no file URL is set (msg.mediaUrl or the node's URL)`);
}

/** The core's plan for whichever operation the node does. */
export function plannedFor(config: SendConfig, msg: NodeMessage, event: NormalizedEvent | null, provider: string): PlannedSend {
  const mode: ReplyMode = REPLY_MODES.includes(config.replyTo as ReplyMode) ? (config.replyTo as ReplyMode) : 'quote';
  const operation = operationOfConfig(config);
  if (operation === 'sendText') return { operation, input: planFor(mode, config, msg, event, provider, replyTextOf(config.template, msg, event)) };
  if (operation === 'react') {
    const emoji = text(msg.emoji) ?? config.emoji ?? '';
    return { operation, input: planReact(event, provider, emoji, NO_EVENT) };
  }
  const target = targetFor(mode, config, msg, event, provider);
  if (operation === 'sendLocation') {
    const given = (msg.location && typeof msg.location === 'object' ? msg.location : {}) as Record<string, unknown>;
    return {
      operation,
      input: planLocation({
        ...target,
        latitude: given.latitude ?? config.latitude,
        longitude: given.longitude ?? config.longitude,
        name: text(given.name) ?? config.locationName,
        address: text(given.address) ?? config.address,
      }),
    };
  }
  const caption = config.template?.trim() ? renderTemplate(config.template, event, { msg }) : undefined;
  return { operation: 'sendMedia', input: planMedia({ ...target, kind: mediaKindOf(operation)!, file: mediaFileOf(config, msg), caption }) };
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

/** Where a message goes: `fixed` and `msg` are the core's `chatId` mode with the chat from the node or the message. */
function targetFor(mode: ReplyMode, config: SendConfig, msg: NodeMessage, event: NormalizedEvent | null, provider: string) {
  const chatId = mode === 'fixed' ? (config.chatId ?? '') : mode === 'msg' ? (typeof msg.chatId === 'string' ? msg.chatId : '') : undefined;
  return {
    mode: mode === 'fixed' || mode === 'msg' ? ('chatId' as const) : mode,
    event,
    provider,
    chatId,
    chatIdSource: mode === 'fixed' ? 'the chat ID of the node' : 'msg.chatId',
    notAnEvent: NO_EVENT,
  };
}

/** The core's plan for a text. */
export function planFor(mode: ReplyMode, config: SendConfig, msg: NodeMessage, event: NormalizedEvent | null, provider: string, text: string): SendTextInput {
  return planSend({ ...targetFor(mode, config, msg, event, provider), text });
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
