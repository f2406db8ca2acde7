/**
 * wa-server: every fixture's normalized output is written out by hand below from the provider's
 * "Webhooks" page (fixtures doc-* are its examples verbatim, spec-* are built from its field tables),
 * then verification of the `X-WA-Signature` headers on the exact raw bytes.
 */
import { createHmac } from 'node:crypto';
import type { NormalizedEvent } from '../../core/event/schema';
import type { WebhookRequest } from '../../core/http/request';
import { waserverProvider as waserverAdapter } from '../../core/providers/waserver';
import type { VerifyOptions, VerifyResult } from '../../core/providers/types';
import { fixtureBytes, fixtureFiles, normalizeFixture, normalizeOne, RECEIVED_AT_MS } from '../helpers/fixtures';
import { sampleBody } from '../../cli/samples';

type Expected = Omit<NormalizedEvent, 'raw'>;
type Message = NonNullable<NormalizedEvent['message']>;

const SESSION = 'dev_example123';
/** `wa_number: "6285211112222"` on message/receipt payloads; no `wa_lid` there. */
const ACCOUNT = { id: '6285211112222@s.whatsapp.net', phone: '6285211112222', lid: null, name: null };

/** Individual chats: chat is the peer's phone JID; `chat_lid` only on inbound examples. */
const PEER_CHAT = { id: '6281234567890@s.whatsapp.net', type: 'direct', lid: '1234567890987654321@lid', phone: '6281234567890' } as const;
const PEER_CHAT_NO_LID = { ...PEER_CHAT, lid: null };
const GROUP_CHAT = { id: '120363012345678901@g.us', type: 'group', lid: '9876543210987654321@lid', phone: null } as const;
const GROUP_CHAT_NO_LID = { ...GROUP_CHAT, lid: null };
/** Inbound sender (`from` + `from_lid`); outbound sender is the device JID with its `:1` suffix. */
const PEER = { id: '6281234567890@s.whatsapp.net', phone: '6281234567890', lid: '1234567890987654321@lid', name: null };
const DEVICE = { id: '6285211112222:1@s.whatsapp.net', phone: '6285211112222', lid: null, name: null };

const IN = { direction: 'inbound', fromMe: false } as const;
const OUT = { direction: 'outbound', fromMe: true } as const;

function head(providerEvent: string, event: NormalizedEvent['event'], key: string, timestamp: string, account: Expected['account'] = ACCOUNT) {
  return { version: 1, provider: 'waserver', event, providerEvent, id: `waserver:${SESSION}:${key}`, session: SESSION, account, timestamp } as const;
}

function msg(id: string, timestamp: string, block: Omit<Message, 'id'>): Expected {
  return { ...head('message', 'message', `msg:${id}`, timestamp), message: { id, ...block } };
}

function media(mimeType: string, size: number, fileName: string | null, path: string | null) {
  return { mimeType, size, fileName, url: null, path, viewOnce: false };
}

const NATIONAL_MONUMENT = { latitude: -6.175392, longitude: 106.827153, name: 'National Monument', address: 'Jakarta, Indonesia' };
const RESTAURANT = { latitude: -6.2088, longitude: 106.8456, name: 'Restaurant ABC', address: 'Jl. Sudirman No. 123, Jakarta' };
const COORDS_ONLY = { latitude: -6.175392, longitude: 106.827153, name: null, address: null };
const LIVE_1 = { latitude: -6.175392, longitude: 106.827153, name: 'Current Location', address: 'Jakarta, Indonesia' };
const LIVE_2 = { latitude: -6.175405, longitude: 106.827168, name: 'Current Location', address: 'Jakarta, Indonesia' };
const LIVE_3 = { latitude: -6.17542, longitude: 106.82718, name: 'Moving Location', address: 'Jakarta, Indonesia' };

const JOHN_VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:John Doe\nTEL;TYPE=CELL:+6281234567890\nEMAIL:john@example.com\nEND:VCARD';
const JOHN = { name: 'John Doe', vcard: JOHN_VCARD, phones: ['+6281234567890'] };
const JANE = {
  name: 'Jane Smith',
  vcard:
    'BEGIN:VCARD\nVERSION:3.0\nFN:Jane Smith\nTEL;TYPE=CELL:+6281234567890\nTEL;TYPE=WORK:+6289876543210\nTEL;TYPE=HOME:+6281111111111\nEMAIL:jane@example.com\nEND:VCARD',
  phones: ['+6281234567890', '+6289876543210', '+6281111111111'],
};

