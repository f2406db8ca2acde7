import { compileRouter, parseCommand, ruleLabel, RuleError, type RouterRule } from '../../core/router';
import { foldText, keywordMatcher, listOf, normalizeId } from '../../core/router/text';
import type { NormalizedEvent } from '../../core/event/schema';
import { ackEvent, messageEvent } from '../helpers/events';

function routes(rule: RouterRule, event: NormalizedEvent): boolean {
  return compileRouter([rule]).route(event).outputs.length === 1;
}

describe('rule kinds', () => {
  it.each<[RouterRule, NormalizedEvent, boolean]>([
    [{ kind: 'event', value: 'message' }, messageEvent(), true],
    [{ kind: 'event', value: 'message.ack, message.reaction' }, ackEvent, true],
    [{ kind: 'event', value: 'message.ack' }, messageEvent(), false],
    [{ kind: 'messageType', value: 'image, video' }, messageEvent({ type: 'video' }), true],
    [{ kind: 'messageType', value: 'image' }, ackEvent, false],
    [{ kind: 'direction', value: 'inbound' }, messageEvent(), true],
    [{ kind: 'direction', value: 'outbound' }, messageEvent(), false],
    [{ kind: 'chatType', value: 'group' }, messageEvent({ chat: { id: '1@g.us', type: 'group', lid: null } }), true],
    [{ kind: 'chatType', value: 'group' }, messageEvent(), false],
    [{ kind: 'textEquals', value: 'Hello' }, messageEvent({ text: '  hello ' }), true],
    [{ kind: 'textEquals', value: 'Hello', caseSensitive: true }, messageEvent({ text: 'hello' }), false],
    [{ kind: 'textEquals', value: 'cafe' }, messageEvent({ text: 'Café' }), true],
    [{ kind: 'textContains', value: 'PRICE' }, messageEvent({ text: 'what is the price?' }), true],
    [{ kind: 'textContains', value: 'price' }, messageEvent({ text: 'what is the cost?' }), false],
    [{ kind: 'textStartsWith', value: 'order' }, messageEvent({ text: ' Order #12' }), true],
    [{ kind: 'textStartsWith', value: 'order' }, messageEvent({ text: 'my order' }), false],
    [{ kind: 'textRegex', value: '^#(\\d+)$' }, messageEvent({ text: '#42' }), true],
    [{ kind: 'textRegex', value: '^[A-Z]+$', caseSensitive: true }, messageEvent({ text: 'abc' }), false],
    [{ kind: 'command', value: 'start, help' }, messageEvent({ text: '/start now' }), true],
    [{ kind: 'command', value: '/help' }, messageEvent({ text: '!HELP' }), true],
    [{ kind: 'command', value: 'start' }, messageEvent({ text: '/started' }), false],
    [{ kind: 'command', value: 'start' }, messageEvent({ text: 'start' }), false],
    [{ kind: 'keywords', value: 'preço, harga' }, messageEvent({ text: 'Qual o PRECO?' }), true],
    [{ kind: 'keywords', value: 'hi' }, messageEvent({ text: 'this is it' }), false],
    [{ kind: 'keywords', value: 'how much\nprice' }, messageEvent({ text: 'How much is it' }), true],
    [{ kind: 'sender', value: '+62 812-3456-7890' }, messageEvent(), true],
    [{ kind: 'sender', value: '42@lid' }, messageEvent(), true],
    [{ kind: 'sender', value: '999' }, messageEvent(), false],
    [{ kind: 'chat', value: '120363@g.us' }, ackEvent, true],
    [{ kind: 'chat', value: '6281234567890' }, messageEvent(), true],
    [
      { kind: 'hasMedia', value: 'true' },
      messageEvent({ media: { mimeType: 'image/jpeg', size: 1, fileName: null, url: null, path: null, viewOnce: false } }),
      true,
    ],
    [{ kind: 'hasMedia', value: 'true' }, messageEvent(), false],
    [{ kind: 'hasMedia', value: 'false' }, messageEvent(), true],
    [{ kind: 'hasMedia', value: 'false' }, ackEvent, false],
    [{ kind: 'session', value: 'default' }, messageEvent(), true],
    [{ kind: 'session', value: 'sales' }, messageEvent(), false],
    [{ kind: 'provider', value: 'wawp, waha' }, messageEvent(), true],
  ])('%j → %s', (rule, event, expected) => expect(routes(rule, event)).toBe(expected));
});

