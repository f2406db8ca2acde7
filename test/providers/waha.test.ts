import { createHmac } from 'node:crypto';
import { CANONICAL_EVENTS, normalizedEventSchema } from '../../core/event/schema';
import { bodyDigest } from '../../core/http/digest';
import type { WebhookRequest } from '../../core/http/request';
import { wahaProvider as wahaAdapter } from '../../core/providers/waha';
import { contentDigest } from '../../core/providers/shared/build';
import { RECEIVED_AT_MS, fixtureBytes, fixtureFiles, normalizeFixture, normalizeOne } from '../helpers/fixtures';
import { sampleBody } from '../../cli/samples';

// People and chats of the spec fixtures.
const ACCOUNT = { id: '6281234567890@c.us', phone: '6281234567890', lid: '98765432109876@lid', name: 'Toko Maju' };
const BUDI = '6289876543210@c.us';
const SITI = '6281122334455@c.us';
const GROUP = '120363025246125244@g.us';
const RINA = '123456789012345@lid';
const budi = (name: string | null) => ({ id: BUDI, phone: '6289876543210', lid: null, name });
const siti = (name: string | null) => ({ id: SITI, phone: '6281122334455', lid: null, name });
const DIRECT_BUDI = { id: BUDI, type: 'direct', lid: null, phone: '6289876543210' };
const GROUP_CHAT = { id: GROUP, type: 'group', lid: null, phone: null };
// The doc page's examples.
const DOC_ID = 'true_11111111111@c.us_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const DOC_CONTACT = { id: '11111111111@c.us', phone: '11111111111', lid: null, name: null };
const RECEIVED_AT = '2026-02-01T00:00:00.000Z';

/** Bodies without an event id are keyed by the digest of their exact bytes. */
const digest = (file: string) => bodyDigest(fixtureBytes('waha', file));
/** The paths of the schema issues, in the schema's order. */
const issuesAt = (...paths: string[]) => paths.map((path) => ({ path, message: expect.any(String) }));

const head = { version: 1, provider: 'waha', session: 'default' };
const current = { ...head, account: ACCOUNT };
const legacy = { ...head, account: null };

// The engines' real shapes (devlikeapro/waha src/core/engines/{noweb,gows,webjs}/session.*.core.ts `toWAMessage`).
const ANDI = {
  name: 'Andi Wijaya',
  vcard: 'BEGIN:VCARD\nVERSION:3.0\nN:Wijaya;Andi;;;\nFN:Andi Wijaya\nTEL;type=CELL;type=VOICE;waid=6281311112222:+62 813-1111-2222\nEND:VCARD',
  phones: ['+62 813-1111-2222'],
};
const DEWI = {
  name: 'Dewi Lestari',
  vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Dewi Lestari\nTEL;type=CELL;waid=6285700001111:+62 857-0000-1111\nEND:VCARD',
  phones: ['+62 857-0000-1111'],
};
/** An inbound direct message from Budi with short id `mid`, at `timestamp`; `message` gives the rest. */
const fromBudi = (mid: string, timestamp: string, message: object, providerEvent = 'message') => [
  {
    ...current,
    event: 'message',
    providerEvent,
    id: `waha:default:msg:false_${BUDI}_${mid}`,
    timestamp,
    message: { id: `false_${BUDI}_${mid}`, direction: 'inbound', fromMe: false, chat: DIRECT_BUDI, sender: budi('Budi'), source: 'app', ...message },
  },
];
/** Our own message to Budi, sent from the phone (`message.any`). */
const toBudi = (mid: string, timestamp: string, text: string) => [
  {
    ...current,
    event: 'message',
    providerEvent: 'message.any',
    id: `waha:default:msg:true_${BUDI}_${mid}`,
    timestamp,
    message: { id: `true_${BUDI}_${mid}`, type: 'text', direction: 'outbound', fromMe: true, text, chat: DIRECT_BUDI, sender: ACCOUNT, source: 'app' },
  },
];
const media = (mimeType: string, size: number | null, fileName: string | null = null, url: string | null = null) => ({
  mimeType,
  size,
  fileName,
  url,
  path: null,
  viewOnce: false,
});
const poll = (mid: string, timestamp: string) => fromBudi(mid, timestamp, { type: 'poll', text: '' }); // before: other
const edit = (newText: string) => [
  {
    ...current,
    event: 'message.edited',
    providerEvent: 'message.edited',
    // WEBJS sends the original message's id on every edit: the new text keeps two edits apart.
    id: `waha:default:edited:false_${BUDI}_3EB0W0000000000000D3:${contentDigest(newText)}`,
    timestamp: '2026-01-20T10:03:23.000Z', // the original message's time, as WEBJS sends it
    message: {
      id: `false_${BUDI}_3EB0W0000000000000D3`,
      type: 'text',
      direction: 'inbound',
      fromMe: false,
      text: newText,
      chat: DIRECT_BUDI,
      sender: budi(null), // _data is {message, newBody, prevBody}: no push name where WAHA reads it
      source: 'app',
      editedMessageId: '3EB0W0000000000000D3',
    },
  },
];

/** Rina writes from a LID; the engine sent her phone JID next to it. */
const RINA_PHONE = '6285712345678';
const RINA_CHAT = { id: RINA, type: 'direct', lid: RINA, phone: RINA_PHONE };
const fromRina = (mid: string, timestamp: string, text: string) => [
  {
    ...current,
    event: 'message',
    providerEvent: 'message',
    id: `waha:default:msg:false_${RINA}_${mid}`,
    timestamp,
    message: {
      id: `false_${RINA}_${mid}`,
      type: 'text',
      direction: 'inbound',
      fromMe: false,
      text,
      chat: RINA_CHAT,
      sender: { id: RINA, phone: RINA_PHONE, lid: RINA, name: 'Rina' },
      source: 'app',
    },
  },
];
/** Siti writes in the group from a LID; the engine sent her phone JID next to it. */
const SITI_LID = '222333444555666@lid';
const fromSitiLid = (mid: string, timestamp: string) => [
  {
    ...current,
    event: 'message',
    providerEvent: 'message',
    id: `waha:default:msg:false_${GROUP}_${mid}_${SITI_LID}`,
    timestamp,
    message: {
      id: `false_${GROUP}_${mid}_${SITI_LID}`,
      type: 'text',
      direction: 'inbound',
      fromMe: false,
      text: 'Saya ikut',
      chat: GROUP_CHAT,
      sender: { id: SITI_LID, phone: '6281122334455', lid: SITI_LID, name: 'Siti' },
      source: 'app',
    },
  },
];

