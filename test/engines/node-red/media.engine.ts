/**
 * "Download media" in a real Node-RED (4.1 on Node 20, 5 on Node 22), the package installed from
 * its tarball: per gateway, "whatsapp in (Download media on) → change (payload = msg.media,
 * filename = msg.fileName) → file" saves each file to a folder; the sandbox gateway serves the
 * files with the gateway's auth. A voice note's saved bytes must hash (sha256) as the bytes the
 * sandbox served, a document must be saved under its own file name. Then the same through the
 * `whatsapp media` node, for a flow that downloads later. And both halves of issue 12 together:
 * a voice note downloaded into msg.media goes back through whatsapp send as a voice note, the bytes
 * the sandbox receives hashing as those it served; an image comes back with a caption; a
 * document's name is in a text reply (WAHA, Evolution API, Cloud API).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers } from '../../../core/providers';
import { storedValuesOf } from '../../../core/send';
import { SandboxGateway } from '../../../sandbox/gateway';
import { fixtureBytes } from '../../helpers/fixtures';
import { MEDIA_FILES, mediaFixture, pick } from '../../helpers/media';
import { withSignedTimeNow } from '../../helpers/signed-time';
import { installEngines, installPackage, NodeRed, packPackage, postSigned, until } from './runtime';

const SECRET = 'nr-engine-media-secret';
const KEYS = { waha: 'nr-engine-waha-key', waserver: 'nr-engine-waserver-key', evolution: 'nr-engine-evo-key', cloudapi: 'nr-engine-cloud-token' };
type Gateway = keyof typeof KEYS;
const FILES = pick(MEDIA_FILES, ['waha', 'waserver', 'evolution', 'cloudapi']);
const GATEWAYS = Object.keys(FILES) as Gateway[];

const sandbox = new SandboxGateway({
  credentials: {
    waha: { apiKey: KEYS.waha },
    waserver: { apiKey: KEYS.waserver },
    evolution: { apiKey: KEYS.evolution },
    cloudapi: { accessToken: KEYS.cloudapi, phoneNumberId: '106540352242922' },
  },
});

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** "payload = msg.media, filename = <dir>/<fileName>", then a file node writing the Buffer as it is. */
function saveToFolder(id: string, z: string, dir: string): object[] {
  return [
    {
      id,
      type: 'change',
      z,
      rules: [
        { t: 'set', p: 'filename', pt: 'msg', to: `$join(['${dir}', fileName], '/')`, tot: 'jsonata' },
        { t: 'set', p: 'payload', pt: 'msg', to: 'media', tot: 'msg' },
      ],
      wires: [[`${id}-file`]],
    },
    {
      id: `${id}-file`,
      type: 'file',
      z,
      filename: 'filename',
      filenameType: 'msg',
      appendNewline: false,
      createDir: true,
      overwriteFile: 'true',
      encoding: 'none',
      wires: [[]],
    },
  ];
}

function gatewayNode(id: string, z: string, provider: Gateway): object {
  const { settings, secrets } = storedValuesOf(providers[provider], 'nodeRed', { ...sandbox.configFor(provider), secret: SECRET });
  return { id, type: 'whatsapp-gateway', z, name: `media ${provider}`, provider, ...settings, credentials: secrets };
}

function flows(dir: string): object[] {
  const tab = { id: 'tab-media', type: 'tab', label: 'waflow media' };
  const perGateway = GATEWAYS.flatMap((provider) => [
    gatewayNode(`gw-${provider}`, 'tab-media', provider),
    {
      id: `in-${provider}`,
      type: 'whatsapp in',
      z: 'tab-media',
      gateway: `gw-${provider}`,
      path: `/media/${provider}`,
      downloadMedia: true,
      wires: [[`save-${provider}`]],
    },
    ...saveToFolder(`save-${provider}`, 'tab-media', join(dir, provider)),
  ]);
  // Downloading later: the in node without it, the whatsapp media node after it.
  const later = [
    { id: 'in-later', type: 'whatsapp in', z: 'tab-media', gateway: 'gw-waha', path: '/later/waha', wires: [['media-later']] },
    { id: 'media-later', type: 'whatsapp media', z: 'tab-media', gateway: 'gw-waha', wires: [['save-later'], []] },
    ...saveToFolder('save-later', 'tab-media', join(dir, 'later')),
  ];
  return [tab, ...perGateway, ...later, ...ROUND_TRIP.flatMap(echoFlow)];
}

