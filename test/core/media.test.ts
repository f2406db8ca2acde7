/**
 * Downloading a message's file through each gateway's API, against the sandbox gateway: the path
 * and auth each gateway wants, the bytes, a file above the limit, one that is gone, a refused key,
 * and `media.error` set with the event kept. No key or token ever appears in an error or the event.
 */
import type { NormalizedEvent } from '../../core/event/schema';
import { createMediaDownloader, downloadMedia, MediaDownloadError, safeFileName } from '../../core/media/download';
import { providerOf, type ProviderName } from '../../core/providers';
import { sandboxMediaBytes, sha256 } from '../../core/providers/shared/sandbox-media';
import type { ClientConfig } from '../../core/send/types';
import { SandboxGateway } from '../../sandbox/gateway';
import { mediaFixture, mediaKeyOf } from '../helpers/media';

const SECRETS = {
  waha: { apiKey: 'media-waha-key-7Qx' },
  wawp: { instanceId: 'media-instance', accessToken: 'media-wawp-token-7Qx' },
  openwa: { apiKey: 'media-openwa-key-7Qx' },
  waserver: { apiKey: 'media-waserver-key-7Qx' },
  evolution: { apiKey: 'media-evolution-key-7Qx' },
  cloudapi: { accessToken: 'media-cloudapi-token-7Qx', phoneNumberId: '106540352242922' },
} satisfies Record<ProviderName, ClientConfig>;
const SECRET_VALUES = Object.values(SECRETS).flatMap((config) =>
  [(config as ClientConfig).apiKey, (config as ClientConfig).accessToken].filter(Boolean),
) as string[];

const sandbox = new SandboxGateway({ credentials: SECRETS });
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

interface Case {
  name: ProviderName;
  label: string;
  apiVersion?: 'v4' | 'v5';
  voice: string;
  document: string;
  /** The path the file is asked for at (below the sandbox's root). */
  path: (event: NormalizedEvent) => string;
  /** The status a file that is gone gets (Evolution and Graph answer 400 for it). */
  goneStatus: number;
}

const CASES: Case[] = [
  {
    name: 'waha',
    label: 'WAHA',
    voice: 'spec-message-voice.json',
    document: 'spec-message-document.json',
    path: (event) => `/waha${new URL(event.message!.media!.url!).pathname}`,
    goneStatus: 404,
  },
  {
    name: 'wawp',
    label: 'Wawp',
    voice: 'spec-message-voice.json',
    document: 'spec-message-document.json',
    path: (event) => new URL(event.message!.media!.url!).pathname,
    goneStatus: 404,
  },
  {
    name: 'openwa',
    label: 'open-wa v5',
    voice: 'doc-media-message.json',
    document: 'spec-v4-onMessage-document.json',
    path: () => '/openwa/api/media/decrypt',
    goneStatus: 404,
  },
  {
    name: 'openwa',
    label: 'open-wa v4',
    apiVersion: 'v4',
    voice: 'spec-v4-onMessage-ptt.json',
    document: 'spec-v4-onMessage-document.json',
    path: () => '/openwa-v4/decryptMedia',
    goneStatus: 404,
  },
  {
    name: 'waserver',
    label: 'wa-server',
    voice: 'doc-message-audio-individual-inbound-voice.json',
    document: 'doc-message-document-individual-inbound-caption.json',
    path: () => '/waserver/media',
    goneStatus: 404,
  },
  {
    name: 'evolution',
    label: 'Evolution API',
    voice: 'src-2.3.6-messages-upsert-audioMessage-ptt.json',
    document: 'src-2.3.6-messages-upsert-documentMessage.json',
    path: (event) => `/evolution/chat/getBase64FromMediaMessage/${event.session}`,
    goneStatus: 400,
  },
  {
    name: 'cloudapi',
    label: 'Cloud API',
    voice: 'meta-ref-messages-audio-voice.json',
    document: 'meta-ref-messages-document.json',
    path: (event) => `/cloudapi/media-download/${event.message!.media!.path}`,
    goneStatus: 400,
  },
];

