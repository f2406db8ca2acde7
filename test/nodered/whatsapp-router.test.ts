/**
 * `whatsapp router` inside Node-RED: every rule kind reaching its output, first vs all matches, the
 * otherwise output, what it adds to the message, and its errors at deploy and on bad input.
 */
import type { NormalizedEvent } from '../../core/event/schema';
import { ackEvent, messageEvent } from '../helpers/events';
import { RULE_KINDS, type RouterRule } from '../../core/router/rules';
import { callsOf, helper, lastStatus, ourNodes, sentBy } from './helper';

const media = { mimeType: 'image/jpeg', size: 10, fileName: null, url: null, path: null, viewOnce: false };

interface RouterSettings {
  rules: RouterRule[];
  mode?: 'first' | 'all';
  otherwise?: boolean;
}

async function loadRouter({ rules, mode = 'first', otherwise = false }: RouterSettings) {
  // Wired to a sink: a node without wires gets a no-op `send` that the helper does not spy on.
  const wires = Array.from({ length: rules.length + 1 }, () => ['sink']);
  await helper.load(ourNodes, [
    { id: 'r1', type: 'whatsapp router', rules, mode, otherwise, wires },
    { id: 'sink', type: 'helper' },
  ]);
  return helper.getNode('r1');
}

/** Sends one message in and returns what went out: an array with one slot per output (null when none). */
function routeOnce(router: ReturnType<typeof helper.getNode>, payload: unknown): Array<Record<string, any> | null> | undefined {
  const before = sentBy(router).length;
  router.receive({ payload, topic: 'message' });
  const sent = sentBy(router);
  return sent.length > before ? sent[sent.length - 1] : undefined;
}

/** Output index each payload went to in a one-rule router without fallback: 0 or none. */
function inState(state: string): NonNullable<NormalizedEvent['conversation']> {
  return { state, data: {}, updatedAt: '2026-01-01T00:00:00.000Z' };
}

async function matches(rule: RouterRule, event: NormalizedEvent): Promise<boolean> {
  const router = await loadRouter({ rules: [rule] });
  const out = routeOnce(router, event);
  await helper.unload();
  return out !== undefined && out[0] !== null;
}

beforeAll(() => helper.startServer());
afterEach(() => helper.unload());
afterAll(() => helper.stopServer());

describe('whatsapp router: rule kinds', () => {
  const cases: Array<[RouterRule, NormalizedEvent, NormalizedEvent]> = [
    [{ kind: 'event', value: 'message.ack, message.reaction' }, ackEvent, messageEvent()],
    [{ kind: 'messageType', value: 'image, video' }, messageEvent({ type: 'video' }), messageEvent()],
    [{ kind: 'direction', value: 'outbound' }, messageEvent({ direction: 'outbound', fromMe: true }), messageEvent()],
    [{ kind: 'chatType', value: 'group' }, messageEvent({ chat: { id: '1@g.us', type: 'group', lid: null } }), messageEvent()],
    [{ kind: 'textEquals', value: 'Hello' }, messageEvent({ text: ' hello ' }), messageEvent({ text: 'hello there' })],
    [{ kind: 'textContains', value: 'PRICE' }, messageEvent({ text: 'what is the price?' }), messageEvent()],
    [{ kind: 'textStartsWith', value: 'order' }, messageEvent({ text: 'Order #12' }), messageEvent({ text: 'my order' })],
    [{ kind: 'textRegex', value: '^#(\\d+)$' }, messageEvent({ text: '#42' }), messageEvent()],
    [{ kind: 'command', value: 'start, help' }, messageEvent({ text: '/help me' }), messageEvent({ text: 'help' })],
    [{ kind: 'keywords', value: 'price, harga' }, messageEvent({ text: 'Berapa harga?' }), messageEvent({ text: 'hargaku' })],
    [{ kind: 'sender', value: '+62 812-3456-7890' }, messageEvent(), messageEvent({ sender: { id: '1@c.us', phone: '1', lid: null, name: null } })],
    [{ kind: 'chat', value: '6281234567890' }, messageEvent(), ackEvent],
    [{ kind: 'hasMedia', value: 'true' }, messageEvent({ type: 'image', media }), messageEvent()],
    [{ kind: 'session', value: 'sales, default' }, messageEvent(), messageEvent({}, { session: 'other' })],
    [{ kind: 'provider', value: 'waha' }, messageEvent(), messageEvent({}, { provider: 'wawp' })],
    [
      { kind: 'conversationState', value: 'ask-email' },
      messageEvent({}, { conversation: inState('ask-email') }),
      messageEvent({}, { conversation: inState('Ask-Email') }),
    ],
    [{ kind: 'noConversationState', value: '' }, messageEvent(), messageEvent({}, { conversation: inState('confirm') })],
  ];

  it('covers every rule kind of the core', () => {
    expect(new Set(cases.map(([rule]) => rule.kind))).toEqual(new Set(RULE_KINDS));
  });

  it.each(cases)('%o routes a matching event and not the other', async (rule, yes, no) => {
    expect(await matches(rule, yes)).toBe(true);
    expect(await matches(rule, no)).toBe(false);
  });

  it('a case-sensitive text rule does not fold case', async () => {
    expect(await matches({ kind: 'textContains', value: 'Price', caseSensitive: true }, messageEvent({ text: 'the price' }))).toBe(false);
    expect(await matches({ kind: 'textContains', value: 'Price', caseSensitive: true }, messageEvent({ text: 'the Price' }))).toBe(true);
  });
});