/** Gateways that can both download a file and send one back. */
const ROUND_TRIP: Gateway[] = ['waha', 'evolution', 'cloudapi'];
const IMAGE_FILES: Record<string, string> = {
  waha: 'spec-message-image.json',
  evolution: 'src-2.3.4-messages-upsert-imageMessage-mediaUrl.json',
  cloudapi: 'meta-ref-messages-image.json',
};

/**
 * whatsapp in (Download media) → switch on the message type → a voice note goes back as a voice
 * note, an image as an image with a caption (both from msg.media), a document is named in a text.
 */
function echoFlow(provider: Gateway): object[] {
  const z = 'tab-media';
  const send = (id: string, settings: object) => ({
    id,
    type: 'whatsapp send',
    z,
    gateway: `gw-${provider}`,
    replyTo: 'quote',
    template: '',
    mediaProperty: 'media',
    ...settings,
    wires: [[], []],
  });
  return [
    {
      id: `echo-in-${provider}`,
      type: 'whatsapp in',
      z,
      gateway: `gw-${provider}`,
      path: `/echo/${provider}`,
      downloadMedia: true,
      wires: [[`echo-switch-${provider}`]],
    },
    {
      id: `echo-switch-${provider}`,
      type: 'switch',
      z,
      property: 'payload.message.type',
      propertyType: 'msg',
      rules: ['voice', 'image', 'document'].map((v) => ({ t: 'eq', v, vt: 'str' })),
      checkall: 'false',
      outputs: 3,
      wires: [[`echo-voice-${provider}`], [`echo-image-${provider}`], [`echo-doc-${provider}`]],
    },
    send(`echo-voice-${provider}`, { operation: 'sendVoice' }),
    send(`echo-image-${provider}`, { operation: 'sendImage', template: 'The same picture, {{name}}' }),
    send(`echo-doc-${provider}`, { operation: 'sendText', template: 'Got your file {{message.media.fileName}}' }),
  ];
}

function body(provider: Gateway, file: string): Buffer {
  return Buffer.from(JSON.stringify(withSignedTimeNow(providers[provider], JSON.parse(fixtureBytes(provider, file).toString('utf8')), Date.now())));
}

/** The file the flow wrote in `folder` for a message, once it is there and complete. */
async function savedFile(folder: string, name: string | null, size: number): Promise<{ name: string; data: Buffer }> {
  return until(`a ${size}-byte file in ${folder}`, () => {
    if (!existsSync(folder)) return undefined;
    const found = readdirSync(folder).find((file) => (name ? file === name : true));
    if (!found) return undefined;
    const data = readFileSync(join(folder, found));
    return data.length === size ? { name: found, data } : undefined;
  });
}

/** What the sandbox served last, and how big it was. */
function lastServed(): { sha256: string; size: number } {
  const served = sandbox.deliveries.filter((d) => d.operation === 'downloadMedia');
  expect(served.length).toBeGreaterThan(0);
  return served[served.length - 1].body as { sha256: string; size: number };
}

