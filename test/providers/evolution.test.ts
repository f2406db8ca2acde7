/**
 * Evolution API v2. The fixtures are bodies as Evolution's source builds them, named after the
 * version whose code they follow: `src-<version>-<event>-<content>.json` (EvolutionAPI/evolution-api,
 * `webhook.controller.ts#emit` for the envelope, `whatsapp.baileys.service.ts#prepareMessage` and
 * the event handlers for `data`; 2.3.6 unless named: 2.2.3 before the `extendedTextMessage` rewrite
 * and without LID alternates, 2.3.0's `senderPn`/`participantPn`, 2.3.4's encodings before
 * `deserializeMessageBuffers`); `src-meta-channel-…` from its Cloud-API channel
 * (`whatsapp.business.service.ts`), `src-baileys-7-…` from Baileys 7's participant objects.
 */
import { createHmac } from 'node:crypto';
import { bodyDigest } from '../../core/http/digest';
import { evolutionProvider as evolution } from '../../core/providers/evolution';
import { EVENT_NAMES } from '../../core/providers/evolution/schema';
import { evolutionJwt } from '../../core/providers/evolution/verify';
import { contentDigest } from '../../core/providers/shared/build';
import { RECEIVED_AT_MS, fixtureBytes, fixtureFiles, normalizeFixture } from '../helpers/fixtures';
import { sampleBody } from '../../cli/samples';
import { createClient, isRegistered, registerWebhook, unregisterWebhooks } from '../../core/send';
import { SandboxGateway } from '../../sandbox/gateway';

const APIKEY = 'B6D711FCDE4D4FD5936544120E713976';
const ACCOUNT = { id: '5511900000000@s.whatsapp.net', phone: '5511900000000', lid: null, name: null };
const MARIA = '5511988887777@s.whatsapp.net';
const MARIA_LID = '123456789012345@lid';
const GROUP = '120363025246125244@g.us';
const JOAO = { id: '987654321098765@lid', phone: '5511977776666', lid: '987654321098765@lid', name: 'João Pereira' };
const maria = (lid: string | null = MARIA_LID, name: string | null = 'Maria Souza') => ({ id: MARIA, phone: '5511988887777', lid, name });
const mariaChat = (lid: string | null = MARIA_LID) => ({ id: MARIA, type: 'direct', lid, phone: '5511988887777' });
const GROUP_CHAT = { id: GROUP, type: 'group', lid: null, phone: null };

const digest = (file: string) => bodyDigest(fixtureBytes('evolution', file));
const head = (providerEvent: string, account: object | null = ACCOUNT) => ({
  version: 1,
  provider: 'evolution',
  providerEvent,
  session: 'loja-centro',
  account,
});
const at = (seconds: number) => new Date(seconds * 1000).toISOString();
const media = (mimeType: string, size: number, extra: object = {}) => ({ mimeType, size, fileName: null, url: null, path: null, viewOnce: false, ...extra });

