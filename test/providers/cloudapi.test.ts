/**
 * WhatsApp Cloud API. The fixtures are Meta's webhook bodies, each named after the page it follows:
 * `meta-ref-<field>-<kind>.json` after developers.facebook.com/documentation/business-messaging/
 * whatsapp/webhooks/reference/<field>/<kind> (text, image, audio, video, document, sticker, location,
 * contacts, interactive, button, reaction, order, system, unsupported, group, status, errors;
 * smb_message_echoes; account_update), with Meta's example ids and numbers;
 * `meta-overview-batched-…` after the webhooks overview (a delivery batches entries, changes and
 * items); `dualhook-contacts-bsuid-webhooks-…` after dualhook.com/docs/contacts-bsuid-webhooks
 * (a user known by username only, from 2026-03-31). `meta-ref-messages-text.json` keeps Meta's
 * byte encoding (`\u00e1`, `\/`), which a signature is computed over.
 */
import { bodyDigest } from '../../core/http/digest';
import { cloudapiProvider as cloudapi } from '../../core/providers/cloudapi';
import { SANDBOX_PHONE_NUMBER_ID } from '../../core/providers/cloudapi/sandbox';
import { createReceiver } from '../../core/receive';
import { createClient } from '../../core/send';
import { SandboxGateway } from '../../sandbox/gateway';
import { RECEIVED_AT_MS, fixtureBytes, fixtureFiles, normalizeFixture } from '../helpers/fixtures';

const PNID = '106540352242922';
const ACCOUNT = { id: '15550783881', phone: '15550783881', lid: null, name: null };
const SHEENA = { id: '16505551234', phone: '16505551234', lid: null, name: 'Sheena Nelson' };
const SHEENA_CHAT = { id: '16505551234', type: 'direct', lid: null, phone: '16505551234' };
const GROUP = 'Y2FwaV9ncm91cDoxNzA1NTU1MDEzOToxMjAzNjM0MDQ2OTQyMzM4MjAZD';
const BUTTONS = 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA';
const SENT = 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBI3MDA3QkFGQ0U0QkQzRDdDMTMA';
const T = '2025-02-12T00:43:44.000Z'; // "1739321024"

const wamid = (tag: string) => `wamid.HBgLMTY1MDUwNzY1MjAVAgASGBQ${tag}AA=`;
const digest = (file: string) => bodyDigest(fixtureBytes('cloudapi', file));
const head = (providerEvent = 'messages') => ({ version: 1, provider: 'cloudapi', providerEvent, session: PNID, account: ACCOUNT });

const fromSheena = (tag: string, message: object, timestamp = T) => ({
  ...head(),
  event: 'message',
  id: `cloudapi:${PNID}:msg:${wamid(tag)}`,
  timestamp,
  message: { id: wamid(tag), type: 'text', direction: 'inbound', fromMe: false, text: '', chat: SHEENA_CHAT, sender: SHEENA, ...message },
});
const media = (mimeType: string, mediaId: string, extra: object = {}) => ({
  mimeType,
  size: null,
  fileName: null,
  url: null,
  path: mediaId,
  viewOnce: false,
  ...extra,
});
const REPLY_TO_BUTTONS = { replyTo: { id: BUTTONS, text: null } };
const ack = (status: string, timestamp: string, extra: object = {}, stored = status, wamid = SENT) => ({
  ...head(),
  event: 'message.ack',
  id: `cloudapi:${PNID}:ack:${wamid}:${stored}`,
  timestamp,
  ack: { messageIds: [wamid], status, chatId: '16505551234', participant: null, ...extra },
});
const unknownMessage = (tag: string) => ({ ...head(), event: 'unknown', id: `cloudapi:${PNID}:messages:${wamid(tag)}`, timestamp: T });
const reaction = (tag: string, emoji: string) => ({
  ...head(),
  event: 'message.reaction',
  id: `cloudapi:${PNID}:msg:${wamid(tag)}`,
  timestamp: T,
  reaction: { messageId: BUTTONS, emoji, removed: emoji === '', chatId: '16505551234', sender: SHEENA, fromMe: false },
});

