/**
 * n8n: "Combine Messages Sent in Quick Succession" on a trigger (every delivery answered at once,
 * workflowData only from the one that closes the burst), and conversation state: the WhatsApp
 * Conversation node sets it, the trigger attaches it to the next message, the router routes on it.
 */
import type { IDataObject, IWebhookResponseData } from 'n8n-workflow';
import { providers, clearMemoryStores } from '../../core';
import { clearReceivers } from '../../nodes/shared/receivers';
import { WahaTrigger } from '../../nodes/WahaTrigger/WahaTrigger.node';
import { WhatsAppConversation } from '../../nodes/WhatsAppConversation/WhatsAppConversation.node';
import { WhatsAppRouter } from '../../nodes/WhatsAppRouter/WhatsAppRouter.node';
import { WhatsAppSend } from '../../nodes/WhatsAppSend/WhatsAppSend.node';
import { SandboxGateway } from '../../sandbox/gateway';
import { TRIGGER_BASE } from '../../nodes/shared/trigger-description';
import { BURST_DEFAULTS } from '../../core/burst';
import { wahaTextMessage } from '../helpers/waha';
import { withSignedTimeNow } from '../helpers/signed-time';
import { executeContext, webhookContext, type Parameters } from './fakes';

const SECRET = 'n8n-conversation-secret';
const trigger = new WahaTrigger();
const conversation = new WhatsAppConversation();
const router = new WhatsAppRouter();

/** The WAHA text fixture as message `id` saying `text`, signed. */
function delivery(id: string, text: string) {
  const body = wahaTextMessage(id, text);
  const nowMs = Date.now();
  const rawBody = Buffer.from(JSON.stringify(withSignedTimeNow(providers.waha, body, nowMs)));
  const { headers } = providers.waha.sign({ body: rawBody, secret: SECRET, nowMs, options: {} });
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { rawBody, headers: { 'content-type': 'application/json', ...lower } };
}

function post(id: string, text: string, parameters: Parameters = {}) {
  const { ctx, response } = webhookContext({ nodeType: trigger, parameters, credentials: { webhookSecret: SECRET }, request: delivery(id, text) });
  const result = trigger.webhook!.call(ctx) as Promise<IWebhookResponseData>;
  return { result, response };
}

beforeEach(() => {
  clearReceivers();
  clearMemoryStores();
});

describe('trigger: Combine Messages Sent in Quick Succession', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());
  const combine = { combine: true, combineQuiet: 2, combineMaxWait: 10, combineMaxCount: 20 };

  it('answers every delivery at once; only the one that closes the burst starts an execution, with the joined text', async () => {
    const calls = [post('B1', 'hi', combine), post('B2', 'I need', combine), post('B3', 'the price of the blue one', combine)];
    await jest.advanceTimersByTimeAsync(0);
    // answered before any window has passed
    for (const { response } of calls) {
      expect(response.statusCode).toBe(200);
      expect(JSON.parse(response.body!)).toMatchObject({ ok: true, emitted: 1 });
    }
    await jest.advanceTimersByTimeAsync(2_000);
    const results = await Promise.all(calls.map((call) => call.result));
    expect(results.map((result) => result.noWebhookResponse)).toEqual([true, true, true]);
    expect(results.map((result) => result.workflowData?.[0].length ?? 0)).toEqual([0, 0, 1]);
    const item = results[2].workflowData![0][0].json as IDataObject & { message: IDataObject; messages: IDataObject[] };
    expect(item.message.text).toBe('hi\nI need\nthe price of the blue one');
    expect(item.messages.map((m) => m.text)).toEqual(['hi', 'I need', 'the price of the blue one']);
  });

  it('a duplicate is answered and dropped before the buffer', async () => {
    const calls = [post('D1', 'one', combine), post('D1', 'one', combine), post('D2', 'two', combine)];
    await jest.advanceTimersByTimeAsync(2_000);
    const results = await Promise.all(calls.map((call) => call.result));
    expect(JSON.parse(calls[1].response.body!)).toMatchObject({ duplicates: 1, emitted: 0 });
    const items = results.flatMap((result) => result.workflowData?.[0] ?? []);
    expect(items.map((item) => (item.json.message as IDataObject).text)).toEqual(['one\ntwo']);
  });

  it('answers at once even with "After the Workflow Has Taken the Event"', async () => {
    const call = post('L1', 'hello', { ...combine, respond: 'lastNode' });
    await jest.advanceTimersByTimeAsync(0);
    expect(call.response.statusCode).toBe(200);
    await jest.advanceTimersByTimeAsync(2_000);
    expect((await call.result).workflowData?.[0]).toHaveLength(1);
  });

  it('refuses bad bounds without an execution', async () => {
    const call = post('X1', 'x', { ...combine, combineQuiet: 20, combineMaxWait: 10 });
    const result = await call.result;
    expect(call.response.statusCode).toBe(500);
    expect(JSON.parse(call.response.body!).error).toMatch(/Maximum wait \(10 s\) must not be shorter than the quiet window \(20 s\)/);
    expect(result.workflowData).toBeUndefined();
  });

  it("shows the core's defaults", () => {
    const defaults = Object.fromEntries(trigger.description.properties.map((p) => [p.name, p.default]));
    expect([defaults.combineQuiet, defaults.combineMaxWait, defaults.combineMaxCount]).toEqual([
      BURST_DEFAULTS.quietMs / 1000,
      BURST_DEFAULTS.maxWaitMs / 1000,
      BURST_DEFAULTS.maxCount,
    ]);
    expect(TRIGGER_BASE.webhooks[0].responseData).toBe('noData');
  });
});

