/**
 * WhatsApp Send: sends a text through the gateway's API, or marks the triggering message read, with
 * the core's send client. By default the text is a quoted reply to the event the item carries, so
 * trigger → router → send needs no expression.
 *
 * One node for every gateway, a Gateway parameter choosing the credential (as n8n's own nodes pick
 * theirs with an Authentication parameter): a flow moved to another gateway changes one setting,
 * and the panel shows the same fields whatever the gateway.
 */
import {
  NodeOperationError,
  type ICredentialDataDecryptedObject,
  type IDataObject,
  type IExecuteFunctions,
  type INodeExecutionData,
  type INodeType,
  type INodeTypeDescription,
} from 'n8n-workflow';
import {
  clientConfigOf,
  clientConfigProblem,
  createClient,
  Limiter,
  planMarkRead,
  planSend,
  PROVIDER_LIST,
  providerOf,
  sendErrorOf,
  settingsOf,
  type Operation,
  type ReplyMode,
} from '../../core';
import { conversationFields, conversationRequestOf, conversationStep } from '../shared/conversation';
import { eventOf } from '../shared/event';
import { nodeErrorOf, NOT_AN_EVENT, replyTextOf } from './send';

/** Items in flight at once; the rest wait their turn. */
const MAX_IN_FLIGHT = 4;

const DISPLAY_NAMES = Object.fromEntries(PROVIDER_LIST.map((provider) => [provider.name, provider.displayName]));
/** The gateways that can send, and those that can't (offered too, so a flow can name its gateway, with the reason shown). */
const SENDING = PROVIDER_LIST.filter((provider) => provider.api.anyCapabilities.includes('sendText'));
const RECEIVE_ONLY = PROVIDER_LIST.filter((provider) => !provider.api.anyCapabilities.includes('sendText'));
const WITH_SESSIONS = PROVIDER_LIST.filter((provider) => provider.api.sessions);

/** "WAHA and open-wa" for an operation's help: who can do it. */
function whoCan(operation: Operation): string {
  const names = PROVIDER_LIST.filter((provider) => provider.api.anyCapabilities.includes(operation)).map((provider) => provider.displayName);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'no gateway');
}

