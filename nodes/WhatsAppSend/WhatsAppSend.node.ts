/**
 * WhatsApp Send: sends a text, an image, video, document, voice note or audio (n8n binary data or a
 * URL), a location or a reaction through the gateway's API, or marks the triggering message read,
 * with the core's send client, optionally after "typing…". By default the text is a quoted reply to the event the item carries, so
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
  DEFAULT_MAX_UPLOAD_BYTES,
  Limiter,
  mediaKindOf,
  operationLabel,
  performSend,
  planMarkRead,
  PROVIDER_LIST,
  providerOf,
  SEND_OPERATIONS,
  sendErrorOf,
  settingsOf,
  TYPING_DEFAULTS,
  type Operation,
  type SendOperation,
} from '../../core';
import { conversationFields, conversationRequestOf, conversationStep } from '../shared/conversation';
import { sharedStoreCredential, sharedStoreProperty } from '../shared/store';
import { eventOf } from '../shared/event';
import { DOWNLOAD_PROPERTIES, DOWNLOADING, downloadItem } from './media';
import { nodeErrorOf, NOT_AN_EVENT, plannedFor, typingOptionsOf } from './send';

/** Items in flight at once; the rest wait their turn. */
const MAX_IN_FLIGHT = 4;

const DISPLAY_NAMES = Object.fromEntries(PROVIDER_LIST.map((provider) => [provider.name, provider.displayName]));
/** The gateways that can send, and those that can't (offered too, so a flow can name its gateway, with the reason shown). */
const SENDING = PROVIDER_LIST.filter((provider) => provider.api.anyCapabilities.includes('sendText'));
const RECEIVE_ONLY = PROVIDER_LIST.filter((provider) => !provider.api.anyCapabilities.includes('sendText'));
const WITH_SESSIONS = PROVIDER_LIST.filter((provider) => provider.api.sessions);

const MEDIA_OPERATIONS: SendOperation[] = SEND_OPERATIONS.filter((operation) => mediaKindOf(operation));
/** The sends that can be preceded by "typing…" (a reaction is not typed). */
const TYPED_OPERATIONS: SendOperation[] = SEND_OPERATIONS.filter((operation) => operation !== 'react');

/** "WAHA and open-wa" for an operation's help: who can do it. */
function whoCan(operation: Operation): string {
  const names = PROVIDER_LIST.filter((provider) => provider.api.anyCapabilities.includes(operation)).map((provider) => provider.displayName);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'no gateway');
}

/** The sending gateways' credentials; a gateway that cannot send but can give files (wa-server), only for that. */
function credentialsOf(): INodeTypeDescription['credentials'] {
  return [
    ...SENDING.map((provider) => ({ name: provider.n8n.credential, required: true, displayOptions: { show: { provider: [provider.name] } } })),
    ...DOWNLOADING.filter((provider) => !SENDING.includes(provider)).map((provider) => ({
      name: provider.n8n.credential,
      required: true,
      displayOptions: { show: { provider: [provider.name], operation: ['downloadMedia'] } },
    })),
    // Then Conversation State in a shared store (the property below shows it).
    sharedStoreCredential,
  ];
}

