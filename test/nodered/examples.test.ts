/**
 * The example flows in examples/ (Node-RED's Import › Examples menu): they load in Node-RED with the
 * core nodes they use and do what their comments say.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import request from 'supertest';
import { PROVIDER_LIST } from '../../core/providers';
import { SandboxGateway } from '../../sandbox/gateway';
import { sandboxMediaBytes } from '../../core/providers/shared/sandbox-media';
import { fixtureBytes } from '../helpers/fixtures';
import { eventually, helper, ourNodes, runtime, sample, sentBy } from './helper';

/** The credentials the sandbox accepts by default, per provider. */
const SANDBOX = Object.fromEntries(PROVIDER_LIST.map((p) => [p.name, p.sandbox.credentials])) as Record<
  string,
  { apiKey?: string; instanceId?: string; accessToken?: string }
>;

const examplesDir = join(__dirname, '..', '..', 'examples');

/** Folders package.json's `files` leaves out of the npm package (`!examples/n8n`): not installed, so not listed. */
const notPacked: string[] = (require('../../package.json') as { files: string[] }).files
  .filter((entry) => entry.startsWith('!'))
  .map((entry) => join(__dirname, '..', '..', entry.slice(1)));

/** Every file Node-RED lists: it walks the installed examples/ recursively and offers each *.json as a flow. */
function listedByNodeRed(dir = examplesDir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (notPacked.includes(path)) return [];
    if (statSync(path).isDirectory()) return listedByNodeRed(path);
    return name.endsWith('.json') ? [path] : [];
  });
}

function example(name: string): Array<Record<string, any>> {
  return JSON.parse(readFileSync(join(examplesDir, name), 'utf8'));
}

const core = (path: string) => require(`@node-red/nodes/core/${path}`);

beforeAll(() => helper.startServer());
afterEach(() => helper.unload());
afterAll(() => helper.stopServer());