const EXPECTED: Record<string, unknown[]> = {
  'meta-ref-messages-text.json': [fromSheena('TEXT00000001', { text: 'Olá! Is the lamp still available? https://shop.example/p/42' })],
  'meta-ref-messages-text-context.json': [fromSheena('TEXTREPLY0001', { text: 'Yes, the blue one please', ...REPLY_TO_BUTTONS }, '2025-02-12T00:44:50.000Z')],
  // A forward's context has no id: it quotes nothing.
  'meta-ref-messages-text-forwarded.json': [fromSheena('TEXTFWD00001', { text: 'Look at this offer' })],
  'meta-ref-messages-image.json': [fromSheena('IMAGE0000001', { type: 'image', text: 'This is the one', media: media('image/jpeg', '1003383421387256') })],
  'meta-ref-messages-audio-voice.json': [fromSheena('VOICE0000001', { type: 'voice', media: media('audio/ogg; codecs=opus', '1003383421387257') })],
  'meta-ref-messages-audio.json': [fromSheena('AUDIO0000001', { type: 'audio', media: media('audio/mpeg', '1003383421387258') })],
  'meta-ref-messages-video.json': [fromSheena('VIDEO0000001', { type: 'video', text: 'Unboxing', media: media('video/mp4', '1003383421387259') })],
  'meta-ref-messages-document.json': [
    fromSheena('DOCUMENT0001', {
      type: 'document',
      text: 'My invoice',
      media: media('application/pdf', '1003383421387260', { fileName: 'invoice-0042.pdf' }),
    }),
  ],
  'meta-ref-messages-sticker.json': [fromSheena('STICKER00001', { type: 'sticker', media: media('image/webp', '1003383421387261') })],
  'meta-ref-messages-location.json': [
    fromSheena('LOCATION0001', {
      type: 'location',
      location: { latitude: 37.483307, longitude: -122.148981, name: 'Meta Headquarters', address: '1 Hacker Way, Menlo Park, CA 94025' },
    }),
  ],
  'meta-ref-messages-contacts.json': [
    fromSheena('CONTACTS0001', {
      type: 'contact',
      contacts: [
        {
          name: 'John Doe',
          vcard: 'BEGIN:VCARD\nVERSION:3.0\nN:Doe;John;;;\nFN:John Doe\nTEL;type=MOBILE;waid=16505554321:+1 (650) 555-4321\nEND:VCARD',
          phones: ['+1 (650) 555-4321'],
        },
      ],
    }),
  ],
  'meta-ref-messages-interactive-button_reply.json': [fromSheena('BUTTONREPLY1', { text: 'Cancel', ...REPLY_TO_BUTTONS })],
  'meta-ref-messages-interactive-list_reply.json': [fromSheena('LISTREPLY001', { text: 'Priority Mail Express', ...REPLY_TO_BUTTONS })],
  'meta-ref-messages-button.json': [fromSheena('BUTTON000001', { text: 'Stop promotions', ...REPLY_TO_BUTTONS })],
  'meta-ref-messages-reaction.json': [reaction('REACTION0001', '👍')],
  'meta-ref-messages-reaction-removed.json': [reaction('REACTION0002', '')],
  'meta-ref-messages-order.json': [unknownMessage('ORDER0000001')],
  'meta-ref-messages-system.json': [unknownMessage('SYSTEM000001')],
  'meta-ref-messages-unsupported.json': [unknownMessage('UNSUPPORTED1')],
  'meta-ref-messages-group.json': [fromSheena('GROUP0000001', { text: 'Hello everyone', chat: { id: GROUP, type: 'group', lid: null, phone: null } })],
  // No phone: the business-scoped user id is the chat and the sender, the phone null.
  'dualhook-contacts-bsuid-webhooks-username-only.json': [
    fromSheena(
      'BSUID00000001',
      {
        text: 'Hi, I found you by username',
        chat: { id: 'US.13491208655302741918', type: 'direct', lid: null, phone: null },
        sender: { id: 'US.13491208655302741918', phone: null, lid: null, name: 'Pablo Morales' },
      },
      '2026-03-31T16:00:00.000Z',
    ),
  ],
  'meta-ref-messages-status-sent.json': [ack('sent', '2025-02-12T00:45:00.000Z')],
  'meta-ref-messages-status-delivered.json': [ack('delivered', '2025-02-12T00:45:01.000Z')],
  'meta-ref-messages-status-read.json': [ack('read', '2025-02-12T00:46:00.000Z')],
  'meta-ref-messages-status-failed.json': [
    {
      ...ack('error', '2025-02-12T00:45:01.000Z', {}, 'failed'),
      issues: [{ path: 'entry.0.changes.0.value.statuses.0.errors.0', message: '131047: Re-engagement message' }],
    },
  ],
  'meta-ref-messages-status-group-read.json': [
    ack('read', '2025-02-12T00:46:10.000Z', { chatId: GROUP, participant: '16505557777' }, 'read', 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBJHUk9VUDAwMDAwMDAwMDEA'),
  ],
  'meta-ref-messages-errors.json': [
    {
      ...head(),
      event: 'unknown',
      id: `cloudapi:${PNID}:messages:${digest('meta-ref-messages-errors.json')}:entry.0.changes.0`,
      timestamp: '2026-02-01T00:00:00.000Z',
      issues: [{ path: 'entry.0.changes.0.value.errors.0', message: '130429: Rate limit hit' }],
    },
  ],
  'meta-ref-smb_message_echoes.json': [
    {
      ...head('smb_message_echoes'),
      event: 'message',
      id: `cloudapi:${PNID}:msg:wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=`,
      timestamp: T,
      message: {
        id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQUFERjg0NDEzNDdFODU3MUMxMAA=',
        type: 'text',
        direction: 'outbound',
        fromMe: true,
        text: "Here's the info you requested! https://www.meta.com/quest/quest-3/",
        chat: SHEENA_CHAT,
        sender: ACCOUNT,
      },
    },
  ],
  'meta-ref-account_update.json': [
    {
      version: 1,
      provider: 'cloudapi',
      providerEvent: 'account_update',
      session: null,
      account: null,
      event: 'unknown',
      id: `cloudapi:-:account_update:${digest('meta-ref-account_update.json')}:entry.0.changes.0`,
      timestamp: '2026-02-01T00:00:00.000Z',
    },
  ],
  'meta-overview-batched-messages-and-status.json': [
    fromSheena('BATCH0000001', { text: 'First question' }, '2025-02-12T00:46:40.000Z'),
    fromSheena('BATCH0000002', { type: 'image', media: media('image/jpeg', '1003383421387262') }, '2025-02-12T00:46:41.000Z'),
    ack('delivered', '2025-02-12T00:46:42.000Z', {}, 'delivered', 'wamid.HBgLMTY1MDUwNzY1MjAVAgARGBJCQVRDSDAwMDAwMDAwMDEA'),
  ],
};

describe('WhatsApp Cloud API fixtures', () => {
  test('every fixture has an explicit expectation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureFiles('cloudapi'));
  });

  test.each(Object.keys(EXPECTED))('%s', (file) => {
    const events = normalizeFixture(cloudapi, file);
    expect(events.map(({ raw: _raw, ...rest }) => rest)).toEqual(EXPECTED[file]);
    for (const event of events) expect(event.raw).toEqual(JSON.parse(fixtureBytes('cloudapi', file).toString('utf8')));
  });
});