const configOf = (c: Case, override: ClientConfig = {}): ClientConfig => ({ ...sandbox.configFor(c.name, c.apiVersion ?? 'v5'), ...override });

function expectNoSecret(text: string): void {
  for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
}

describe.each(CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
  const provider = providerOf(c.name);

  it('downloads the voice note: the path, the gateway auth and the bytes the sandbox served', async () => {
    const event = mediaFixture(c.name, c.voice, sandbox);
    const file = await downloadMedia(provider, configOf(c), event);
    const served = sandbox.deliveries.filter((d) => d.operation === 'downloadMedia');
    expect(served).toHaveLength(1);
    expect((served[0].body as { sha256: string }).sha256).toBe(sha256(file.data));
    expect(file.data.equals(sandboxMediaBytes(mediaKeyOf(c.name, event)))).toBe(true);
    expect(file.size).toBe(file.data.length);
    expect(file.mimeType).toBe(event.message!.media!.mimeType);
    expect(sandbox.requests.map((r) => r.path)).toContain(c.path(event));
  });

  it("keeps the document's file name", async () => {
    const event = mediaFixture(c.name, c.document, sandbox);
    const file = await downloadMedia(provider, configOf(c), event);
    expect(event.message!.media!.fileName).toBeTruthy();
    expect(file.fileName).toBe(event.message!.media!.fileName);
    expect(file.data.length).toBeGreaterThan(0);
  });

  it('a file above the maximum size is refused, the streaming stopped at the limit', async () => {
    const event = mediaFixture(c.name, c.voice, sandbox);
    event.message!.media!.size = null; // the webhook did not say: only the download finds out
    sandbox.mediaOf(c.name)[mediaKeyOf(c.name, event)] = { data: Buffer.alloc(5000, 7), mimeType: 'audio/ogg' };
    const failure = downloadMedia(provider, configOf(c), event, { maxBytes: 1000 });
    await expect(failure).rejects.toThrow(MediaDownloadError);
    await expect(failure).rejects.toThrow(/limit of 1000 bytes|the limit is 1000 bytes/);
  });

  it('a size the webhook declares above the limit is refused before any request', async () => {
    const event = mediaFixture(c.name, c.voice, sandbox);
    event.message!.media!.size = 20 * 1024 * 1024;
    await expect(downloadMedia(provider, configOf(c), event)).rejects.toThrow('The file is 20 MB; the limit is 16 MB');
    expect(sandbox.requests).toEqual([]);
  });

  it('a file the gateway no longer has is a clear error with its status', async () => {
    const event = mediaFixture(c.name, c.voice, sandbox);
    sandbox.mediaOf(c.name)[mediaKeyOf(c.name, event)] = null;
    const error = (await downloadMedia(provider, configOf(c), event).catch((e: unknown) => e)) as MediaDownloadError;
    expect(error).toBeInstanceOf(MediaDownloadError);
    expect(error.status).toBe(c.goneStatus);
    expect(error.message).toMatch(/no longer has|not found|does not exist|Failed to download/i);
  });

  it('a refused key or token is a 401 that names neither the key sent nor the right one', async () => {
    const event = mediaFixture(c.name, c.voice, sandbox);
    const wrong = 'wrong-secret-9Zk';
    const config = configOf(c, c.name === 'wawp' || c.name === 'cloudapi' ? { accessToken: wrong } : { apiKey: wrong });
    const error = (await downloadMedia(provider, config, event).catch((e: unknown) => e)) as MediaDownloadError;
    expect(error).toBeInstanceOf(MediaDownloadError);
    // Wawp's files are on its own host only with the right token; a wrong one is refused there.
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(wrong);
    expectNoSecret(error.message);
  });

  it('on the receive side a failed download sets media.error, keeps the event and never throws', async () => {
    const good = mediaFixture(c.name, c.voice, sandbox);
    const gone = mediaFixture(c.name, c.document, sandbox);
    sandbox.mediaOf(c.name)[mediaKeyOf(c.name, gone)] = null;
    const download = createMediaDownloader(provider, configOf(c));
    const files = await download([good, gone]);
    expect(files[0]?.data.length).toBeGreaterThan(0);
    expect(good.message!.media!.error).toBeUndefined();
    expect(files[1]).toBeNull();
    expect(gone.message!.media!.error).toEqual(expect.any(String));
    expectNoSecret(JSON.stringify([good, gone]));
  });
});

