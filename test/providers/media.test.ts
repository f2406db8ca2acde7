/**
 * Rich replies per provider against the sandbox gateway: the path and auth each gateway documents,
 * the body, the file's bytes as the gateway received them (sha256), caption and quote, reactions,
 * locations, a missing capability, an oversized file and a 401.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderName } from '../../core/providers';
import { SANDBOX_PHONE_NUMBER_ID } from '../../core/providers/cloudapi/sandbox';
import type { Operation } from '../../core/providers/types';
import { createClient, GatewayError, MediaFileError, UnsupportedOperationError, type ClientConfig } from '../../core/send';
import { SandboxGateway } from '../../sandbox/gateway';

const sandbox = new SandboxGateway();
const IMAGE = randomBytes(4096);
const VOICE = randomBytes(3000);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const files = createServer((req, res) => {
  const body = req.url === '/voice.ogg' ? VOICE : IMAGE;
  res.writeHead(200, { 'content-type': req.url === '/voice.ogg' ? 'audio/ogg' : 'image/jpeg' }).end(body);
});
let filesUrl = '';

beforeAll(async () => {
  await sandbox.start();
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox.stop();
  await new Promise((resolve) => files.close(resolve));
});
beforeEach(() => sandbox.reset());

interface Case {
  provider: ProviderName;
  apiVersion?: 'v4' | 'v5';
  chatId: string;
  quoted: string;
  /** Whether it takes bytes (Wawp: URLs only). */
  bytes: boolean;
  paths: { image: string; voice: string; react: string | null; location: string };
  /** The image send's body as the gateway documents it (the file itself is recorded apart). */
  imageBody: (caption: string, quoted: string) => unknown;
  /** An operation this gateway lacks. */
  missing: Operation;
  /** A wrong credential, the way this gateway takes it. */
  wrong: Partial<ClientConfig>;
}

const CASES: Case[] = [
  {
    provider: 'waha',
    chatId: '6289876543210@c.us',
    quoted: 'false_6289876543210@c.us_3EB0A1',
    bytes: true,
    paths: { image: '/api/sendImage', voice: '/api/sendVoice', react: '/api/reaction', location: '/api/sendLocation' },
    imageBody: (caption, quoted) =>
      expect.objectContaining({ session: 'default', chatId: '6289876543210@c.us', caption, reply_to: quoted, file: '(recorded as media)' }),
    missing: 'sendAudio',
    wrong: { apiKey: 'wrong' },
  },
  {
    provider: 'wawp',
    chatId: '6289876543210@c.us',
    quoted: 'false_6289876543210@c.us_3EB0A2',
    bytes: false,
    paths: { image: '/v2/send/image', voice: '/v2/send/voice', react: null, location: '/v2/send/location' },
    imageBody: (caption, quoted) =>
      expect.objectContaining({
        instance_id: 'sandbox-instance',
        chatId: '6289876543210@c.us',
        caption,
        reply_to: quoted,
        file: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/image\.jpg$/), filename: 'photo.jpg', mimetype: 'image/jpeg' },
      }),
    missing: 'react',
    wrong: { accessToken: 'wrong' },
  },
  {
    provider: 'openwa',
    apiVersion: 'v4',
    chatId: '6289876543210@c.us',
    quoted: 'false_6289876543210@c.us_3EB0A3',
    bytes: true,
    paths: { image: '/sendImage', voice: '/sendPtt', react: '/react', location: '/sendLocation' },
    imageBody: (caption, quoted) => ({ args: { to: '6289876543210@c.us', file: '(recorded as media)', filename: 'photo.jpg', caption, quotedMsgId: quoted } }),
    missing: 'registerWebhook',
    wrong: { apiKey: 'wrong' },
  },
  {
    provider: 'evolution',
    chatId: '5511900000000@s.whatsapp.net',
    quoted: '3EB0C0FFEE',
    bytes: true,
    paths: {
      image: '/message/sendMedia/default',
      voice: '/message/sendWhatsAppAudio/default',
      react: '/message/sendReaction/default',
      location: '/message/sendLocation/default',
    },
    imageBody: (caption, quoted) => ({
      number: '5511900000000@s.whatsapp.net',
      mediatype: 'image',
      media: '(recorded as media)',
      mimetype: 'image/jpeg',
      fileName: 'photo.jpg',
      caption,
      quoted: { key: { id: quoted, remoteJid: '5511900000000@s.whatsapp.net' } },
    }),
    missing: 'resolveLid',
    wrong: { apiKey: 'wrong' },
  },
  {
    provider: 'cloudapi',
    chatId: '6289876543210',
    quoted: 'wamid.HBgNNjI4OTg3NjU0MzIxMBUCABIYFjNFQjBBMQA=',
    bytes: true,
    paths: {
      image: `/${SANDBOX_PHONE_NUMBER_ID}/messages`,
      voice: `/${SANDBOX_PHONE_NUMBER_ID}/messages`,
      react: `/${SANDBOX_PHONE_NUMBER_ID}/messages`,
      location: `/${SANDBOX_PHONE_NUMBER_ID}/messages`,
    },
    imageBody: (caption, quoted) => ({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '6289876543210',
      type: 'image',
      image: { id: expect.stringMatching(/^\d+$/), caption },
      context: { message_id: quoted },
    }),
    missing: 'sendAudio',
    wrong: { accessToken: 'wrong' },
  },
];