const EXPECTED: Record<string, Expected> = {
  // ---- Device webhooks: session.status; only device_connected carries wa_number (and wa_lid). ----
  'doc-device_qr_generated.json': {
    ...head('device_qr_generated', 'session.status', 'device_qr_generated:...', '2026-01-03T12:39:00.000Z', null),
    state: { status: 'qr', reason: null, providerStatus: 'qr_generated' },
  },
  'doc-device_connected.json': {
    ...head('device_connected', 'session.status', 'device_connected:...', '2026-01-10T02:10:52.000Z', {
      id: '6285211112222@s.whatsapp.net',
      phone: '6285211112222',
      lid: '9876543210987654321@lid',
      name: null,
    }),
    state: { status: 'connected', reason: null, providerStatus: 'connected' },
  },
  'doc-device_disconnected.json': {
    ...head('device_disconnected', 'session.status', 'device_disconnected:...', '2026-01-03T12:45:00.000Z', null),
    state: { status: 'disconnected', reason: null, providerStatus: 'disconnected' },
  },
  'doc-device_destroyed.json': {
    ...head('device_destroyed', 'session.status', 'device_destroyed:...', '2026-01-03T12:50:00.000Z', null),
    state: { status: 'destroyed', reason: null, providerStatus: 'destroyed' },
  },

  // ---- Text ----
  'doc-message-text-individual-inbound.json': msg('ABCD123456789', '2026-01-10T02:15:00.000Z', {
    type: 'text',
    ...IN,
    text: 'Hello John',
    chat: PEER_CHAT,
    sender: PEER,
  }),
  'doc-message-text-individual-outbound.json': msg('msg_xyz789', '2026-01-10T02:15:05.000Z', {
    type: 'text',
    ...OUT,
    text: 'Hi Jane',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
  }),
  'doc-message-text-group-inbound.json': msg('GROUP_MSG_123', '2026-01-12T11:00:00.000Z', {
    type: 'text',
    ...IN,
    text: 'Hello everyone in the group!',
    chat: GROUP_CHAT,
    sender: PEER,
  }),
  'doc-message-text-group-inbound-dup.json': msg('GROUP_MSG_123', '2026-01-12T11:00:00.000Z', {
    type: 'text',
    ...IN,
    text: 'Hello everyone in the group!',
    chat: GROUP_CHAT,
    sender: PEER,
  }),
  'doc-message-text-group-outbound.json': msg('GROUP_OUT_789', '2026-01-12T11:10:00.000Z', {
    type: 'text',
    ...OUT,
    text: 'Announcement: Meeting at 3 PM',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
  }),
  // The second copy on the page adds from_lid and chat_lid to the outbound group message.
  'doc-message-text-group-outbound-dup.json': msg('GROUP_OUT_789', '2026-01-12T11:10:00.000Z', {
    type: 'text',
    ...OUT,
    text: 'Announcement: Meeting at 3 PM',
    chat: GROUP_CHAT,
    sender: { ...DEVICE, lid: '9876543210987654321@lid' },
  }),

  // ---- Image ----
  'doc-message-image-individual-inbound.json': msg('IMG_IND_123', '2026-01-12T09:17:13.000Z', {
    type: 'image',
    ...IN,
    text: 'Check out this photo',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('image/jpeg', 245678, null, 'media/app-id/device-id-IMG_IND_123.bin'),
  }),
  'doc-message-image-individual-outbound.json': msg('IMG_OUT_456', '2026-01-12T10:30:00.000Z', {
    type: 'image',
    ...OUT,
    text: 'Check out this image',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('image/jpeg', 156789, null, null),
  }),
  'doc-message-image-group-inbound.json': msg('IMG_GROUP_IN_789', '2026-01-12T11:05:00.000Z', {
    type: 'image',
    ...IN,
    text: 'Check out this photo from our trip',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('image/jpeg', 345678, null, 'media/app-id/device-id-IMG_GROUP_IN_789.bin'),
  }),
  'doc-message-image-group-inbound-dup.json': msg('GROUP_IMG_456', '2026-01-12T11:05:00.000Z', {
    type: 'image',
    ...IN,
    text: 'Check out this photo from our trip',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('image/jpeg', 345678, null, 'media/b1580b43-f254-4a5e-bad3-6b16f49517d9/367ec376-2c93-45bc-ad97-bbbb42507021-GROUP_IMG_456.bin'),
  }),
  'doc-message-image-group-outbound.json': msg('IMG_GROUP_OUT_999', '2026-01-12T11:15:00.000Z', {
    type: 'image',
    ...OUT,
    text: 'Team photo',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('image/jpeg', 456789, null, null),
  }),
  'doc-message-image-group-outbound-dup.json': msg('GROUP_IMG_OUT_999', '2026-01-12T11:15:00.000Z', {
    type: 'image',
    ...OUT,
    text: 'Team photo',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('image/jpeg', 456789, null, null),
  }),

  // ---- Video ----
  'doc-message-video-individual-inbound.json': msg('VIDEO_IND_123', '2026-01-12T11:20:00.000Z', {
    type: 'video',
    ...IN,
    text: 'Check out this video',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('video/mp4', 2456789, null, 'media/app-id/device-id-VIDEO_IND_123.bin'),
  }),
  'doc-message-video-individual-outbound.json': msg('VIDEO_OUT_456', '2026-01-12T11:30:00.000Z', {
    type: 'video',
    ...OUT,
    text: "Here's the video I promised",
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('video/mp4', 4567890, null, null),
  }),
  'doc-message-video-individual-outbound-dup.json': msg('VIDEO_OUT_789', '2026-01-12T11:30:00.000Z', {
    type: 'video',
    ...OUT,
    text: "Here's the video I promised",
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('video/mp4', 4567890, null, null),
  }),
  'doc-message-video-group-inbound.json': msg('VIDEO_GROUP_IN_789', '2026-01-12T11:25:00.000Z', {
    type: 'video',
    ...IN,
    text: 'Watch this video everyone',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('video/mp4', 3456789, null, 'media/app-id/device-id-VIDEO_GROUP_IN_789.bin'),
  }),
  'doc-message-video-group-outbound.json': msg('VIDEO_GROUP_OUT_999', '2026-01-12T11:35:00.000Z', {
    type: 'video',
    ...OUT,
    text: 'Video for the team',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('video/mp4', 5678901, null, null),
  }),
  'doc-message-video-group-outbound-dup.json': msg('GROUP_VIDEO_OUT_999', '2026-01-12T11:35:00.000Z', {
    type: 'video',
    ...OUT,
    text: 'Video for the team',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('video/mp4', 5678901, null, null),
  }),

  // ---- Audio: ptt true is a voice note; no text or caption on any audio example. ----
  'doc-message-audio-individual-inbound-voice.json': msg('AUDIO_VOICE_123', '2026-01-12T11:40:00.000Z', {
    type: 'voice',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('audio/ogg; codecs=opus', 45678, null, 'media/app-id/device-id-AUDIO_VOICE_123.bin'),
  }),
  'doc-message-audio-individual-inbound-voice-dup.json': msg('AUDIO_VOICE_123', '2026-01-12T11:40:00.000Z', {
    type: 'voice',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('audio/ogg; codecs=opus', 45678, null, 'media/app-id/device-id-AUDIO_VOICE_123.bin'),
  }),
  'doc-message-audio-individual-inbound-regular.json': msg('AUDIO_REGULAR_456', '2026-01-12T11:42:00.000Z', {
    type: 'audio',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('audio/mpeg', 1234567, null, 'media/app-id/device-id-AUDIO_REGULAR_456.bin'),
  }),
  'doc-message-audio-individual-inbound-regular-dup.json': msg('AUDIO_REGULAR_456', '2026-01-12T11:42:00.000Z', {
    type: 'audio',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('audio/mpeg', 1234567, null, 'media/app-id/device-id-AUDIO_REGULAR_456.bin'),
  }),
  'doc-message-audio-group-inbound-voice.json': msg('AUDIO_GROUP_789', '2026-01-12T11:45:00.000Z', {
    type: 'voice',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('audio/ogg; codecs=opus', 67890, null, 'media/app-id/device-id-AUDIO_GROUP_789.bin'),
  }),
  'doc-message-audio-group-inbound-voice-dup.json': msg('GROUP_AUDIO_789', '2026-01-12T11:45:00.000Z', {
    type: 'voice',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('audio/ogg; codecs=opus', 67890, null, 'media/app-id/device-id-GROUP_AUDIO_789.bin'),
  }),
  'doc-message-audio-individual-outbound-voice.json': msg('AUDIO_OUT_999', '2026-01-12T11:50:00.000Z', {
    type: 'voice',
    ...OUT,
    text: '',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('audio/ogg; codecs=opus', 34567, null, null),
  }),
  'doc-message-audio-individual-outbound-voice-dup.json': msg('AUDIO_OUT_999', '2026-01-12T11:50:00.000Z', {
    type: 'voice',
    ...OUT,
    text: '',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('audio/ogg; codecs=opus', 34567, null, null),
  }),
  'doc-message-audio-group-outbound-regular.json': msg('AUDIO_GROUP_OUT_111', '2026-01-12T11:55:00.000Z', {
    type: 'audio',
    ...OUT,
    text: '',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('audio/mpeg', 2345678, null, null),
  }),
  'doc-message-audio-group-outbound-regular-dup.json': msg('GROUP_AUDIO_OUT_111', '2026-01-12T11:55:00.000Z', {
    type: 'audio',
    ...OUT,
    text: '',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('audio/mpeg', 2345678, null, null),
  }),

  // ---- Document: media_filename is set ----
  'doc-message-document-individual-inbound-caption.json': msg('DOC_IND_123', '2026-01-12T12:00:00.000Z', {
    type: 'document',
    ...IN,
    text: 'Please review this document',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('application/pdf', 1024000, 'report.pdf', 'media/app-id/device-id-DOC_IND_123.bin'),
  }),
  'doc-message-document-individual-inbound-caption-dup.json': msg('DOC_INDIVIDUAL_123', '2026-01-12T12:00:00.000Z', {
    type: 'document',
    ...IN,
    text: 'Please review this document',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('application/pdf', 1024000, 'report.pdf', 'media/app-id/device-id-DOC_INDIVIDUAL_123.bin'),
  }),
  'doc-message-document-group-inbound-nocaption.json': msg('DOC_GROUP_456', '2026-01-12T12:05:00.000Z', {
    type: 'document',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 2048000, 'budget_2026.xlsx', 'media/app-id/device-id-DOC_GROUP_456.bin'),
  }),
  'doc-message-document-group-inbound-nocaption-dup.json': msg('DOC_GROUP_456', '2026-01-12T12:05:00.000Z', {
    type: 'document',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 2048000, 'budget_2026.xlsx', 'media/app-id/device-id-DOC_GROUP_456.bin'),
  }),
  'doc-message-document-individual-outbound-caption.json': msg('DOC_OUT_789', '2026-01-12T12:10:00.000Z', {
    type: 'document',
    ...OUT,
    text: "Here's the invoice",
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('application/pdf', 512000, 'invoice_2026_01.pdf', null),
  }),
  'doc-message-document-individual-outbound-caption-dup.json': msg('DOC_OUT_789', '2026-01-12T12:10:00.000Z', {
    type: 'document',
    ...OUT,
    text: "Here's the invoice",
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('application/pdf', 512000, 'invoice_2026_01.pdf', null),
  }),
  'spec-message-document-group-outbound.json': {
    ...msg('DOC_GROUP_OUT_321', '2026-01-12T12:12:00.000Z', {
      type: 'document',
      ...OUT,
      text: 'Minutes of the meeting',
      chat: GROUP_CHAT_NO_LID,
      sender: DEVICE,
      media: media('application/vnd.openxmlformats-officedocument.wordprocessingml.document', 87040, 'minutes_2026_01_12.docx', null),
    }),
  },

  // ---- Sticker: image/webp, no caption ----
  'doc-message-sticker-individual-inbound.json': msg('STICKER_IND_123', '2026-01-12T12:15:00.000Z', {
    type: 'sticker',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('image/webp', 45678, null, 'media/app-id/device-id-STICKER_IND_123.bin'),
  }),
  'doc-message-sticker-individual-inbound-dup.json': msg('STICKER_INDIVIDUAL_123', '2026-01-12T12:15:00.000Z', {
    type: 'sticker',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    media: media('image/webp', 45678, null, 'media/app-id/device-id-STICKER_INDIVIDUAL_123.bin'),
  }),
  'doc-message-sticker-group-inbound.json': msg('STICKER_GROUP_456', '2026-01-12T12:20:00.000Z', {
    type: 'sticker',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('image/webp', 34567, null, 'media/app-id/device-id-STICKER_GROUP_456.bin'),
  }),
  'doc-message-sticker-group-inbound-dup.json': msg('STICKER_GROUP_456', '2026-01-12T12:20:00.000Z', {
    type: 'sticker',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    media: media('image/webp', 34567, null, 'media/app-id/device-id-STICKER_GROUP_456.bin'),
  }),
  'doc-message-sticker-individual-outbound.json': msg('STICKER_OUT_789', '2026-01-12T12:25:00.000Z', {
    type: 'sticker',
    ...OUT,
    text: '',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('image/webp', 23456, null, null),
  }),
  'doc-message-sticker-individual-outbound-dup.json': msg('STICKER_OUT_789', '2026-01-12T12:25:00.000Z', {
    type: 'sticker',
    ...OUT,
    text: '',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    media: media('image/webp', 23456, null, null),
  }),
  'doc-message-sticker-group-outbound.json': msg('STICKER_GROUP_OUT_999', '2026-01-12T12:30:00.000Z', {
    type: 'sticker',
    ...OUT,
    text: '',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('image/webp', 38901, null, null),
  }),
  'doc-message-sticker-group-outbound-dup.json': msg('STICKER_GROUP_OUT_999', '2026-01-12T12:30:00.000Z', {
    type: 'sticker',
    ...OUT,
    text: '',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    media: media('image/webp', 38901, null, null),
  }),

  // ---- Location: the examples carry no `text`, so text stays '' (the name is in location.name). ----
  'doc-message-location-individual-inbound-named.json': msg('LOC_IND_123', '2026-01-12T11:25:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: NATIONAL_MONUMENT,
  }),
  'doc-message-location-individual-inbound-named-dup.json': msg('LOCATION_INDIVIDUAL_123', '2026-01-12T11:25:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: NATIONAL_MONUMENT,
  }),
  'doc-message-location-individual-inbound-coords.json': msg('LOC_COORDS_789', '2026-01-12T11:35:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: COORDS_ONLY,
  }),
  'doc-message-location-individual-inbound-coords-dup.json': msg('LOCATION_COORDS_ONLY_789', '2026-01-12T11:35:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: COORDS_ONLY,
  }),
  'doc-message-location-group-inbound.json': msg('LOC_GROUP_456', '2026-01-12T11:30:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    location: RESTAURANT,
  }),
  'doc-message-location-group-inbound-dup.json': msg('LOCATION_GROUP_456', '2026-01-12T11:30:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    location: RESTAURANT,
  }),
  'doc-message-location-individual-outbound.json': msg('LOC_OUT_123', '2026-01-12T11:40:00.000Z', {
    type: 'location',
    ...OUT,
    text: '',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    location: NATIONAL_MONUMENT,
  }),
  'doc-message-location-individual-outbound-dup.json': msg('LOCATION_OUT_123', '2026-01-12T11:40:00.000Z', {
    type: 'location',
    ...OUT,
    text: '',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    location: NATIONAL_MONUMENT,
  }),
  'doc-message-location-group-outbound.json': msg('LOC_GROUP_OUT_456', '2026-01-12T11:45:00.000Z', {
    type: 'location',
    ...OUT,
    text: '',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    location: RESTAURANT,
  }),
  'doc-message-location-group-outbound-dup.json': msg('LOCATION_GROUP_OUT_456', '2026-01-12T11:45:00.000Z', {
    type: 'location',
    ...OUT,
    text: '',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    location: RESTAURANT,
  }),
  // Live location: each update is its own message with its own id, so none is deduplicated away.
  'doc-message-location-live-individual-1.json': msg('LIVE_LOC_001', '2026-01-12T12:00:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: LIVE_1,
  }),
  'doc-message-location-live-individual-1-dup.json': msg('LIVE_LOC_UPDATE_001', '2026-01-12T12:00:00.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: LIVE_1,
  }),
  'doc-message-location-live-individual-2.json': msg('LIVE_LOC_002', '2026-01-12T12:00:15.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: LIVE_2,
  }),
  'doc-message-location-live-individual-2-dup.json': msg('LIVE_LOC_UPDATE_002', '2026-01-12T12:00:15.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    location: LIVE_2,
  }),
  'doc-message-location-live-group-3.json': msg('LIVE_LOC_GROUP_003', '2026-01-12T12:00:30.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    location: LIVE_3,
  }),
  'doc-message-location-live-group-3-dup.json': msg('LIVE_LOC_GROUP_003', '2026-01-12T12:00:30.000Z', {
    type: 'location',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    location: LIVE_3,
  }),

  // ---- Contact: contact_name is the shared card's name, never the sender's. ----
  'doc-message-contact-individual-inbound-single.json': msg('CONTACT_MSG_123', '2026-01-12T11:20:00.000Z', {
    type: 'contact',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    contacts: [JOHN],
  }),
  'doc-message-contact-individual-inbound-single-dup.json': msg('CONTACT_MSG_123', '2026-01-12T11:20:00.000Z', {
    type: 'contact',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    contacts: [JOHN],
  }),
  'doc-message-contact-individual-inbound-multi.json': msg('CONTACT_MULTI_456', '2026-01-12T11:22:00.000Z', {
    type: 'contact',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    contacts: [JANE],
  }),
  'doc-message-contact-individual-inbound-multi-dup.json': msg('CONTACT_MULTI_456', '2026-01-12T11:22:00.000Z', {
    type: 'contact',
    ...IN,
    text: '',
    chat: PEER_CHAT,
    sender: PEER,
    contacts: [JANE],
  }),
  'spec-message-contact-individual-outbound.json': msg('CONTACT_OUT_789', '2026-01-12T11:24:00.000Z', {
    type: 'contact',
    ...OUT,
    text: '',
    chat: PEER_CHAT_NO_LID,
    sender: DEVICE,
    contacts: [
      {
        name: 'Support Desk',
        vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Support Desk\nTEL;TYPE=WORK:+6221555000\nEND:VCARD',
        phones: ['+6221555000'],
      },
    ],
  }),
  'spec-message-contact-group-inbound.json': msg('CONTACT_GROUP_IN_654', '2026-01-12T11:26:00.000Z', {
    type: 'contact',
    ...IN,
    text: '',
    chat: GROUP_CHAT,
    sender: PEER,
    contacts: [
      {
        name: 'Jane Smith',
        vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Jane Smith\nTEL;TYPE=CELL:+6281234567890\nTEL;TYPE=WORK:+6289876543210\nEND:VCARD',
        phones: ['+6281234567890', '+6289876543210'],
      },
    ],
  }),
  'spec-message-contact-group-outbound.json': msg('CONTACT_GROUP_OUT_987', '2026-01-12T11:28:00.000Z', {
    type: 'contact',
    ...OUT,
    text: '',
    chat: GROUP_CHAT_NO_LID,
    sender: DEVICE,
    contacts: [JOHN],
  }),

  // ---- Receipts: the payload's own timestamp wins over the envelope's. ----
  'doc-receipt-read.json': {
    ...head('receipt', 'message.ack', 'ack:msg_xyz789:read', '2026-01-10T02:16:01.000Z'),
    ack: { messageIds: ['msg_xyz789'], status: 'read', chatId: '6281234567890@s.whatsapp.net', participant: null },
  },
  // The page's first "receipt (read)" example carries a group video *message* body: no message_ids,
  // no receipt word. It is not an ack, so it is reported, not guessed at.
  'doc-receipt-video-group-inbound.json': {
    ...head('receipt', 'unknown', 'receipt:...', '2026-01-12T11:25:00.000Z'),
    issues: [
      { path: 'message_ids', message: 'Invalid input: expected array, received undefined' },
      { path: 'receipt', message: 'Invalid input: expected string, received undefined' },
    ],
  },
  // Group receipts: one per member, so the reader (`from`) is part of the key.
  'spec-receipt-delivered-group.json': {
    ...head('receipt', 'message.ack', 'ack:GROUP_OUT_789:delivered:6281234567890@s.whatsapp.net', '2026-01-12T11:10:02.000Z'),
    ack: { messageIds: ['GROUP_OUT_789'], status: 'delivered', chatId: '120363012345678901@g.us', participant: '6281234567890@s.whatsapp.net' },
  },
  'spec-receipt-played.json': {
    ...head('receipt', 'message.ack', 'ack:AUDIO_OUT_999:played', '2026-01-12T11:52:00.000Z'),
    ack: { messageIds: ['AUDIO_OUT_999'], status: 'played', chatId: '6281234567890@s.whatsapp.net', participant: null },
  },
  'spec-receipt-server.json': {
    ...head('receipt', 'message.ack', 'ack:msg_xyz789,msg_xyz790:sent', '2026-01-10T02:15:06.000Z'),
    ack: { messageIds: ['msg_xyz789', 'msg_xyz790'], status: 'sent', chatId: '6281234567890@s.whatsapp.net', participant: null },
  },

  // ---- Presence ----
  'doc-presence.json': {
    ...head('presence', 'presence', 'presence:...', '2026-01-03T12:37:15.000Z', null),
    presence: { chatId: '15551234567@s.whatsapp.net', participant: null, status: 'online', lastSeen: null },
  },
  'spec-presence-unavailable.json': {
    ...head('presence', 'presence', 'presence:5f0c9a2e-1b7d-4c1e-9a55-2f6d0c8b1e09', '2026-01-03T12:47:15.000Z', null),
    presence: { chatId: '15551234567@s.whatsapp.net', participant: null, status: 'offline', lastSeen: '2026-01-03T12:46:58.000Z' },
  },
  'doc-chat_presence-composing.json': {
    ...head('chat_presence', 'chat.presence', 'chat_presence:...', '2026-01-03T12:37:20.000Z', null),
    presence: { chatId: '15551234567@s.whatsapp.net', participant: null, status: 'typing', lastSeen: null },
  },
  'spec-chat_presence-recording.json': {
    ...head('chat_presence', 'chat.presence', 'chat_presence:5f0c9a2e-1b7d-4c1e-9a55-2f6d0c8b1e05', '2026-01-03T12:37:25.000Z', null),
    presence: { chatId: '15551234567@s.whatsapp.net', participant: null, status: 'recording', lastSeen: null },
  },

  // ---- Revoke, session warnings, unknown ----
  'doc-message_revoked.json': {
    ...head('message_revoked', 'message.revoked', 'revoked:ABCD1234', '2026-01-03T12:38:00.000Z', {
      id: '15550000001@s.whatsapp.net',
      phone: '15550000001',
      lid: null,
      name: null,
    }),
    revoked: { messageId: 'ABCD1234', chatId: '15551234567@s.whatsapp.net', by: '15551234567@s.whatsapp.net' },
  },
  'doc-warning.json': {
    ...head('warning', 'session.status', 'warning:...', '2026-01-03T12:40:00.000Z', null),
    state: { status: 'warning', reason: 'client_outdated', providerStatus: 'warning' },
  },
  'doc-logout.json': {
    ...head('logout', 'session.status', 'logout:...', '2026-01-03T12:41:00.000Z', null),
    state: { status: 'logged_out', reason: 'logged_out', providerStatus: 'logout' },
  },
  'spec-unknown-event.json': {
    ...head('call_offer', 'unknown', 'call_offer:5f0c9a2e-1b7d-4c1e-9a55-2f6d0c8b1e10', '2026-01-03T12:55:00.000Z', null),
  },

  // ---- LIDs: the page says chat and from "may be LIDs"; on an individual message chat is the peer's
  // phone JID and from "sender's JID (same as chat)", so the sender's phone is the chat's. ----
  'spec-message-individual-inbound-lid-from.json': msg('LIDFROM0001', '2026-01-10T02:16:00.000Z', {
    type: 'text',
    ...IN,
    text: 'Halo dari LID',
    chat: { ...PEER_CHAT_NO_LID, lid: '1234567890987654321@lid' }, // the LID paired with the chat through `from`
    sender: { id: '1234567890987654321@lid', phone: '6281234567890', lid: '1234567890987654321@lid', name: null },
  }),
  // In a group nothing is paired with a LID sender: no phone is invented.
  'spec-message-group-inbound-lid-only.json': msg('LIDFROM0002', '2026-01-10T02:16:05.000Z', {
    type: 'text',
    ...IN,
    text: 'Halo grup',
    chat: GROUP_CHAT_NO_LID,
    sender: { id: '1234567890987654321@lid', phone: null, lid: '1234567890987654321@lid', name: null },
  }),
};

