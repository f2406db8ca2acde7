/**
 * Conversation state: a per-chat step name and a small JSON object, kept in a ConversationStore
 * (memory by default, a shared store when configured) with a TTL. Triggers and the in node attach
 * it to message events (`event.conversation`); the routers route on it; the send and conversation
 * nodes change it. One key per gateway, session and chat, built here so that every node agrees.
 */
import { chatOf } from '../event/accessors';
import type { NormalizedEvent } from '../event/schema';
import type { ConversationChange, ConversationState, ConversationStore } from '../store/types';

export const DEFAULT_CONVERSATION_TTL_SECONDS = 24 * 60 * 60;

/** Whose conversation: the gateway, its session and the chat. */
export interface ConversationRef {
  provider: string;
  session: string | null;
  chatId: string;
}

export function conversationKey(ref: ConversationRef): string {
  // Session names and chat ids hold no spaces; `-` stands for a gateway without sessions.
  return `${ref.provider} ${ref.session ?? '-'} ${ref.chatId}`;
}

/** The conversation an event belongs to, or null when it has no chat (a session event). */
export function conversationRefOf(event: NormalizedEvent): ConversationRef | null {
  const chat = chatOf(event);
  return chat ? { provider: event.provider, session: event.session, chatId: chat.id } : null;
}

/**
 * Adds `conversation` to each message event whose chat has a state. A failing store (a shared one
 * down) leaves the event without it and says why in its issues: the message is never held back.
 */
export async function attachConversations(events: readonly NormalizedEvent[], store: ConversationStore): Promise<void> {
  for (const event of events) {
    if (event.event !== 'message') continue;
    const ref = conversationRefOf(event);
    if (!ref) continue;
    try {
      const state = await store.get(conversationKey(ref));
      if (state) event.conversation = state;
    } catch (error) {
      (event.issues ??= []).push({ path: 'conversation', message: `Conversation state could not be read: ${(error as Error).message}` });
    }
  }
}

/** What a node's settings ask for, before it is checked. */
export interface ConversationChangeInput {
  /** `set`: the state (and data to merge); `merge`: data only; `clear`: forget the conversation. */
  action: 'set' | 'merge' | 'clear' | 'none';
  state?: string;
  /** A JSON object, as an object or as its text (an n8n field, a Node-RED typed input). */
  data?: unknown;
}

export const CONVERSATION_ACTIONS = ['none', 'set', 'merge', 'clear'] as const;

/** The change to apply, or null for none; throws with a clear message on bad input. */
export function conversationChangeOf(input: ConversationChangeInput): ConversationChange | null {
  switch (input.action) {
    case 'none':
      return null;
    case 'clear':
      return { clear: true };
    case 'set': {
      const state = typeof input.state === 'string' ? input.state.trim() : '';
      if (state === '') throw new Error('Set conversation state: the state name is empty (use "clear" to forget the conversation)');
      const merge = dataOf(input.data);
      return merge ? { state, merge } : { state };
    }
    case 'merge': {
      const merge = dataOf(input.data);
      if (!merge) throw new Error('Merge into conversation data: the data is empty; give a JSON object such as {"email": "…"}');
      return { merge };
    }
    default:
      throw new Error(`Conversation action must be one of ${CONVERSATION_ACTIONS.join(', ')}, got ${JSON.stringify((input as { action: unknown }).action)}`);
  }
}

/** A JSON object from an object or its text; undefined for empty input. */
function dataOf(data: unknown): Record<string, unknown> | undefined {
  if (data === undefined || data === null || data === '') return undefined;
  let value = data;
  if (typeof data === 'string') {
    try {
      value = JSON.parse(data);
    } catch (error) {
      throw new Error(`Conversation data is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`Conversation data must be a JSON object, got ${Array.isArray(value) ? 'an array' : typeof value}`);
  }
  return Object.keys(value).length > 0 ? (value as Record<string, unknown>) : undefined;
}

/** Applies a change to the event's conversation; returns the state after it (undefined when cleared). */
export async function changeConversation(
  store: ConversationStore,
  ref: ConversationRef,
  change: ConversationChange,
  ttlSeconds = DEFAULT_CONVERSATION_TTL_SECONDS,
  now = new Date(),
): Promise<ConversationState | undefined> {
  return store.update(conversationKey(ref), change, ttlSeconds, now);
}

/** A TTL in hours as nodes store it (text or number; empty for the default, 24 h), in seconds. */
export function conversationTtlSecondsOf(hours: unknown): number {
  if (hours === undefined || hours === null || String(hours).trim() === '') return DEFAULT_CONVERSATION_TTL_SECONDS;
  const parsed = Number(hours);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`Keep conversation for (hours) must be a positive number, got "${String(hours)}"`);
  return Math.max(1, Math.round(parsed * 3600));
}

/**
 * The conversation a node acts on: the event's chat, else the chat it names itself (a send to a
 * chat ID, a conversation node given a chat). Null when there is neither.
 */
export function conversationTargetOf(
  event: NormalizedEvent | null,
  fallback: { provider: string; session?: string | null; chatId?: string | null },
): ConversationRef | null {
  const fromEvent = event ? conversationRefOf(event) : null;
  if (fromEvent) return fromEvent;
  const chatId = fallback.chatId?.trim();
  return chatId ? { provider: fallback.provider, session: fallback.session?.trim() || null, chatId } : null;
}

/** What the conversation nodes do: `get` reads; the others apply their change. Returns the state after it, or null. */
export async function runConversationAction(
  store: ConversationStore,
  ref: ConversationRef,
  input: ConversationChangeInput | { action: 'get' },
  ttlSeconds = DEFAULT_CONVERSATION_TTL_SECONDS,
  now = new Date(),
): Promise<ConversationState | null> {
  if (input.action === 'get') return (await store.get(conversationKey(ref))) ?? null;
  const change = conversationChangeOf(input);
  if (!change) return (await store.get(conversationKey(ref))) ?? null;
  return (await changeConversation(store, ref, change, ttlSeconds, now)) ?? null;
}
