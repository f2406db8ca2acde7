/**
 * WhatsApp Conversation: get, set, merge into or clear a chat's conversation state without sending,
 * for multi-step bots (ask name → ask email → confirm). The chat is the item's event (a trigger's
 * or the router's output), else the one given. The state is what the triggers attach to the next
 * message events as `conversation` and what the router's "Conversation State Is" rule reads.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { PROVIDER_LIST, type ConversationChangeInput } from '../../core';
import { conversationFields, conversationRequestOf, conversationStep } from '../shared/conversation';
import { sharedStoreCredentials, sharedStoreProperty } from '../shared/store';
import { eventOf } from '../shared/event';

type Action = ConversationChangeInput['action'] | 'get';

export class WhatsAppConversation implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'WhatsApp Conversation',
    name: 'whatsAppConversation',
    icon: { light: 'file:conversation.svg', dark: 'file:conversation.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"] + " conversation state"}}',
    description: "Get, set or clear a WhatsApp chat's conversation state (multi-step bots)",
    defaults: { name: 'WhatsApp Conversation' },
    inputs: ['main'],
    outputs: ['main'],
    credentials: sharedStoreCredentials(),
    properties: [
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        options: [
          { name: 'Clear', value: 'clear', action: 'Clear the conversation state', description: 'Forget the state and data of the chat' },
          { name: 'Get', value: 'get', action: 'Get the conversation state' },
          { name: 'Merge Data', value: 'merge', action: 'Merge into the conversation data', description: 'Keep the state, merge a JSON object into the data' },
          { name: 'Set State', value: 'set', action: 'Set the conversation state', description: 'Set the step name, and merge data when given' },
        ],
        default: 'set',
      },
      ...conversationFields('operation'),
      {
        displayName: 'Chat (When the Item Is Not a WhatsApp Event)',
        name: 'chatId',
        type: 'string',
        default: '',
        placeholder: 'e.g. 6281234567890@c.us',
        description: "The chat ID as the trigger's events carry it in message.chat. Used only for items that are not events.",
      },
      // The default is the registry's first gateway, which the rule cannot read.
      // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
      {
        displayName: 'Gateway',
        name: 'provider',
        type: 'options',
        options: PROVIDER_LIST.map((provider) => ({ name: provider.displayName, value: provider.name })).sort((a, b) => a.name.localeCompare(b.name)),
        default: PROVIDER_LIST[0].name,
        description: 'With a chat given above: the gateway whose events the state belongs to',
      },
      {
        displayName: 'Session',
        name: 'session',
        type: 'string',
        default: '',
        description: "With a chat given above: the event's session field (empty for gateways without sessions)",
      },
      // In queue mode this node runs in a worker: the trigger's Shared Store makes its change seen there.
      { ...sharedStoreProperty, description: `${sharedStoreProperty.description} Pick the same as the trigger's.` },
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const action = this.getNodeParameter('operation', 0) as Action;
    const out: INodeExecutionData[] = [];
    for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
      const item = items[itemIndex];
      try {
        const event = eventOf(item.json);
        const fallback = {
          provider: String(this.getNodeParameter('provider', itemIndex, PROVIDER_LIST[0].name)),
          session: String(this.getNodeParameter('session', itemIndex, '')),
          chatId: String(this.getNodeParameter('chatId', itemIndex, '')),
        };
        const state = await conversationStep(this, conversationRequestOf(this, itemIndex, action), event, fallback);
        if (state === undefined) {
          throw new NodeOperationError(
            this.getNode(),
            `Item ${itemIndex} is not a WhatsApp event and no chat is given: connect this after a WhatsApp trigger or router, or set Chat`,
            { itemIndex },
          );
        }
        // The item goes on with its conversation as it now is, so a router further on sees the change.
        const json: IDataObject = { ...item.json };
        if (state) json.conversation = state as unknown as IDataObject;
        else delete json.conversation;
        out.push({ json, pairedItem: { item: itemIndex } });
      } catch (caught) {
        const error = caught instanceof NodeOperationError ? caught : new NodeOperationError(this.getNode(), (caught as Error).message, { itemIndex });
        if (!this.continueOnFail()) throw error;
        out.push({ json: { ...item.json, error: error.message }, error, pairedItem: { item: itemIndex } });
      }
    }
    return [out];
  }
}