describe('WhatsApp Cloud API normalization', () => {
  const normalize = (body: object) => cloudapi.normalize(JSON.parse(JSON.stringify(body)), { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'd' });
  const delivery = (value: object) => ({
    object: 'whatsapp_business_account',
    entry: [{ id: 'waba', changes: [{ field: 'messages', value: { metadata: { display_phone_number: '15550783881', phone_number_id: PNID }, ...value } }] }],
  });

  test('a malformed item is unknown with its place in the batch; its neighbours are unaffected', () => {
    const events = normalize(
      delivery({
        messages: [
          { from: '1', id: 'wamid.OK', type: 'text', text: { body: 'hi' } },
          { from: '1', type: 'text' },
          { id: 'wamid.NOFROM', type: 'text' },
        ],
      }),
    );
    expect(events.map((e) => e.event)).toEqual(['message', 'unknown', 'unknown']);
    expect(events[1].issues?.map((i) => i.path)).toEqual(['entry.0.changes.0.value.messages.1.id']);
    expect(events[2].issues?.map((i) => i.path)).toEqual(['entry.0.changes.0.value.messages.2.from']);
    // Two broken items of one body are two events, not one event and a duplicate.
    expect(events[1].id).not.toBe(events[2].id);
  });

  test('an interactive reply of another kind (a Flow) is unknown, not a text', () => {
    const [event] = normalize(delivery({ messages: [{ from: '1', id: 'wamid.F', type: 'interactive', interactive: { type: 'nfm_reply', nfm_reply: {} } }] }));
    expect(event.event).toBe('unknown');
  });

  test('a body without whatsapp entries is unknown with the issue; one without `object` has no event name', () => {
    expect(normalize({ object: 'whatsapp_business_account', entry: [] })[0]).toMatchObject({ event: 'unknown', issues: [{ path: 'entry' }] });
    expect(normalize({ object: 'whatsapp_business_account' })[0].issues?.[0].path).toBe('entry');
    expect(cloudapi.eventNameOf({ entry: [] })).toBeNull();
  });
});

