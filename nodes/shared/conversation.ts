/**
 * Conversation state in n8n: the fields a node shows to change it, and the step that applies them
 * to an item's conversation. The state itself and its rules are the core's (core/conversation);
 * the store is the workflow's (nodes/shared/receivers.ts#conversationStoreFor), which the trigger
 * reads to attach `conversation` to message events: memory, or the Shared Store the node picks.
 */
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import {
  conversationChangeOf,
  conversationTargetOf,
  conversationTtlSecondsOf,
  runConversationAction,
  type ConversationChangeInput,
  type ConversationState,
  type NormalizedEvent,
} from '../../core';
import { conversationStoreFor } from './receivers';
import { SHARED_STORE_CREDENTIAL, storeConfigOf, type SharedStoreChoice } from './store';

type Shown = INodeProperties['displayOptions'];

/** State, data and TTL, shown for the actions that need them; `action` is the name of the field choosing the action. */
export function conversationFields(action: string, show: NonNullable<Shown>['show'] = {}): INodeProperties[] {
  const when = (actions: string[]): Shown => ({ show: { ...show, [action]: actions } });
  return [
    {
      displayName: 'State',
      name: 'conversationState',
      type: 'string',
      default: '',
      required: true,
      placeholder: 'e.g. ask-email',
      description: 'The step the conversation is at; route on it with the WhatsApp Router rule "Conversation State Is"',
      displayOptions: when(['set']),
    },
    {
      displayName: 'Data (JSON)',
      name: 'conversationData',
      type: 'json',
      default: '',
      placeholder: '{"name": "{{ $json.message.text }}"}',
      description: 'A small JSON object merged into the conversation data (shallow); empty keeps the data as it is',
      displayOptions: when(['set', 'merge']),
    },
    {
      displayName: 'Keep Conversation For (Hours)',
      name: 'conversationTtlHours',
      type: 'number',
      typeOptions: { minValue: 0.01 },
      default: 24,
      description: 'Forgotten this long after its last change',
      displayOptions: when(['set', 'merge']),
    },
  ];
}

/** What the node's fields ask for, checked (bad JSON, an empty state) before anything is sent. */
export interface ConversationRequest {
  input: ConversationChangeInput | { action: 'get' };
  ttlSeconds?: number;
}

export function conversationRequestOf(ctx: IExecuteFunctions, itemIndex: number, action: ConversationChangeInput['action'] | 'get'): ConversationRequest {
  if (action === 'get' || action === 'clear' || action === 'none') return { input: { action } };
  const input: ConversationChangeInput = {
    action,
    state: action === 'set' ? String(ctx.getNodeParameter('conversationState', itemIndex, '')) : undefined,
    data: ctx.getNodeParameter('conversationData', itemIndex, ''),
  };
  conversationChangeOf(input);
  return { input, ttlSeconds: conversationTtlSecondsOf(ctx.getNodeParameter('conversationTtlHours', itemIndex, 24)) };
}

/**
 * Applies a request to the item's conversation: the event's chat, else `fallback` (a send to a chat
 * ID). Returns the state after it (null when there is none), or undefined when the item names no chat.
 */
export async function conversationStep(
  ctx: IExecuteFunctions,
  request: ConversationRequest,
  event: NormalizedEvent | null,
  fallback: { provider: string; session?: string | null; chatId?: string | null },
): Promise<ConversationState | null | undefined> {
  const ref = conversationTargetOf(event, fallback);
  if (!ref) return undefined;
  // The node's Shared Store: the trigger's too, for a worker's change to reach the webhook process.
  const choice = ctx.getNodeParameter('sharedStore', 0, 'memory') as SharedStoreChoice;
  const config = await storeConfigOf(choice, () => ctx.getCredentials(SHARED_STORE_CREDENTIAL));
  return runConversationAction(conversationStoreFor(String(ctx.getWorkflow().id ?? ''), config), ref, request.input, request.ttlSeconds);
}
