/**
 * Issue 14 in a real Node-RED (4.1 on Node 20, 5 on Node 22), the package installed as a user
 * installs it: "combine messages sent in quick succession" on `whatsapp in` (three quick signed
 * messages give one message with the joined text; a burst held across a full deploy is sent by the
 * node's next instance), and a three-step lead capture (name → email → confirm, each step routed by
 * the conversation state that `whatsapp send` sets) ending with one row in a CSV file, its replies
 * delivered to the sandbox gateway.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers } from '../../../core/providers';
import { storedValuesOf } from '../../../core/send';
import { SandboxGateway } from '../../../sandbox/gateway';
import { wahaTextMessage } from '../../helpers/waha';
import { withSignedTimeNow } from '../../helpers/signed-time';
import { fileNode, installEngines, installPackage, jsonataNode, NodeRed, packPackage, postSigned, readJsonLines, until } from './runtime';

const SECRET = 'conversation-engine-hmac-3c9a';
const BURST_PATH = '/burst/waha';
const LEAD_PATH = '/lead/waha';
const CHAT = '6289876543210@c.us';

let counter = 0;
/** The WAHA text fixture as a new message saying `text`, signed at the time of sending. */
function message(text: string, id = `M${Date.now()}${counter++}`): Buffer {
  const body = wahaTextMessage(id, text);
  return Buffer.from(JSON.stringify(withSignedTimeNow(providers.waha, body, Date.now())));
}

function flows(sandbox: SandboxGateway, burstFile: string, csvFile: string): object[] {
  const tab = { id: 'tab-convo', type: 'tab', label: 'waflow burst and lead capture' };
  const z = tab.id;
  const { settings, secrets } = storedValuesOf(providers.waha, 'nodeRed', { ...sandbox.configFor('waha'), secret: SECRET });
  const gateway = { id: 'gw-convo', type: 'whatsapp-gateway', name: 'convo', provider: 'waha', ...settings, credentials: secrets };
  const send = (id: string, template: string, then: object, wires: string[] = []) => ({
    id,
    type: 'whatsapp send',
    z,
    gateway: gateway.id,
    template,
    replyTo: 'chat',
    ...then,
    wires: [wires, []],
  });
  // Node ids unlike any state name: Node-RED reads a setting equal to a node id as a reference to it.
  return [
    tab,
    gateway,
    // ---- burst: in (1 s quiet window) → one JSON line per message that reaches the flow
    {
      id: 'in-burst',
      type: 'whatsapp in',
      z,
      gateway: gateway.id,
      path: BURST_PATH,
      combine: true,
      combineQuiet: '1',
      combineMaxWait: '10',
      combineMaxCount: '20',
      wires: [['burst-fields']],
    },
    jsonataNode('burst-fields', z, '{"text": payload.message.text, "count": $count(payload.messages), "id": payload.message.id}', 'burst-file'),
    fileNode('burst-file', z, burstFile),
    // ---- lead capture: each step routed by the state the previous reply set
    { id: 'in-lead', type: 'whatsapp in', z, gateway: gateway.id, path: LEAD_PATH, wires: [['lead-router']] },
    {
      id: 'lead-router',
      type: 'whatsapp router',
      z,
      rules: [
        { kind: 'noConversationState', value: '' },
        { kind: 'conversationState', value: 'ask-name' },
        { kind: 'conversationState', value: 'ask-email' },
        { kind: 'conversationState', value: 'confirm' },
      ],
      mode: 'first',
      otherwise: false,
      outputs: 4,
      wires: [['send-ask-name'], ['send-ask-email'], ['send-ask-confirm'], ['send-confirmed', 'csv-row']],
    },
    send('send-ask-name', 'Hi! What is your name?', { thenConversation: 'set', thenState: 'ask-name' }),
    send('send-ask-email', 'Thanks {{text}}, your email?', { thenConversation: 'set', thenState: 'ask-email', thenData: '{"name": "{{text}}"}' }),
    send('send-ask-confirm', 'Send {{text}} to sales? (yes/no)', { thenConversation: 'set', thenState: 'confirm', thenData: '{"email": "{{text}}"}' }),
    send('send-confirmed', 'Saved, {{conversation.data.name}}!', { thenConversation: 'clear' }),
    // The row: name and email from the conversation data, phone from the event.
    {
      id: 'csv-row',
      type: 'change',
      z,
      rules: [
        {
          t: 'set',
          p: 'payload',
          pt: 'msg',
          tot: 'jsonata',
          to: 'payload.conversation.data.name & "," & payload.conversation.data.email & "," & payload.message.sender.phone',
        },
      ],
      wires: [['csv-file']],
    },
    { ...fileNode('csv-file', z, csvFile), encoding: 'utf8' },
  ];
}

let tarball = '';
let packDir = '';
let installed: { node22: string; nodeRed5: string; express5: string };
const sandbox = new SandboxGateway();

beforeAll(async () => {
  installed = installEngines();
  packDir = mkdtempSync(join(tmpdir(), 'waflow-pack-'));
  tarball = packPackage(packDir);
  await sandbox.start();
}, 600_000);