describe('compileRouter', () => {
  const rules: RouterRule[] = [
    { kind: 'command', value: 'start' },
    { kind: 'textContains', value: 'start' },
    { kind: 'event', value: 'message.ack', label: 'Receipts' },
  ];

  it('first match sends to the first matching rule only', () => {
    expect(compileRouter(rules).route(messageEvent({ text: '/start x y' })).outputs).toEqual([0]);
  });

  it('all matches sends to every matching rule', () => {
    const result = compileRouter(rules, { mode: 'all' }).route(messageEvent({ text: '/start x  y' }));
    expect(result.outputs).toEqual([0, 1]);
    expect(result.matches[0].command).toEqual({ name: 'start', prefix: '/', argsText: 'x  y', args: ['x', 'y'] });
  });

  it('the fallback output catches what no rule matched, and only that', () => {
    const router = compileRouter(rules, { fallback: true });
    expect(router.outputCount).toBe(4);
    expect(router.route(messageEvent({ text: 'nothing' })).outputs).toEqual([3]);
    expect(router.route(ackEvent).outputs).toEqual([2]);
    expect(compileRouter(rules).route(messageEvent({ text: 'nothing' })).outputs).toEqual([]);
  });

  it('labels outputs from the rules, custom labels first', () => {
    expect(compileRouter(rules, { fallback: true }).labels).toEqual(['command /start', 'text contains "start"', 'Receipts', 'otherwise']);
  });

  it('reports regex groups and the keyword that matched', () => {
    const router = compileRouter(
      [
        { kind: 'textRegex', value: 'order (\\d+)(x)?' },
        { kind: 'keywords', value: 'Preço, harga' },
      ],
      { mode: 'all' },
    );
    const result = router.route(messageEvent({ text: 'order 12 — qual o preco' }));
    expect(result.matches).toEqual([
      { rule: 0, groups: ['12', ''] },
      { rule: 1, keyword: 'Preço' },
    ]);
  });

  it.each<[RouterRule, string]>([
    [{ kind: 'textRegex', value: '(' }, 'Rule 1: invalid regular expression'],
    [{ kind: 'direction', value: 'sideways' }, 'Rule 1: direction must be one of inbound, outbound, got "sideways"'],
    [{ kind: 'chatType', value: '' }, 'Rule 1: chatType must be one of'],
    [{ kind: 'command', value: ' , ' }, 'Rule 1: name at least one command'],
    [{ kind: 'keywords', value: '' }, 'Rule 1: the keyword list is empty'],
    [{ kind: 'textContains', value: '' }, 'Rule 1: text to look for is empty'],
    [{ kind: 'bogus' as 'event', value: 'x' }, 'Rule 1: unknown rule kind "bogus"'],
  ])('refuses a bad rule at compile time: %j', (rule, message) => {
    expect(() => compileRouter([rule])).toThrow(RuleError);
    expect(() => compileRouter([rule])).toThrow(message);
  });
});

describe('helpers', () => {
  it('parseCommand', () => {
    expect(parseCommand('!help me please')).toEqual({ name: 'help', prefix: '!', argsText: 'me please', args: ['me', 'please'] });
    expect(parseCommand('/')).toBeNull();
    expect(parseCommand('hello /start')).toBeNull();
  });
  it('ruleLabel', () => {
    expect(ruleLabel({ kind: 'keywords', value: 'a,b,c,d' })).toBe('any keyword of a, b, c…');
    expect(ruleLabel({ kind: 'hasMedia', value: 'false' })).toBe('no media');
    expect(ruleLabel({ kind: 'textRegex', value: '^x' })).toBe('text matches /^x/');
    expect(ruleLabel({ kind: 'command', value: 'start, !help' })).toBe('command /start, !help');
  });
  it('text folding, lists and ids', () => {
    expect(foldText('Olá  CAFÉ')).toBe('ola cafe');
    expect(listOf('a, b\n\nc,')).toEqual(['a', 'b', 'c']);
    expect(normalizeId('6285211112222:1@s.whatsapp.net')).toBe('6285211112222');
    expect(normalizeId('+62 (852) 1111-2222')).toBe('6285211112222');
    expect(normalizeId('120363@G.US')).toBe('120363@g.us');
    expect(keywordMatcher(['ok'])('OK!')).toBe('ok');
  });
});