export class WhatsAppSend implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'WhatsApp Send',
    name: 'whatsAppSend',
    icon: { light: 'file:send.svg', dark: 'file:send.dark.svg' },
    group: ['output'],
    version: 1,
    // "WAHA: send text" (the gateway's name from a JSON map: no `}}` inside the expression).
    subtitle: `={{${JSON.stringify(DISPLAY_NAMES)}[$parameter["provider"]] + ": " + ${JSON.stringify({
      ...Object.fromEntries([...SEND_OPERATIONS, 'markRead' as const].map((operation) => [operation, operationLabel(operation).toLowerCase()])),
      downloadMedia: 'download media',
    })}[$parameter["operation"]]}}`,
    description: `Reply to a WhatsApp message with a text, media, a location or a reaction, through ${whoCan('sendText')}`,
    defaults: { name: 'WhatsApp Send' },
    inputs: ['main'],
    outputs: ['main'],
    credentials: credentialsOf(),
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
        // Downloads work: the notice is about sending.
        displayOptions: { show: { provider: [provider.name] }, hide: { operation: ['downloadMedia'] } },
      })),
      {
        displayName: 'Operation',
        name: 'operation',
        type: 'options',
        noDataExpression: true,
        options: [
          {
            name: 'Download Media',
            value: 'downloadMedia',
            action: 'Download the file of the triggering message',
            description: "Fetch the image, voice note, video or document of the event in the item through the gateway's API, as binary data",
          },
          {
            name: 'Mark as Read',
            value: 'markRead',
            action: 'Mark the triggering message as read',
            description: `${whoCan('markRead')} only (open-wa: v4); the others document no such call`,
          },
          ...SEND_OPERATIONS.map((operation) => ({
            name: operationLabel(operation),
            value: operation,
            action: operation === 'react' ? 'React to the triggering message' : `${operationLabel(operation)} message`,
            description: `${whoCan(operation)}${operation === 'sendText' ? '' : ' (the others: "<Gateway> does not support …")'}`,
          })),
        ].sort((a, b) => a.name.localeCompare(b.name)),
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
        displayOptions: { show: { operation: TYPED_OPERATIONS } },
      },
      {
        displayName: 'Chat ID',
        name: 'chatId',
        type: 'string',
        default: '',
        required: true,
        placeholder: 'e.g. 6281234567890@c.us',
        description: 'A person (…@c.us) or a group (…@g.us)',
        displayOptions: { show: { operation: TYPED_OPERATIONS, replyTo: ['chatId'] } },
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
      ...DOWNLOAD_PROPERTIES,
      {
        displayName: 'File From',
        name: 'mediaSource',
        type: 'options',
        options: [
          { name: 'Binary Data of the Item', value: 'binary', description: 'A binary property of the input item, e.g. from HTTP Request or Read Binary File' },
          { name: 'URL', value: 'url', description: 'A URL the gateway downloads the file from' },
        ],
        default: 'binary',
        displayOptions: { show: { operation: MEDIA_OPERATIONS } },
      },
      {
        displayName: 'Input Binary Field',
        name: 'binaryPropertyName',
        type: 'string',
        default: 'data',
        required: true,
        hint: 'The name of the input binary field containing the file to be sent',
        displayOptions: { show: { operation: MEDIA_OPERATIONS, mediaSource: ['binary'] } },
      },
      {
        displayName: 'File URL',
        name: 'mediaUrl',
        type: 'string',
        default: '',
        required: true,
        placeholder: 'e.g. https://example.com/receipt.jpg',
        displayOptions: { show: { operation: MEDIA_OPERATIONS, mediaSource: ['url'] } },
      },
      {
        displayName: 'Caption',
        name: 'caption',
        type: 'string',
        typeOptions: { rows: 2 },
        default: '',
        description: 'Optional; the same placeholders as Text ({{name}}, {{text}}…). Voice notes and audio carry none.',
        displayOptions: { show: { operation: ['sendImage', 'sendVideo', 'sendDocument'] } },
      },
      {
        displayName: 'File Name',
        name: 'fileName',
        type: 'string',
        default: '',
        placeholder: 'e.g. invoice.pdf',
        description: "Empty: the binary data's own name, else a default for the kind",
        displayOptions: { show: { operation: MEDIA_OPERATIONS } },
      },
      // The default is the core's, which the rule cannot read.
      // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
      {
        displayName: 'Max Upload Size (MB)',
        name: 'maxUploadMb',
        type: 'number',
        typeOptions: { minValue: 0 },
        default: DEFAULT_MAX_UPLOAD_BYTES / (1024 * 1024),
        description: 'A larger file fails with its size before anything is sent',
        displayOptions: { show: { operation: MEDIA_OPERATIONS } },
      },
      {
        displayName: 'Latitude',
        name: 'latitude',
        type: 'string',
        default: '',
        required: true,
        placeholder: 'e.g. -6.1754',
        displayOptions: { show: { operation: ['sendLocation'] } },
      },
      {
        displayName: 'Longitude',
        name: 'longitude',
        type: 'string',
        default: '',
        required: true,
        placeholder: 'e.g. 106.8272',
        displayOptions: { show: { operation: ['sendLocation'] } },
      },
      {
        displayName: 'Location Name',
        name: 'locationName',
        type: 'string',
        default: '',
        displayOptions: { show: { operation: ['sendLocation'] } },
      },
      {
        displayName: 'Address',
        name: 'address',
        type: 'string',
        default: '',
        displayOptions: { show: { operation: ['sendLocation'] } },
      },
      {
        displayName: 'Emoji',
        name: 'emoji',
        type: 'string',
        default: '👍',
        description: 'One emoji; empty removes the reaction',
        displayOptions: { show: { operation: ['react'] } },
      },
      {
        displayName: 'Typing First',
        name: 'typing',
        type: 'options',
        options: [
          { name: 'No', value: 'off' },
          { name: 'For a Fixed Time', value: 'fixed' },
          {
            name: 'For a Time That Grows With the Text',
            value: 'byLength',
            description: `${TYPING_DEFAULTS.msPerChar} ms a character, within the bounds below`,
          },
        ],
        default: 'off',
        description: 'Show "typing…" (or "recording…" before a voice note) before the message goes out. A gateway without the indicator still waits.',
        displayOptions: { show: { operation: TYPED_OPERATIONS } },
      },
      // The default is the core's, which the rule cannot read.
      // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
      {
        displayName: 'Typing Time (Ms)',
        name: 'typingMs',
        type: 'number',
        typeOptions: { minValue: 0 },
        default: TYPING_DEFAULTS.ms,
        displayOptions: { show: { operation: TYPED_OPERATIONS, typing: ['fixed'] } },
      },
      // The default is the core's, which the rule cannot read.
      // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
      {
        displayName: 'Minimum Typing Time (Ms)',
        name: 'typingMinMs',
        type: 'number',
        typeOptions: { minValue: 0 },
        default: TYPING_DEFAULTS.minMs,
        displayOptions: { show: { operation: TYPED_OPERATIONS, typing: ['byLength'] } },
      },
      // The default is the core's, which the rule cannot read.
      // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
      {
        displayName: 'Maximum Typing Time (Ms)',
        name: 'typingMaxMs',
        type: 'number',
        typeOptions: { minValue: 0 },
        default: TYPING_DEFAULTS.maxMs,
        displayOptions: { show: { operation: TYPED_OPERATIONS, typing: ['byLength'] } },
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
      // In queue mode this node runs in a worker: the trigger's Shared Store makes the state it sets seen there.
      {
        ...sharedStoreProperty,
        description: `${sharedStoreProperty.description} Pick the same as the trigger's.`,
        displayOptions: { show: { thenConversation: ['set', 'merge', 'clear'] } },
      },
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const node = this.getNode();
    const provider = providerOf(this.getNodeParameter('provider', 0));
    const operation = this.getNodeParameter('operation', 0) as SendOperation | 'markRead' | 'downloadMedia';
    const hasCredential = SENDING.includes(provider) || (operation === 'downloadMedia' && DOWNLOADING.includes(provider));
    // A receive-only gateway has no credential here: its client answers every call with why.
    const credentials: ICredentialDataDecryptedObject = hasCredential ? await this.getCredentials(provider.n8n.credential) : {};
    const config = clientConfigOf(settingsOf(provider, 'n8n', credentials));
    const problem = hasCredential
      ? clientConfigProblem(provider, config, operation === 'markRead' || operation === 'downloadMedia' ? operation : 'sendText', 'the credential')
      : null;
    if (problem) throw new NodeOperationError(node, problem);
    // Cancelling the execution cancels sends under way and their retries.
    const maxUploadMb =
      operation !== 'markRead' && operation !== 'downloadMedia' && mediaKindOf(operation)
        ? Number(this.getNodeParameter('maxUploadMb', 0, DEFAULT_MAX_UPLOAD_BYTES / (1024 * 1024)))
        : 0;
    const signal = this.getExecutionCancelSignal?.();
    const sendConfig = { ...config, ...(maxUploadMb > 0 ? { maxUploadBytes: Math.round(maxUploadMb * 1024 * 1024) } : {}), http: { signal } };
    const client = createClient(provider.name, sendConfig);
    const notAnEvent = (itemIndex: number) => `item ${itemIndex} ${NOT_AN_EVENT}, or set Reply To to "Chat ID Below"`;

    // Download Media items go to downloadItem below; run sends or marks read.
    const run = async (item: INodeExecutionData, itemIndex: number, operation: SendOperation | 'markRead'): Promise<IDataObject> => {
      const event = eventOf(item.json);
      const session = provider.api.sessions ? (this.getNodeParameter('session', itemIndex, '') as string) : null;
      if (operation === 'markRead') {
        const target = planMarkRead(event, provider.name, `item ${itemIndex} ${NOT_AN_EVENT}`, session);
        await client.markRead(target);
        return { provider: provider.name, chatId: target.chatId, messageIds: target.messageIds, event };
      }
      // Checked before sending: a bad data object must not fail an item whose message went out.
      const then = this.getNodeParameter('thenConversation', itemIndex, 'none') as 'none' | 'set' | 'merge' | 'clear';
      const conversation = then === 'none' ? null : conversationRequestOf(this, itemIndex, then);
      const planned = await plannedFor(this, { operation, item, itemIndex, event, provider: provider.name, session, notAnEvent: notAnEvent(itemIndex) });
      const typing = TYPED_OPERATIONS.includes(operation) ? typingOptionsOf(this, itemIndex) : undefined;
      const { response: _response, ...sent } = await performSend(provider, sendConfig, client, planned, {
        typing,
        answering: event?.message?.id ?? null,
        signal,
      });
      const out = { ...sent, event } as unknown as IDataObject;
      if (conversation) {
        const state = await conversationStep(this, conversation, event, { provider: provider.name, session, chatId: sent.chatId });
        out.conversation = (state ?? null) as IDataObject | null;
      }
      return out;
    };

    const results = await Limiter.map(items, MAX_IN_FLIGHT, async (item, itemIndex): Promise<INodeExecutionData> => {
      try {
        if (operation === 'downloadMedia') return await downloadItem(this, provider, config, item, itemIndex);
        return { json: await run(item, itemIndex, operation), pairedItem: { item: itemIndex } };
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
