/**
 * Conversation state in Node-RED: what a `whatsapp conversation` node, or the "then" option of
 * `whatsapp send`, asks for, checked at deploy; and the step applying it to a message's chat. The
 * state and its rules are the core's (core/conversation); the store is the gateway config node's
 * (nodered/shared/options.ts#conversationNamespaceOf), which `whatsapp in` reads to attach
 * `conversation` to message events.
 */
import {
  conversationChangeOf,
  conversationTargetOf,
  conversationTtlSecondsOf,
  runConversationAction,
  type ConversationChangeInput,
} from '../../core/conversation';
import type { NormalizedEvent } from '../../core/event/schema';
import { renderTemplate } from '../../core/send/template';
import { storesFor } from '../../core/store';
import { openStores } from '../../core/store/open';
import type { ConversationState, ConversationStore } from '../../core/store/types';
import type { NodeMessage } from './node-red';
import { conversationNamespaceOf } from './options';
import type { StoreNode } from './store';

/**
 * The conversation state of the node's gateway: this runtime's memory, or, with a WhatsApp store
 * picked in the node, the shared one, where every runtime (and the in nodes on the same store) meets
 * it. `close` gives back the node's share of the connection.
 */
export function conversationStoreOf(
  gatewayId: string,
  storeNode: StoreNode | null,
  namespace: string,
  onFailure: (message: string) => void,
): { store: ConversationStore; close: () => Promise<void> } {
  const conversationNamespace = conversationNamespaceOf(gatewayId);
  if (!storeNode) return { store: storesFor(conversationNamespace).conversation, close: async () => undefined };
  if (!storeNode.storeConfig) throw new Error(storeNode.problem ?? 'The WhatsApp store this node names is missing: pick or add one, or none');
  const stores = openStores(storeNode.storeConfig, { namespace, conversationNamespace, onFailure });
  return { store: stores.conversation, close: () => stores.close() };
}

export type ConversationAction = ConversationChangeInput['action'] | 'get';
export const CONVERSATION_NODE_ACTIONS: readonly ConversationAction[] = ['get', 'set', 'merge', 'clear'];

export interface ConversationSettings {
  action: ConversationAction;
  state?: string;
  /** A JSON object; its string values may hold placeholders over the event (`{"email": "{{text}}"}`). */
  data?: string;
  /** Hours; empty for 24. */
  ttlHours?: string | number;
}

export interface ConversationPlan {
  action: ConversationAction;
  state?: string;
  data?: Record<string, unknown>;
  ttlSeconds: number;
}

/** Throws, at deploy, with a message fit for the user. */
export function conversationPlanOf(settings: ConversationSettings): ConversationPlan {
  const action = settings.action;
  if (!(CONVERSATION_NODE_ACTIONS as readonly string[]).includes(action) && action !== 'none') {
    throw new Error(`Conversation action must be one of ${CONVERSATION_NODE_ACTIONS.join(', ')}, got ${JSON.stringify(action)}`);
  }
  const ttlSeconds = conversationTtlSecondsOf(settings.ttlHours);
  if (action === 'get' || action === 'none' || action === 'clear') return { action, ttlSeconds };
  // Checked with the data as written; placeholders are filled per message.
  const change = conversationChangeOf({ action, state: settings.state, data: settings.data?.trim() ? settings.data : undefined });
  if (action === 'merge' && !change?.merge) throw new Error('Merge into conversation data: give a JSON object');
  return { action, state: change?.state ?? undefined, data: change?.merge, ttlSeconds };
}

/** The data with each string value's placeholders filled from the event and the message (`{{text}}`, `{{msg.topic}}`). */
function renderedData(data: Record<string, unknown> | undefined, event: NormalizedEvent | null, msg: NodeMessage): Record<string, unknown> | undefined {
  if (!data) return undefined;
  return Object.fromEntries(Object.entries(data).map(([key, value]) => [key, typeof value === 'string' ? renderTemplate(value, event, { msg }) : value]));
}

/**
 * Applies the plan to the message's chat (its event's, else `chatId`). Returns the state after it
 * (null when there is none), or undefined when the message names no chat.
 */
export async function applyConversationPlan(
  plan: ConversationPlan,
  store: ConversationStore,
  msg: NodeMessage,
  event: NormalizedEvent | null,
  fallback: { provider: string; session?: string | null; chatId?: string | null },
): Promise<ConversationState | null | undefined> {
  const ref = conversationTargetOf(event, fallback);
  if (!ref) return undefined;
  if (plan.action === 'get') return runConversationAction(store, ref, { action: 'get' });
  return runConversationAction(store, ref, { action: plan.action, state: plan.state, data: renderedData(plan.data, event, msg) }, plan.ttlSeconds);
}