const configOf = (c: Case, extra: Partial<ClientConfig> = {}): ClientConfig => ({
  ...sandbox.configFor(c.provider, c.apiVersion ?? 'v5'),
  http: { retries: 0, timeoutMs: 5000 },
  ...extra,
});

describe.each(CASES.map((c) => [c.apiVersion ? `${c.provider} ${c.apiVersion}` : c.provider, c] as const))('%s media', (_name, c) => {
  const image = () =>
    c.bytes ? { data: IMAGE, mimetype: 'image/jpeg', filename: 'photo.jpg' } : { url: `${filesUrl}/image.jpg`, mimetype: 'image/jpeg', filename: 'photo.jpg' };

  it('sends an image with a caption as a quoted reply; the gateway receives the same bytes', async () => {
    const client = createClient(c.provider, configOf(c));
    const result = await client.sendMedia({ chatId: c.chatId, kind: 'image', file: image(), caption: 'Your receipt', replyTo: c.quoted });
    const delivery = sandbox.deliveries.at(-1)!;
    expect(delivery.path).toBe(c.paths.image);
    expect(delivery.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), size: IMAGE.length }));
    expect(delivery.text).toBe('Your receipt');
    expect(delivery.replyTo).toBe(c.quoted);
    expect(delivery.body).toEqual(c.imageBody('Your receipt', c.quoted));
    expect(result).toEqual(expect.objectContaining({ provider: c.provider, chatId: c.chatId, quoted: true, messageId: delivery.messageId }));
  });

  it('sends an image from a URL: the gateway downloads it, same bytes', async () => {
    const client = createClient(c.provider, configOf(c));
    await client.sendMedia({ chatId: c.chatId, kind: 'image', file: { url: `${filesUrl}/image.jpg` }, caption: null });
    const delivery = sandbox.deliveries.at(-1)!;
    expect(delivery.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), url: `${filesUrl}/image.jpg` }));
    expect(delivery.text).toBeNull();
  });

  it('sends a voice note; the bytes arrive unchanged and it carries no caption', async () => {
    const client = createClient(c.provider, configOf(c));
    const file = c.bytes ? { data: VOICE } : { url: `${filesUrl}/voice.ogg` };
    await client.sendMedia({ chatId: c.chatId, kind: 'voice', file, caption: 'ignored' });
    const delivery = sandbox.deliveries.at(-1)!;
    expect(delivery.path).toBe(c.paths.voice);
    expect(delivery.media?.sha256).toBe(sha256(VOICE));
    expect(delivery.text).toBeNull();
  });

  it('sends a location', async () => {
    const client = createClient(c.provider, configOf(c));
    await client.sendLocation({ chatId: c.chatId, latitude: -6.1754, longitude: 106.8272, name: 'Monas', address: 'Jakarta' });
    const delivery = sandbox.deliveries.at(-1)!;
    expect(delivery.path).toBe(c.paths.location);
    expect(delivery.chatId).toBe(c.chatId);
    expect(JSON.stringify(delivery.body)).toContain('-6.1754');
  });

  it('reacts to a message, and an empty emoji removes the reaction (or says the gateway cannot)', async () => {
    const client = createClient(c.provider, configOf(c));
    const react = (emoji: string) => client.react({ chatId: c.chatId, messageId: c.quoted, emoji });
    if (!c.paths.react) {
      await expect(react('👍')).rejects.toThrow(/does not support reactions/);
      expect(sandbox.requests).toEqual([]);
      return;
    }
    await react('👍');
    await react('');
    expect(sandbox.deliveries.map((d) => [d.path, d.replyTo, d.reaction])).toEqual([
      [c.paths.react, c.quoted, '👍'],
      [c.paths.react, c.quoted, ''],
    ]);
  });

  it(`refuses ${c.missing} by name, before any request`, async () => {
    const client = createClient(c.provider, configOf(c));
    const attempt =
      c.missing === 'sendAudio'
        ? client.sendMedia({ chatId: c.chatId, kind: 'audio', file: image() })
        : c.missing === 'react'
          ? client.react({ chatId: c.chatId, messageId: c.quoted, emoji: '👍' })
          : c.missing === 'resolveLid'
            ? client.resolveLid({ lid: '1@lid' })
            : client.webhooks(null);
    await expect(attempt).rejects.toBeInstanceOf(UnsupportedOperationError);
    expect(sandbox.requests).toEqual([]);
  });

  it('refuses a file above the configured maximum upload size, with both sizes, before any request', async () => {
    const client = createClient(c.provider, configOf(c, { maxUploadBytes: 1024 * 1024 }));
    const big = { data: Buffer.alloc(1024 * 1024 + 1, 1), mimetype: 'image/jpeg' };
    const attempt = client.sendMedia({ chatId: c.chatId, kind: 'image', file: big });
    await expect(attempt).rejects.toBeInstanceOf(MediaFileError);
    await expect(attempt).rejects.toThrow(/too large: 1 MB, more than the maximum upload size of 1 MB/);
    expect(sandbox.requests).toEqual([]);
  });

  it('a wrong credential is the gateway’s 401, as a GatewayError naming the provider', async () => {
    const client = createClient(c.provider, configOf(c, c.wrong));
    const attempt = client.sendMedia({ chatId: c.chatId, kind: 'image', file: image(), caption: 'x' });
    await expect(attempt).rejects.toBeInstanceOf(GatewayError);
    await expect(attempt).rejects.toMatchObject({ status: 401, provider: c.provider });
    expect(sandbox.deliveries).toEqual([]);
  });
});

