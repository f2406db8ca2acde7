/**
 * "Download media" in Node-RED (test helper, compiled nodes from dist/), against the sandbox
 * gateway: the in node's option (a Buffer at msg.media, the gateway answered before the download,
 * a file that cannot be had still sends the event with media.error) and the `whatsapp media` node.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import type { ProviderName } from '../../core/event/schema';
import { sandboxMediaBytes } from '../../core/providers/shared/sandbox-media';
import { SandboxGateway } from '../../sandbox/gateway';
import { fixtureBytes } from '../helpers/fixtures';
import { MEDIA_FILES, mediaFixture, mediaKeyOf, pick } from '../helpers/media';
import { callsOf, eventually, helper, ourNodes, ourNodesWithHooks, runtime, sentBy, signed } from './helper';

const SECRET = 'nr-media-secret';
const KEYS = { waha: 'nr-media-waha-key-Z3', evolution: 'nr-media-evo-key-Z3', cloudapi: 'nr-media-cloud-token-Z3' };
const sandbox = new SandboxGateway({
  credentials: {
    waha: { apiKey: KEYS.waha },
    evolution: { apiKey: KEYS.evolution },
    cloudapi: { accessToken: KEYS.cloudapi, phoneNumberId: '106540352242922' },
  },
});
const FILES = pick(MEDIA_FILES, ['waha', 'evolution', 'cloudapi']);
type Provider = keyof typeof FILES;

beforeAll(async () => {
  await sandbox.start();
  await helper.startServer();
});
afterEach(() => helper.unload());
afterAll(async () => {
  await helper.stopServer();
  await sandbox.stop();
});
beforeEach(() => sandbox.reset());

function gateway(provider: ProviderName, apiUrl = sandbox.baseUrlFor(provider)) {
  return { id: 'g1', type: 'whatsapp-gateway', name: 'gw', provider, apiUrl };
}
function credentials(provider: Provider) {
  return { g1: { secret: SECRET, ...(provider === 'cloudapi' ? { accessToken: KEYS.cloudapi, verifyToken: 'v' } : { apiKey: KEYS[provider] }) } };
}
const inNode = (extra: object = {}) => ({ id: 'in1', type: 'whatsapp in', gateway: 'g1', path: '/media-test', wires: [['out']], ...extra });
const OUT = { id: 'out', type: 'helper' };

function deliver(provider: Provider, file: string) {
  const body = signed(provider, JSON.parse(fixtureBytes(provider, file).toString('utf8')), SECRET);
  return request(runtime.RED.httpNode).post('/media-test').query(body.query).set(body.headers).send(body.bytes.toString('utf8'));
}

async function firstMessage() {
  return eventually(() => {
    const [msg] = sentBy(helper.getNode('in1'));
    expect(msg).toBeDefined();
    return msg;
  });
}

describe('whatsapp in: Download media', () => {
  describe.each(Object.keys(FILES) as Provider[])('%s', (provider) => {
    it("on: the voice note's bytes at msg.media, with msg.mimeType and msg.fileName", async () => {
      await helper.load(ourNodes, [gateway(provider), inNode({ downloadMedia: true }), OUT], credentials(provider));
      expect((await deliver(provider, FILES[provider].voice)).body).toMatchObject({ ok: true, emitted: 1 });
      const msg = await firstMessage();
      const key = mediaKeyOf(provider, mediaFixture(provider, FILES[provider].voice));
      expect(Buffer.isBuffer(msg.media)).toBe(true);
      expect(msg.media.equals(sandboxMediaBytes(key))).toBe(true);
      expect(msg.mimeType).toBe(msg.payload.message.media.mimeType);
      expect(msg.fileName).toMatch(/\.\w+$/);
    });

    it("a document's file name; another property", async () => {
      await helper.load(ourNodes, [gateway(provider), inNode({ downloadMedia: true, mediaProperty: 'file' }), OUT], credentials(provider));
      await deliver(provider, FILES[provider].document);
      const msg = await firstMessage();
      expect(msg.fileName).toBe(msg.payload.message.media.fileName);
      expect(Buffer.isBuffer(msg.file)).toBe(true);
      expect(msg.media).toBeUndefined();
    });

    it('a file that is gone: the event is sent all the same, media.error saying why, no key', async () => {
      sandbox.mediaOf(provider)[mediaKeyOf(provider, mediaFixture(provider, FILES[provider].voice))] = null;
      await helper.load(ourNodes, [gateway(provider), inNode({ downloadMedia: true }), OUT], credentials(provider));
      expect((await deliver(provider, FILES[provider].voice)).status).toBe(200);
      const msg = await firstMessage();
      expect(msg.media).toBeUndefined();
      expect(msg.payload.message.media.error).toEqual(expect.any(String));
      for (const key of Object.values(KEYS)) expect(JSON.stringify(msg.payload)).not.toContain(key);
    });
  });

  it('the gateway has its answer while the file is still being fetched', async () => {
    const held: ServerResponse[] = [];
    const server = createServer((_req: IncomingMessage, res) => held.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      await helper.load(ourNodes, [gateway('waha', url), inNode({ downloadMedia: true }), OUT], credentials('waha'));
      const answer = await deliver('waha', FILES.waha.voice);
      expect(answer.status).toBe(200);
      // Answered, and the download has started but not finished: nothing sent yet.
      await eventually(() => expect(held).toHaveLength(1));
      expect(sentBy(helper.getNode('in1'))).toHaveLength(0);
      held[0].writeHead(200, { 'content-type': 'audio/ogg' }).end('voice');
      const msg = await firstMessage();
      expect(msg.media.toString()).toBe('voice');
    } finally {
      for (const res of held) res.destroy();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('"after the flow has taken the event": the file is part of the flow, the answer 200 when the flow is done with it', async () => {
    await helper.load(ourNodesWithHooks, [gateway('waha'), inNode({ downloadMedia: true, respond: 'flowDone', flowTimeout: '5' }), OUT], credentials('waha'));
    const res = await deliver('waha', FILES.waha.voice);
    expect([res.status, res.body]).toEqual([200, expect.objectContaining({ ok: true, emitted: 1 })]);
    // The answer came after the flow had the message, and the message had its file.
    const [msg] = sentBy(helper.getNode('in1'));
    expect(Buffer.isBuffer(msg.media)).toBe(true);
  });

  it('off (the default): no download', async () => {
    await helper.load(ourNodes, [gateway('waha'), inNode(), OUT], credentials('waha'));
    await deliver('waha', FILES.waha.voice);
    const msg = await firstMessage();
    expect(msg.media).toBeUndefined();
    expect(sandbox.requests).toEqual([]);
  });
});

describe('whatsapp media', () => {
  const mediaNode = (extra: object = {}) => ({ id: 'm1', type: 'whatsapp media', gateway: 'g1', wires: [['ok'], ['failed']], ...extra });
  const flow = (extra: object = {}) => [gateway('waha'), mediaNode(extra), { id: 'ok', type: 'helper' }, { id: 'failed', type: 'helper' }];

  it('output 1: the file of the event in msg.event at msg.media, with mimeType and fileName', async () => {
    await helper.load(ourNodes, flow(), credentials('waha'));
    const event = mediaFixture('waha', FILES.waha.document);
    const got = new Promise<any>((resolve) => helper.getNode('ok').on('input', resolve));
    helper.getNode('m1').receive({ payload: 'replaced by a template', event });
    const msg = await got;
    expect(msg.media.equals(sandboxMediaBytes(mediaKeyOf('waha', event)))).toBe(true);
    expect([msg.mimeType, msg.fileName]).toEqual(['application/pdf', 'invoice-januari.pdf']);
  });

  it('output 2: a file that is gone, msg.error with the status and no key', async () => {
    await helper.load(ourNodes, flow(), credentials('waha'));
    const event = mediaFixture('waha', FILES.waha.voice);
    sandbox.mediaOf('waha')[mediaKeyOf('waha', event)] = null;
    const failed = new Promise<any>((resolve) => helper.getNode('failed').on('input', resolve));
    helper.getNode('m1').receive({ payload: event });
    const msg = await failed;
    expect(msg.error).toMatchObject({ provider: 'waha', status: 404 });
    expect(JSON.stringify(msg.error)).not.toContain(KEYS.waha);
  });

  it('a message without an event goes to output 2 saying so', async () => {
    await helper.load(ourNodes, flow(), credentials('waha'));
    const failed = new Promise<any>((resolve) => helper.getNode('failed').on('input', resolve));
    helper.getNode('m1').receive({ payload: 'hello' });
    expect((await failed).error.message).toMatch(/no normalized WhatsApp event/);
  });

  it('a gateway without the API URL it needs says so at deploy', async () => {
    await helper.load(ourNodes, [{ ...gateway('waserver'), apiUrl: '' }, mediaNode()], { g1: { secret: SECRET } });
    expect(callsOf(helper.getNode('m1'), 'error').map((args) => String(args[0]))).toEqual(['To download media, set the wa-server API URL in the gateway']);
  });
});
