/**
 * Rich replies (issue 12, out) in a real Node-RED, 4.1 on Node 20 and 5 on Node 22, with the packed
 * package installed as a user would: a signed message reaches `whatsapp in`, and `whatsapp send`
 * answers at the sandbox gateway with an image read from disk by a `file in` node (a Buffer in
 * msg.payload) or from a URL, a voice note, a reaction, or a text after "typing…". Checked at the
 * sandbox: the bytes it received (sha256), caption, quote, reaction, and that the typing indicator
 * came before the message and at least the configured time earlier. WAHA, Evolution API and
 * open-wa v4 (the gateways that take bytes).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshSample } from '../../../cli/fresh-sample';
import { sampleBody } from '../../../cli/samples';
import type { ProviderName } from '../../../core/event/schema';
import { providers } from '../../../core/providers';
import { createReceiver } from '../../../core/receive';
import { replyTargetOf, storedValuesOf, type ReplyTarget } from '../../../core/send';
import { SandboxGateway } from '../../../sandbox/gateway';
import { sandboxCredentials } from '../../helpers/sandbox';
import { installEngines, installPackage, NodeRed, packPackage, postSigned, ROOT, until } from './runtime';

const SECRET = 'media-webhook-secret-3b7e';
const CREDENTIALS = {
  wahaApiKey: 'waha-media-key-91c2',
  wawpInstanceId: 'i',
  wawpAccessToken: 't',
  openwaApiKey: 'openwa-media-key-4f0a',
  evolutionApiKey: 'evo-media-key-6d13',
};
const TYPING_MS = 400;

const GATEWAYS = [
  { key: 'waha', provider: 'waha', apiVersion: 'v5' },
  { key: 'evolution', provider: 'evolution', apiVersion: 'v5' },
  { key: 'openwa-v4', provider: 'openwa', apiVersion: 'v4' },
] as const;
type Gateway = (typeof GATEWAYS)[number];
const CASES = ['image', 'imageUrl', 'voice', 'react', 'typing'] as const;
type Case = (typeof CASES)[number];
const pathOf = (gateway: Gateway, which: Case) => `/media/${gateway.key}/${which}`;

const IMAGE = randomBytes(50_000);
const VOICE = randomBytes(20_000);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const sandbox = new SandboxGateway({ credentials: sandboxCredentials(CREDENTIALS) });
const files = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(IMAGE));
let fileUrl = '';
let installed: ReturnType<typeof installEngines>;
let packDir = '';
let tarball = '';

function flows(dir: string): object[] {
  const tab = { id: 'tab-media', type: 'tab', label: 'rich replies' };
  const nodes = GATEWAYS.flatMap((gateway) => {
    const { settings, secrets } = storedValuesOf(providers[gateway.provider], 'nodeRed', {
      ...sandbox.configFor(gateway.provider, gateway.apiVersion),
      secret: SECRET,
    });
    const gw = {
      id: `gw-${gateway.key}`,
      type: 'whatsapp-gateway',
      name: `media ${gateway.key}`,
      provider: gateway.provider,
      ...settings,
      credentials: secrets,
    };
    const id = (which: Case, part: string) => `${part}-${gateway.key}-${which}`;
    const inNode = (which: Case, next: string) => ({
      id: id(which, 'in'),
      type: 'whatsapp in',
      z: 'tab-media',
      gateway: gw.id,
      path: pathOf(gateway, which),
      events: ['message'],
      dedupe: true,
      includeRaw: false,
      wires: [[next]],
    });
    const fileIn = (which: Case, filename: string) => ({
      id: id(which, 'file'),
      type: 'file in',
      z: 'tab-media',
      filename,
      filenameType: 'str',
      format: '',
      allProps: false,
      wires: [[id(which, 'send')]],
    });
    const send = (which: Case, settings: object) => ({
      id: id(which, 'send'),
      type: 'whatsapp send',
      z: 'tab-media',
      gateway: gw.id,
      template: '',
      replyTo: 'quote',
      chatId: '',
      markRead: false,
      ...settings,
      wires: [[], []],
    });
    return [
      gw,
      inNode('image', id('image', 'file')),
      fileIn('image', join(dir, 'image.bin')),
      send('image', { operation: 'sendImage', template: 'Here you go, {{name}}', filename: 'receipt.jpg', mimetype: 'image/jpeg' }),
      inNode('imageUrl', id('imageUrl', 'send')),
      send('imageUrl', { operation: 'sendImage', template: 'From a URL', mediaUrl: fileUrl }),
      inNode('voice', id('voice', 'file')),
      fileIn('voice', join(dir, 'voice.bin')),
      send('voice', { operation: 'sendVoice' }),
      inNode('react', id('react', 'send')),
      send('react', { operation: 'react', emoji: '❤️' }),
      inNode('typing', id('typing', 'send')),
      send('typing', { template: 'typed for you', typing: 'fixed', typingMs: String(TYPING_MS) }),
    ];
  });
  return [tab, ...nodes];
}

/** A fresh inbound text message as the gateway posts it (fresh ids, so dedupe lets each one in). */
function messageBody(gateway: Gateway): Buffer {
  const body =
    gateway.key === 'openwa-v4'
      ? JSON.parse(readFileSync(join(ROOT, 'core', 'providers', 'openwa', 'fixtures', 'spec-v4-onMessage-text.json'), 'utf8'))
      : sampleBody(providers[gateway.provider], 'message')!;
  return Buffer.from(JSON.stringify(freshSample(body, Date.now())));
}

