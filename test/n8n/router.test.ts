/**
 * The WhatsApp Router's `execute()`: every rule kind, first vs all matches, the "otherwise" output,
 * rule errors, items that are not events; and that the outputs n8n computes from the parameters
 * (an expression, evaluated by n8n-workflow itself here) carry the core's rule labels.
 */
import { NodeHelpers, Workflow, type IDataObject, type INode, type INodeExecutionData, type INodeTypes } from 'n8n-workflow';
import { compileRouter, providers, ruleLabel, RULE_KINDS, type NormalizedEvent, type RouterRule } from '../../core';
import { OUTPUTS_EXPRESSION, routerRulesOf } from '../../nodes/WhatsAppRouter/outputs';
import { WhatsAppRouter } from '../../nodes/WhatsAppRouter/WhatsAppRouter.node';
import { normalizeOne } from '../helpers/fixtures';
import { executeContext, type Parameters } from './fakes';

const router = new WhatsAppRouter();

const text = normalizeOne(providers.waha, 'spec-message-text.json'); // inbound direct text from 6289876543210
const group = normalizeOne(providers.waha, 'spec-message-group.json');
const image = normalizeOne(providers.waha, 'spec-message-image.json');
const outbound = normalizeOne(providers.waha, 'spec-message-outbound.json');
const ack = normalizeOne(providers.waha, 'spec-message-ack.json');
const waserver = normalizeOne(providers.waserver, 'doc-message-image-group-inbound.json');

function saying(words: string): NormalizedEvent {
  return { ...text, message: { ...text.message!, text: words } };
}

function inState(words: string, state: string | null): NormalizedEvent {
  return { ...saying(words), conversation: { state, data: {}, updatedAt: '2026-01-01T00:00:00.000Z' } };
}

function items(...events: Array<NormalizedEvent | IDataObject>): INodeExecutionData[] {
  return events.map((event) => ({ json: event as unknown as IDataObject }));
}

async function route(
  rules: Parameters[],
  events: Array<NormalizedEvent | IDataObject>,
  parameters: Parameters = {},
  more: { continueOnFail?: boolean; onError?: 'continueErrorOutput' } = {},
) {
  const ctx = executeContext({ nodeType: router, parameters: { rules: { rule: rules }, ...parameters }, items: items(...events), ...more });
  return router.execute!.call(ctx);
}

/** Which events reached each output, by message text (or event kind when there is none). */
function routed(outputs: INodeExecutionData[][]): string[][] {
  return outputs.map((output) => output.map((item) => String((item.json.message as IDataObject | undefined)?.text ?? item.json.event)));
}

describe('WhatsApp Router rule kinds', () => {
  const cases: Array<[string, Parameters, NormalizedEvent[], string[]]> = [
    ['event', { kind: 'event', events: ['message.ack'] }, [text, ack], ['message.ack']],
    ['messageType', { kind: 'messageType', messageTypes: ['image'] }, [text, image], [image.message!.text]],
    ['direction', { kind: 'direction', direction: 'outbound' }, [text, outbound], [outbound.message!.text]],
    ['chatType', { kind: 'chatType', chatTypes: ['group'] }, [text, group], [group.message!.text]],
    ['textEquals', { kind: 'textEquals', text: 'HALO' }, [saying(' halo '), saying('halo dunia')], [' halo ']],
    ['textContains', { kind: 'textContains', text: 'harga' }, [saying('Berapa HARGA nya?'), saying('stok?')], ['Berapa HARGA nya?']],
    ['textStartsWith', { kind: 'textStartsWith', text: 'order' }, [saying('Order #12'), saying('my order')], ['Order #12']],
    ['textRegex', { kind: 'textRegex', regex: 'order\\s+#(\\d+)' }, [saying('Order #12'), saying('order 12')], ['Order #12']],
    ['command', { kind: 'command', commands: 'start, /help' }, [saying('/help me'), saying('help')], ['/help me']],
    ['keywords', { kind: 'keywords', keywords: 'preco, how much' }, [saying('Qual o preço?'), saying('precondition')], ['Qual o preço?']],
    ['sender', { kind: 'sender', ids: '+62 898-7654-3210' }, [text, saying('x'), group], [text.message!.text, 'x']],
    ['chat', { kind: 'chat', ids: group.message!.chat.id }, [text, group], [group.message!.text]],
    ['hasMedia', { kind: 'hasMedia', hasMedia: true }, [text, image], [image.message!.text]],
    ['hasMedia off', { kind: 'hasMedia', hasMedia: false }, [text, image], [text.message!.text]],
    ['session', { kind: 'session', sessions: 'default' }, [text, waserver], [text.message!.text]],
    ['provider', { kind: 'provider', providers: ['waserver'] }, [text, waserver], [waserver.message!.text]],
    ['conversationState', { kind: 'conversationState', states: 'ask-email, confirm' }, [inState('a', 'ask-email'), inState('b', 'ask-name'), text], ['a']],
    ['noConversationState', { kind: 'noConversationState' }, [inState('a', 'ask-email'), inState('b', null), text], ['b', text.message!.text]],
  ];

  it('covers every rule kind of the core', () => {
    expect(new Set(cases.map(([, rule]) => rule.kind))).toEqual(new Set(RULE_KINDS));
  });

  it.each(cases)('%s', async (_name, rule, events, expected) => {
    const outputs = await route([rule], events, { fallbackOutput: false });
    expect(outputs).toHaveLength(1);
    expect(routed(outputs)[0]).toEqual(expected);
  });

  it('adds the route and the command, regex groups or keyword that matched', async () => {
    const [commands, regex, keywords] = await route(
      [
        { kind: 'command', commands: 'order', label: 'Orders' },
        { kind: 'textRegex', regex: 'size (\\w+)(?: (\\d+))?' },
        { kind: 'keywords', keywords: 'Preço, price' },
      ],
      [saying('/Order 3 shirts'), saying('size XL'), saying('qual o preco?')],
    );
    expect(commands[0].json).toMatchObject({
      route: { rule: 1, label: 'Orders' },
      command: { name: 'order', prefix: '/', argsText: '3 shirts', args: ['3', 'shirts'] },
    });
    expect(regex[0].json).toMatchObject({ route: { rule: 2, label: 'text matches /size (\\w+)(?: (\\d+))?/' }, match: ['XL', ''] });
    expect(keywords[0].json).toMatchObject({ route: { rule: 3 }, keyword: 'Preço' });
    expect(commands[0].pairedItem).toEqual({ item: 0 });
    expect(keywords[0].pairedItem).toEqual({ item: 2 });
  });
});

