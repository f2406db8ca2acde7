/**
 * Node-RED: `whatsapp in` with "Combine messages sent in quick succession" (every request answered
 * at once, one message per burst), and conversation state: `whatsapp conversation` sets it, the
 * in node attaches it to the chat's next message, the router routes on it.
 */
import request from 'supertest';
import { clearMemoryStores } from '../../core/store/memory';
import { wahaTextMessage } from '../helpers/waha';
import { callsOf, eventually, helper, ourNodes, runtime, signed } from './helper';

const SECRET = 'conversation-s3cret';
const PATH = '/whatsapp/waha';
const gateway = { id: 'g1', type: 'whatsapp-gateway', name: 'gw', provider: 'waha' };
const CREDENTIALS = { g1: { secret: SECRET } };

const body = wahaTextMessage;

function post(id: string, text: string) {
  const signedBody = signed('waha', body(id, text), SECRET);
  return request(runtime.RED.httpNode).post(PATH).set(signedBody.headers).send(signedBody.bytes.toString('utf8'));
}

function collect(id: string): Array<Record<string, any>> {
  const received: Array<Record<string, any>> = [];
  helper.getNode(id).on('input', (msg) => received.push(msg));
  return received;
}

beforeAll(() => helper.startServer());
beforeEach(() => clearMemoryStores());
afterEach(() => helper.unload());
afterAll(() => helper.stopServer());

describe('whatsapp in: combine messages sent in quick succession', () => {
  const inNode = { id: 'in1', type: 'whatsapp in', gateway: 'g1', path: '', combine: true, combineQuiet: '0.3', combineMaxWait: '10', wires: [['out']] };

  it('answers each request at once and sends one message for the burst, texts joined, messages in order', async () => {
    await helper.load(ourNodes, [gateway, inNode, { id: 'out', type: 'helper' }], CREDENTIALS);
    const received = collect('out');
    for (const [id, text] of [
      ['B1', 'hi'],
      ['B2', 'I need'],
      ['B2', 'I need'],
      ['B3', 'the price of the blue one'],
    ]) {
      const res = await post(id, text);
      expect(res.status).toBe(200);
    }
    const [msg] = await eventually(() => {
      expect(received).toHaveLength(1);
      return received;
    });
    expect(msg.payload.message.text).toBe('hi\nI need\nthe price of the blue one');
    expect(msg.payload.messages.map((m: { text: string }) => m.text)).toEqual(['hi', 'I need', 'the price of the blue one']);
    expect(msg.event).toBe(msg.payload);
    // a later message is a burst of its own
    await post('B4', 'thanks');
    await eventually(() => expect(received.map((m) => m.payload.message.text)).toEqual(['hi\nI need\nthe price of the blue one', 'thanks']));
  });

  it('refuses bad bounds at deploy', async () => {
    await helper.load(ourNodes, [gateway, { ...inNode, combineQuiet: 'soon' }], CREDENTIALS);
    const errors = callsOf(helper.getNode('in1'), 'error').map((args) => String(args[0]));
    expect(errors.join()).toMatch(/Quiet window \(seconds\) must be a number, got "soon"/);
  });
});

describe('whatsapp conversation with whatsapp in and whatsapp router', () => {
  const flow = [
    gateway,
    { id: 'in1', type: 'whatsapp in', gateway: 'g1', path: '', wires: [['router']] },
    {
      id: 'router',
      type: 'whatsapp router',
      rules: [
        { kind: 'noConversationState', value: '' },
        { kind: 'conversationState', value: 'ask-email' },
      ],
      otherwise: false,
      outputs: 2,
      wires: [['askName'], ['saveEmail']],
    },
    { id: 'askName', type: 'whatsapp conversation', gateway: 'g1', action: 'set', state: 'ask-email', data: '{"name": "{{text}}"}', wires: [['out']] },
    { id: 'saveEmail', type: 'whatsapp conversation', gateway: 'g1', action: 'merge', data: '{"email": "{{text}}"}', wires: [['out']] },
    { id: 'out', type: 'helper' },
  ];

  it('a first message sets the state; the next is routed by it and merges its text into the data', async () => {
    await helper.load(ourNodes, flow, CREDENTIALS);
    const received = collect('out');
    await post('C1', 'Budi');
    await eventually(() => expect(received).toHaveLength(1));
    expect(received[0].conversation).toMatchObject({ state: 'ask-email', data: { name: 'Budi' } });
    expect(received[0].route.rule).toBe(1);

    await post('C2', 'budi@example.com');
    await eventually(() => expect(received).toHaveLength(2));
    expect(received[1].route.rule).toBe(2);
    expect(received[1].payload.conversation).toMatchObject({ state: 'ask-email', data: { name: 'Budi', email: 'budi@example.com' } });
  });

  it('without an event: the chat of msg.chatId (and msg.session); get reads, clear forgets; neither chat nor event is an error', async () => {
    // Ids unlike the action names: Node-RED reads a setting equal to a node id as a reference to it.
    const node = (id: string, action: string, extra: object = {}) => ({ id, type: 'whatsapp conversation', gateway: 'g1', action, wires: [['out']], ...extra });
    await helper.load(
      ourNodes,
      [gateway, node('c-set', 'set', { state: 'vip', data: '{"tier": 1}' }), node('c-get', 'get'), node('c-clear', 'clear'), { id: 'out', type: 'helper' }],
      CREDENTIALS,
    );
    const received = collect('out');
    const target = { chatId: '6289876543210@c.us', session: 'default' };
    helper.getNode('c-set').receive({ ...target });
    await eventually(() => expect(received).toHaveLength(1));
    helper.getNode('c-get').receive({ ...target });
    await eventually(() => expect(received).toHaveLength(2));
    expect(received[1].conversation).toMatchObject({ state: 'vip', data: { tier: 1 } });
    // the in node sees it on that chat's next message
    const inNode = { id: 'in1', type: 'whatsapp in', gateway: 'g1', path: '', wires: [['out']] };
    await helper.unload();
    await helper.load(ourNodes, [gateway, inNode, node('c-clear', 'clear'), node('c-get', 'get'), { id: 'out', type: 'helper' }], CREDENTIALS);
    const again = collect('out');
    await post('V1', 'hello');
    await eventually(() => expect(again).toHaveLength(1));
    expect(again[0].payload.conversation).toMatchObject({ state: 'vip' });
    helper.getNode('c-clear').receive({ ...target });
    helper.getNode('c-get').receive({ ...target });
    await eventually(() => expect(again).toHaveLength(3));
    expect(again[2].conversation).toBeNull();
    helper.getNode('c-get').receive({ payload: 'no chat' });
    await eventually(() =>
      expect(
        callsOf(helper.getNode('c-get'), 'error')
          .map((args) => String(args[0]))
          .join(),
      ).toMatch(/msg.event is not a WhatsApp event and msg.chatId is not set/),
    );
  });

  it('says at deploy what is wrong with its settings', async () => {
    await helper.load(ourNodes, [gateway, { id: 'c1', type: 'whatsapp conversation', gateway: 'g1', action: 'set', state: '' }], CREDENTIALS);
    expect(
      callsOf(helper.getNode('c1'), 'error')
        .map((args) => String(args[0]))
        .join(),
    ).toMatch(/the state name is empty/);
  });
});