/** Hand-written expectation of every fixture (raw is checked separately: it is the body itself). */
const EXPECTED: Record<string, object[]> = {
  // ---- The "Receive messages" doc page ----
  'doc-envelope.json': [
    {
      ...legacy,
      event: 'unknown',
      providerEvent: 'message',
      id: `waha:default:message:${digest('doc-envelope.json')}`,
      timestamp: RECEIVED_AT,
      issues: issuesAt('from', 'id'),
    },
  ],
  'doc-message.json': [
    {
      ...legacy,
      event: 'message',
      providerEvent: 'message',
      id: `waha:default:msg:${DOC_ID}`,
      timestamp: '2022-11-04T11:31:25.000Z',
      message: {
        id: DOC_ID,
        type: 'text', // _data.type "chat"
        direction: 'outbound',
        fromMe: true,
        text: 'Hi there!',
        chat: { id: '11111111111@c.us', type: 'direct', lid: null, phone: '11111111111' },
        // A note to self: from is the chat, no `me` in the legacy envelope, so from is the sender.
        sender: DOC_CONTACT,
      },
    },
  ],
  'doc-message-any-empty.json': [
    {
      ...legacy,
      event: 'unknown',
      providerEvent: 'message.any',
      id: `waha:default:message.any:${digest('doc-message-any-empty.json')}`,
      timestamp: RECEIVED_AT,
      issues: issuesAt('from', 'id'),
    },
  ],
  'doc-message-ack-empty.json': [
    {
      ...legacy,
      event: 'unknown',
      providerEvent: 'message.ack',
      id: `waha:default:message.ack:${digest('doc-message-ack-empty.json')}`,
      timestamp: RECEIVED_AT,
      issues: issuesAt('id', 'ack'),
    },
  ],
  'doc-state-change-empty.json': [
    {
      ...legacy,
      event: 'unknown',
      providerEvent: 'state.change',
      id: `waha:default:state.change:${digest('doc-state-change-empty.json')}`,
      timestamp: RECEIVED_AT,
      issues: issuesAt('state'),
    },
  ],
  'doc-group-join.json': [
    {
      ...legacy,
      event: 'unknown',
      providerEvent: 'group.join',
      id: `waha:default:group.join:${digest('doc-group-join.json')}`,
      timestamp: RECEIVED_AT,
      issues: issuesAt('chatId'),
    },
  ],
  'doc-group-leave.json': [
    {
      ...legacy,
      event: 'unknown',
      providerEvent: 'group.left',
      id: `waha:default:group.left:${digest('doc-group-leave.json')}`,
      timestamp: RECEIVED_AT,
      issues: issuesAt('chatId'),
    },
  ],
  'doc-media-url.json': [
    {
      ...legacy,
      event: 'message',
      providerEvent: 'message',
      id: `waha:default:msg:${DOC_ID}`,
      timestamp: '2022-11-04T11:31:25.000Z',
      message: {
        id: DOC_ID,
        type: 'other', // a file of unknown MIME type
        direction: 'outbound', // no fromMe: the id's "true_" prefix says so
        fromMe: true,
        text: '',
        chat: { id: '11111111111@c.us', type: 'direct', lid: null, phone: '11111111111' },
        sender: DOC_CONTACT,
        media: {
          mimeType: null,
          size: null,
          fileName: null,
          url: `http://localhost:3000/api/files/${DOC_ID}.jpg`,
          path: null,
          viewOnce: false,
        },
      },
    },
  ],

  // ---- Messages ----
  'spec-message-text.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_6289876543210@c.us_3EB0C431C26A1916E07E',
      timestamp: '2026-01-20T09:06:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB0C431C26A1916E07E',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Halo, apakah stok masih ada?',
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        source: 'app',
      },
    },
  ],
  'spec-message-any.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message.any',
      id: 'waha:default:msg:false_6289876543210@c.us_3EB0C431C26A1916E07E',
      timestamp: '2026-01-20T09:06:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB0C431C26A1916E07E',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Halo, apakah stok masih ada?',
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        source: 'app',
      },
    },
  ],
  'spec-message-image.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_6289876543210@c.us_3EB0F1A2B3C4D5E6F7A8',
      timestamp: '2026-01-20T09:07:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB0F1A2B3C4D5E6F7A8',
        type: 'image',
        direction: 'inbound',
        fromMe: false,
        text: 'Ini fotonya',
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        media: {
          mimeType: 'image/jpeg',
          size: 48213,
          fileName: 'IMG-20260120-WA0001.jpg',
          url: 'http://localhost:3000/api/files/default/false_6289876543210@c.us_3EB0F1A2B3C4D5E6F7A8.jpeg',
          path: null,
          viewOnce: false,
        },
        source: 'app',
      },
    },
  ],
  'spec-message-voice.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_6289876543210@c.us_3A5F9C0E1D2B4A6C8E0F',
      timestamp: '2026-01-20T09:08:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3A5F9C0E1D2B4A6C8E0F',
        type: 'voice', // NOWEB: _data.message.audioMessage.ptt
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT_BUDI,
        sender: budi('Budi'), // NOWEB: _data.pushName
        media: {
          mimeType: 'audio/ogg; codecs=opus',
          size: 11843, // _data.message.audioMessage.fileLength
          fileName: null,
          url: 'http://localhost:3000/api/files/default/false_6289876543210@c.us_3A5F9C0E1D2B4A6C8E0F.oga',
          path: null,
          viewOnce: false,
        },
        source: 'app',
      },
    },
  ],
  'spec-message-document.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_6289876543210@c.us_3EB09D8C7B6A5F4E3D2C',
      timestamp: '2026-01-20T09:09:40.512Z', // fractional seconds
      message: {
        id: 'false_6289876543210@c.us_3EB09D8C7B6A5F4E3D2C',
        type: 'document',
        direction: 'inbound',
        fromMe: false,
        text: 'Invoice Januari', // empty body: the caption
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        media: {
          mimeType: 'application/pdf',
          size: 183442,
          fileName: 'invoice-januari.pdf',
          url: 'http://localhost:3000/api/files/default/false_6289876543210@c.us_3EB09D8C7B6A5F4E3D2C.pdf',
          path: null,
          viewOnce: false,
        },
        source: 'app',
      },
    },
  ],
  'spec-message-location.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_6289876543210@c.us_3EB01122334455667788',
      timestamp: '2026-01-20T09:10:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB01122334455667788',
        type: 'location',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas', address: 'Gambir, Central Jakarta' },
        source: 'app',
      },
    },
  ],
  'spec-message-vcard.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_6289876543210@c.us_3EB0AABBCCDDEEFF0011',
      timestamp: '2026-01-20T09:11:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB0AABBCCDDEEFF0011',
        type: 'contact',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        contacts: [
          {
            name: 'Andi Wijaya',
            vcard: 'BEGIN:VCARD\nVERSION:3.0\nN:Wijaya;Andi;;;\nFN:Andi Wijaya\nTEL;type=CELL;type=VOICE;waid=6281311112222:+62 813-1111-2222\nEND:VCARD',
            phones: ['+62 813-1111-2222'],
          },
        ],
        source: 'app',
      },
    },
  ],
  'spec-message-group.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_120363025246125244@g.us_3EB0AB12CD34EF56AB78_6281122334455@c.us',
      timestamp: '2026-01-20T09:12:40.000Z',
      message: {
        id: 'false_120363025246125244@g.us_3EB0AB12CD34EF56AB78_6281122334455@c.us',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Rapat jam 3 ya',
        chat: GROUP_CHAT,
        sender: siti('Siti'), // GOWS: _data.Info.PushName
        source: 'app',
      },
    },
  ],
  'spec-message-reply.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_123456789012345@lid_3EB0F00DBABE12345678',
      timestamp: '2026-01-20T09:13:40.000Z',
      message: {
        id: 'false_123456789012345@lid_3EB0F00DBABE12345678',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Terima kasih!',
        chat: { id: RINA, type: 'direct', lid: RINA, phone: null }, // a LID hides the number and nothing is paired with it
        sender: { id: RINA, phone: null, lid: RINA, name: 'Rina' },
        replyTo: { id: 'true_123456789012345@lid_3EB0CAFE000011112222', text: 'Pesanan Anda sudah dikirim' },
        source: 'app',
      },
    },
  ],
  'spec-message-outbound.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message.any',
      id: 'waha:default:msg:true_6289876543210@c.us_3EB0D00DFEED87654321',
      timestamp: '2026-01-20T09:14:40.000Z',
      message: {
        id: 'true_6289876543210@c.us_3EB0D00DFEED87654321',
        type: 'text',
        direction: 'outbound',
        fromMe: true,
        text: 'Stok masih ada, kak',
        chat: DIRECT_BUDI, // `to` when we sent it
        sender: ACCOUNT, // `from` is our own id: the account, with its lid and name
        source: 'api',
      },
    },
  ],
  'spec-message-poll.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message',
      id: 'waha:default:msg:false_6289876543210@c.us_3EB05A5A5A5A5A5A5A5A',
      timestamp: '2026-01-20T09:15:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB05A5A5A5A5A5A5A5A',
        type: 'poll', // _data.type poll_creation
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        source: 'app',
      },
    },
  ],
  'spec-message-edited.json': [
    {
      ...current,
      event: 'message.edited',
      providerEvent: 'message.edited',
      id: `waha:default:edited:false_6289876543210@c.us_3EB0ED17ED17ED17ED17:${contentDigest('Halo, apakah stok ukuran L masih ada?')}`, // + the new text
      timestamp: '2026-01-20T09:20:40.000Z',
      message: {
        id: 'false_6289876543210@c.us_3EB0ED17ED17ED17ED17',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Halo, apakah stok ukuran L masih ada?', // the new text
        chat: DIRECT_BUDI,
        sender: budi('Budi'),
        source: 'app',
        editedMessageId: 'false_6289876543210@c.us_3EB0C431C26A1916E07E',
      },
    },
  ],

  // ---- Reactions, receipts, revocations ----
  'spec-message-reaction.json': [
    {
      ...current,
      event: 'message.reaction',
      providerEvent: 'message.reaction',
      id: `waha:default:reaction:false_6289876543210@c.us_3EB0REAC7100000000A1:${contentDigest('👍')}`, // + the emoji
      timestamp: '2026-01-20T09:16:40.000Z',
      reaction: {
        messageId: 'true_6289876543210@c.us_3EB0D00DFEED87654321',
        emoji: '👍',
        removed: false,
        chatId: BUDI,
        sender: budi(null),
        fromMe: false,
      },
    },
  ],
  'spec-message-reaction-removed.json': [
    {
      ...current,
      event: 'message.reaction',
      providerEvent: 'message.reaction',
      id: `waha:default:reaction:false_120363025246125244@g.us_3EB0REAC7100000000B2_6281122334455@c.us:${contentDigest('')}`,
      timestamp: '2026-01-20T09:17:40.000Z',
      reaction: {
        messageId: 'true_120363025246125244@g.us_3EB0D5E6F7A8B9C0D1E2',
        emoji: '',
        removed: true,
        chatId: GROUP,
        sender: siti(null),
        fromMe: false,
      },
    },
  ],
  'spec-message-ack.json': [
    {
      ...current,
      event: 'message.ack',
      providerEvent: 'message.ack',
      id: 'waha:default:ack:true_6289876543210@c.us_3EB0D00DFEED87654321:read',
      timestamp: '2026-01-20T09:18:40.555Z', // the envelope's: the payload has no receipt time
      ack: { messageIds: ['true_6289876543210@c.us_3EB0D00DFEED87654321'], status: 'read', chatId: BUDI, participant: null },
    },
  ],
  'spec-message-ack-group.json': [
    {
      ...current,
      event: 'message.ack',
      providerEvent: 'message.ack.group',
      // One receipt per member: the member is part of the key.
      id: `waha:default:ack:true_120363025246125244@g.us_3EB0D5E6F7A8B9C0D1E2:delivered:${SITI}`,
      timestamp: '2026-01-20T09:19:40.012Z',
      ack: { messageIds: ['true_120363025246125244@g.us_3EB0D5E6F7A8B9C0D1E2'], status: 'delivered', chatId: GROUP, participant: SITI },
    },
  ],
  'spec-message-revoked.json': [
    {
      ...current,
      event: 'message.revoked',
      providerEvent: 'message.revoked',
      id: 'waha:default:revoked:3EB0C431C26A1916E07E',
      timestamp: '2026-01-20T09:21:40.000Z',
      revoked: { messageId: '3EB0C431C26A1916E07E', chatId: BUDI, by: BUDI },
    },
  ],
  'spec-message-waiting.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'message.waiting',
      id: 'waha:default:message.waiting:evt_01kff59zjz7dm2cpvyqz9st4a9',
      timestamp: '2026-01-20T09:22:40.101Z',
    },
  ],

  // ---- Session ----
  'spec-session-status.json': [
    {
      ...current,
      event: 'session.status',
      providerEvent: 'session.status',
      id: 'waha:default:session.status:evt_01kfamgcnsc1291b6pre1540b1',
      timestamp: '2026-01-20T08:49:58.734Z', // the WORKING entry of `statuses`
      state: { status: 'connected', reason: null, providerStatus: 'WORKING' },
    },
  ],
  'spec-session-status-qr.json': [
    {
      ...head,
      account: null, // not authenticated yet: no `me`
      event: 'session.status',
      providerEvent: 'session.status',
      id: 'waha:default:session.status:evt_01kfx0d0dbfjpw3h1gzvqepcjs',
      timestamp: '2026-01-20T08:46:45.250Z',
      state: { status: 'qr', reason: null, providerStatus: 'SCAN_QR_CODE' },
    },
  ],
  'spec-state-change.json': [
    {
      ...current,
      event: 'session.status',
      providerEvent: 'state.change',
      id: 'waha:default:state.change:evt_01kf64h5xrhx624kjb63fzz36y',
      timestamp: '2026-01-20T08:50:00.100Z',
      state: { status: 'connected', reason: null, providerStatus: 'CONNECTED' },
    },
  ],
  'spec-state-change-string.json': [
    {
      ...legacy,
      event: 'session.status',
      providerEvent: 'state.change',
      id: `waha:default:state.change:${digest('spec-state-change-string.json')}`,
      timestamp: RECEIVED_AT,
      state: { status: 'disconnected', reason: null, providerStatus: 'CONFLICT' },
    },
  ],
  'spec-engine-event.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'engine.event',
      id: 'waha:default:engine.event:evt_01kfq12xec3p3p9ywrqj32ps74',
      timestamp: '2026-01-20T08:50:00.050Z',
    },
  ],

  // ---- Presence: one event per entry ----
  'spec-presence-update.json': [
    {
      ...current,
      event: 'chat.presence',
      providerEvent: 'presence.update',
      id: `waha:default:presence:${GROUP}:${SITI}:typing:evt_01kf7mvz204ktvb71hsp0f0je4`,
      timestamp: '2026-01-20T09:23:40.333Z',
      presence: { chatId: GROUP, participant: SITI, status: 'typing', lastSeen: null },
    },
    {
      ...current,
      event: 'presence',
      providerEvent: 'presence.update',
      id: `waha:default:presence:${GROUP}:${BUDI}:offline:evt_01kf7mvz204ktvb71hsp0f0je4`,
      timestamp: '2026-01-20T09:23:40.333Z',
      presence: { chatId: GROUP, participant: BUDI, status: 'offline', lastSeen: '2026-01-20T09:23:20.000Z' },
    },
  ],

  // ---- Polls and calls ----
  'spec-poll-vote.json': [
    {
      ...current,
      event: 'poll.vote',
      providerEvent: 'poll.vote',
      id: `waha:default:vote:false_6289876543210@c.us_3EB0B07EB07EB07EB07E:${contentDigest(['14:00'])}`, // + the selection
      timestamp: '2026-01-20T09:25:00.000Z',
      poll: {
        pollId: 'true_6289876543210@c.us_3EB0B011B011B011B011',
        voter: BUDI,
        selectedOptions: ['14:00'],
        chatId: BUDI,
        failed: false,
      },
    },
  ],
  'spec-poll-vote-failed.json': [
    {
      ...current,
      event: 'poll.vote',
      providerEvent: 'poll.vote.failed',
      id: `waha:default:vote-failed:false_120363025246125244@g.us_3EB0FA11FA11FA11FA11_6281122334455@c.us:${contentDigest([])}`,
      timestamp: '2026-01-20T09:26:00.000Z',
      poll: {
        pollId: 'true_120363025246125244@g.us_3EB0B022B022B022B022',
        voter: SITI,
        selectedOptions: [],
        chatId: GROUP,
        failed: true,
      },
    },
  ],
  'spec-call-received.json': [
    {
      ...current,
      event: 'call',
      providerEvent: 'call.received',
      id: 'waha:default:call:ABCDEF0123456789ABCDEF0123456789:offer',
      timestamp: '2026-01-20T09:27:00.000Z',
      call: { id: 'ABCDEF0123456789ABCDEF0123456789', from: BUDI, video: false, group: false, status: 'offer' },
    },
  ],
  'spec-call-accepted.json': [
    {
      ...current,
      event: 'call',
      providerEvent: 'call.accepted',
      id: 'waha:default:call:ABCDEF0123456789ABCDEF0123456789:accept',
      timestamp: '2026-01-20T09:27:05.000Z',
      call: { id: 'ABCDEF0123456789ABCDEF0123456789', from: BUDI, video: false, group: false, status: 'accept' },
    },
  ],
  'spec-call-rejected.json': [
    {
      ...current,
      event: 'call',
      providerEvent: 'call.rejected',
      id: 'waha:default:call:0F1E2D3C4B5A69788796A5B4C3D2E1F0:reject',
      timestamp: '2026-01-20T09:28:00.000Z',
      call: { id: '0F1E2D3C4B5A69788796A5B4C3D2E1F0', from: SITI, video: true, group: false, status: 'reject' },
    },
  ],

  // ---- Groups ----
  'spec-group-v2-participants.json': [
    {
      ...current,
      event: 'group.participants',
      providerEvent: 'group.v2.participants',
      id: 'waha:default:group.v2.participants:evt_01kfmrs48m8mm2xnnctq949vvf',
      timestamp: '2026-01-20T09:29:00.000Z',
      group: { id: GROUP, action: 'join', participants: [SITI, RINA], by: null },
    },
  ],
  'spec-group-v2-join.json': [
    {
      ...current,
      event: 'group.participants',
      providerEvent: 'group.v2.join',
      id: 'waha:default:group.v2.join:evt_01kf37ykq4qj10gy5vf7kmw0y2',
      timestamp: '2026-01-20T09:30:00.000Z',
      group: { id: GROUP, action: 'join', participants: [ACCOUNT.id], by: null },
    },
  ],
  'spec-group-v2-leave.json': [
    {
      ...current,
      event: 'group.participants',
      providerEvent: 'group.v2.leave',
      id: 'waha:default:group.v2.leave:evt_01kfxrpegeb8ya8mr0ps3g0v6j',
      timestamp: '2026-01-20T09:31:00.000Z',
      group: { id: GROUP, action: 'leave', participants: [ACCOUNT.id], by: null },
    },
  ],
  'spec-group-v2-update.json': [
    {
      ...current,
      event: 'group.update',
      providerEvent: 'group.v2.update',
      id: 'waha:default:group.v2.update:evt_01kf0ybcptzbj8akg0b9y2pd7c',
      timestamp: '2026-01-20T09:32:00.000Z',
      group: { id: GROUP, action: 'update', participants: [], by: null, subject: 'Reseller Jabodetabek', description: null },
    },
  ],
  'spec-group-join.json': [
    {
      ...legacy,
      event: 'group.participants',
      providerEvent: 'group.join',
      id: `waha:default:group.join:${digest('spec-group-join.json')}`,
      timestamp: '2026-01-20T09:33:00.000Z',
      group: { id: GROUP, action: 'join', participants: [SITI], by: ACCOUNT.id },
    },
  ],
  'spec-group-leave.json': [
    {
      ...legacy,
      event: 'group.participants',
      providerEvent: 'group.leave',
      id: `waha:default:group.leave:${digest('spec-group-leave.json')}`,
      timestamp: '2026-01-20T09:34:00.000Z',
      group: { id: GROUP, action: 'leave', participants: [BUDI], by: BUDI },
    },
  ],

  // ---- Events with no rule: unknown, without issues ----
  'spec-label-upsert.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'label.upsert',
      id: 'waha:default:label.upsert:evt_01kfaqhp931aejf275ck8xbecc',
      timestamp: '2026-01-20T09:35:00.444Z',
    },
  ],
  'spec-label-deleted.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'label.deleted',
      id: 'waha:default:label.deleted:evt_01kfscw7dfa1s6zawp5xvy7pmf',
      timestamp: '2026-01-20T09:36:00.555Z',
    },
  ],
  'spec-label-chat-added.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'label.chat.added',
      id: 'waha:default:label.chat.added:evt_01kfbx2ey4mkw73q3y86kbq2q8',
      timestamp: '2026-01-20T09:37:00.666Z',
    },
  ],
  'spec-label-chat-deleted.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'label.chat.deleted',
      id: 'waha:default:label.chat.deleted:evt_01kfjhfm6bh3hpvkfqs8j8zdht',
      timestamp: '2026-01-20T09:38:00.777Z',
    },
  ],
  'spec-event-response.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'event.response',
      id: 'waha:default:event.response:evt_01kf4aqeqqab74dbgerzd2khcr',
      timestamp: '2026-01-20T09:39:00.888Z',
    },
  ],
  'spec-event-response-failed.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'event.response.failed',
      id: 'waha:default:event.response.failed:evt_01kfaj7hnectfgb4gdznbq664h',
      timestamp: '2026-01-20T09:40:00.999Z',
    },
  ],
  'spec-chat-archive.json': [
    {
      ...current,
      event: 'unknown',
      providerEvent: 'chat.archive',
      id: 'waha:default:chat.archive:evt_01kf7ncaptf2s754bj6p74xjb2',
      timestamp: '2026-01-20T09:41:00.123Z',
    },
  ],

  // ---- NOWEB: the type from the Baileys content kind in _data.message ----
  'src-waha-noweb-conversation.json': fromBudi('3EB0N0000000000000A1', '2026-01-20T10:00:01.000Z', { type: 'text', text: 'Halo, stok masih ada?' }),
  'src-waha-noweb-extendedTextMessage.json': fromBudi('3EB0N0000000000000A2', '2026-01-20T10:00:02.000Z', {
    type: 'text',
    text: 'Cek katalog https://toko.example/katalog',
  }),
  'src-waha-noweb-imageMessage.json': fromBudi('3EB0N0000000000000A3', '2026-01-20T10:00:03.000Z', {
    type: 'image',
    text: 'Ini fotonya',
    media: media('image/jpeg', 48213, null, 'http://localhost:3000/api/files/default/false_6289876543210@c.us_3EB0N0000000000000A3.jpeg'),
  }),
  // hasMedia with media null: not downloaded; MIME type and size from the content.
  'src-waha-noweb-videoMessage.json': fromBudi('3EB0N0000000000000A4', '2026-01-20T10:00:04.000Z', {
    type: 'video',
    text: 'Videonya',
    media: media('video/mp4', 1048576),
  }),
  'src-waha-noweb-audioMessage.json': fromBudi('3EB0N0000000000000A5', '2026-01-20T10:00:05.000Z', {
    type: 'audio',
    text: '',
    media: media('audio/mpeg', 1520000),
  }),
  'src-waha-noweb-documentMessage.json': fromBudi('3EB0N0000000000000A6', '2026-01-20T10:00:06.000Z', {
    type: 'document',
    text: '',
    media: media('application/pdf', 20480, 'invoice.pdf'),
  }),
  // A photo sent as a document: WhatsApp shows a document, so it is one (before: image, from the MIME type).
  'src-waha-noweb-documentWithCaptionMessage-photo.json': fromBudi('3EB0N0000000000000A7', '2026-01-20T10:00:07.000Z', {
    type: 'document',
    text: 'Foto resolusi penuh',
    media: media('image/jpeg', 3145728, 'foto-asli.jpg', 'http://localhost:3000/api/files/default/false_6289876543210@c.us_3EB0N0000000000000A7.jpeg'),
  }),
  'src-waha-noweb-stickerMessage.json': fromBudi('3EB0N0000000000000A8', '2026-01-20T10:00:08.000Z', {
    type: 'sticker',
    text: '',
    media: media('image/webp', 20110),
  }),
  'src-waha-noweb-locationMessage.json': fromBudi('3EB0N0000000000000A9', '2026-01-20T10:00:09.000Z', {
    type: 'location',
    text: '',
    location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas', address: 'Gambir, Jakarta Pusat' },
  }),
  // A live location's `description` is its caption, not a place name.
  'src-waha-noweb-liveLocationMessage.json': fromBudi('3EB0N0000000000000B0', '2026-01-20T10:00:10.000Z', {
    type: 'location',
    text: '',
    location: { latitude: -6.2, longitude: 106.816666, name: null, address: null },
  }),
  'src-waha-noweb-contactMessage.json': fromBudi('3EB0N0000000000000B1', '2026-01-20T10:00:11.000Z', { type: 'contact', text: '', contacts: [ANDI] }),
  'src-waha-noweb-contactsArrayMessage.json': fromBudi('3EB0N0000000000000B2', '2026-01-20T10:00:12.000Z', {
    type: 'contact',
    text: '',
    contacts: [ANDI, DEWI],
  }),
  'src-waha-noweb-pollCreationMessage.json': poll('3EB0N0000000000000B3', '2026-01-20T10:00:13.000Z'),
  'src-waha-noweb-pollCreationMessageV2.json': poll('3EB0N0000000000000B4', '2026-01-20T10:00:14.000Z'),
  'src-waha-noweb-pollCreationMessageV3.json': poll('3EB0N0000000000000B5', '2026-01-20T10:00:15.000Z'),
  // NOWEB puts the chat in `from` on our own direct messages too, and sends no `to`.
  'src-waha-noweb-outbound-direct.json': toBudi('3EB0N0000000000000B6', '2026-01-20T10:00:16.000Z', 'Siap, kak'),

  // ---- GOWS: the whatsmeow content in _data.Message ----
  // hasMedia true, media null (not downloaded), no MIME type in the payload (before: other).
  'src-waha-gows-documentMessage-media-null.json': fromBudi('3EB0G0000000000000C1', '2026-01-20T10:01:41.000Z', {
    type: 'document',
    text: '',
    media: media('application/pdf', 204800, 'katalog.pdf'),
  }),
  'src-waha-gows-imageMessage.json': fromBudi('3EB0G0000000000000C2', '2026-01-20T10:01:42.000Z', {
    type: 'image',
    text: 'Warna merah ya',
    media: media('image/jpeg', 51200),
  }),
  // whatsmeow spells the flag `PTT`.
  'src-waha-gows-audioMessage-ptt.json': fromBudi('3EB0G0000000000000C3', '2026-01-20T10:01:43.000Z', {
    type: 'voice',
    text: '',
    media: media('audio/ogg; codecs=opus', 8200),
  }),
  'src-waha-gows-pollCreationMessageV3.json': poll('3EB0G0000000000000C4', '2026-01-20T10:01:44.000Z'),
  'src-waha-gows-outbound-direct.json': toBudi('3EB0G0000000000000C5', '2026-01-20T10:01:45.000Z', 'Pesanan dikirim hari ini'),

  // ---- WEBJS ----
  // `body` is the base64 thumbnail (extractLocation: thumbnail = message.body): not the text (before: the base64).
  'src-waha-webjs-location-thumbnail-body.json': fromBudi('3EB0W0000000000000D1', '2026-01-20T10:03:21.000Z', {
    type: 'location',
    text: '',
    location: { latitude: -6.175392, longitude: 106.827153, name: 'Monas', address: 'Gambir, Jakarta Pusat' },
  }),
  // `body` is the vCard itself (before: the vCard as text).
  'src-waha-webjs-vcard-body.json': fromBudi('3EB0W0000000000000D2', '2026-01-20T10:03:22.000Z', { type: 'contact', text: '', contacts: [ANDI] }),
  'src-waha-webjs-message-edited-first.json': edit('Stok ukuran M masih ada?'),
  'src-waha-webjs-message-edited-second.json': edit('Stok ukuran L masih ada?'),
  // ---- LIDs: the phone JID each engine sends next to a LID ----
  // NOWEB (Baileys 7): key.remoteJidAlt.
  'src-waha-noweb-lid-remoteJidAlt.json': fromRina('3EB0L0000000000000E1', '2026-01-20T11:00:01.000Z', 'Apakah bisa COD?'),
  // NOWEB (Baileys 6.7): key.senderPn.
  'src-waha-noweb-lid-senderPn.json': fromRina('3EB0L0000000000000E2', '2026-01-20T11:00:02.000Z', 'Apakah bisa COD?'),
  // NOWEB groups: key.participantAlt (Baileys 7), key.participantPn (6.7); the group chat has no phone.
  'src-waha-noweb-group-lid-participantAlt.json': fromSitiLid('3EB0L0000000000000E3', '2026-01-20T11:00:03.000Z'),
  'src-waha-noweb-group-lid-participantPn.json': fromSitiLid('3EB0L0000000000000E4', '2026-01-20T11:00:04.000Z'),
  // GOWS (whatsmeow): Info.SenderAlt.
  'src-waha-gows-lid-SenderAlt.json': fromRina('3EB0L0000000000000E5', '2026-01-20T11:00:05.000Z', 'Halo kak'),
  // GOWS, our own message to a LID chat: Info.RecipientAlt gives the chat's phone; the sender is the account.
  'src-waha-gows-outbound-lid-RecipientAlt.json': [
    {
      ...current,
      event: 'message',
      providerEvent: 'message.any',
      id: `waha:default:msg:true_${RINA}_3EB0L0000000000000E6`,
      timestamp: '2026-01-20T11:00:06.000Z',
      message: {
        id: `true_${RINA}_3EB0L0000000000000E6`,
        type: 'text',
        direction: 'outbound',
        fromMe: true,
        text: 'Bisa, kak',
        chat: RINA_CHAT,
        sender: ACCOUNT,
        source: 'api',
      },
    },
  ],
};