/** Posts a signed message to one case's in node; resolves with the message the reply must answer. */
async function trigger(red: NodeRed, gateway: Gateway, which: Case): Promise<ReplyTarget> {
  const body = messageBody(gateway);
  const [event] = (await createReceiver({ provider: gateway.provider as ProviderName }).receive({ method: 'POST', headers: {}, query: {}, rawBody: body }))
    .events;
  const res = await postSigned(red, gateway.provider, body, SECRET, pathOf(gateway, which));
  expect([gateway.key, which, res.status, res.json().emitted]).toEqual([gateway.key, which, 200, 1]);
  return replyTargetOf(event)!;
}

beforeAll(async () => {
  installed = installEngines();
  packDir = mkdtempSync(join(tmpdir(), 'waflow-pack-'));
  tarball = packPackage(packDir);
  await sandbox.start();
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  fileUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/photo.jpg`;
}, 600_000);

afterAll(async () => {
  await sandbox.stop();
  await new Promise((resolve) => files.close(resolve));
  if (packDir) rmSync(packDir, { recursive: true, force: true });
});

describe.each([
  ['Node-RED 4', () => ({ node: process.execPath, redJs: require.resolve('node-red/red.js') })],
  ['Node-RED 5', () => ({ node: installed.node22, redJs: installed.nodeRed5 })],
])('%s: rich replies at the sandbox', (label, engine) => {
  let red: NodeRed;
  let userDir = '';

  beforeAll(async () => {
    const { node, redJs } = engine();
    userDir = mkdtempSync(join(tmpdir(), 'waflow-media-'));
    const dir = join(userDir, 'files');
    mkdirSync(dir);
    writeFileSync(join(dir, 'image.bin'), IMAGE);
    writeFileSync(join(dir, 'voice.bin'), VOICE);
    installPackage(userDir, tarball);
    red = new NodeRed(node, redJs, userDir);
    await red.start();
    await red.deploy(flows(dir));
    await until('every in node to listen', async () => ((await red.routes()).length === GATEWAYS.length * CASES.length ? true : undefined));
  }, 300_000);

  afterAll(async () => {
    await red?.stop();
    if (process.env.WAFLOW_ENGINE_LOG) console.log(`${label} log:\n${red?.log}`);
    else if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  beforeEach(() => sandbox.reset());

  const deliveryFor = (gateway: Gateway, test: (d: (typeof sandbox.deliveries)[number]) => boolean) =>
    until(`${gateway.key}: the delivery at the sandbox`, () => sandbox.deliveries.find((d) => d.provider === gateway.provider && test(d)));

  it.each(GATEWAYS.map((g) => [g.key, g] as const))(
    '%s: an image from a file (a Buffer) with a caption, quoting: the same bytes arrive',
    async (_key, gateway) => {
      const target = await trigger(red, gateway, 'image');
      const delivery = await deliveryFor(gateway, (d) => !!d.media);
      expect(delivery.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), size: IMAGE.length }));
      expect(delivery.text).toMatch(/^Here you go, /);
      expect([delivery.chatId.replace(/@.*/, ''), delivery.replyTo]).toEqual([target.chatId.replace(/@.*/, ''), target.messageId]);
    },
  );

  it.each(GATEWAYS.map((g) => [g.key, g] as const))('%s: an image from a URL: the gateway downloads the same bytes', async (_key, gateway) => {
    await trigger(red, gateway, 'imageUrl');
    const delivery = await deliveryFor(gateway, (d) => !!d.media);
    expect(delivery.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), url: fileUrl }));
    expect(delivery.text).toBe('From a URL');
  });

  it.each(GATEWAYS.map((g) => [g.key, g] as const))('%s: a voice note from a file: the same bytes arrive', async (_key, gateway) => {
    await trigger(red, gateway, 'voice');
    const delivery = await deliveryFor(gateway, (d) => !!d.media);
    expect(delivery.media?.sha256).toBe(sha256(VOICE));
    expect(delivery.operation).toMatch(/voice|ptt|audio/i);
  });

  it.each(GATEWAYS.map((g) => [g.key, g] as const))('%s: reacts to the triggering message', async (_key, gateway) => {
    const target = await trigger(red, gateway, 'react');
    const delivery = await deliveryFor(gateway, (d) => d.reaction !== undefined && d.reaction !== null);
    expect([delivery.reaction, delivery.replyTo]).toEqual(['❤️', target.messageId]);
  });

  it.each(GATEWAYS.map((g) => [g.key, g] as const))(
    `%s: "typing…" reaches the sandbox before the message, at least ${TYPING_MS} ms earlier`,
    async (_key, gateway) => {
      await trigger(red, gateway, 'typing');
      const sent = await deliveryFor(gateway, (d) => d.text === 'typed for you');
      const mine = sandbox.deliveries.filter((d) => d.provider === gateway.provider);
      const typing = mine.findIndex((d) => /startTyping|sendPresence:composing|simulateTyping:on/.test(d.operation));
      expect(typing).toBeGreaterThanOrEqual(0);
      expect(typing).toBeLessThan(mine.indexOf(sent));
      expect(sent.at! - mine[typing].at!).toBeGreaterThanOrEqual(TYPING_MS);
    },
  );
});
