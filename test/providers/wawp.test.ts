import { normalizedEventSchema } from '../../core/event/schema';
import type { WebhookRequest } from '../../core/http/request';
import { wawpProvider as wawpAdapter } from '../../core/providers/wawp';
import { contentDigest } from '../../core/providers/shared/build';
import { RECEIVED_AT_MS, fixtureBytes, fixtureFiles, normalizeFixture } from '../helpers/fixtures';
import { sampleBody } from '../../cli/samples';

const WAWP_ACCOUNT = { id: '6281234567890@c.us', phone: '6281234567890', lid: '98765432109876@lid', name: 'Toko Maju' };
const BUDI = { id: '6289876543210@c.us', phone: '6289876543210', lid: null, name: 'Budi' };
const RINA = '123456789012345@lid';
const ANDI_VCARD = 'BEGIN:VCARD\nVERSION:3.0\nN:Wijaya;Andi;;;\nFN:Andi Wijaya\nTEL;type=CELL;type=VOICE;waid=6281311112222:+62 813-1111-2222\nEND:VCARD';
const DEWI_VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Dewi Lestari\nTEL;type=CELL;waid=6285700001111:+62 857-0000-1111\nEND:VCARD';

const DOCS_ACCOUNT = { id: '11111111111@c.us', phone: '11111111111', lid: '123@lid', name: 'Instance' };
// The pages write the other party with the account's own placeholder number, so `me` pairs it with the account's LID.
const DOCS_PEER = { id: '11111111111@c.us', phone: '11111111111', lid: '123@lid', name: null };
/** The per-event pages share one envelope: session default, `evt_01...`, no payload time. */
const docsHead = (event: string, providerEvent: string, key: string) => ({
  version: 1,
  provider: 'wawp',
  event,
  providerEvent,
  id: `wawp:default:${key}`,
  session: 'default',
  account: DOCS_ACCOUNT,
  timestamp: '2021-10-18T14:38:10.123Z',
});