/** An inbound message from Maria (2.3.6: her LID in remoteJidAlt). */
const fromMaria = (mid: string, seconds: number, message: object, chatLid: string | null = MARIA_LID) => [
  {
    ...head('messages.upsert'),
    event: 'message',
    id: `evolution:loja-centro:msg:${mid}`,
    timestamp: at(seconds),
    message: { id: mid, direction: 'inbound', fromMe: false, chat: mariaChat(chatLid), sender: maria(chatLid), ...message },
  },
];
const text = (value: string) => ({ type: 'text', text: value });
const session = (providerEvent: string, file: string, state: object, timestamp: string, account: object | null = null) => [
  { ...head(providerEvent, account), event: 'session.status', id: `evolution:loja-centro:${providerEvent}:${digest(file)}`, timestamp, state },
];
const unknown = (providerEvent: string, file: string, account: object | null = null, extra: object = {}) => [
  {
    ...head(providerEvent, account),
    event: 'unknown',
    id: `evolution:loja-centro:${providerEvent}:${digest(file)}`,
    timestamp: '2026-02-01T10:00:05.000Z',
    ...extra,
  },
];
const API_SENT = {
  id: '3EB0C0FFEE0000000001',
  type: 'text',
  direction: 'outbound',
  fromMe: true,
  text: 'Seu pedido saiu para entrega',
  chat: mariaChat(null),
  sender: ACCOUNT,
};
const CARLOS = {
  name: 'Carlos Lima',
  vcard: 'BEGIN:VCARD\nVERSION:3.0\nN:Lima;Carlos;;;\nFN:Carlos Lima\nTEL;type=CELL;type=VOICE;waid=5511966665555:+55 11 96666-5555\nEND:VCARD',
  phones: ['+55 11 96666-5555'],
};
const ANA = {
  name: 'Ana Costa',
  vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana Costa\nTEL;type=CELL;waid=5521955554444:+55 21 95555-4444\nEND:VCARD',
  phones: ['+55 21 95555-4444'],
};
const reaction = (rid: string, seconds: number, emoji: string) => [
  {
    ...head('messages.upsert'),
    event: 'message.reaction',
    id: `evolution:loja-centro:reaction:${rid}:${contentDigest(emoji)}`,
    timestamp: at(seconds),
    reaction: { messageId: '3EB0FFEE0000000000A1', emoji, removed: emoji === '', chatId: MARIA, sender: maria(), fromMe: false },
  },
];
const ack = (status: string, timestamp: string, keyId = '3EB0C0FFEE0000000001') => [
  {
    ...head('messages.update'),
    event: 'message.ack',
    id: `evolution:loja-centro:ack:${keyId}:${status}`,
    timestamp,
    ack: { messageIds: [keyId], status, chatId: MARIA, participant: null },
  },
];
const revoked = (providerEvent: string, messageId: string, by: string, timestamp: string) => [
  { ...head(providerEvent), event: 'message.revoked', id: `evolution:loja-centro:revoked:${messageId}`, timestamp, revoked: { messageId, chatId: MARIA, by } },
];
const call = (_status: string) =>
  [
    {
      ...head('call'),
      event: 'call',
      id: 'evolution:loja-centro:call:8A2F6C1D3E4B5A697887:offer',
      timestamp: '2026-02-01T10:28:00.000Z',
      call: { id: '8A2F6C1D3E4B5A697887', from: MARIA, video: true, group: false, status: 'offer' },
    },
  ][0];