const context = { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'digest0123' };
const normalize = (body: Record<string, unknown>) => waserverAdapter.normalize(body, context);

describe('wa-server fixtures', () => {
  test('the 73 JSON examples of the page are all fixtures, and every fixture has an expectation', () => {
    const files = fixtureFiles('waserver');
    expect(files.filter((file) => file.startsWith('doc-'))).toHaveLength(73);
    expect(files.filter((file) => file.startsWith('spec-'))).toHaveLength(12);
    expect(Object.keys(EXPECTED).sort()).toEqual(files);
  });

  test.each(Object.entries(EXPECTED))('%s', (file, expected) => {
    const { raw, ...event } = normalizeOne(waserverAdapter, file);
    expect(event).toStrictEqual(expected);
    expect(raw).toStrictEqual(JSON.parse(fixtureBytes('waserver', file).toString('utf8')));
  });

  test.each(fixtureFiles('waserver'))('%s normalizes to valid v1 events with a stable id', (file) => {
    const first = normalizeFixture(waserverAdapter, file);
    const again = normalizeFixture(waserverAdapter, file);
    expect(first.length).toBeGreaterThan(0);
    expect(again.map((event) => event.id)).toEqual(first.map((event) => event.id));
    expect(waserverAdapter.eventNameOf(JSON.parse(fixtureBytes('waserver', file).toString('utf8')))).toBe(first[0].providerEvent);
  });

  test('adapter identity and sample bodies', () => {
    expect(waserverAdapter.name).toBe('waserver');
    expect(waserverAdapter.displayName).toBe('wa-server');
    expect(waserverAdapter.defaultPath).toBe('waserver');
    const emitted = ['message', 'message.ack', 'message.revoked', 'presence', 'chat.presence', 'session.status', 'unknown'] as const;
    for (const kind of emitted) {
      const body = sampleBody(waserverAdapter, kind);
      expect(body).not.toBeNull();
      expect(normalize(body!)[0].event).toBe(kind);
    }
    expect(sampleBody(waserverAdapter, 'call')).toBeNull();
    expect(sampleBody(waserverAdapter, 'poll.vote')).toBeNull();
  });
});