describe('downloadMedia', () => {
  it('a message without media says so', async () => {
    const event = mediaFixture('waha', 'spec-message-voice.json');
    delete event.message!.media;
    await expect(downloadMedia(providerOf('waha'), sandbox.configFor('waha'), event)).rejects.toThrow('There is no media to download: this is a voice message');
  });

  it('WAHA: the URL host WAHA thinks it has is replaced by the API URL of the credentials', async () => {
    const event = mediaFixture('waha', 'spec-message-voice.json');
    expect(new URL(event.message!.media!.url!).host).toBe('localhost:3000');
    await downloadMedia(providerOf('waha'), sandbox.configFor('waha'), event);
    expect(sandbox.requests).toHaveLength(1);
  });

  it('WAHA: no media URL (WAHA did not download the file) is a clear error without a request', async () => {
    const event = mediaFixture('waha', 'spec-message-voice.json');
    event.message!.media!.url = null;
    await expect(downloadMedia(providerOf('waha'), sandbox.configFor('waha'), event)).rejects.toThrow('WAHA sent no media URL');
    expect(sandbox.requests).toEqual([]);
  });

  it('Wawp: a file on another host (presigned storage) gets no instance token', async () => {
    const event = mediaFixture('wawp', 'spec-message-voice.json', sandbox);
    const config = { ...sandbox.configFor('wawp'), baseUrl: 'https://api.wawp.net' };
    // The sandbox's Wawp host refuses a request without the token: proof that none went along.
    await expect(downloadMedia(providerOf('wawp'), config, event)).rejects.toMatchObject({ status: 401 });
  });

  it("Evolution: the webhook's own base64 (webhookBase64 on) is the file, without a call", async () => {
    const bytes = Buffer.from('inline voice note');
    const event = mediaFixture('evolution', 'src-2.3.6-messages-upsert-audioMessage-ptt.json');
    event.message!.media!.url = `data:audio/ogg;base64,${bytes.toString('base64')}`;
    const file = await downloadMedia(providerOf('evolution'), sandbox.configFor('evolution'), event);
    expect(file.data.equals(bytes)).toBe(true);
    expect(sandbox.requests).toEqual([]);
  });

  it('open-wa: without the raw body the message id is sent', async () => {
    const event = mediaFixture('openwa', 'doc-media-message.json');
    delete (event as { raw?: unknown }).raw;
    const file = await downloadMedia(providerOf('openwa'), sandbox.configFor('openwa'), event);
    expect(file.data.equals(sandboxMediaBytes(event.message!.id))).toBe(true);
  });

  it('wa-server without an API URL says where to set it', async () => {
    const event = mediaFixture('waserver', 'doc-message-audio-individual-inbound-voice.json');
    await expect(downloadMedia(providerOf('waserver'), { apiKey: 'x' }, event)).rejects.toThrow('To download media, set the wa-server API URL');
  });

  it("a sender's file name cannot leave the folder it is saved in", async () => {
    const event = mediaFixture('waha', 'spec-message-document.json');
    event.message!.media!.fileName = '../../etc/\u0000passwd';
    const file = await downloadMedia(providerOf('waha'), sandbox.configFor('waha'), event);
    expect(file.fileName).toBe('_.._etc_passwd');
    expect(event.message!.media!.fileName).toBe('../../etc/\u0000passwd');
    expect(safeFileName('..')).toBeNull();
    expect(safeFileName('C:\\temp\\a.pdf')).toBe('C:_temp_a.pdf');
  });

  it('a file name the gateway does not give is made from the type and id', async () => {
    const event = mediaFixture('waha', 'spec-message-voice.json');
    const file = await downloadMedia(providerOf('waha'), sandbox.configFor('waha'), event);
    expect(file.fileName).toMatch(/^voice-[A-Za-z0-9._-]+\.ogg$/);
  });
});