const EXPECTED: Record<string, unknown[]> = {
  'src-2.3.6-messages-upsert-conversation.json': fromMaria('3EB0A1B2C3D4E5F60001', 1769940000, text('Oi, tem esse produto em estoque?')),
  'src-messages-upsert-UPPER_SNAKE-event.json': fromMaria('3EB0A1B2C3D4E5F60001', 1769940000, text('Oi, tem esse produto em estoque?')),
  'src-2.3.6-messages-upsert-conversation-quoted.json': fromMaria('3EB0A1B2C3D4E5F60002', 1769940060, {
    ...text('Quero o azul'),
    replyTo: { id: '3EB0FFEE0000000000A1', text: 'Temos azul e verde' },
  }),
  // Before the rewrite: the text and the quote inside extendedTextMessage; no LID alternate.
  'src-2.2.3-messages-upsert-extendedTextMessage-quoted.json': fromMaria(
    '3EB0A1B2C3D4E5F60003',
    1769940120,
    { ...text('Pode mandar o link? https://loja.example/p/42'), replyTo: { id: '3EB0FFEE0000000000A2', text: 'Segue o catálogo' } },
    null,
  ),
  // 2.3.5+: fileLength as a Long, bytes as index-keyed objects; the inlined base64 as a data URL, never the CDN url.
  'src-2.3.6-messages-upsert-imageMessage-base64.json': fromMaria('3EB0A1B2C3D4E5F60004', 1769940180, {
    type: 'image',
    text: 'Foto do defeito',
    media: media('image/jpeg', 291957, {
      url: 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/2wBDAQkJCQwLDBgNDRgyIRwhMjIy',
    }),
  }),
  // Before 2.3.5: fileLength a numeric string; S3's mediaUrl is the file.
  'src-2.3.4-messages-upsert-imageMessage-mediaUrl.json': fromMaria(
    '3EB0A1B2C3D4E5F60005',
    1769940240,
    {
      type: 'image',
      text: '',
      media: media('image/png', 48213, { url: 'https://s3.evo.example/evolution-api/a1b2c3d4/imageMessage/3EB0A1B2C3D4E5F60005.png', viewOnce: true }),
    },
    null,
  ),
  'src-2.3.6-messages-upsert-videoMessage.json': fromMaria('3EB0A1B2C3D4E5F60006', 1769940300, {
    type: 'video',
    text: 'Veja como chegou',
    media: media('video/mp4', 1843210),
  }),
  'src-2.3.6-messages-upsert-audioMessage-ptt.json': fromMaria('3EB0A1B2C3D4E5F60007', 1769940360, {
    type: 'voice',
    text: '',
    media: media('audio/ogg; codecs=opus', 9341),
  }),
  'src-2.3.6-messages-upsert-audioMessage.json': fromMaria('3EB0A1B2C3D4E5F60008', 1769940420, { type: 'audio', text: '', media: media('audio/mpeg', 512000) }),
  'src-2.3.6-messages-upsert-documentMessage.json': fromMaria('3EB0A1B2C3D4E5F60009', 1769940480, {
    type: 'document',
    text: 'Segue a nota',
    media: media('application/pdf', 88231, { fileName: 'nota-fiscal-1234.pdf' }),
  }),
  'src-2.3.6-messages-upsert-stickerMessage.json': fromMaria('3EB0A1B2C3D4E5F60010', 1769940540, {
    type: 'sticker',
    text: '',
    media: media('image/webp', 22040),
  }),
  'src-2.3.6-messages-upsert-locationMessage.json': fromMaria('3EB0A1B2C3D4E5F60011', 1769940600, {
    type: 'location',
    text: '',
    location: { latitude: -23.5613, longitude: -46.6565, name: 'Avenida Paulista', address: 'Av. Paulista, 1578 - Bela Vista, São Paulo' },
  }),
  'src-2.3.6-messages-upsert-contactMessage.json': fromMaria('3EB0A1B2C3D4E5F60012', 1769940660, { type: 'contact', text: '', contacts: [CARLOS] }),
  'src-2.3.6-messages-upsert-contactsArrayMessage.json': fromMaria('3EB0A1B2C3D4E5F60013', 1769940720, { type: 'contact', text: '', contacts: [CARLOS, ANA] }),
  'src-2.3.6-messages-upsert-reactionMessage.json': reaction('3EB0A1B2C3D4E5F60014', 1769940780, '👍'),
  'src-2.3.6-messages-upsert-reactionMessage-removed.json': reaction('3EB0A1B2C3D4E5F60015', 1769940840, ''),
  'src-2.3.6-messages-upsert-pollCreationMessageV3.json': fromMaria('3EB0A1B2C3D4E5F60016', 1769940900, { type: 'poll', text: '' }),
  'src-2.3.6-messages-upsert-group-participantAlt.json': [
    {
      ...head('messages.upsert'),
      event: 'message',
      id: 'evolution:loja-centro:msg:3EB0A1B2C3D4E5F60017',
      timestamp: at(1769940960),
      message: { id: '3EB0A1B2C3D4E5F60017', ...text('Bom dia, grupo!'), direction: 'inbound', fromMe: false, chat: GROUP_CHAT, sender: JOAO },
    },
  ],
  'src-2.3.0-messages-upsert-group-participantPn.json': [
    {
      ...head('messages.upsert'),
      event: 'message',
      id: 'evolution:loja-centro:msg:3EB0A1B2C3D4E5F60020',
      timestamp: at(1769941140),
      message: { id: '3EB0A1B2C3D4E5F60020', ...text('Alguém sabe o horário?'), direction: 'inbound', fromMe: false, chat: GROUP_CHAT, sender: JOAO },
    },
  ],
  // Typed on the phone: outbound, the account as sender, "Você" is no name.
  'src-2.3.6-messages-upsert-fromMe.json': [
    {
      ...head('messages.upsert'),
      event: 'message',
      id: 'evolution:loja-centro:msg:3EB0A1B2C3D4E5F60018',
      timestamp: at(1769941020),
      message: {
        id: '3EB0A1B2C3D4E5F60018',
        ...text('Temos sim, pode passar na loja'),
        direction: 'outbound',
        fromMe: true,
        chat: mariaChat(),
        sender: ACCOUNT,
      },
    },
  ],
  'src-2.3.0-messages-upsert-lid-senderPn.json': [
    {
      ...head('messages.upsert'),
      event: 'message',
      id: 'evolution:loja-centro:msg:3EB0A1B2C3D4E5F60019',
      timestamp: at(1769941080),
      message: {
        id: '3EB0A1B2C3D4E5F60019',
        ...text('Chegou!'),
        direction: 'inbound',
        fromMe: false,
        chat: { id: MARIA_LID, type: 'direct', lid: MARIA_LID, phone: '5511988887777' },
        sender: { id: MARIA_LID, phone: '5511988887777', lid: MARIA_LID, name: 'Maria Souza' },
      },
    },
  ],
  // Only the LID: no phone is guessed.
  'src-2.2.3-messages-upsert-lid-only.json': [
    {
      ...head('messages.upsert'),
      event: 'message',
      id: 'evolution:loja-centro:msg:3EB0A1B2C3D4E5F60021',
      timestamp: at(1769941200),
      message: {
        id: '3EB0A1B2C3D4E5F60021',
        ...text('Olá'),
        direction: 'inbound',
        fromMe: false,
        chat: { id: MARIA_LID, type: 'direct', lid: MARIA_LID, phone: null },
        sender: { id: MARIA_LID, phone: null, lid: MARIA_LID, name: null },
      },
    },
  ],
  // One API send under two names (issue #1340): one id.
  'src-2.3.6-send-message-sendText.json': [
    {
      ...head('send.message'),
      event: 'message',
      id: 'evolution:loja-centro:msg:3EB0C0FFEE0000000001',
      timestamp: at(1769941260),
      message: { ...API_SENT, source: 'api' },
    },
  ],
  'src-2.2.3-messages-upsert-api-send-copy.json': [
    { ...head('messages.upsert'), event: 'message', id: 'evolution:loja-centro:msg:3EB0C0FFEE0000000001', timestamp: at(1769941260), message: API_SENT },
  ],
  'src-2.3.6-messages-update-DELIVERY_ACK.json': ack('delivered', '2026-02-01T10:21:03.000Z'),
  'src-2.3.6-messages-update-READ.json': ack('read', '2026-02-01T10:22:00.000Z'),
  'src-meta-channel-messages-update-DELIVERED.json': ack(
    'delivered',
    '2026-02-01T10:24:00.000Z',
    'wamid.HBgNNTUxMTk4ODg4Nzc3NxUCABEYEjVCRkQ4RkE1MjA5NzZCMDI0AA==',
  ),
  // DELETED is Evolution's fallback for an update without a status: no receipt.
  'src-2.3.4-messages-update-DELETED.json': [
    {
      ...head('messages.update'),
      event: 'unknown',
      id: `evolution:loja-centro:messages.update:${digest('src-2.3.4-messages-update-DELETED.json')}`,
      timestamp: '2026-02-01T10:23:00.000Z',
      issues: [{ path: 'status', message: expect.stringContaining('DELETED is no receipt') }],
    },
  ],
  'src-2.3.6-messages-edited-MESSAGE_EDIT.json': [
    {
      ...head('messages.edited'),
      event: 'message.edited',
      id: `evolution:loja-centro:edited:3EB0A1B2C3D4E5F60002:${contentDigest('Quero o verde')}`,
      timestamp: '2026-02-01T10:22:00.000Z', // timestampMs, a Long of milliseconds
      message: {
        id: '3EB0A1B2C3D4E5F60002',
        ...text('Quero o verde'),
        direction: 'inbound',
        fromMe: false,
        chat: mariaChat(null),
        sender: maria(null, null),
        editedMessageId: '3EB0A1B2C3D4E5F60002',
      },
    },
  ],
  'src-2.3.6-send-message-update.json': [
    {
      ...head('send.message.update'),
      event: 'message.edited',
      id: `evolution:loja-centro:edited:3EB0C0FFEE0000000001:${contentDigest('Seu pedido chega hoje')}`,
      timestamp: '2026-02-01T10:25:00.000Z',
      message: { ...API_SENT, text: 'Seu pedido chega hoje', editedMessageId: '3EB0C0FFEE0000000001' },
    },
  ],
  // A delete for everyone comes twice: messages.edited (REVOKE) and messages.delete, one id.
  'src-2.3.6-messages-edited-REVOKE.json': revoked('messages.edited', '3EB0A1B2C3D4E5F60011', MARIA, '2026-02-01T10:23:00.000Z'),
  'src-2.3.6-messages-delete.json': revoked('messages.delete', '3EB0A1B2C3D4E5F60011', MARIA, '2026-02-01T10:23:01.000Z'),
  'src-2.3.6-messages-delete-deleteMessageForEveryone.json': revoked('messages.delete', '3EB0C0FFEE0000000001', ACCOUNT.id, '2026-02-01T10:24:00.000Z'),
  'src-2.3.6-presence-update.json': [
    {
      ...head('presence.update'),
      event: 'chat.presence',
      id: `evolution:loja-centro:presence:${GROUP}:${JOAO.id}:typing:${digest('src-2.3.6-presence-update.json')}`,
      timestamp: '2026-02-01T10:25:01.000Z',
      presence: { chatId: GROUP, participant: JOAO.id, status: 'typing', lastSeen: null },
    },
    {
      ...head('presence.update'),
      event: 'presence',
      id: `evolution:loja-centro:presence:${GROUP}:5511955554444@s.whatsapp.net:online:${digest('src-2.3.6-presence-update.json')}`,
      timestamp: '2026-02-01T10:25:01.000Z',
      presence: { chatId: GROUP, participant: '5511955554444@s.whatsapp.net', status: 'online', lastSeen: at(1769941500) },
    },
  ],
  'src-2.3.6-group-participants-update.json': [
    {
      ...head('group-participants.update'),
      event: 'group.participants',
      id: `evolution:loja-centro:group-participants.update:${digest('src-2.3.6-group-participants-update.json')}`,
      timestamp: '2026-02-01T10:26:00.000Z',
      group: { id: GROUP, action: 'add', participants: ['5511944443333@s.whatsapp.net'], by: ACCOUNT.id },
    },
  ],
  'src-baileys-7-group-participants-update-objects.json': [
    {
      ...head('group-participants.update'),
      event: 'group.participants',
      id: `evolution:loja-centro:group-participants.update:${digest('src-baileys-7-group-participants-update-objects.json')}`,
      timestamp: '2026-02-01T10:27:00.000Z',
      group: { id: GROUP, action: 'promote', participants: ['112233445566778@lid'], by: JOAO.id },
    },
  ],
  'src-2.3.6-call-offer.json': [call('offer')],
  // ringing, timeout and terminate have no canonical call status.
  'src-2.3.6-call-terminate.json': [
    {
      ...head('call'),
      event: 'unknown',
      id: `evolution:loja-centro:call:${digest('src-2.3.6-call-terminate.json')}`,
      timestamp: '2026-02-01T10:28:30.000Z',
      issues: [{ path: 'status', message: expect.any(String) }],
    },
  ],
  'src-2.3.6-connection-update-open.json': session(
    'connection.update',
    'src-2.3.6-connection-update-open.json',
    { status: 'connected', reason: '200', providerStatus: 'open' },
    '2026-02-01T09:00:00.000Z',
    { ...ACCOUNT, name: 'Loja Centro' }, // wuid without its device, profileName
  ),
  'src-2.3.6-connection-update-connecting.json': session(
    'connection.update',
    'src-2.3.6-connection-update-connecting.json',
    { status: 'starting', reason: '200', providerStatus: 'connecting' },
    '2026-02-01T08:59:00.000Z',
  ),
  'src-2.3.6-connection-update-close-401.json': session(
    'connection.update',
    'src-2.3.6-connection-update-close-401.json',
    { status: 'logged_out', reason: '401', providerStatus: 'close' },
    '2026-02-01T18:00:00.000Z',
  ),
  'src-2.3.6-connection-update-refused.json': session(
    'connection.update',
    'src-2.3.6-connection-update-refused.json',
    { status: 'failed', reason: '500', providerStatus: 'refused' },
    '2026-02-01T08:58:00.000Z',
  ),
  'src-2.3.6-qrcode-updated.json': session(
    'qrcode.updated',
    'src-2.3.6-qrcode-updated.json',
    { status: 'qr', reason: null, providerStatus: null },
    '2026-02-01T08:58:30.000Z',
  ),
  'src-2.3.6-qrcode-updated-limit.json': session(
    'qrcode.updated',
    'src-2.3.6-qrcode-updated-limit.json',
    { status: 'failed', reason: 'QR code limit reached, please login again', providerStatus: null },
    '2026-02-01T08:59:30.000Z',
  ),
  'src-2.3.6-status-instance.json': session(
    'status.instance',
    'src-2.3.6-status-instance.json',
    { status: 'disconnected', reason: '401', providerStatus: 'closed' },
    '2026-02-01T18:00:01.000Z',
  ),
  'src-2.3.6-logout-instance.json': session(
    'logout.instance',
    'src-2.3.6-logout-instance.json',
    { status: 'logged_out', reason: null, providerStatus: null },
    '2026-02-01T18:05:00.000Z',
  ),
  'src-2.3.6-remove-instance.json': session(
    'remove.instance',
    'src-2.3.6-remove-instance.json',
    { status: 'destroyed', reason: null, providerStatus: null },
    '2026-02-01T18:10:00.000Z',
  ),
  'src-2.3.6-application-startup.json': unknown('application.startup', 'src-2.3.6-application-startup.json'),
  'src-2.3.6-instance-create.json': unknown('instance.create', 'src-2.3.6-instance-create.json'),
  'src-2.3.6-instance-delete.json': unknown('instance.delete', 'src-2.3.6-instance-delete.json'),
  'src-2.3.6-messages-set.json': unknown('messages.set', 'src-2.3.6-messages-set.json', ACCOUNT),
  'src-2.3.6-contacts-set.json': unknown('contacts.set', 'src-2.3.6-contacts-set.json', ACCOUNT),
  'src-2.3.6-contacts-upsert.json': unknown('contacts.upsert', 'src-2.3.6-contacts-upsert.json', ACCOUNT),
  'src-2.3.6-contacts-update.json': unknown('contacts.update', 'src-2.3.6-contacts-update.json', ACCOUNT),
  'src-2.3.6-chats-set.json': unknown('chats.set', 'src-2.3.6-chats-set.json', ACCOUNT),
  'src-2.3.6-chats-upsert.json': unknown('chats.upsert', 'src-2.3.6-chats-upsert.json', ACCOUNT),
  'src-2.3.6-chats-update.json': unknown('chats.update', 'src-2.3.6-chats-update.json', ACCOUNT),
  'src-2.3.6-chats-delete.json': unknown('chats.delete', 'src-2.3.6-chats-delete.json', ACCOUNT),
  'src-2.3.6-groups-upsert.json': unknown('groups.upsert', 'src-2.3.6-groups-upsert.json', ACCOUNT),
  'src-2.3.6-groups-update.json': unknown('groups.update', 'src-2.3.6-groups-update.json', ACCOUNT),
  'src-2.3.6-typebot-start.json': unknown('typebot.start', 'src-2.3.6-typebot-start.json', ACCOUNT),
  'src-2.3.6-typebot-change-status.json': unknown('typebot.change-status', 'src-2.3.6-typebot-change-status.json', ACCOUNT),
  'src-2.3.6-labels-edit.json': unknown('labels.edit', 'src-2.3.6-labels-edit.json', ACCOUNT),
  'src-2.3.6-labels-association.json': unknown('labels.association', 'src-2.3.6-labels-association.json', ACCOUNT),
};