describe('whatsapp router: outputs and message', () => {
  const rules: RouterRule[] = [
    { kind: 'command', value: 'start' },
    { kind: 'keywords', value: 'price, harga', label: 'pricing' },
    { kind: 'textRegex', value: 'order (\\d+)(?: (\\w+))?' },
    { kind: 'event', value: 'message' },
  ];

  it('first match: one output, with msg.route {rule, label} and msg.command parsed', async () => {
    const router = await loadRouter({ rules, otherwise: true });
    const out = routeOnce(router, messageEvent({ text: '/Start  now please' }))!;
    expect(out).toHaveLength(5);
    expect(out.map((m) => m !== null)).toEqual([true, false, false, false, false]);
    expect(out[0]!.route).toEqual({ rule: 1, label: 'command /start' });
    expect(out[0]!.command).toEqual({ name: 'start', prefix: '/', args: ['now', 'please'], argsText: 'now please' });
    expect(out[0]!.payload.message.text).toBe('/Start  now please');
  });

  it('all matches: a copy per matching output, each with its own route, keyword and regex groups', async () => {
    const router = await loadRouter({ rules, mode: 'all', otherwise: true });
    const out = routeOnce(router, messageEvent({ text: 'harga order 12' }))!;
    expect(out.map((m) => m?.route ?? null)).toEqual([
      null,
      { rule: 2, label: 'pricing' },
      { rule: 3, label: 'text matches /order (\\d+)(?: (\\w+))?/' },
      { rule: 4, label: 'event is message' },
      null,
    ]);
    expect(out[1]!.keyword).toBe('harga');
    expect(out[2]!.match).toEqual(['12', '']);
    // separate copies: changing one does not change the others
    expect(out[1]).not.toBe(out[2]);
    expect(out[1]!.payload).not.toBe(out[2]!.payload);
  });

  it('otherwise: events no rule matched go to the last output, route.rule null', async () => {
    const router = await loadRouter({ rules: rules.slice(0, 2), otherwise: true });
    const out = routeOnce(router, ackEvent)!;
    expect(out.map((m) => m !== null)).toEqual([false, false, true]);
    expect(out[2]!.route).toEqual({ rule: null, label: 'otherwise' });
  });

  it('without otherwise, an event no rule matched is dropped without error', async () => {
    const router = await loadRouter({ rules: rules.slice(0, 2) });
    expect(routeOnce(router, ackEvent)).toBeUndefined();
    expect(callsOf(router, 'error')).toHaveLength(0);
  });
});

describe('whatsapp router: errors', () => {
  it('a bad regex is reported at deploy with its rule number, and the node shows it', async () => {
    const router = await loadRouter({
      rules: [
        { kind: 'command', value: 'start' },
        { kind: 'textRegex', value: '(unclosed' },
      ],
    });
    expect(callsOf(router, 'error').map((args) => String(args[0]))).toEqual([expect.stringMatching(/^Rule 2: invalid regular expression/)]);
    expect(lastStatus(router)).toMatchObject({ fill: 'red', shape: 'ring', text: expect.stringMatching(/^Rule 2/) });
    // and messages are refused with an error rather than silently dropped
    routeOnce(router, messageEvent());
    expect(callsOf(router, 'error')).toHaveLength(2);
  });

  it('a choice rule with a value outside its choices is refused at deploy', async () => {
    const router = await loadRouter({ rules: [{ kind: 'chatType', value: 'room' }] });
    expect(String(callsOf(router, 'error')[0][0])).toMatch(/^Rule 1: chatType must be one of/);
  });

  it.each([
    ['a string', 'hello'],
    ['an object', { text: 'hi' }],
    ['nothing', undefined],
  ])('payload %s: an error with the msg, nothing sent', async (_what, payload) => {
    const router = await loadRouter({ rules: [{ kind: 'event', value: 'message' }], otherwise: true });
    expect(routeOnce(router, payload)).toBeUndefined();
    const [[error, msg]] = callsOf(router, 'error');
    expect(String(error)).toContain('msg.payload is not a WhatsApp event: connect this after a whatsapp in node');
    expect(msg).toMatchObject({ topic: 'message' });
  });
});