describe('WhatsApp Router modes and outputs', () => {
  const rules = [
    { kind: 'textContains', text: 'price' },
    { kind: 'messageType', messageTypes: ['text'] },
  ];

  it('sends an event to the first matching rule only by default', async () => {
    expect(routed(await route(rules, [saying('price?'), saying('hi'), ack]))).toEqual([['price?'], ['hi'], ['message.ack']]);
  });

  it('sends an event to every matching rule in "all" mode', async () => {
    const outputs = await route(rules, [saying('price?'), ack], { mode: 'all' });
    expect(routed(outputs)).toEqual([['price?'], ['price?'], ['message.ack']]);
    // Each output gets its own item.
    expect(outputs[0][0].json).not.toBe(outputs[1][0].json);
    expect(outputs[1][0].json.route).toEqual({ rule: 2, label: 'type is text' });
  });

  it('names the "otherwise" output and drops unmatched events when it is off', async () => {
    const withFallback = await route(rules, [ack]);
    expect(withFallback[2][0].json.route).toEqual({ rule: null, label: 'otherwise' });
    expect(routed(await route(rules, [ack], { fallbackOutput: false }))).toEqual([[], []]);
  });

  it('reports a bad regex with its rule number', async () => {
    await expect(route([{ kind: 'event' }, { kind: 'textRegex', regex: '(' }], [text])).rejects.toThrow(/^Rule 2: invalid regular expression/);
  });

  it('fails on an item that is not a normalized event, naming the item', async () => {
    await expect(route(rules, [text, { hello: 'world' }])).rejects.toThrow('Item 1 is not a normalized WhatsApp event');
  });

  it('with Continue on error, sends such items to "otherwise", else to the error output, never to a rule', async () => {
    const flat = { id: 'x', provider: 'waha', event: 'message', text: 'price' }; // a flat row: no version
    const toOtherwise = await route(rules, [flat, text], {}, { continueOnFail: true });
    expect(toOtherwise[2]).toEqual([{ json: { error: expect.stringContaining('Item 0 is not a normalized WhatsApp event') }, pairedItem: { item: 0 } }]);
    expect(routed(toOtherwise)[1]).toEqual([text.message!.text]);

    const toErrorOutput = await route(rules, [flat], { fallbackOutput: false }, { continueOnFail: true, onError: 'continueErrorOutput' });
    expect(toErrorOutput[0]).toEqual([{ json: { error: expect.any(String) }, pairedItem: { item: 0 } }]);

    const dropped = await route(rules, [flat], { fallbackOutput: false }, { continueOnFail: true });
    expect(dropped).toEqual([[], []]);
  });
});

describe('WhatsApp Router output names', () => {
  const samples: Parameters[] = [
    { kind: 'event', events: ['message', 'call'] },
    { kind: 'event' },
    { kind: 'messageType', messageTypes: ['image', 'video', 'voice', 'document'] },
    { kind: 'direction' },
    { kind: 'chatType', chatTypes: ['group'] },
    { kind: 'textEquals', text: 'hi' },
    { kind: 'textContains', text: 'price, cost' },
    { kind: 'textStartsWith', text: 'order' },
    { kind: 'textRegex', regex: '^(\\d+)$' },
    { kind: 'command', commands: 'start, !help' },
    { kind: 'keywords', keywords: 'a\nb, c' },
    { kind: 'sender', ids: '628123, 628456' },
    { kind: 'chat', ids: '1203@g.us' },
    { kind: 'hasMedia', hasMedia: true },
    { kind: 'hasMedia', hasMedia: false },
    { kind: 'session', sessions: 'default' },
    { kind: 'provider', providers: ['waha', 'wawp'] },
    { kind: 'textContains', text: 'x', label: '  Custom name ' },
  ];

  it('equal the core labels for every rule kind', () => {
    const rules: RouterRule[] = routerRulesOf({ rules: { rule: samples } });
    expect(rules.map(ruleLabel)).toEqual(compileRouter(rules).labels);
  });

  it('are what n8n computes from the outputs expression, otherwise last', () => {
    expect(OUTPUTS_EXPRESSION.slice(4, -2)).not.toContain('}}'); // would end the expression early
    const nodeTypes = { getByName: () => router, getByNameAndVersion: () => router, getKnownTypes: () => ({}) } as unknown as INodeTypes;
    const node = {
      id: 'r',
      name: 'Router',
      type: 'whatsAppRouter',
      typeVersion: 1,
      position: [0, 0] as [number, number],
      parameters: { rules: { rule: samples } },
    } as unknown as INode;
    const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
    const outputs = NodeHelpers.getNodeOutputs(workflow, workflow.getNode('Router')!, router.description);
    const expected = [...compileRouter(routerRulesOf({ rules: { rule: samples } })).labels, 'otherwise'];
    expect(outputs).toEqual(expected.map((displayName) => ({ type: 'main', displayName })));
  });
});