const masked = (file: string) => {
  const body = JSON.parse(fixtureBytes('evolution', file).toString('utf8'));
  return typeof body.apikey === 'string' && body.apikey !== '' ? { ...body, apikey: '***' } : body;
};

describe('Evolution API fixtures', () => {
  test('every fixture has an explicit expectation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(fixtureFiles('evolution'));
  });

  test('every event in Evolution’s list has a fixture', () => {
    const covered = new Set(fixtureFiles('evolution').map((file) => JSON.parse(fixtureBytes('evolution', file).toString('utf8')).event));
    expect(EVENT_NAMES.filter((name) => !covered.has(name))).toEqual([]);
  });

  test.each(Object.keys(EXPECTED))('%s', (file) => {
    const events = normalizeFixture(evolution, file);
    expect(events.map(({ raw: _raw, ...rest }) => rest)).toEqual(EXPECTED[file]);
    // raw is the body as received, but for the instance token in `apikey`.
    for (const event of events) expect(event.raw).toEqual(masked(file));
  });
});

describe('Evolution API normalization', () => {
  const normalize = (body: object) => evolution.normalize(JSON.parse(JSON.stringify(body)), { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'd' });

  test('the apikey never leaves in an event, whatever its shape', () => {
    for (const file of fixtureFiles('evolution')) {
      expect(JSON.stringify(normalizeFixture(evolution, file))).not.toContain(APIKEY);
    }
    const broken = normalize({ event: 'messages.upsert', instance: 7, apikey: APIKEY });
    expect(broken[0].event).toBe('unknown');
    expect(JSON.stringify(broken)).not.toContain(APIKEY);
  });

  test('eventNameOf reads every spelling Evolution uses as the dotted name', () => {
    for (const spelling of ['messages.upsert', 'MESSAGES_UPSERT', 'messages-upsert'])
      expect(evolution.eventNameOf({ event: spelling })).toBe('messages.upsert');
    expect(evolution.eventNameOf({ event: 'GROUP_PARTICIPANTS_UPDATE' })).toBe('group-participants.update');
    expect(evolution.eventNameOf({ event: 'TYPEBOT_CHANGE_STATUS' })).toBe('typebot.change-status');
    expect(evolution.eventNameOf({ event: 'brand.new' })).toBe('brand.new');
    expect(evolution.eventNameOf({ event: '' })).toBeNull();
    expect(evolution.eventNameOf({})).toBeNull();
  });

  test('a known event with a bad payload gives unknown with the issue’s path', () => {
    const [event] = normalize({ event: 'messages.upsert', instance: 'i', data: { key: { remoteJid: 'x@s.whatsapp.net' } } });
    expect(event.event).toBe('unknown');
    expect(event.issues?.map((issue) => issue.path)).toEqual(['key.id']);
  });

  test('view-once and ephemeral wrappers are unwrapped', () => {
    const [event] = normalize({
      event: 'messages.upsert',
      instance: 'i',
      data: {
        key: { remoteJid: '5511988887777@s.whatsapp.net', fromMe: false, id: 'V1' },
        message: { viewOnceMessageV2: { message: { imageMessage: { mimetype: 'image/jpeg', caption: 'once' } } } },
      },
    });
    expect(event.message).toMatchObject({ type: 'image', text: 'once', media: { viewOnce: true, mimeType: 'image/jpeg' } });
  });

  test('a Long above 32 bits, with its signed low word', () => {
    const [event] = normalize({
      event: 'messages.edited',
      instance: 'i',
      data: {
        key: { remoteJid: '5511988887777@s.whatsapp.net', id: 'E1' },
        type: 14,
        editedMessage: { conversation: 'x' },
        timestampMs: { low: -2147483648, high: 412, unsigned: false },
      },
    });
    expect(event.timestamp).toBe(new Date(412 * 2 ** 32 + 2 ** 31).toISOString());
  });

  test('sampleBody gives, per canonical event, a body that normalizes to it', () => {
    for (const [event] of Object.entries(evolution.samples.files)) {
      const events = evolution.normalize(sampleBody(evolution, event as never)!, { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'x' });
      expect([event, events.some((e) => e.event === event)]).toEqual([event, true]);
    }
  });
});