describe('examples/', () => {
  it('n8n workflows in examples/n8n are left out of the npm package, so Node-RED never lists them', () => {
    expect(notPacked).toContain(join(examplesDir, 'n8n'));
  });

  it('every JSON file Node-RED would list there is a Node-RED flow', () => {
    const files = listedByNodeRed();
    expect(files.map((file) => relative(examplesDir, file)).sort()).toEqual(
      expect.arrayContaining(['auto-reply-bot.json', 'log-everything.json', 'save-documents-to-folder.json', 'voice-note-to-file.json']),
    );
    for (const file of files) {
      const flow = JSON.parse(readFileSync(file, 'utf8'));
      const isFlow = Array.isArray(flow) && flow.every((node) => typeof node?.id === 'string' && typeof node?.type === 'string');
      // Node-RED shows every *.json under examples/, at any depth, in its Import › Examples menu.
      expect([relative(examplesDir, file), isFlow]).toEqual([relative(examplesDir, file), true]);
    }
  });

  it('auto-reply bot: /start, a price question and anything else each get their quoted reply through the gateway', async () => {
    const sandbox = new SandboxGateway();
    await sandbox.start();
    try {
      const gatewayId = 'a1c0ffee00000003';
      // The example's gateway, pointed at the sandbox; debug nodes become helper nodes.
      const flow = example('auto-reply-bot.json').map((node) => {
        if (node.id === gatewayId) return { ...node, apiUrl: sandbox.baseUrlFor('waha') };
        return node.type === 'debug' ? { id: node.id, z: node.z, type: 'helper' } : node;
      });
      await helper.load([...ourNodes, core('common/90-comment.js')], flow, { [gatewayId]: { apiKey: SANDBOX.waha.apiKey } });
      const failures: unknown[] = [];
      helper.getNode('a1c0ffee00000009').on('input', (msg) => failures.push(msg.error));

      const say = (text: string, id: string) => {
        const body = sample('waha') as { payload: Record<string, unknown> };
        body.payload = { ...body.payload, id: `false_6289876543210@c.us_${id}`, body: text };
        return request(runtime.RED.httpNode).post('/whatsapp/bot').set('content-type', 'application/json').send(JSON.stringify(body)).expect(200);
      };
      await say('/start', 'A1');
      await say('Berapa harga?', 'A2');
      await say('good morning', 'A3');
      await eventually(() => expect(sandbox.deliveries).toHaveLength(3));
      const replies = Object.fromEntries(sandbox.deliveries.map((d) => [d.replyTo, d]));
      expect(replies['false_6289876543210@c.us_A1'].text).toMatch(/^Hi Budi! Welcome/);
      expect(replies['false_6289876543210@c.us_A2'].text).toBe('Our prices: small 10.000, large 25.000. (You asked about "harga".)');
      expect(replies['false_6289876543210@c.us_A3'].text).toBe('You said: good morning');
      expect(sandbox.deliveries.every((d) => d.provider === 'waha' && d.chatId === '6289876543210@c.us')).toBe(true);
      expect(failures).toEqual([]);
    } finally {
      await sandbox.stop();
    }
  });

  it('AI-agent-ready bot: three quick messages get one answer, from the stand-in for the AI, with the joined text', async () => {
    const sandbox = new SandboxGateway();
    await sandbox.start();
    try {
      const gatewayId = 'c3c0ffee00000003';
      // A short quiet window, so the test does not wait out the example's 5 s.
      const flow = example('ai-agent-ready-bot.json').map((node) => {
        if (node.id === gatewayId) return { ...node, apiUrl: sandbox.baseUrlFor('waha') };
        if (node.type === 'whatsapp in') return { ...node, combineQuiet: '0.3' };
        return node.type === 'debug' ? { id: node.id, z: node.z, type: 'helper' } : node;
      });
      await helper.load([...ourNodes, core('common/90-comment.js'), core('function/15-change.js')], flow, { [gatewayId]: { apiKey: SANDBOX.waha.apiKey } });
      const say = (text: string, id: string) => {
        const body = sample('waha') as { payload: Record<string, unknown> };
        body.payload = { ...body.payload, id: `false_6289876543210@c.us_${id}`, body: text };
        return request(runtime.RED.httpNode).post('/whatsapp/ai').set('content-type', 'application/json').send(JSON.stringify(body)).expect(200);
      };
      await say('hi', 'AI1');
      await say('I need', 'AI2');
      await say('the price of the blue one', 'AI3');
      await eventually(() => expect(sandbox.deliveries).toHaveLength(1));
      expect(sandbox.deliveries[0]).toMatchObject({
        text: 'You sent 3 message(s): hi\nI need\nthe price of the blue one',
        replyTo: 'false_6289876543210@c.us_AI3',
      });
    } finally {
      await sandbox.stop();
    }
  });

  it('multi-step lead capture: name, email, confirmation, one CSV row, each reply through the gateway', async () => {
    const sandbox = new SandboxGateway();
    await sandbox.start();
    const dir = mkdtempSync(join(tmpdir(), 'waflow-example-'));
    const file = join(dir, 'leads.csv');
    try {
      const gatewayId = 'd4c0ffee00000003';
      const flow = example('multi-step-lead-capture.json').map((node) => {
        if (node.id === gatewayId) return { ...node, apiUrl: sandbox.baseUrlFor('waha') };
        if (node.type === 'file') return { ...node, filename: file };
        return node.type === 'debug' ? { id: node.id, z: node.z, type: 'helper' } : node;
      });
      await helper.load([...ourNodes, core('common/90-comment.js'), core('function/15-change.js'), core('storage/10-file.js')], flow, {
        [gatewayId]: { apiKey: SANDBOX.waha.apiKey },
      });
      const steps: Array<[string, string]> = [
        ['hello', 'Hi! What is your name?'],
        ['Budi', 'Thanks Budi! Your email?'],
        ['budi@example.com', 'Send budi@example.com to our sales team? (yes/no)'],
        ['yes', 'Thanks, Budi! We will be in touch.'],
      ];
      for (const [i, [text, reply]] of steps.entries()) {
        const body = sample('waha') as { payload: Record<string, unknown> };
        body.payload = { ...body.payload, id: `false_6289876543210@c.us_L${i}`, body: text };
        await request(runtime.RED.httpNode).post('/whatsapp/leads').set('content-type', 'application/json').send(JSON.stringify(body)).expect(200);
        await eventually(() => expect(sandbox.deliveries).toHaveLength(i + 1));
        expect(sandbox.deliveries[i].text).toBe(reply);
      }
      await eventually(() => expect(readFileSync(file, 'utf8')).toBe('Budi,budi@example.com,6289876543210\n'));
    } finally {
      await sandbox.stop();
    }
  });

  it('media reply: a reaction at once, then, after typing, the fetched photo with its caption, quoting the message', async () => {
    const sandbox = new SandboxGateway();
    const photo = Buffer.from(Array.from({ length: 5000 }, (_v, i) => (i * 13) % 256));
    const photoFile = join(mkdtempSync(join(tmpdir(), 'waflow-example-')), 'photo.jpg');
    writeFileSync(photoFile, photo);
    await sandbox.start();
    try {
      const gatewayId = 'c3c0ffee00000003';
      // The gateway pointed at the sandbox and a short typing time. The http request node loads
      // `got` by a dynamic import, which jest cannot run: a file in node gives the same Buffer here
      // (the real http request node runs in the real-engine suite's media flows).
      const flow = example('media-reply.json').map((node) => {
        if (node.id === gatewayId) return { ...node, apiUrl: sandbox.baseUrlFor('waha') };
        if (node.type === 'http request')
          return { id: node.id, z: node.z, type: 'file in', filename: photoFile, filenameType: 'str', format: '', allProps: false, wires: node.wires };
        if (node.id === 'c3c0ffee00000007') return { ...node, typingMs: '50' };
        return node.type === 'debug' ? { id: node.id, z: node.z, type: 'helper' } : node;
      });
      await helper.load([...ourNodes, core('common/90-comment.js'), core('storage/10-file.js')], flow, { [gatewayId]: { apiKey: SANDBOX.waha.apiKey } });
      const body = sample('waha') as { payload: Record<string, unknown> };
      body.payload = { ...body.payload, id: 'false_6289876543210@c.us_M1', body: 'a photo please' };
      await request(runtime.RED.httpNode).post('/whatsapp/media').set('content-type', 'application/json').send(JSON.stringify(body)).expect(200);
      await eventually(() => expect(sandbox.deliveries.map((d) => d.operation)).toEqual(['reaction', 'startTyping', 'stopTyping', 'sendImage']));
      const [reaction, , , image] = sandbox.deliveries;
      expect([reaction.reaction, reaction.messageId]).toEqual(['👍', 'false_6289876543210@c.us_M1']);
      expect(image).toMatchObject({ chatId: '6289876543210@c.us', replyTo: 'false_6289876543210@c.us_M1', text: 'Here is a photo for you, Budi!' });
      expect(image.media).toEqual(expect.objectContaining({ sha256: createHash('sha256').update(photo).digest('hex'), filename: 'photo.jpg' }));
    } finally {
      await sandbox.stop();
    }
  });

  it('log everything: one JSON line per event in the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waflow-example-'));
    const file = join(dir, 'events.jsonl');
    const flow = example('log-everything.json').map((node) => (node.type === 'file' ? { ...node, filename: file } : node));
    await helper.load([...ourNodes, core('storage/10-file.js'), core('common/90-comment.js')], flow);
    for (const event of ['message', 'message.ack'] as const) {
      await request(runtime.RED.httpNode)
        .post('/whatsapp/log')
        .set('content-type', 'application/json')
        .send(JSON.stringify(sample('waha', event)))
        .expect(200);
    }
    const lines = await eventually(() => {
      const text = readFileSync(file, 'utf8');
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line));
      expect(lines).toHaveLength(2);
      return lines;
    });
    expect(lines.map((line) => line.event)).toEqual(['message', 'message.ack']);
    expect(lines[0].raw).toBeDefined();
    expect(sentBy(helper.getNode('b2c0ffee00000004'))).toHaveLength(2);
  });

  describe('the media examples (Download media on, files saved to a folder)', () => {
    const sandbox = new SandboxGateway();
    beforeAll(() => sandbox.start());
    afterAll(() => sandbox.stop());
    beforeEach(() => sandbox.reset());

    /** The example with its gateway pointed at the sandbox and its folder moved to `dir`. */
    async function loadExample(file: string, folder: string, dir: string): Promise<string> {
      const flow = example(file).map((node) => {
        if (node.type === 'whatsapp-gateway') return { ...node, apiUrl: sandbox.baseUrlFor('waha') };
        if (node.type !== 'change') return node;
        return { ...node, rules: node.rules.map((rule: { to: string }) => ({ ...rule, to: rule.to.replace(`'${folder}/'`, `'${dir}/'`) })) };
      });
      const gateway = flow.find((node) => node.type === 'whatsapp-gateway')!.id;
      await helper.load(
        [...ourNodes, core('storage/10-file.js'), core('common/90-comment.js'), core('function/10-switch.js'), core('function/15-change.js')],
        flow,
        { [gateway]: { apiKey: SANDBOX.waha.apiKey } },
      );
      return flow.find((node) => node.type === 'whatsapp in')!.path;
    }

    const deliver = (path: string, fixture: string) =>
      request(runtime.RED.httpNode).post(path).set('content-type', 'application/json').send(fixtureBytes('waha', fixture).toString('utf8')).expect(200);

    it('voice note to file: the voice note is saved with the bytes the gateway served; a text is not', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'waflow-voice-'));
      const path = await loadExample('voice-note-to-file.json', 'voice-notes', dir);
      await deliver(path, 'spec-message-text.json');
      await deliver(path, 'spec-message-voice.json');
      // Until the file node has written it all (it shows in the folder before that).
      const saved = await eventually(() => {
        const files = readdirSync(dir);
        expect(files).toHaveLength(1);
        const served = sandbox.deliveries.find((d) => d.operation === 'downloadMedia')!;
        expect(readFileSync(join(dir, files[0])).equals(sandboxMediaBytes(served.messageId!))).toBe(true);
        return files[0];
      });
      expect(saved).toMatch(/^voice-.*\.ogg$/);
    });

    it('save every document: saved under the name the sender gave it; voice notes are not', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'waflow-documents-'));
      const path = await loadExample('save-documents-to-folder.json', 'whatsapp-documents', dir);
      await deliver(path, 'spec-message-voice.json');
      await deliver(path, 'spec-message-document.json');
      await eventually(() => {
        expect(readdirSync(dir)).toEqual(['invoice-januari.pdf']);
        expect(readFileSync(join(dir, 'invoice-januari.pdf')).equals(sandboxMediaBytes('false_6289876543210@c.us_3EB09D8C7B6A5F4E3D2C.pdf'))).toBe(true);
      });
    });
  });
});