let tarball = '';
let packDir = '';
let installed: { node22: string; nodeRed5: string; express5: string };

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
])('%s: Download media', (_label, engine) => {
  let red: NodeRed;
  let userDir = '';
  let dir = '';

  beforeAll(async () => {
    const { node, redJs } = engine();
    userDir = mkdtempSync(join(tmpdir(), 'waflow-node-red-media-'));
    dir = join(userDir, 'files');
    mkdirSync(dir);
    installPackage(userDir, tarball);
    red = new NodeRed(node, redJs, userDir);
    await red.start();
    await red.deploy(flows(dir));
    await until('every in node to listen', async () => ((await red.routes()).length === GATEWAYS.length + 1 + ROUND_TRIP.length ? true : undefined));
  }, 300_000);

  afterAll(async () => {
    await red?.stop();
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  it.each(GATEWAYS)(
    '%s: voice note in → the saved msg.media hashes as the bytes the sandbox served; document in → saved under its file name',
    async (provider) => {
      sandbox.reset();
      const voice = await postSigned(red, provider, body(provider, FILES[provider].voice), SECRET, `/media/${provider}`);
      expect([voice.status, voice.json()]).toEqual([200, expect.objectContaining({ ok: true, emitted: 1 })]);
      const served = await until('the sandbox to serve the voice note', () => (sandbox.deliveries.length > 0 ? lastServed() : undefined));
      const saved = await savedFile(join(dir, provider), null, served.size);
      expect(sha256(saved.data)).toBe(served.sha256);

      const documentName = mediaFixture(provider, FILES[provider].document).message!.media!.fileName!;
      expect(documentName).toBeTruthy();
      expect((await postSigned(red, provider, body(provider, FILES[provider].document), SECRET, `/media/${provider}`)).status).toBe(200);
      const document = await until('the sandbox to serve the document', () => (sandbox.deliveries.length > 1 ? lastServed() : undefined));
      const savedDocument = await savedFile(join(dir, provider), documentName, document.size);
      expect(sha256(savedDocument.data)).toBe(document.sha256);
    },
  );

  it('whatsapp media: the in node without the download, the file fetched later, the same bytes', async () => {
    sandbox.reset();
    expect((await postSigned(red, 'waha', body('waha', FILES.waha.document), SECRET, '/later/waha')).status).toBe(200);
    const served = await until('the sandbox to serve the document', () => (sandbox.deliveries.length > 0 ? lastServed() : undefined));
    const saved = await savedFile(join(dir, 'later'), 'invoice-januari.pdf', served.size);
    expect(sha256(saved.data)).toBe(served.sha256);
  });

  /** What the sandbox received as a sent file (not an upload step), once there. */
  const sentFile = () => until('a file sent back', () => sandbox.deliveries.find((d) => d.media && d.operation !== 'uploadMedia'));

  it.each(ROUND_TRIP)(
    '%s: voice note in → Download media → sent back as a voice note: the bytes the sandbox receives hash as the bytes it served; an image comes back with a caption; a document is named in a text reply',
    async (provider) => {
      sandbox.reset();
      expect((await postSigned(red, provider, body(provider, FILES[provider].voice), SECRET, `/echo/${provider}`)).status).toBe(200);
      const voice = await sentFile();
      const servedVoice = lastServed();
      expect([voice.media!.sha256, voice.media!.size]).toEqual([servedVoice.sha256, servedVoice.size]);
      const voiceEvent = mediaFixture(provider, FILES[provider].voice);
      expect(voice.replyTo).toBe(voiceEvent.message!.id);

      sandbox.reset();
      expect((await postSigned(red, provider, body(provider, IMAGE_FILES[provider]), SECRET, `/echo/${provider}`)).status).toBe(200);
      const image = await sentFile();
      expect(image.media!.sha256).toBe(lastServed().sha256);
      expect(image.text).toMatch(/^The same picture, /);

      sandbox.reset();
      expect((await postSigned(red, provider, body(provider, FILES[provider].document), SECRET, `/echo/${provider}`)).status).toBe(200);
      const documentName = mediaFixture(provider, FILES[provider].document).message!.media!.fileName!;
      const reply = await until('the text reply', () => sandbox.deliveries.find((d) => d.text?.startsWith('Got your file')));
      expect(reply.text).toBe(`Got your file ${documentName}`);
    },
  );

  it('no key or token is in the flows Node-RED exported', async () => {
    const exported = (await red.get('/flows')).text;
    for (const key of Object.values(KEYS)) expect(exported).not.toContain(key);
  });
});