describe('Evolution API verification', () => {
  const SECRET = 'evo-webhook-secret';
  const NOW = Date.parse('2026-02-01T10:00:00.000Z');
  const body = Buffer.from(JSON.stringify({ event: 'messages.upsert', instance: 'i', data: {}, apikey: 'instance-token' }));
  const check = (headers: Record<string, string>, options: object = {}, raw = body, nowMs = NOW) =>
    evolution.verify({ request: { method: 'POST', headers, query: {}, rawBody: raw }, rawBody: raw, nowMs, options: { secret: SECRET, ...options } });
  const jwt = (header: object, payload: object, key = SECRET) => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const signed = `${part(header)}.${part(payload)}`;
    return `${signed}.${createHmac('sha256', key).update(signed).digest('base64url')}`;
  };
  const iat = NOW / 1000;

  test('each credential alone is enough: Bearer secret, Bearer JWT, the secret header, the body’s apikey', () => {
    expect(check({ authorization: `Bearer ${SECRET}` })).toEqual({ ok: true });
    expect(check({ authorization: `Bearer ${evolutionJwt(SECRET, NOW)}` })).toEqual({ ok: true });
    expect(check({ 'x-webhook-secret': SECRET })).toEqual({ ok: true });
    expect(check({ 'x-hook': SECRET }, { secretHeader: 'X-Hook' })).toEqual({ ok: true });
    expect(check({}, { secret: 'instance-token' })).toEqual({ ok: true });
  });

  test('sign() produces the JWT Evolution makes for jwt_key: HS256, 10 minutes, app and action', () => {
    const { headers } = evolution.sign({ body, secret: SECRET, nowMs: NOW });
    const [header, payload] = headers.Authorization.replace('Bearer ', '')
      .split('.')
      .slice(0, 2)
      .map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toEqual({ iat, exp: iat + 600, app: 'evolution', action: 'webhook' });
  });

  test('JWTs: expired, from the future, alg none, another alg, another key, another app are refused, each said', () => {
    const good = { iat, exp: iat + 600, app: 'evolution', action: 'webhook' };
    const error = (token: string, nowMs = NOW) => {
      const result = check({ authorization: `Bearer ${token}` }, {}, body, nowMs);
      return result.ok ? 'ok' : result.error;
    };
    expect(error(evolutionJwt(SECRET, NOW), NOW + 601_000)).toContain('expired');
    expect(error(jwt({ alg: 'HS256' }, { ...good, iat: iat + 120 }))).toContain('future');
    expect(error(`${jwt({ alg: 'none' }, good).split('.').slice(0, 2).join('.')}.`)).toContain('only HS256');
    expect(error(jwt({ alg: 'HS512' }, good))).toContain('only HS256');
    expect(error(jwt({ alg: 'HS256' }, good, 'another-key'))).toContain('signature does not match');
    expect(error(jwt({ alg: 'HS256' }, { ...good, app: 'other' }))).toContain('app/action');
    expect(error(jwt({ alg: 'HS256' }, { iat }))).toContain('no exp');
  });

  test('the 401 says which credentials were tried, never the secret', () => {
    const result = check({ authorization: 'Bearer nope', 'x-webhook-secret': 'nope' });
    expect(result).toEqual({
      ok: false,
      error: "Not authenticated: the X-Webhook-Secret header does not match; the Authorization Bearer token does not match; the body's apikey does not match",
    });
    const none = check({}, {}, Buffer.from('{"event":"x"}'));
    expect(none.ok ? '' : none.error).toMatch(/^No credential found: expected an Authorization: Bearer token/);
    expect(JSON.stringify([result, none])).not.toContain(SECRET);
  });

  test('no secret configured: nothing is checked', () => {
    expect(check({}, { secret: '' })).toEqual({ ok: true });
  });
});