export class WhatsAppSend implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'WhatsApp Send',
    name: 'whatsAppSend',
    icon: { light: 'file:send.svg', dark: 'file:send.dark.svg' },
    group: ['output'],
    version: 1,
    // "WAHA: send text" (the gateway's name from a JSON map: no `}}` inside the expression).
    subtitle: `={{${JSON.stringify(DISPLAY_NAMES)}[$parameter["provider"]] + ($parameter["operation"] === "markRead" ? ": mark as read" : ": send text")}}`,
    description: `Reply to a WhatsApp message, or send a text, through ${whoCan('sendText')}`,
    defaults: { name: 'WhatsApp Send' },
    inputs: ['main'],
    outputs: ['main'],
    credentials: SENDING.map((provider) => ({
      name: provider.n8n.credential,
      required: true,
      displayOptions: { show: { provider: [provider.name] } },
    })),
    properties: [
      // The default is the registry's first sending gateway, which the rule cannot read.
      // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
      {
        displayName: 'Gateway',
        name: 'provider',
        type: 'options',
        noDataExpression: true,
        // The gateways' own spelling (open-wa, wa-server are lower-case), as in the router.
        options: PROVIDER_LIST.map((provider) => ({
          name: RECEIVE_ONLY.includes(provider) ? `${provider.displayName} (receive-only)` : provider.displayName,
          value: provider.name,
        })).sort((a, b) => a.name.localeCompare(b.name)),
        default: SENDING[0].name,
        description: 'The gateway whose API sends the message, with its credential',
      },
      ...RECEIVE_ONLY.map((provider) => ({
        displayName: `${provider.displayName} does not support sending messages: ${provider.api.whyNot?.('sendText', {}) ?? 'it has no send API'}`,
        name: `receiveOnlyNotice_${provider.name}`,
        type: 'notice' as const,
        default: '',
        displayOptions: { show: { provider: [provider.name] } },
      })),
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        options: [
          {
            name: 'Mark as Read',
            value: 'markRead',
            action: 'Mark the triggering message as read',
            description: `${whoCan('markRead')} only (open-wa: v4); the others document no such call`,
          },
          { name: 'Send Text', value: 'sendText', action: 'Send a text message' },
        ],
        default: 'sendText',
      },
      {
        displayName: 'Reply To',
        name: 'replyTo',
        type: 'options',
        options: [
          { name: 'Chat ID Below', value: 'chatId', description: 'Send to the chat set below, e.g. with an expression' },
          { name: 'Triggering Chat (No Quote)', value: 'chat', description: 'Answer in the chat of the event in the item, without quoting' },
          {
            name: 'Triggering Message (Quote It)',
            value: 'quote',
            description: 'Answer in the chat of the event in the item, quoting its message (open-wa v5 cannot quote: sent unquoted)',
          },
        ],
        default: 'quote',
        displayOptions: { show: { operation: ['sendText'] } },
      },
      {
        displayName: 'Chat ID',
        name: 'chatId',
        type: 'string',
        default: '',
        required: true,
        placeholder: 'e.g. 6281234567890@c.us',
        description: 'A person (…@c.us) or a group (…@g.us)',
        displayOptions: { show: { operation: ['sendText'], replyTo: ['chatId'] } },
      },
      {
        displayName: 'Text',
        name: 'text',
        type: 'string',
        typeOptions: { rows: 3 },
        default: 'You said: {{text}}',
        required: true,
        description:
          'Placeholders read the event: {{text}}, {{name}}, {{phone}}, {{chat}}, or any field such as {{keyword}} or {{message.type}}. n8n expressions work alongside them; the editor previews the placeholders as empty, they are filled in when the node runs.',
        displayOptions: { show: { operation: ['sendText'] } },
      },
      ...WITH_SESSIONS.map((provider) => ({
        displayName: 'Session',
        name: 'session',
        type: 'string' as const,
        default: '',
        placeholder: `e.g. ${provider.api.sessions!.default}`,
        description: provider.api.sessions!.help,
        displayOptions: { show: { provider: [provider.name] } },
      })),
      // Multi-step bots: once sent, the chat's conversation state (core/conversation).
      {
        displayName: 'Then Conversation State',
        name: 'thenConversation',
        type: 'options',
        options: [
          { name: 'Clear', value: 'clear', description: 'Forget the state and data of the chat' },
          { name: 'Leave As Is', value: 'none' },
          { name: 'Merge Into Data', value: 'merge', description: 'Keep the state, merge a JSON object into the data' },
          { name: 'Set State', value: 'set', description: 'Set the step name (and merge data when given)' },
        ],
        default: 'none',
        description: "What to do with the chat's conversation state once the message is sent; the next message event carries it as conversation",
      },
      ...conversationFields('thenConversation'),
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const node = this.getNode();
    const provider = providerOf(this.getNodeParameter('provider', 0));
    const operation = this.getNodeParameter('operation', 0) as 'sendText' | 'markRead';
    // A receive-only gateway has no credential here: its client answers every call with why.
    const credentials: ICredentialDataDecryptedObject = SENDING.includes(provider) ? await this.getCredentials(provider.n8n.credential) : {};
    const config = clientConfigOf(settingsOf(provider, 'n8n', credentials));
    const problem = SENDING.includes(provider) ? clientConfigProblem(provider, config, operation, 'the credential') : null;
    if (problem) throw new NodeOperationError(node, problem);
    // Cancelling the execution cancels sends under way and their retries.
    const client = createClient(provider.name, { ...config, http: { signal: this.getExecutionCancelSignal?.() } });

    const run = async (item: INodeExecutionData, itemIndex: number): Promise<IDataObject> => {
      const event = eventOf(item.json);
      const session = provider.api.sessions ? (this.getNodeParameter('session', itemIndex, '') as string) : null;
      if (operation === 'markRead') {
        const target = planMarkRead(event, provider.name, `item ${itemIndex} ${NOT_AN_EVENT}`, session);
        await client.markRead(target);
        return { provider: provider.name, chatId: target.chatId, messageIds: target.messageIds, event };
      }
      const mode = this.getNodeParameter('replyTo', itemIndex, 'quote') as ReplyMode;
      const text = replyTextOf(node.parameters.text ?? this.getNodeParameter('text', itemIndex, ''), event, item.json, (expression) =>
        this.evaluateExpression(expression, itemIndex),
      );
      const input = planSend({
        mode,
        event,
        provider: provider.name,
        text,
        chatId: mode === 'chatId' ? String(this.getNodeParameter('chatId', itemIndex, '')) : undefined,
        chatIdSource: 'Chat ID',
        session,
        notAnEvent: `item ${itemIndex} ${NOT_AN_EVENT}, or set Reply To to "Chat ID Below"`,
      });
      // Checked before sending: a bad data object must not fail an item whose message went out.
      const then = this.getNodeParameter('thenConversation', itemIndex, 'none') as 'none' | 'set' | 'merge' | 'clear';
      const conversation = then === 'none' ? null : conversationRequestOf(this, itemIndex, then);
      const result = await client.sendText(input);
      const sent: IDataObject = {
        provider: result.provider,
        chatId: result.chatId,
        messageId: result.messageId,
        quoted: result.quoted,
        text: input.text,
        event,
      };
      if (conversation) {
        const state = await conversationStep(this, conversation, event, { provider: provider.name, session, chatId: result.chatId });
        sent.conversation = (state ?? null) as IDataObject | null;
      }
      return sent;
    };

    const results = await Limiter.map(items, MAX_IN_FLIGHT, async (item, itemIndex): Promise<INodeExecutionData> => {
      try {
        return { json: await run(item, itemIndex), pairedItem: { item: itemIndex } };
      } catch (caught) {
        const error = nodeErrorOf(node, caught as Error, itemIndex);
        if (!this.continueOnFail()) throw error;
        // `error` set on the item sends it to n8n's error output under "Continue (using error output)".
        return { json: { error: sendErrorOf(caught as Error, provider.name), event: eventOf(item.json) }, error, pairedItem: { item: itemIndex } };
      }
    });
    return [results];
  }
}