/** Hand-written expectation of every fixture (raw is checked separately: it is the body itself). */
const EXPECTED: Record<string, object[]> = {
  // "Any Message" page: no fromMe, but the id says "true_" and `from` is the account.
  'doc-message-any.json': [
    {
      version: 1,
      provider: 'wawp',
      event: 'message',
      providerEvent: 'message.any',
      id: 'wawp:default:msg:true_11111111111@c.us_...',
      session: 'default',
      account: { id: '11111111111@c.us', phone: '11111111111', lid: '123@lid', name: 'Instance' },
      timestamp: '2021-10-18T14:38:10.123Z', // no payload time: the envelope's (ms)
      message: {
        id: 'true_11111111111@c.us_...',
        type: 'text',
        direction: 'outbound',
        fromMe: true,
        text: 'Catching everything!',
        chat: { id: '22222222222@c.us', type: 'direct', lid: null, phone: '22222222222' },
        sender: { id: '11111111111@c.us', phone: '11111111111', lid: '123@lid', name: 'Instance' },
      },
    },
  ],
  // "Webhooks Overview" page: the event structure example.
  'doc-event-structure.json': [
    {
      version: 1,
      provider: 'wawp',
      event: 'message',
      providerEvent: 'message',
      id: 'wawp:your_instance_id:msg:msg_abc123',
      session: 'your_instance_id',
      account: { id: 'your_number@c.us', phone: null, lid: null, name: 'Your Bot' },
      timestamp: '2024-07-28T12:40:00.000Z',
      message: {
        id: 'msg_abc123',
        type: 'text', // payload.type "text"
        direction: 'inbound',
        fromMe: false,
        text: 'Hello!',
        chat: { id: '1234567890@c.us', type: 'direct', lid: null, phone: '1234567890' },
        sender: { id: '1234567890@c.us', phone: '1234567890', lid: null, name: null },
      },
    },
  ],
  'spec-message-vcards-object.json': [
    {
      version: 1,
      provider: 'wawp',
      event: 'message',
      providerEvent: 'message',
      id: 'wawp:wawp_7f3a9c:msg:false_6289876543210@c.us_3EB07C0A7C0A7C0A7C0A',
      session: 'wawp_7f3a9c',
      account: WAWP_ACCOUNT,
      timestamp: '2026-01-20T09:42:00.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB07C0A7C0A7C0A7C0A',
        type: 'contact',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: { id: '6289876543210@c.us', type: 'direct', lid: null, phone: '6289876543210' },
        sender: BUDI,
        // `vCards` is {"0": …, "1": …}: read in index order.
        contacts: [
          { name: 'Andi Wijaya', vcard: ANDI_VCARD, phones: ['+62 813-1111-2222'] },
          { name: 'Dewi Lestari', vcard: DEWI_VCARD, phones: ['+62 857-0000-1111'] },
        ],
        source: 'app',
      },
    },
  ],
  'spec-message-lid.json': [
    {
      version: 1,
      provider: 'wawp',
      event: 'message',
      providerEvent: 'message',
      id: 'wawp:wawp_7f3a9c:msg:false_123456789012345@lid_3EB0A1A1B2B2C3C3D4D4',
      session: 'wawp_7f3a9c',
      account: WAWP_ACCOUNT,
      timestamp: '2026-01-20T09:43:00.000Z',
      message: {
        id: 'false_123456789012345@lid_3EB0A1A1B2B2C3C3D4D4',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Apakah bisa COD?',
        chat: { id: RINA, type: 'direct', lid: RINA, phone: null }, // a LID hides the number and nothing is paired with it
        sender: { id: RINA, phone: null, lid: RINA, name: 'Rina' },
        source: 'app',
      },
    },
  ],
  // ---- Wawp's own per-event pages (api.wawp.net/en/docs/<event>): shapes unlike WAHA's, verbatim ----
  // The pages use one placeholder number for the account and the other party; the `false_` id still says inbound.
  'wawp-docs-message-reaction.json': [
    {
      ...docsHead('message.reaction', 'message.reaction', `reaction:false_11111111111@c.us_...:${contentDigest('❤️')}`),
      reaction: { messageId: 'false_11111111111@c.us_AAAAA', emoji: '❤️', removed: false, chatId: DOCS_PEER.id, sender: DOCS_PEER, fromMe: false },
    },
  ],
  'wawp-docs-message-revoked.json': [
    {
      ...docsHead('message.revoked', 'message.revoked', 'revoked:false_11111111111@c.us_...'),
      // The chat is read from the message id; revokedBy is who revoked it.
      revoked: { messageId: 'false_11111111111@c.us_...', chatId: DOCS_PEER.id, by: DOCS_PEER.id },
    },
  ],
  'wawp-docs-message-edited.json': [
    {
      ...docsHead('message.edited', 'message.edited', `edited:false_11111111111@c.us_...:${contentDigest('Updated message text!')}`),
      message: {
        id: 'false_11111111111@c.us_...',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Updated message text!', // newBody
        chat: { id: DOCS_PEER.id, type: 'direct', lid: '123@lid', phone: '11111111111' },
        sender: DOCS_PEER,
        editedMessageId: 'false_11111111111@c.us_...',
      },
    },
  ],
  'wawp-docs-message-ack.json': [
    {
      ...docsHead('message.ack', 'message.ack', 'ack:true_11111111111@c.us_...:read'),
      ack: { messageIds: ['true_11111111111@c.us_...'], status: 'read', chatId: DOCS_PEER.id, participant: null }, // chatId, no from
    },
  ],
  'wawp-docs-presence-update.json': [
    {
      ...docsHead('chat.presence', 'presence.update', 'presence:11111111111@c.us:11111111111@c.us:typing:evt_01...'),
      presence: { chatId: DOCS_PEER.id, participant: DOCS_PEER.id, status: 'typing', lastSeen: null },
    },
  ],
  'wawp-docs-group-v2-participants.json': [
    {
      ...docsHead('group.participants', 'group.v2.participants', 'group.v2.participants:evt_01...'),
      group: { id: '1234567890@g.us', action: 'promote', participants: [DOCS_PEER.id], by: null }, // index-keyed participants
    },
  ],
  'wawp-docs-poll-vote-failed.json': [
    {
      ...docsHead('poll.vote', 'poll.vote.failed', 'poll.vote.failed:evt_01...'),
      poll: { pollId: 'true_11111111111@c.us_...', voter: DOCS_PEER.id, selectedOptions: [], chatId: DOCS_PEER.id, failed: true },
    },
  ],
  'wawp-docs-call-received.json': [
    {
      ...docsHead('call', 'call.received', 'call:call_12345:offer'),
      call: { id: 'call_12345', from: DOCS_PEER.id, video: false, group: false, status: 'offer' },
    },
  ],
};