describe('conversation state across nodes of a workflow', () => {
  async function receiveOne(id: string, text: string): Promise<IDataObject> {
    const { result } = post(id, text);
    const items = (await result).workflowData?.[0] ?? [];
    expect(items).toHaveLength(1);
    return items[0].json;
  }

  async function runConversation(parameters: Parameters, json: IDataObject, workflowId?: string) {
    const ctx = executeContext({ nodeType: conversation, parameters, items: [{ json }], workflowId });
    return conversation.execute!.call(ctx);
  }

  it('set → the next message carries it → the router routes on it; clear removes it', async () => {
    const first = await receiveOne('C1', 'hi');
    expect(first.conversation).toBeUndefined();
    const [[set]] = await runConversation({ operation: 'set', conversationState: 'ask-email', conversationData: '{"name": "Budi"}' }, first);
    expect(set.json.conversation).toMatchObject({ state: 'ask-email', data: { name: 'Budi' } });

    const second = await receiveOne('C2', 'budi@example.com');
    expect(second.conversation).toMatchObject({ state: 'ask-email', data: { name: 'Budi' } });
    const rules = { rule: [{ kind: 'noConversationState' }, { kind: 'conversationState', states: 'ask-email' }] };
    const routed = await router.execute!.call(executeContext({ nodeType: router, parameters: { rules, fallbackOutput: false }, items: [{ json: second }] }));
    expect(routed.map((output) => output.length)).toEqual([0, 1]);

    const [[merged]] = await runConversation({ operation: 'merge', conversationData: '={{ JSON.stringify({ email: $json.message.text }) }}' }, second);
    expect(merged.json.conversation).toMatchObject({ state: 'ask-email', data: { name: 'Budi', email: 'budi@example.com' } });

    const [[cleared]] = await runConversation({ operation: 'clear' }, second);
    expect(cleared.json.conversation).toBeUndefined();
    expect((await receiveOne('C3', 'again')).conversation).toBeUndefined();
  });

  it('another workflow has its own conversations', async () => {
    const first = await receiveOne('W1', 'hi');
    await runConversation({ operation: 'set', conversationState: 'elsewhere' }, first, 'wf-other');
    expect((await receiveOne('W2', 'hi again')).conversation).toBeUndefined();
  });

  it('a chat ID given for an item that is not an event; a clear error when there is neither', async () => {
    const [[got]] = await runConversation(
      { operation: 'set', conversationState: 'x', chatId: '6289876543210@c.us', provider: 'waha', session: 'default' },
      { any: 1 },
    );
    expect(got.json.conversation).toMatchObject({ state: 'x' });
    expect((await receiveOne('N1', 'hi')).conversation).toMatchObject({ state: 'x' });
    await expect(runConversation({ operation: 'get' }, { any: 1 })).rejects.toThrow('Item 0 is not a WhatsApp event and no chat is given');
  });

  it('says what is wrong with bad data', async () => {
    const first = await receiveOne('E1', 'hi');
    await expect(runConversation({ operation: 'merge', conversationData: '{oops' }, first)).rejects.toThrow(/Conversation data is not valid JSON/);
    await expect(runConversation({ operation: 'set', conversationState: '' }, first)).rejects.toThrow(/the state name is empty/);
  });
});

describe('WhatsApp Send: Then Conversation State', () => {
  const sandbox = new SandboxGateway();
  const sendNode = new WhatsAppSend();
  beforeAll(() => sandbox.start());
  beforeEach(() => sandbox.reset());
  afterAll(() => sandbox.stop());

  async function sendAndThen(parameters: Parameters, json: IDataObject) {
    const ctx = executeContext({
      nodeType: sendNode,
      parameters: { provider: 'waha', text: 'Your email?', ...parameters },
      items: [{ json }],
      credentials: { baseUrl: sandbox.baseUrlFor('waha'), apiKey: String(sandbox.credentialsOf('waha').apiKey) },
    });
    return sendNode.execute!.call(ctx);
  }

  it('sets the state once sent; the next message carries it', async () => {
    const { result } = post('S1', 'Budi');
    const event = (await result).workflowData![0][0].json;
    const [[sent]] = await sendAndThen(
      { thenConversation: 'set', conversationState: 'ask-email', conversationData: '={{ JSON.stringify({ name: $json.message.text }) }}' },
      event,
    );
    expect(sandbox.deliveries).toHaveLength(1);
    expect(sent.json.conversation).toMatchObject({ state: 'ask-email', data: { name: 'Budi' } });
    const next = (await post('S2', 'budi@example.com').result).workflowData![0][0].json;
    expect(next.conversation).toMatchObject({ state: 'ask-email', data: { name: 'Budi' } });
  });

  it('bad data fails the item before anything is sent', async () => {
    const event = (await post('S3', 'x').result).workflowData![0][0].json;
    await expect(sendAndThen({ thenConversation: 'merge', conversationData: '[1, 2]' }, event)).rejects.toThrow(
      'Conversation data must be a JSON object, got an array',
    );
    expect(sandbox.deliveries).toHaveLength(0);
  });

  it('Leave As Is (the default) changes nothing and adds no field', async () => {
    const event = (await post('S4', 'x').result).workflowData![0][0].json;
    const [[sent]] = await sendAndThen({}, event);
    expect(sent.json.conversation).toBeUndefined();
    expect((await post('S5', 'y').result).workflowData![0][0].json.conversation).toBeUndefined();
  });
});