describe('wa-server normalization edge cases', () => {
  const envelope = (event: string, payload: unknown) => ({
    event,
    device_id: 'dev_1',
    app_id: 'app_1',
    timestamp: '2026-01-10T02:15:00Z',
    request_id: 'req-1',
    payload,
  });
  const text = {
    wa_number: '6285211112222',
    from: '6281234567890@s.whatsapp.net',
    chat: '6281234567890@s.whatsapp.net',
    message_id: 'M1',
    direction: 'inbound',
    message_type: 'text',
    text: 'hi',
  };

  test('a message without message_id is unknown with the issue path', () => {
    const { message_id: _dropped, ...payload } = text;
    const [event] = normalize(envelope('message', payload));
    expect(event.event).toBe('unknown');
    expect(event.providerEvent).toBe('message');
    expect(event.id).toBe('waserver:dev_1:message:req-1');
    expect(event.issues).toEqual([{ path: 'message_id', message: expect.any(String) }]);
    expect(event.message).toBeUndefined();
    expect(event.raw).toEqual(envelope('message', payload));
  });

  test('an unknown direction and a missing payload are reported', () => {
    expect(normalize(envelope('message', { ...text, direction: 'sideways' }))[0].issues).toEqual([{ path: 'direction', message: expect.any(String) }]);
    const [missing] = normalize({ event: 'receipt', device_id: 'dev_1', request_id: 'req-2' });
    expect(missing.event).toBe('unknown');
    expect(missing.issues).toEqual([{ path: '(payload)', message: expect.any(String) }]);
    expect(missing.session).toBe('dev_1');
    expect(missing.id).toBe('waserver:dev_1:receipt:req-2');
    expect(missing.timestamp).toBe(new Date(RECEIVED_AT_MS).toISOString());
  });

  test('a body without an event name has none and normalizes to unknown', () => {
    const body = { device_id: 'dev_1', payload: {} };
    expect(waserverAdapter.eventNameOf(body)).toBeNull();
    expect(waserverAdapter.eventNameOf({ event: '' })).toBeNull();
    const [event] = normalize(body);
    expect(event.event).toBe('unknown');
    expect(event.issues).toEqual([{ path: 'event', message: expect.any(String) }]);
    // The device id is still readable, so the event keeps its session.
    expect(event.session).toBe('dev_1');
    expect(event.providerEvent).toBe('(none)');
    expect(event.id).toBe('waserver:dev_1:(none):digest0123');
  });

  test('without request_id the fallback key is the body digest', () => {
    const [event] = normalize({ event: 'presence', device_id: 'dev_1', payload: { from: 'x@s.whatsapp.net' } });
    expect(event.id).toBe('waserver:dev_1:presence:digest0123');
  });

  test('message details not on the page: other types, push name, own timestamp, LID chat', () => {
    const [poll] = normalize(envelope('message', { ...text, message_type: 'poll', text: '', caption: 'Lunch?' }));
    expect(poll.message).toStrictEqual({
      id: 'M1',
      type: 'other',
      direction: 'inbound',
      fromMe: false,
      text: 'Lunch?',
      chat: { id: '6281234567890@s.whatsapp.net', type: 'direct', lid: null, phone: '6281234567890' },
      sender: { id: '6281234567890@s.whatsapp.net', phone: '6281234567890', lid: null, name: null },
    });
    expect(normalize(envelope('message', { ...text, message_type: 'constructor' }))[0].message?.type).toBe('other');

    const [named] = normalize(envelope('message', { ...text, push_name: 'John', timestamp: 1768011300 }));
    expect(named.message?.sender.name).toBe('John');
    expect(named.timestamp).toBe('2026-01-10T02:15:00.000Z');

    const [lid] = normalize(envelope('message', { ...text, chat: '1234@lid', from: '1234@lid', direction: 'outbound' }));
    expect(lid.message?.chat).toStrictEqual({ id: '1234@lid', type: 'direct', lid: '1234@lid', phone: null });
    expect(lid.message?.sender).toStrictEqual({ id: '1234@lid', phone: null, lid: '1234@lid', name: null });
    expect(lid.message?.fromMe).toBe(true);

    const [viewOnce] = normalize(envelope('message', { ...text, message_type: 'image', is_view_once: true, media_mime_type: 'image/jpeg' }));
    expect(viewOnce.message?.media).toStrictEqual({ mimeType: 'image/jpeg', size: null, fileName: null, url: null, path: null, viewOnce: true });
  });

  test.each([
    ['server', 'sent'],
    ['sender', 'sent'],
    ['delivered', 'delivered'],
    ['', 'delivered'],
    ['read', 'read'],
    ['READ', 'read'],
    ['read-self', 'read'],
    ['played', 'played'],
    ['played-self', 'played'],
    ['retry', 'pending'],
    ['server-error', 'error'],
  ])('receipt %j is %s', (receipt, status) => {
    const [event] = normalize(envelope('receipt', { chat: 'c@s.whatsapp.net', message_ids: ['A'], receipt }));
    expect(event.event).toBe('message.ack');
    expect(event.ack).toStrictEqual({ messageIds: ['A'], status, chatId: 'c@s.whatsapp.net', participant: null });
    expect(event.id).toBe(`waserver:dev_1:ack:A:${status}`);
  });

  test('receipts that are not delivery states, and empty id lists, are unknown', () => {
    for (const receipt of ['inactive', 'peer_msg', 'hist_sync']) {
      expect(normalize(envelope('receipt', { message_ids: ['A'], receipt }))[0].issues).toEqual([{ path: 'receipt', message: expect.any(String) }]);
    }
    expect(normalize(envelope('receipt', { message_ids: [], receipt: 'read' }))[0].issues).toEqual([{ path: 'message_ids', message: expect.any(String) }]);
  });

  test('group read receipts from two members are two events', () => {
    const from = (reader: string) => envelope('receipt', { chat: 'g@g.us', from: reader, message_ids: ['A'], receipt: 'read', is_group: true });
    const [a] = normalize(from('1@s.whatsapp.net'));
    const [b] = normalize(from('2@s.whatsapp.net'));
    expect(a.id).toBe('waserver:dev_1:ack:A:read:1@s.whatsapp.net');
    expect(b.id).toBe('waserver:dev_1:ack:A:read:2@s.whatsapp.net');
  });

  test('chat presence: paused, participant, unknown state', () => {
    const [paused] = normalize(envelope('chat_presence', { chat: 'g@g.us', from: 'p@s.whatsapp.net', state: 'paused', media: '' }));
    expect(paused.presence).toStrictEqual({ chatId: 'g@g.us', participant: 'p@s.whatsapp.net', status: 'paused', lastSeen: null });
    const [bySender] = normalize(envelope('chat_presence', { chat: 'g@g.us', sender: 's@lid', state: 'composing', media: 'text' }));
    expect(bySender.presence).toStrictEqual({ chatId: 'g@g.us', participant: 's@lid', status: 'typing', lastSeen: null });
    expect(normalize(envelope('chat_presence', { chat: 'g@g.us', state: 'dancing' }))[0].issues).toEqual([{ path: 'state', message: expect.any(String) }]);
  });

  test("presence last_seen: Unix seconds are converted, Go's zero time is unknown", () => {
    const [seconds] = normalize(envelope('presence', { from: 'x@s.whatsapp.net', unavailable: true, last_seen: 1767443218 }));
    expect(seconds.presence?.lastSeen).toBe('2026-01-03T12:26:58.000Z');
    const [zero] = normalize(envelope('presence', { from: 'x@s.whatsapp.net', unavailable: true, last_seen: '0001-01-01T00:00:00Z' }));
    expect(zero.presence?.lastSeen).toBeNull();
  });

  test('session events take reason and status from the payload when given', () => {
    const [event] = normalize(envelope('device_disconnected', { status: 'disconnected', reason: 'stream_replaced' }));
    expect(event.state).toStrictEqual({ status: 'disconnected', reason: 'stream_replaced', providerStatus: 'disconnected' });
    const [bare] = normalize(envelope('logout', {}));
    expect(bare.state).toStrictEqual({ status: 'logged_out', reason: null, providerStatus: 'logout' });
  });
});