describe('Evolution API webhook registration: one webhook per instance', () => {
  const sandbox = new SandboxGateway();
  beforeAll(() => sandbox.start());
  afterAll(() => sandbox.stop());
  const URL = 'http://127.0.0.1:5678/webhook/evo';
  const find = async (client: ReturnType<typeof createClient>) => (await client.webhooks('default')).webhooks;

  test('registering replaces the instance webhook and keeps the previous one (no headers); removing ours writes it back', async () => {
    const client = createClient('evolution', { ...sandbox.configFor('evolution'), http: { retries: 0 } });
    await registerWebhook(client, { url: URL, events: ['message'], includeOwnMessages: true, secret: 's3cret' }, 'default');
    expect(await isRegistered(client, URL, 'default')).toBe(true);
    const set = sandbox.deliveries.at(-1)!.body as { webhook: { headers: Record<string, string>; events: string[]; url: string } };
    expect(set.webhook).toMatchObject({ url: URL, enabled: true, events: ['MESSAGES_UPSERT', 'SEND_MESSAGE'], byEvents: false, base64: false });
    expect(set.webhook.headers.Authorization).toBe('Bearer s3cret');
    // The kept one never carries the previous webhook's own headers (its secret).
    expect(Buffer.from(set.webhook.headers['X-Waflow-Previous-Webhook'], 'base64url').toString()).not.toContain('crm-token');
    expect((await find(client)).map((w) => w.url)).toEqual(['https://crm.example/evolution-hook', URL]);

    await unregisterWebhooks(client, [URL], 'default');
    const restored = sandbox.deliveries.at(-1)!.body as { webhook: object };
    expect(restored.webhook).toEqual({
      url: 'https://crm.example/evolution-hook',
      enabled: true,
      events: ['MESSAGES_UPSERT'],
      byEvents: false,
      base64: false,
      headers: {},
    });
    expect(await isRegistered(client, URL, 'default')).toBe(false);
  });

  test('with no webhook before, removing ours disables it', async () => {
    sandbox.reset();
    const client = createClient('evolution', { ...sandbox.configFor('evolution'), http: { retries: 0 } });
    await client.webhooks('default').then((list) => list.write([]));
    await registerWebhook(client, { url: URL, events: [], includeOwnMessages: false }, 'default');
    expect((await find(client)).map((w) => w.url)).toEqual([URL]);
    await unregisterWebhooks(client, [URL], 'default');
    expect((sandbox.deliveries.at(-1)!.body as { webhook: object }).webhook).toEqual({ url: URL, enabled: false, events: [] });
    expect(await find(client)).toEqual([]);
  });

  test('an unknown instance is named in the error', async () => {
    const client = createClient('evolution', { ...sandbox.configFor('evolution'), http: { retries: 0 } });
    await expect(client.sendText({ chatId: '5511988887777', text: 'x', session: 'nope' })).rejects.toThrow('Evolution API has no instance named "nope"');
  });
});