describe('WhatsApp Cloud API receive: signature, batching, dedupe', () => {
  const SECRET = 'meta-app-secret-3f9a';
  const batched = fixtureBytes('cloudapi', 'meta-overview-batched-messages-and-status.json');
  const post = (raw: Buffer, headers: Record<string, string> = cloudapi.sign({ body: raw, secret: SECRET, nowMs: 0 }).headers) => ({
    method: 'POST',
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    query: {},
    rawBody: raw,
  });

  test("sign() gives Meta's header: sha256= and the lower-case hex HMAC of the exact bytes", () => {
    const raw = fixtureBytes('cloudapi', 'meta-ref-messages-text.json');
    // Computed apart from this code: `openssl dgst -sha256 -hmac meta-app-secret-3f9a meta-ref-messages-text.json`.
    expect(cloudapi.sign({ body: raw, secret: SECRET, nowMs: 0 }).headers).toEqual({
      'X-Hub-Signature-256': 'sha256=d224ab83d1a030144f8f9aa4618805b54882c64b3e5dfc2c2ecb683f6b1e37c8',
    });
  });

  test('the bytes count: the same JSON re-serialized (no \\u escapes, no \\/) fails', async () => {
    const raw = fixtureBytes('cloudapi', 'meta-ref-messages-text.json');
    const receiver = createReceiver({ provider: 'cloudapi', secret: SECRET });
    const headers = cloudapi.sign({ body: raw, secret: SECRET, nowMs: 0 }).headers;
    expect((await receiver.receive(post(raw, headers))).status).toBe(200);
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(reserialized.equals(raw)).toBe(false);
    const result = await receiver.receive(post(reserialized, headers));
    expect([result.status, result.error]).toEqual([401, expect.stringContaining('X-Hub-Signature-256 does not match the body')]);
  });

  test('refusals say why, never the secret: missing, sha1 only, wrong prefix, wrong App Secret', async () => {
    const receiver = createReceiver({ provider: 'cloudapi', secret: SECRET });
    const errors = await Promise.all(
      [{}, { 'x-hub-signature': 'sha1=0123' }, { 'x-hub-signature-256': 'md5=00' }, cloudapi.sign({ body: batched, secret: 'another', nowMs: 0 }).headers].map(
        async (headers) => (await receiver.receive(post(batched, headers))).error,
      ),
    );
    expect(errors).toEqual([
      'Missing X-Hub-Signature-256 header',
      'Only X-Hub-Signature (sha1) was sent; X-Hub-Signature-256 (sha256) is required',
      'X-Hub-Signature-256 must read sha256=<hex digest>',
      'X-Hub-Signature-256 does not match the body: check the App Secret (Meta app dashboard → App settings → Basic), and that nothing re-encodes the body on the way',
    ]);
    expect(JSON.stringify(errors)).not.toContain(SECRET);
  });

  test('a batched delivery is three events; its redelivery none; a redelivery with one more item only that one', async () => {
    const receiver = createReceiver({ provider: 'cloudapi', secret: SECRET });
    const first = await receiver.receive(post(batched));
    expect(first.body).toEqual({ ok: true, received: 3, emitted: 3, duplicates: 0, filtered: 0 });
    expect(first.events.map((e) => e.event)).toEqual(['message', 'message', 'message.ack']);
    expect((await receiver.receive(post(batched))).body).toEqual({ ok: true, received: 3, emitted: 0, duplicates: 3, filtered: 0 });

    const body = JSON.parse(batched.toString('utf8'));
    body.entry[1].changes[0].value.statuses.push({
      id: body.entry[1].changes[0].value.statuses[0].id,
      status: 'read',
      timestamp: '1739321300',
      recipient_id: '16505551234',
    });
    const grown = await receiver.receive(post(Buffer.from(JSON.stringify(body))));
    expect(grown.body).toEqual({ ok: true, received: 4, emitted: 1, duplicates: 3, filtered: 0 });
    expect(grown.events.map((e) => e.ack?.status)).toEqual(['read']);
  });
});