describe('Wawp fixtures', () => {
  test('every fixture has an explicit expectation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureFiles('wawp'));
  });

  test.each(Object.keys(EXPECTED))('%s', (file) => {
    const events = normalizeFixture(wawpAdapter, file);
    expect(events.map(({ raw: _raw, ...rest }) => rest)).toEqual(EXPECTED[file]);
    const body = JSON.parse(fixtureBytes('wawp', file).toString('utf8'));
    for (const event of events) expect(event.raw).toEqual(body);
  });

  test.each(fixtureFiles('wawp'))('%s normalizes without throwing and validates against v1', (file) => {
    const events = normalizeFixture(wawpAdapter, file);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(normalizedEventSchema.safeParse(event).success).toBe(true);
  });
});

describe('Wawp adapter', () => {
  test('names', () => {
    expect(wawpAdapter).toMatchObject({ name: 'wawp', displayName: 'Wawp', defaultPath: 'wawp' });
  });

  test('a WAHA-shaped body is read the WAHA way, as provider wawp', () => {
    const body = {
      id: 'evt_01kf0000000000000000000000',
      timestamp: 1768902240000,
      event: 'message.reaction',
      session: 'wawp_7f3a9c',
      payload: {
        id: 'false_6289876543210@c.us_R1',
        from: '6289876543210@c.us',
        fromMe: false,
        timestamp: 1768902240,
        reaction: { text: '❤️', messageId: 'true_6289876543210@c.us_M1' },
      },
    };
    const [event] = wawpAdapter.normalize(body, { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'x' });
    expect(event).toEqual({
      version: 1,
      provider: 'wawp',
      event: 'message.reaction',
      providerEvent: 'message.reaction',
      id: `wawp:wawp_7f3a9c:reaction:false_6289876543210@c.us_R1:${contentDigest('❤️')}`,
      session: 'wawp_7f3a9c',
      account: null,
      timestamp: '2026-01-20T09:44:00.000Z',
      reaction: {
        messageId: 'true_6289876543210@c.us_M1',
        emoji: '❤️',
        removed: false,
        chatId: '6289876543210@c.us',
        sender: { id: '6289876543210@c.us', phone: '6289876543210', lid: null, name: null },
        fromMe: false,
      },
      raw: body,
    });
  });

  test('eventNameOf and sampleBody', () => {
    expect(wawpAdapter.eventNameOf({ event: 'message.any' })).toBe('message.any');
    expect(wawpAdapter.eventNameOf({})).toBeNull();
    const sample = sampleBody(wawpAdapter, 'message');
    expect(wawpAdapter.normalize(sample!, { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'x' })[0]).toMatchObject({ provider: 'wawp', event: 'message' });
  });
});

describe('Wawp verification (query token)', () => {
  const secret = 'wawp-t0ken';
  const rawBody = Buffer.from('{"event":"message"}');
  const nowMs = Date.parse('2026-01-20T09:00:00.000Z');
  const verify = (query: Record<string, string>, options: { secret?: string; secretQueryParam?: string } = { secret }) => {
    const request: WebhookRequest = { method: 'POST', headers: {}, query, rawBody };
    return wawpAdapter.verify({ request, rawBody, nowMs, options });
  };

  test('the right token passes; sign() puts it in the query', () => {
    const signed = wawpAdapter.sign({ body: rawBody, secret, nowMs });
    expect(signed).toEqual({ headers: {}, query: { secret } });
    expect(verify(signed.query)).toEqual({ ok: true });
  });

  test('a wrong token fails', () => {
    expect(verify({ secret: 'guess' })).toEqual({ ok: false, error: 'The ?secret= token does not match' });
  });

  test('a missing token fails', () => {
    expect(verify({})).toEqual({ ok: false, error: 'Missing ?secret= token in the webhook URL' });
    expect(verify({ token: secret })).toEqual({ ok: false, error: 'Missing ?secret= token in the webhook URL' });
  });

  test('a custom parameter name', () => {
    const options = { secret, secretQueryParam: 'key' };
    expect(wawpAdapter.sign({ body: rawBody, secret, nowMs, options }).query).toEqual({ key: secret });
    expect(verify({ key: secret }, options)).toEqual({ ok: true });
    expect(verify({ secret }, options)).toEqual({ ok: false, error: 'Missing ?key= token in the webhook URL' });
    expect(verify({ key: 'nope' }, options)).toEqual({ ok: false, error: 'The ?key= token does not match' });
  });

  test('no secret configured: nothing is checked', () => {
    expect(verify({}, {})).toEqual({ ok: true });
  });
});