describe('wa-server verification', () => {
  const SECRET = 'whsec_wa-server-test-secret';
  const NOW = Date.parse('2026-01-10T02:15:00.000Z');
  const NOW_S = String(NOW / 1000);
  const BODY = fixtureBytes('waserver', 'doc-message-text-individual-inbound.json');

  /** Independent of the code under test: node's own HMAC over `timestamp + "." + body`. */
  function digest(algorithm: 'sha256' | 'sha512', timestamp: string, body: Buffer, secret = SECRET): Buffer {
    return createHmac(algorithm, secret).update(`${timestamp}.`).update(body).digest();
  }

  function verify(headers: Record<string, string>, body: Buffer = BODY, options: VerifyOptions = { secret: SECRET }): VerifyResult {
    const request: WebhookRequest = { method: 'POST', headers, rawBody: body };
    return waserverAdapter.verify({ request, rawBody: body, nowMs: NOW, options });
  }

  const signed = (timestamp = NOW_S, extra: Record<string, string> = {}) => ({
    'X-WA-Timestamp': timestamp,
    'X-WA-Signature': digest('sha256', timestamp, BODY).toString('hex'),
    ...extra,
  });

  const errors: string[] = [];
  function fails(result: VerifyResult, pattern: RegExp): void {
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(pattern);
      errors.push(result.error);
    }
  }

  test('no secret configured: nothing is checked', () => {
    expect(verify({}, BODY, {})).toEqual({ ok: true });
    expect(verify({}, BODY, { secret: '' })).toEqual({ ok: true });
  });

  test('valid sha256 hex, with and without the algorithm header, any header case', () => {
    expect(verify(signed())).toEqual({ ok: true });
    expect(verify(signed(NOW_S, { 'X-WA-Signature-Alg': 'sha256' }))).toEqual({ ok: true });
    expect(verify(signed(NOW_S, { 'X-WA-Signature-Alg': 'HMAC-SHA256' }))).toEqual({ ok: true });
    const lower = Object.fromEntries(Object.entries(signed()).map(([name, value]) => [name.toLowerCase(), value]));
    expect(verify(lower)).toEqual({ ok: true });
    const upperHex = { ...signed(), 'X-WA-Signature': digest('sha256', NOW_S, BODY).toString('hex').toUpperCase() };
    expect(verify(upperHex)).toEqual({ ok: true });
  });

  test('valid sha256= prefix and base64', () => {
    const mac = digest('sha256', NOW_S, BODY);
    expect(verify({ ...signed(), 'X-WA-Signature': `sha256=${mac.toString('hex')}` })).toEqual({ ok: true });
    expect(verify({ ...signed(), 'X-WA-Signature': mac.toString('base64') })).toEqual({ ok: true });
  });

  test('valid sha512', () => {
    const mac = digest('sha512', NOW_S, BODY);
    for (const alg of ['sha512', 'SHA512', 'hmac-sha512']) {
      expect(verify({ 'X-WA-Timestamp': NOW_S, 'X-WA-Signature-Alg': alg, 'X-WA-Signature': mac.toString('hex') })).toEqual({ ok: true });
    }
    expect(verify({ 'X-WA-Timestamp': NOW_S, 'X-WA-Signature-Alg': 'sha512', 'X-WA-Signature': `sha512=${mac.toString('hex')}` })).toEqual({ ok: true });
    expect(verify({ 'X-WA-Timestamp': NOW_S, 'X-WA-Signature-Alg': 'sha512', 'X-WA-Signature': mac.toString('base64') })).toEqual({ ok: true });
    // A sha512 digest under the default (sha256) algorithm does not pass.
    fails(verify({ 'X-WA-Timestamp': NOW_S, 'X-WA-Signature': mac.toString('hex') }), /does not match/);
  });

  test('timestamp as Unix seconds, milliseconds and ISO 8601, signed exactly as sent', () => {
    for (const timestamp of [NOW_S, String(NOW), '2026-01-10T02:15:00Z', '2026-01-10T02:15:00.000Z', '2026-01-10T09:15:00+07:00']) {
      expect(verify(signed(timestamp))).toEqual({ ok: true });
    }
  });

  test('tampered body, wrong secret, signature over another timestamp', () => {
    const tampered = Buffer.from(BODY.toString('utf8').replace('Hello John', 'Hello Joan'), 'utf8');
    fails(verify(signed(), tampered), /X-WA-Signature does not match/);
    fails(verify({ ...signed(), 'X-WA-Signature': digest('sha256', NOW_S, BODY, 'other-secret').toString('hex') }), /does not match/);
    const earlier = String(NOW / 1000 - 10);
    fails(verify({ 'X-WA-Timestamp': NOW_S, 'X-WA-Signature': digest('sha256', earlier, BODY).toString('hex') }), /does not match/);
    // Same instant, other spelling: the header is signed as received, not re-formatted.
    fails(verify({ 'X-WA-Timestamp': String(NOW), 'X-WA-Signature': digest('sha256', NOW_S, BODY).toString('hex') }), /does not match/);
    fails(verify({ ...signed(), 'X-WA-Signature': 'not a signature' }), /does not match/);
  });

  test('missing headers are named', () => {
    const { 'X-WA-Signature': _signature, ...noSignature } = signed();
    fails(verify(noSignature), /Missing X-WA-Signature header/);
    const { 'X-WA-Timestamp': _timestamp, ...noTimestamp } = signed();
    fails(verify(noTimestamp), /Missing X-WA-Timestamp header/);
  });

  test('unparseable timestamp', () => {
    fails(verify(signed('yesterday')), /X-WA-Timestamp is not a Unix time/);
  });

  test('stale and future timestamps, default window 300 s', () => {
    const old = String(NOW / 1000 - 412);
    fails(verify(signed(old)), /^X-WA-Timestamp is 412 s old; the window is 300 s$/);
    const future = String(NOW / 1000 + 412);
    fails(verify(signed(future)), /^X-WA-Timestamp is 412 s in the future; the window is 300 s$/);
    expect(verify(signed(String(NOW / 1000 - 300)))).toEqual({ ok: true });
    expect(verify(signed(String(NOW / 1000 + 300)))).toEqual({ ok: true });
    fails(verify(signed(String(NOW - 301_000))), /301 s old/);
    fails(verify(signed('2026-01-10T02:08:00Z')), /420 s old/);
  });

  test('custom window', () => {
    const sixtyAgo = String(NOW / 1000 - 60);
    expect(verify(signed(sixtyAgo))).toEqual({ ok: true });
    fails(verify(signed(sixtyAgo), BODY, { secret: SECRET, timestampToleranceSeconds: 30 }), /^X-WA-Timestamp is 60 s old; the window is 30 s$/);
    expect(verify(signed(String(NOW / 1000 - 412)), BODY, { secret: SECRET, timestampToleranceSeconds: 600 })).toEqual({ ok: true });
  });

  test('a stale request with a bad signature is still refused', () => {
    const old = String(NOW / 1000 - 412);
    expect(verify({ 'X-WA-Timestamp': old, 'X-WA-Signature': 'ff'.repeat(32) }).ok).toBe(false);
  });

  test('unsupported algorithm', () => {
    for (const alg of ['md5', 'sha1', 'sha384', 'rsa-sha256']) {
      fails(verify(signed(NOW_S, { 'X-WA-Signature-Alg': alg })), /unsupported algorithm/);
    }
  });

  test('emoji and escaped unicode: verified on the raw bytes, not on re-serialized JSON', () => {
    const raw = Buffer.from('{"event":"message","device_id":"dev_1","payload":{"text":"caf\\u00e9 \\ud83d\\ude00 😀","message_id":"E1"}}', 'utf8');
    const reserialized = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))), 'utf8');
    expect(reserialized.equals(raw)).toBe(false);
    const headers = { 'X-WA-Timestamp': NOW_S, 'X-WA-Signature': digest('sha256', NOW_S, raw).toString('hex') };
    expect(verify(headers, raw)).toEqual({ ok: true });
    fails(verify(headers, reserialized), /does not match/);
    // A string raw body is taken as its UTF-8 bytes.
    const request: WebhookRequest = { method: 'POST', headers, rawBody: raw.toString('utf8') };
    expect(waserverAdapter.verify({ request, rawBody: raw, nowMs: NOW, options: { secret: SECRET } })).toEqual({ ok: true });
  });

  test('sign() produces headers that verify', () => {
    const sha256 = waserverAdapter.sign({ body: BODY, secret: SECRET, nowMs: NOW + 999 });
    expect(sha256.query).toEqual({});
    expect(sha256.headers).toEqual({
      'X-WA-Timestamp': NOW_S,
      'X-WA-Signature-Alg': 'sha256',
      'X-WA-Signature': digest('sha256', NOW_S, BODY).toString('hex'),
    });
    expect(verify(sha256.headers)).toEqual({ ok: true });
    const sha512 = waserverAdapter.sign({ body: BODY, secret: SECRET, nowMs: NOW, options: { algorithm: 'sha512' } });
    expect(sha512.headers['X-WA-Signature-Alg']).toBe('sha512');
    expect(sha512.headers['X-WA-Signature']).toBe(digest('sha512', NOW_S, BODY).toString('hex'));
    expect(verify(sha512.headers)).toEqual({ ok: true });
  });

  test('errors never contain the secret or an expected digest', () => {
    expect(errors.length).toBeGreaterThan(10);
    const expectedDigests = [NOW_S, String(NOW / 1000 - 412), String(NOW / 1000 + 412)].flatMap((timestamp) =>
      (['sha256', 'sha512'] as const).flatMap((alg) => {
        const mac = digest(alg, timestamp, BODY);
        return [mac.toString('hex'), mac.toString('base64')];
      }),
    );
    for (const error of errors) {
      expect(error).not.toContain(SECRET);
      for (const value of expectedDigests) expect(error).not.toContain(value);
      expect(error).not.toMatch(/[0-9a-f]{32}/i);
    }
  });
});