describe('WhatsApp Cloud API handshake (GET hub.challenge)', () => {
  const TOKEN = 'verify-me-81c2';
  const receiver = createReceiver({ provider: 'cloudapi', verifyToken: TOKEN, secret: 'app-secret' });
  const get = (query: Record<string, unknown>) => receiver.receive({ method: 'GET', headers: {}, query: query as never, rawBody: undefined });

  test('the right token: 200, the challenge as plain text, nothing emitted', async () => {
    const result = await get({ 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1158201444' });
    expect([result.status, result.text, result.headers['content-type'], result.events]).toEqual([200, '1158201444', 'text/plain; charset=utf-8', []]);
  });

  test('anything else: a status and a reason, never the token', async () => {
    const answers = await Promise.all(
      [
        { 'hub.mode': 'subscribe', 'hub.verify_token': 'wrong', 'hub.challenge': '1' },
        { 'hub.mode': 'subscribe', 'hub.challenge': '1' },
        { 'hub.mode': 'subscribe', 'hub.verify_token': TOKEN },
        { 'hub.mode': 'unsubscribe', 'hub.verify_token': TOKEN, 'hub.challenge': '1' },
        { 'hub.mode': 'subscribe', 'hub.verify_token': [TOKEN, 'x'], 'hub.challenge': '1' },
        {},
      ].map(async (query) => {
        const result = await get(query);
        return [result.status, result.error, result.text];
      }),
    );
    expect(answers).toEqual([
      [403, 'hub.verify_token does not match the configured Verify Token', undefined],
      [403, 'Missing ?hub.verify_token= parameter', undefined],
      [400, 'Missing ?hub.challenge= parameter', undefined],
      [400, 'hub.mode is "unsubscribe"; expected "subscribe"', undefined],
      [400, expect.stringContaining('?hub.verify_token='), undefined],
      // Not a handshake: a GET like any other.
      [405, 'Method GET is not allowed; gateways deliver webhooks with POST', undefined],
    ]);
    expect(JSON.stringify(answers)).not.toContain(TOKEN);
  });

  test('no verify token configured: refused, saying where to set it', async () => {
    const result = await createReceiver({ provider: 'cloudapi' }).receive({
      method: 'GET',
      headers: {},
      query: { 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '1' },
      rawBody: undefined,
    });
    expect([result.status, result.error]).toEqual([403, expect.stringContaining('No verify token is configured here')]);
  });

  test('providers without a handshake keep answering GET with 405', async () => {
    const result = await createReceiver({ provider: 'waha' }).receive({ method: 'GET', headers: {}, query: { 'hub.mode': 'subscribe' }, rawBody: undefined });
    expect([result.status, result.headers.allow]).toEqual([405, 'POST']);
  });
});

describe('WhatsApp Cloud API send (Graph API, against the sandbox)', () => {
  const sandbox = new SandboxGateway();
  beforeAll(() => sandbox.start());
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.reset());
  const client = (extra: object = {}) => createClient('cloudapi', { ...sandbox.configFor('cloudapi'), http: { retries: 0 }, ...extra });

  test('sendText posts to /{phone_number_id}/messages with Bearer auth and quotes with context.message_id', async () => {
    const result = await client({ phoneNumberId: undefined }).sendText({ chatId: '16505551234', text: 'Hi!', replyTo: 'wamid.Q', session: PNID });
    expect(result).toMatchObject({ provider: 'cloudapi', chatId: '16505551234', quoted: true, messageId: sandbox.deliveries[0].messageId });
    expect(sandbox.deliveries[0]).toMatchObject({ operation: 'sendText', path: `/${PNID}/messages`, session: PNID, replyTo: 'wamid.Q', text: 'Hi!' });
    expect(sandbox.deliveries[0].body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'text',
      text: { body: 'Hi!' },
      context: { message_id: 'wamid.Q' },
    });
  });

  test('markRead posts status: read per message, from the configured number when the event names none', async () => {
    await client().markRead({ chatId: '16505551234', messageIds: ['wamid.A', 'wamid.B'] });
    expect(sandbox.deliveries.map((d) => [d.session, d.body])).toEqual([
      [SANDBOX_PHONE_NUMBER_ID, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.A' }],
      [SANDBOX_PHONE_NUMBER_ID, { messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.B' }],
    ]);
  });

  test("Graph's errors are restated with a hint and without the token; no number at all is said before any call", async () => {
    const failure = await client({ accessToken: 'wrong-token-77' })
      .sendText({ chatId: '1', text: 'x' })
      .catch((error: Error) => error);
    expect(JSON.stringify([String(failure), (failure as { response?: unknown }).response])).not.toContain('wrong-token-77');
    await expect(client({ accessToken: 'wrong-token-77' }).sendText({ chatId: '1', text: 'x' })).rejects.toThrow(
      'WhatsApp Cloud API answered 401 when sending to 1: Invalid OAuth access token - Cannot parse access token (the access token is invalid or expired',
    );
    await expect(client().sendText({ chatId: '1', text: 'x', session: '999' })).rejects.toThrow(
      /answered 400 .*Object with ID '999' does not exist.*check the Phone Number ID/,
    );
    await expect(client({ phoneNumberId: undefined }).sendText({ chatId: '1', text: 'x' })).rejects.toThrow('no phone number to send from');
    expect(sandbox.requests.length).toBe(3);
  });
});
