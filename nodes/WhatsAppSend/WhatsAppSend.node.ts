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
import { createClient, PROVIDER_DISPLAY_NAMES, PROVIDERS, SENDING_PROVIDERS, type ProviderName } from '../../core';
import { eventOf } from '../shared/event';
import { GATEWAYS } from '../shared/gateways';
import { clientConfigOf, errorJsonOf, mapLimit, nodeErrorOf, readTargetOf, targetOf, textOf, type ReplyMode } from './send';

/** Items in flight at once; the rest wait their turn. */
const MAX_IN_FLIGHT = 4;

export class WhatsAppSend implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'WhatsApp Send',
    name: 'whatsAppSend',
    icon: { light: 'file:send.svg', dark: 'file:send.dark.svg' },
    group: ['output'],
    version: 1,
    // "WAHA: send text" (the gateway's name from a JSON map: no `}}` inside the expression).
    subtitle: `={{${JSON.stringify(PROVIDER_DISPLAY_NAMES)}[$parameter["provider"]] + ($parameter["operation"] === "markRead" ? ": mark as read" : ": send text")}}`,
    description: 'Reply to a WhatsApp message, or send a text, through WAHA, Wawp or open-wa',
    defaults: { name: 'WhatsApp Send' },
    inputs: ['main'],
    outputs: ['main'],
    credentials: SENDING_PROVIDERS.map((provider) => ({
      name: GATEWAYS[provider].credentialName,
      required: true,
      displayOptions: { show: { provider: [provider] } },
    })),
    properties: [
      {
        displayName: 'Gateway',
        name: 'provider',
        type: 'options',
        noDataExpression: true,
        // The gateways' own spelling (open-wa, wa-server are lower-case), as in the router.
        options: PROVIDERS.map((value) => ({ name: SENDING_PROVIDERS.includes(value) ? PROVIDER_DISPLAY_NAMES[value] : `${PROVIDER_DISPLAY_NAMES[value]} (receive-only)`, value })).sort(
          (a, b) => a.name.localeCompare(b.name),
        ),
        default: 'waha',
        description: 'The gateway whose API sends the message, with its credential',
      },
      {
        displayName:
          'This gateway (wa-server) publishes no send API: it is receive-only, and this node fails for it. Reply through another gateway, or an HTTP Request node against your own wa-server endpoint.',
        name: 'receiveOnlyNotice',
        type: 'notice',
        default: '',
        displayOptions: { show: { provider: ['waserver'] } },
      },
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
            description: 'WAHA and open-wa v4 only: Wawp and open-wa v5 document no such call',
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
      {
        displayName: 'Session',
        name: 'session',
        type: 'string',
        default: '',
        placeholder: 'e.g. default',
        description: 'The WAHA session to use. Empty: the session the event came from, else "default".',
        displayOptions: { show: { provider: ['waha'] } },
      },
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const node = this.getNode();
    const provider = this.getNodeParameter('provider', 0) as ProviderName;
    const operation = this.getNodeParameter('operation', 0) as 'sendText' | 'markRead';
    // wa-server has no credential here: its client answers every call with the core's "receive-only".
    const credentials: ICredentialDataDecryptedObject = SENDING_PROVIDERS.includes(provider) ? await this.getCredentials(GATEWAYS[provider].credentialName) : {};
    // Cancelling the execution cancels sends under way and their retries.
    const client = createClient(provider, { ...clientConfigOf(credentials), http: { signal: this.getExecutionCancelSignal?.() } });

    const run = async (item: INodeExecutionData, itemIndex: number): Promise<IDataObject> => {
      const event = eventOf(item.json);
      // A WAHA session name only means something to the gateway the event came from.
      const session = (provider === 'waha' && (this.getNodeParameter('session', itemIndex, '') as string).trim()) || (event?.provider === provider ? event.session : null);
      if (operation === 'markRead') {
        const { chatId, messageId } = readTargetOf(event, node, itemIndex);
        await client.markRead({ chatId, messageIds: [messageId], session });
        return { provider, chatId, messageIds: [messageId], event };
      }
      const mode = this.getNodeParameter('replyTo', itemIndex, 'quote') as ReplyMode;
      const target = targetOf(mode, event, mode === 'chatId' ? String(this.getNodeParameter('chatId', itemIndex, '')) : '', node, itemIndex);
      const text = textOf(node.parameters.text ?? this.getNodeParameter('text', itemIndex, ''), event, item.json, (expression) =>
        this.evaluateExpression(expression, itemIndex),
      );
      if (!text) throw new NodeOperationError(node, 'Nothing to send: the text is empty', { itemIndex });
      const result = await client.sendText({ ...target, text, session });
      return { provider: result.provider, chatId: result.chatId, messageId: result.messageId, quoted: result.quoted, text, event };
    };

    const results = await mapLimit(items, MAX_IN_FLIGHT, async (item, itemIndex): Promise<INodeExecutionData> => {
      try {
        return { json: await run(item, itemIndex), pairedItem: { item: itemIndex } };
      } catch (caught) {
        const error = nodeErrorOf(node, caught as Error, itemIndex);
        if (!this.continueOnFail()) throw error;
        // `error` set on the item sends it to n8n's error output under "Continue (using error output)".
        return { json: { error: errorJsonOf(caught as Error, provider), event: eventOf(item.json) }, error, pairedItem: { item: itemIndex } };
      }
    });
    return [results];
  }
}