describe('provider specifics', () => {
  it('WAHA Core refuses media: the error names the tier WAHA needs', async () => {
    sandbox.stateOf('waha').tier = 'CORE';
    const client = createClient('waha', { ...sandbox.configFor('waha'), http: { retries: 0 } });
    const attempt = client.sendMedia({ chatId: '1@c.us', kind: 'image', file: { data: IMAGE } });
    await expect(attempt).rejects.toMatchObject({ status: 422 });
    await expect(attempt).rejects.toThrow('WAHA Core (the free tier) does not send media: sending an image needs WAHA Plus');
    expect(sandbox.deliveries).toEqual([]);
  });

  it('Wawp takes files by URL only: bytes are refused before any request', async () => {
    const client = createClient('wawp', { ...sandbox.configFor('wawp'), http: { retries: 0 } });
    await expect(client.sendMedia({ chatId: '1@c.us', kind: 'image', file: { data: IMAGE } })).rejects.toThrow('Wawp takes files by URL only');
    expect(sandbox.requests).toEqual([]);
  });

  it('open-wa v5 has no media in its REST API: refused with the way to v4', async () => {
    const client = createClient('openwa', { ...sandbox.configFor('openwa', 'v5') });
    await expect(client.sendMedia({ chatId: '1@c.us', kind: 'image', file: { data: IMAGE } })).rejects.toThrow(
      'open-wa does not support sending images: this package sends it through the v4 EASY API only (set API Version to v4)',
    );
  });

  it('the Cloud API uploads bytes first (multipart), then sends the media id; a URL goes as link', async () => {
    const client = createClient('cloudapi', { ...sandbox.configFor('cloudapi'), http: { retries: 0 } });
    await client.sendMedia({
      chatId: '6289876543210',
      kind: 'document',
      file: { data: IMAGE, mimetype: 'application/pdf', filename: 'invoice.pdf' },
      caption: 'Invoice',
    });
    const [upload, sent] = sandbox.deliveries;
    expect(upload.operation).toBe('uploadMedia');
    expect(upload.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), mimetype: 'application/pdf', filename: 'invoice.pdf' }));
    expect(sent.body).toEqual(expect.objectContaining({ type: 'document', document: { id: upload.messageId, caption: 'Invoice', filename: 'invoice.pdf' } }));
    await client.sendMedia({ chatId: '6289876543210', kind: 'video', file: { url: `${filesUrl}/image.jpg` } });
    expect(sandbox.deliveries.at(-1)!.body).toEqual(expect.objectContaining({ type: 'video', video: { link: `${filesUrl}/image.jpg` } }));
  });

  it('the Cloud API shows typing through the answered message’s read receipt, and needs that message', async () => {
    const client = createClient('cloudapi', { ...sandbox.configFor('cloudapi'), http: { retries: 0 } });
    await client.startTyping({ chatId: '6289876543210', kind: 'typing', durationMs: 1000, messageId: 'wamid.X' });
    expect(sandbox.deliveries.at(-1)!.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: 'wamid.X',
      typing_indicator: { type: 'text' },
    });
    await expect(client.startTyping({ chatId: '6289876543210', kind: 'typing', durationMs: 1000 })).rejects.toThrow('only in answer to a received message');
  });

  it('Evolution holds the presence call for the delay; WAHA shows "recording…" through its presence API', async () => {
    const evolution = createClient('evolution', { ...sandbox.configFor('evolution'), http: { retries: 0 } });
    await evolution.startTyping({ chatId: '5511900000000', kind: 'recording', durationMs: 30 });
    expect(sandbox.deliveries.at(-1)!.body).toEqual({ number: '5511900000000', presence: 'recording', delay: 30 });
    const waha = createClient('waha', { ...sandbox.configFor('waha'), http: { retries: 0 } });
    await waha.startTyping({ chatId: '1@c.us', kind: 'recording', durationMs: 30 });
    await waha.stopTyping({ chatId: '1@c.us', kind: 'recording', durationMs: 30 });
    await waha.startTyping({ chatId: '1@c.us', kind: 'typing', durationMs: 30 });
    expect(sandbox.deliveries.slice(-3).map((d) => [d.operation, d.path])).toEqual([
      ['presence:recording', '/api/default/presence'],
      ['presence:paused', '/api/default/presence'],
      ['startTyping', '/api/startTyping'],
    ]);
  });

  it('an empty file, a non-http URL and a missing file are the flow’s mistakes, said before any request', async () => {
    const client = createClient('waha', { ...sandbox.configFor('waha') });
    await expect(client.sendMedia({ chatId: '1@c.us', kind: 'image', file: { data: Buffer.alloc(0) } })).rejects.toThrow('the file is empty');
    await expect(client.sendMedia({ chatId: '1@c.us', kind: 'image', file: { url: 'file:///etc/passwd' } })).rejects.toThrow('must be http(s)');
    await expect(client.sendMedia({ chatId: '1@c.us', kind: 'image', file: {} })).rejects.toThrow('no file');
    expect(sandbox.requests).toEqual([]);
  });

  it('wa-server is receive-only: every rich reply is refused with the reason', async () => {
    const client = createClient('waserver', {});
    await expect(client.sendMedia({ chatId: '1@c.us', kind: 'image', file: { data: IMAGE } })).rejects.toThrow(
      /^wa-server does not support sending images: it has no documented send API/,
    );
    await expect(client.react({ chatId: '1@c.us', messageId: 'x', emoji: '👍' })).rejects.toThrow(/^wa-server does not support reactions/);
  });
});
