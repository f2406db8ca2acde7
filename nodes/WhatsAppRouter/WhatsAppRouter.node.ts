import { NodeOperationError, type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { CHAT_TYPES, compileRouter, MESSAGE_TYPES, providers, routeFieldsOf, type CompiledRouter } from '../../core';
import { isNormalizedEvent } from '../shared/event';
import { EVENT_OPTIONS } from '../shared/trigger-description';
import { OUTPUTS_EXPRESSION, routerRulesOf } from './outputs';

const titled = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);
const TEXT_KINDS = ['textEquals', 'textContains', 'textStartsWith'];

export class WhatsAppRouter implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'WhatsApp Router',
    name: 'whatsAppRouter',
    icon: { light: 'file:router.svg', dark: 'file:router.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["mode"] === "all" ? "all matching rules" : "first matching rule"}}',
    description: 'Route normalized WhatsApp events by event, message type, text, command, keyword, sender or chat',
    defaults: { name: 'WhatsApp Router' },
    inputs: ['main'],
    // One output per rule, named after it, plus "otherwise": computed by n8n from the parameters.
    outputs: OUTPUTS_EXPRESSION,
    properties: [
      {
        displayName: 'Connect this node after a WhatsApp gateway trigger whose Output is "Normalized Event"',
        name: 'inputNotice',
        type: 'notice',
        default: '',
      },
      {
        displayName: 'Routing Rules',
        name: 'rules',
        placeholder: 'Add Routing Rule',
        type: 'fixedCollection',
        typeOptions: { multipleValues: true, sortable: true },
        default: {},
        options: [
          {
            name: 'rule',
            displayName: 'Rule',
            // The rule's kind comes first and each value field follows the kinds it belongs to:
            // alphabetical order would put "Case Sensitive" above "Route When".
            // eslint-disable-next-line n8n-nodes-base/node-param-fixed-collection-type-unsorted-items
            values: [
              {
                displayName: 'Route When',
                name: 'kind',
                type: 'options',
                options: [
                  { name: 'Chat Is One Of', value: 'chat', description: 'Chat IDs or phone numbers' },
                  { name: 'Chat Type Is', value: 'chatType', description: 'Direct, group, channel, broadcast or status' },
                  { name: 'Command Is', value: 'command', description: 'A /command or !command at the start of the text' },
                  {
                    name: 'Conversation State Is',
                    value: 'conversationState',
                    description: 'The state a send or WhatsApp Conversation node set for this chat',
                  },
                  { name: 'Direction Is', value: 'direction', description: 'Inbound or outbound message' },
                  { name: 'Event Is', value: 'event', description: 'The kind of event: message, reaction, call…' },
                  { name: 'Has Media', value: 'hasMedia', description: 'Whether the message carries a file' },
                  {
                    name: 'Has No Conversation State',
                    value: 'noConversationState',
                    description: 'No state is set for this chat (a new conversation, or one cleared or expired)',
                  },
                  { name: 'Message Type Is', value: 'messageType', description: 'Text, image, voice, document…' },
                  { name: 'Provider Is', value: 'provider', description: 'The gateway the event came from' },
                  { name: 'Sender Is One Of', value: 'sender', description: 'Sender IDs or phone numbers' },
                  { name: 'Session Is', value: 'session', description: 'The gateway session or device' },
                  { name: 'Text Contains', value: 'textContains', description: 'Case- and accent-insensitive unless told' },
                  { name: 'Text Contains a Keyword', value: 'keywords', description: 'Any keyword of a list, as whole words' },
                  { name: 'Text Is', value: 'textEquals', description: 'The whole text, trimmed' },
                  { name: 'Text Matches Regex', value: 'textRegex', description: 'A JavaScript regular expression' },
                  { name: 'Text Starts With', value: 'textStartsWith' },
                ],
                default: 'event',
              },
              {
                displayName: 'Events',
                name: 'events',
                type: 'multiOptions',
                options: EVENT_OPTIONS,
                default: ['message'],
                displayOptions: { show: { kind: ['event'] } },
              },
              {
                displayName: 'Message Types',
                name: 'messageTypes',
                type: 'multiOptions',
                options: [...MESSAGE_TYPES].sort().map((value) => ({ name: titled(value), value })),
                default: ['text'],
                displayOptions: { show: { kind: ['messageType'] } },
              },
              {
                displayName: 'Direction',
                name: 'direction',
                type: 'options',
                options: [
                  { name: 'Inbound', value: 'inbound' },
                  { name: 'Outbound', value: 'outbound' },
                ],
                default: 'inbound',
                displayOptions: { show: { kind: ['direction'] } },
              },
              {
                displayName: 'Chat Types',
                name: 'chatTypes',
                type: 'multiOptions',
                options: [...CHAT_TYPES].sort().map((value) => ({ name: titled(value), value })),
                default: ['direct'],
                displayOptions: { show: { kind: ['chatType'] } },
              },
              {
                displayName: 'Has Media',
                name: 'hasMedia',
                type: 'boolean',
                default: true,
                description: 'Whether the message must carry a file (on) or must not (off)',
                displayOptions: { show: { kind: ['hasMedia'] } },
              },
              {
                displayName: 'States',
                name: 'states',
                type: 'string',
                default: '',
                placeholder: 'e.g. ask-email, confirm',
                description: 'Comma-separated conversation state names (case-sensitive)',
                displayOptions: { show: { kind: ['conversationState'] } },
              },
              {
                displayName: 'Providers',
                name: 'providers',
                type: 'multiOptions',
                options: Object.values(providers)
                  .map((adapter) => ({ name: adapter.displayName, value: adapter.name }))
                  .sort((a, b) => a.name.localeCompare(b.name)),
                default: [],
                displayOptions: { show: { kind: ['provider'] } },
              },
              {
                displayName: 'Sessions',
                name: 'sessions',
                type: 'string',
                default: '',
                placeholder: 'e.g. default, sales',
                description: 'Comma-separated session names (wa-server: device IDs)',
                displayOptions: { show: { kind: ['session'] } },
              },
              {
                displayName: 'Text',
                name: 'text',
                type: 'string',
                default: '',
                placeholder: 'e.g. price',
                displayOptions: { show: { kind: TEXT_KINDS } },
              },
              {
                displayName: 'Regex',
                name: 'regex',
                type: 'string',
                default: '',
                placeholder: 'e.g. order\\s+#?(\\d+)',
                description: 'Without slashes; capture groups are returned in the match field',
                displayOptions: { show: { kind: ['textRegex'] } },
              },
              {
                displayName: 'Case Sensitive',
                name: 'caseSensitive',
                type: 'boolean',
                default: false,
                description: 'Whether upper and lower case (and accents) must match exactly',
                displayOptions: { show: { kind: [...TEXT_KINDS, 'textRegex'] } },
              },
              {
                displayName: 'Commands',
                name: 'commands',
                type: 'string',
                default: '',
                placeholder: 'e.g. start, help',
                description: 'Comma-separated command names, with or without / or !; the arguments are returned in the command field',
                displayOptions: { show: { kind: ['command'] } },
              },
              {
                displayName: 'Keywords',
                name: 'keywords',
                type: 'string',
                typeOptions: { rows: 2 },
                default: '',
                placeholder: 'e.g. price, how much, stock',
                description: 'Comma- or newline-separated words or phrases; the one found is returned in the keyword field',
                displayOptions: { show: { kind: ['keywords'] } },
              },
              {
                displayName: 'IDs or Phone Numbers',
                name: 'ids',
                type: 'string',
                typeOptions: { rows: 2 },
                default: '',
                placeholder: 'e.g. 6281234567890, 120363012345678901@g.us',
                description: 'Comma- or newline-separated; +62 812-3456 and 628123456@c.us are the same number',
                displayOptions: { show: { kind: ['sender', 'chat'] } },
              },
              {
                displayName: 'Output Name',
                name: 'label',
                type: 'string',
                default: '',
                placeholder: 'e.g. Sales questions',
                description: "Name of this rule's output; derived from the rule when empty",
              },
            ],
          },
        ],
      },
      {
        displayName: 'Route To',
        name: 'mode',
        type: 'options',
        options: [
          { name: 'All Matching Rules', value: 'all', description: 'An event may go to several outputs' },
          { name: 'First Matching Rule', value: 'first', description: 'Rules are tried in order' },
        ],
        default: 'first',
      },
      {
        displayName: 'Otherwise Output',
        name: 'fallbackOutput',
        type: 'boolean',
        default: true,
        description: 'Whether to add a last output, named otherwise, for events that no rule matches',
      },
    ],
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const rules = routerRulesOf({ rules: this.getNodeParameter('rules', 0, {}) });
    const fallback = this.getNodeParameter('fallbackOutput', 0, true) as boolean;
    let router: CompiledRouter;
    try {
      router = compileRouter(rules, { mode: this.getNodeParameter('mode', 0, 'first') === 'all' ? 'all' : 'first', fallback });
    } catch (error) {
      // RuleError messages start with "Rule N:", numbered as in the editor.
      throw new NodeOperationError(this.getNode(), error as Error);
    }

    const outputs: INodeExecutionData[][] = Array.from({ length: router.outputCount }, () => []);
    // Items that are not events go to "otherwise" when it exists, else to n8n's error output when
    // that is on (n8n moves items carrying only `error` there from any output); never to a rule's
    // output, where they could trigger a reply.
    const errorOutput = fallback ? rules.length : this.getNode().onError === 'continueErrorOutput' ? 0 : -1;

    items.forEach((item, itemIndex) => {
      const event: unknown = item.json;
      if (!isNormalizedEvent(event)) {
        const error = new NodeOperationError(
          this.getNode(),
          `Item ${itemIndex} is not a normalized WhatsApp event (it has no version 1 "event" and "provider")`,
          {
            itemIndex,
            description: 'Connect the router after a WhatsApp gateway trigger whose Output is "Normalized Event" (flat rows cannot be routed).',
          },
        );
        if (!this.continueOnFail()) throw error;
        if (errorOutput >= 0) outputs[errorOutput].push({ json: { error: error.message }, pairedItem: { item: itemIndex } });
        return;
      }
      const result = router.route(event);
      for (const output of result.outputs) {
        const json = { ...item.json, ...routeFieldsOf(result, output, router.labels, rules.length) } as IDataObject;
        outputs[output].push({ json, binary: item.binary, pairedItem: { item: itemIndex } });
      }
    });
    return outputs;
  }
}