const context = { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'd1g35t' };

describe('WAHA fixtures', () => {
  test('every fixture has an explicit expectation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureFiles('waha'));
  });

  test.each(Object.keys(EXPECTED))('%s', (file) => {
    const events = normalizeFixture(wahaAdapter, file);
    expect(events.map(({ raw: _raw, ...rest }) => rest)).toEqual(EXPECTED[file]);
    const body = JSON.parse(fixtureBytes('waha', file).toString('utf8'));
    for (const event of events) expect(event.raw).toEqual(body);
  });

  test.each(fixtureFiles('waha'))('%s normalizes without throwing and validates against v1', (file) => {
    const events = normalizeFixture(wahaAdapter, file);
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) expect(normalizedEventSchema.safeParse(event).success).toBe(true);
  });

  test('every event in WAHA’s list has a fixture', () => {
    const names = new Set(fixtureFiles('waha').map((file) => JSON.parse(fixtureBytes('waha', file).toString('utf8')).event));
    const documented = [
      'session.status',
      'engine.event',
      'state.change',
      'message',
      'message.any',
      'message.reaction',
      'message.ack',
      'message.ack.group',
      'message.waiting',
      'message.edited',
      'message.revoked',
      'group.v2.join',
      'group.v2.leave',
      'group.v2.update',
      'group.v2.participants',
      'group.join',
      'group.leave',
      'presence.update',
      'poll.vote',
      'poll.vote.failed',
      'chat.archive',
      'call.received',
      'call.accepted',
      'call.rejected',
      'label.upsert',
      'label.deleted',
      'label.chat.added',
      'label.chat.deleted',
      'event.response',
      'event.response.failed',
    ];
    expect(documented.filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('WAHA normalization', () => {
  test('message and message.any of the same message give the same id', () => {
    const viaMessage = normalizeOne(wahaAdapter, 'spec-message-text.json');
    const viaAny = normalizeOne(wahaAdapter, 'spec-message-any.json');
    expect(viaMessage.id).toBe('waha:default:msg:false_6289876543210@c.us_3EB0C431C26A1916E07E');
    expect(viaAny.id).toBe(viaMessage.id);
  });

  test('identical redeliveries give identical ids, with or without an event id', () => {
    for (const file of ['spec-presence-update.json', 'spec-group-join.json', 'doc-envelope.json']) {
      expect(normalizeFixture(wahaAdapter, file).map((e) => e.id)).toEqual(normalizeFixture(wahaAdapter, file).map((e) => e.id));
    }
  });

  test('an unknown event name gives unknown with raw equal to the body and no issues', () => {
    const body = { event: 'status.posted', session: 'default', payload: { id: 'x' } };
    const [event] = wahaAdapter.normalize(body, context);
    expect(event).toEqual({
      version: 1,
      provider: 'waha',
      event: 'unknown',
      providerEvent: 'status.posted',
      id: 'waha:default:status.posted:d1g35t',
      session: 'default',
      account: null,
      timestamp: RECEIVED_AT,
      raw: body,
    });
  });

  test('a known event with a bad payload gives unknown with issues naming the bad path', () => {
    const body = { event: 'message', session: 'default', payload: { id: 'false_1@c.us_A', from: 42 } };
    const [event] = wahaAdapter.normalize(body, context);
    expect(event.event).toBe('unknown');
    expect(event.providerEvent).toBe('message');
    expect(event.issues).toEqual([{ path: 'from', message: expect.stringContaining('expected string') }]);
    expect(event.raw).toBe(body);

    const badLocation = { ...body, payload: { id: 'false_1@c.us_A', from: '1@c.us', location: { latitude: 'north', longitude: '1' } } };
    expect(wahaAdapter.normalize(badLocation, context)[0].issues?.map((i) => i.path)).toEqual(['location.latitude']);

    const badPresence = {
      event: 'presence.update',
      session: 'default',
      payload: { id: GROUP, presences: [{ participant: SITI, lastKnownPresence: 'dancing' }] },
    };
    expect(wahaAdapter.normalize(badPresence, context)[0].issues).toEqual([
      { path: 'presences.0.lastKnownPresence', message: expect.stringContaining('lastKnownPresence must be one of') },
    ]);
  });

  test('an envelope that breaks its schema gives unknown with the envelope issue', () => {
    const body = { event: 'message', session: 'default', me: 'not-an-object', payload: {} };
    const [event] = wahaAdapter.normalize(body, context);
    expect(event).toMatchObject({ event: 'unknown', providerEvent: 'message', session: 'default', account: null });
    expect(event.issues?.map((i) => i.path)).toEqual(['me']);
  });

  test('ackName is the fallback when ack is absent, and a batch of ids is one receipt', () => {
    const body = { event: 'message.ack', session: 's', payload: { ids: ['true_1@c.us_A', 'true_1@c.us_B'], from: '1@c.us', fromMe: false, ackName: 'played' } };
    const [event] = wahaAdapter.normalize(body, context);
    expect(event.id).toBe('waha:s:ack:true_1@c.us_A,true_1@c.us_B:played');
    expect(event.ack).toEqual({ messageIds: ['true_1@c.us_A', 'true_1@c.us_B'], status: 'played', chatId: '1@c.us', participant: null });
  });

  test('eventNameOf reads `event`', () => {
    expect(wahaAdapter.eventNameOf({ event: 'message' })).toBe('message');
    expect(wahaAdapter.eventNameOf({ payload: {} })).toBeNull();
    expect(wahaAdapter.eventNameOf({ event: 42 })).toBeNull();
  });

  test('sampleBody gives, per canonical event, a body that normalizes to it', () => {
    for (const canonical of CANONICAL_EVENTS) {
      const body = sampleBody(wahaAdapter, canonical);
      expect(body).not.toBeNull();
      const events = wahaAdapter.normalize(body!, context);
      expect(events.map((e) => e.event)).toContain(canonical);
    }
  });
});

describe('WAHA verification', () => {
  const secret = 's3cr3t-hmac-key';
  const body = Buffer.from(JSON.stringify({ event: 'message', session: 'default', payload: { id: 'x', from: '1@c.us' } }));
  const nowMs = Date.parse('2026-01-20T09:00:00.000Z');
  const request = (headers: Record<string, string>, rawBody: Buffer = body): WebhookRequest => ({ method: 'POST', headers, rawBody });
  const verify = (headers: Record<string, string>, rawBody: Buffer = body, key = secret) =>
    wahaAdapter.verify({ request: request(headers, rawBody), rawBody, nowMs, options: { secret: key } });
  const signed = (rawBody: Buffer = body, algorithm?: 'sha256' | 'sha512') =>
    wahaAdapter.sign({ body: rawBody, secret, nowMs, options: { algorithm } }).headers;
  const errors: string[] = [];
  const failure = (result: ReturnType<typeof verify>) => {
    expect(result.ok).toBe(false);
    const error = result.ok ? '' : result.error;
    errors.push(error);
    return error;
  };

  test('sign() produces WAHA’s headers: lower-case hex HMAC-SHA512 of the body', () => {
    const headers = signed();
    expect(headers['X-Webhook-Hmac']).toBe(createHmac('sha512', secret).update(body).digest('hex'));
    expect(headers['X-Webhook-Hmac']).toMatch(/^[0-9a-f]{128}$/);
    expect(headers['X-Webhook-Hmac-Algorithm']).toBe('sha512');
    expect(headers['X-Webhook-Timestamp']).toBe(String(nowMs));
    expect(headers['X-Webhook-Request-Id']).toEqual(expect.any(String));
    expect(headers['X-Webhook-Request-Id']).not.toBe(signed()['X-Webhook-Request-Id']);
  });

  test('a valid signature passes, header names in any case', () => {
    expect(verify(signed())).toEqual({ ok: true });
    const lower = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verify(lower)).toEqual({ ok: true });
  });

  test('no secret configured: nothing is checked', () => {
    expect(wahaAdapter.verify({ request: request({}), rawBody: body, nowMs, options: {} })).toEqual({ ok: true });
  });

  test('a tampered body fails', () => {
    const tampered = Buffer.from(body.toString().replace('1@c.us', '2@c.us'));
    expect(failure(verify(signed(), tampered))).toBe('X-Webhook-Hmac does not match the body (sha512)');
  });

  test('a wrong secret fails', () => {
    expect(failure(verify(signed(), body, 'another-key'))).toBe('X-Webhook-Hmac does not match the body (sha512)');
  });

  test('a missing signature header fails', () => {
    const { 'X-Webhook-Hmac': _dropped, ...rest } = signed();
    expect(failure(verify(rest))).toBe('Missing X-Webhook-Hmac header');
  });

  test('the algorithm header selects sha256, case-insensitively; a missing one means sha512', () => {
    expect(verify(signed(body, 'sha256'))).toEqual({ ok: true });
    expect(verify({ ...signed(body, 'sha256'), 'X-Webhook-Hmac-Algorithm': 'SHA256' })).toEqual({ ok: true });
    const { 'X-Webhook-Hmac-Algorithm': _dropped, ...defaulted } = signed();
    expect(verify(defaulted)).toEqual({ ok: true });
    // A sha512 digest announced as sha256 does not match.
    expect(failure(verify({ ...signed(), 'X-Webhook-Hmac-Algorithm': 'sha256' }))).toBe('X-Webhook-Hmac does not match the body (sha256)');
  });

  test('an unsupported algorithm fails', () => {
    expect(failure(verify({ ...signed(), 'X-Webhook-Hmac-Algorithm': 'md5' }))).toMatch(/unsupported algorithm/);
  });

  test('verification is on the raw bytes: emoji and escaped unicode', () => {
    const raw = Buffer.from('{"event":"message","session":"default","payload":{"body":"caf\\u00e9 \\ud83d\\udc4d 👍"}}', 'utf8');
    const headers = signed(raw);
    expect(verify(headers, raw)).toEqual({ ok: true });
    // Re-serializing the parsed JSON writes é and 👍 literally: different bytes, so no match.
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))), 'utf8');
    expect(reserialized.equals(raw)).toBe(false);
    expect(failure(verify(headers, reserialized))).toBe('X-Webhook-Hmac does not match the body (sha512)');
  });

  test('errors never contain the secret or the expected digest', () => {
    expect(errors.length).toBeGreaterThan(0);
    const expected = [createHmac('sha512', secret).update(body).digest('hex'), createHmac('sha256', secret).update(body).digest('hex')];
    for (const error of errors) {
      expect(error).not.toContain(secret);
      for (const digestHex of expected) expect(error).not.toContain(digestHex);
    }
  });
});

describe('WAHA session words the core does not know', () => {
  const ctx = { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'd1g35t' };
  it.each([
    [{ event: 'session.status', session: 'default', payload: { status: 'HIBERNATING' } }],
    [{ event: 'state.change', session: 'default', payload: { state: 'HIBERNATING' } }],
  ])('are a warning with the word kept (%#)', (body) => {
    const [event] = wahaAdapter.normalize(body, ctx);
    expect(event.event).toBe('session.status');
    expect(event.state).toEqual({ status: 'warning', reason: null, providerStatus: 'HIBERNATING' });
  });
  it('an empty word is still a schema failure', () => {
    const [event] = wahaAdapter.normalize({ event: 'session.status', session: 'default', payload: { status: '' } }, ctx);
    expect(event.event).toBe('unknown');
    expect(event.issues?.[0].path).toBe('status');
  });
});