afterAll(async () => {
  await sandbox.stop();
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe.each([
  ['Node-RED 4', () => ({ node: process.execPath, redJs: require.resolve('node-red/red.js') })],
  ['Node-RED 5', () => ({ node: installed.node22, redJs: installed.nodeRed5 })],
])('%s, real runtime: burst buffer and conversation state', (label, engine) => {
  let red: NodeRed;
  let userDir = '';
  let burstFile = '';
  let csvFile = '';
  const deployed = () => flows(sandbox, burstFile, csvFile);

  beforeAll(async () => {
    const { node, redJs } = engine();
    userDir = mkdtempSync(join(tmpdir(), 'waflow-node-red-convo-'));
    mkdirSync(join(userDir, 'out'));
    burstFile = join(userDir, 'out', 'bursts.jsonl');
    csvFile = join(userDir, 'out', 'leads.csv');
    installPackage(userDir, tarball);
    red = new NodeRed(node, redJs, userDir);
    await red.start();
    await red.deploy(deployed());
    await until('both in nodes to listen', async () => ((await red.routes()).length === 2 ? true : undefined));
    const version = JSON.parse(readFileSync(join(redJs, '..', 'package.json'), 'utf8')).version;
    expect(`${version} ${execFileSync(node, ['--version'], { encoding: 'utf8' }).trim()}`).toMatch(label === 'Node-RED 4' ? /^4\.1\./ : /^5\./);
  }, 300_000);

  beforeEach(() => sandbox.reset());

  afterAll(async () => {
    await red?.stop();
    if (process.env.WAFLOW_ENGINE_LOG) console.log(`${label} log:\n${red?.log}`);
    else if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  it('three quick messages (and a duplicate among them) are answered 200 each and reach the flow as one message with the joined text', async () => {
    const second = message('I need');
    for (const body of [message('hi'), second, second, message('the price of the blue one')]) {
      const reply = await postSigned(red, 'waha', body, SECRET, BURST_PATH);
      expect(reply.status).toBe(200);
    }
    const [line] = await until('the burst', async () => {
      const lines = readJsonLines(burstFile);
      return lines.length > 0 ? lines : undefined;
    });
    expect(line).toMatchObject({ text: 'hi\nI need\nthe price of the blue one', count: 3 });
    // A later message is a burst of its own: two lines in all, never one per fragment.
    expect((await postSigned(red, 'waha', message('thanks'), SECRET, BURST_PATH)).status).toBe(200);
    const lines = await until('the second burst', async () => {
      const found = readJsonLines(burstFile);
      return found.length >= 2 ? found : undefined;
    });
    expect(lines.map((l) => l.text)).toEqual(['hi\nI need\nthe price of the blue one', 'thanks']);
  });

  it("a full deploy while a burst is held: the node's next instance sends it, once, and the log says it was kept", async () => {
    const before = readJsonLines(burstFile).length;
    expect((await postSigned(red, 'waha', message('held across a deploy'), SECRET, BURST_PATH)).status).toBe(200);
    await red.deploy(deployed());
    const lines = await until('the held burst after the deploy', async () => {
      const found = readJsonLines(burstFile);
      return found.length > before ? found : undefined;
    });
    expect(lines.slice(before).map((l) => l.text)).toEqual(['held across a deploy']);
    expect(red.log).toMatch(/Kept 1 held message of 1 chat for this node's next start/);
    // Nothing more arrives later (a second copy would be the old instance's).
    await postSigned(red, 'waha', message('after'), SECRET, BURST_PATH);
    const after = await until('the next burst', async () => {
      const found = readJsonLines(burstFile);
      return found.length > before + 1 ? found : undefined;
    });
    expect(after.slice(before).map((l) => l.text)).toEqual(['held across a deploy', 'after']);
  });

  it('the in node removed while a burst is held: nothing is sent, the log says what was dropped and why', async () => {
    const before = readJsonLines(burstFile).length;
    expect((await postSigned(red, 'waha', message('held when the node goes'), SECRET, BURST_PATH)).status).toBe(200);
    await red.deploy(deployed().filter((node) => (node as { id: string }).id !== 'in-burst'));
    await until('the log line', async () =>
      /Dropped 1 held message of 1 chat: the node was removed before their burst closed/.test(red.log) ? true : undefined,
    );
    await red.deploy(deployed());
    await until('the in node back', async () => ((await red.routes()).length === 2 ? true : undefined));
    // Sent by neither the removed node nor its successor.
    expect((await postSigned(red, 'waha', message('after the removal'), SECRET, BURST_PATH)).status).toBe(200);
    const lines = await until('the next burst', async () => {
      const found = readJsonLines(burstFile);
      return found.length > before ? found : undefined;
    });
    expect(lines.slice(before).map((l) => l.text)).toEqual(['after the removal']);
  });

  it('lead capture: name → email → confirm, each step routed by the state, ends with one row in the CSV file and the state cleared', async () => {
    const steps: Array<[string, string]> = [
      ['hello', 'Hi! What is your name?'],
      ['Budi', 'Thanks Budi, your email?'],
      ['budi@example.com', 'Send budi@example.com to sales? (yes/no)'],
      ['yes', 'Saved, Budi!'],
    ];
    for (const [i, [text, reply]] of steps.entries()) {
      expect((await postSigned(red, 'waha', message(text), SECRET, LEAD_PATH)).status).toBe(200);
      // Each reply (and with it the state it sets) before the next message, as a person would answer.
      await until(`reply ${i + 1}`, async () => (sandbox.deliveries.length > i ? true : undefined));
      expect(sandbox.deliveries[i]).toMatchObject({ provider: 'waha', operation: 'sendText', chatId: CHAT, text: reply });
    }
    await until('the CSV row', async () => (existsSync(csvFile) && readFileSync(csvFile, 'utf8').trim() ? true : undefined));
    expect(readFileSync(csvFile, 'utf8')).toBe('Budi,budi@example.com,6289876543210\n');
    // Cleared: the next message starts over.
    expect((await postSigned(red, 'waha', message('hi again'), SECRET, LEAD_PATH)).status).toBe(200);
    await until('the restart reply', async () => (sandbox.deliveries.length > steps.length ? true : undefined));
    expect(sandbox.deliveries[steps.length]).toMatchObject({ text: 'Hi! What is your name?' });
    expect(readFileSync(csvFile, 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
