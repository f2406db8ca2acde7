import { createHash, createHmac } from 'node:crypto';
import { normalizedEventSchema, type CanonicalEvent, type ContactRef } from '../../core/event/schema';
import { openwaProvider as openwaAdapter } from '../../core/providers/openwa';
import { contentDigest } from '../../core/providers/shared/build';
import type { VerifyOptions } from '../../core/providers/types';
import { RECEIVED_AT_MS, fixtureBytes, fixtureFiles, normalizeFixture, normalizeOne } from '../helpers/fixtures';
import { sampleBody } from '../../cli/samples';

const adapter = openwaAdapter;

function body(file: string): Record<string, unknown> {
  return JSON.parse(fixtureBytes('openwa', file).toString('utf8')) as Record<string, unknown>;
}

/** The event without `raw`, after checking `raw` is the body as received. */
function normalized(file: string) {
  const { raw, ...event } = normalizeOne(adapter, file);
  expect(raw).toEqual(body(file));
  return event;
}

/** v5 has no per-event id (ctx.correlationId is a constant per event type): keys fall back to the body's digest. */
function digestOf(file: string): string {
  return createHash('sha256').update(fixtureBytes('openwa', file)).digest('hex').slice(0, 32);
}

function normalizeBody(value: Record<string, unknown>) {
  const events = adapter.normalize(value, { receivedAtMs: RECEIVED_AT_MS, bodyDigest: 'digest0' });
  for (const event of events) normalizedEventSchema.parse(event);
  return events;
}

function head(event: CanonicalEvent, providerEvent: string, id: string, timestamp: string, account: ContactRef | null = null) {
  return { version: 1, provider: 'openwa', event, providerEvent, id, session: 'sales', account, timestamp };
}

const ME: ContactRef = { id: '0987654321@c.us', phone: '0987654321', lid: null, name: null };
const ME_NAMED: ContactRef = { ...ME, name: 'Acme Sales' };
const CUSTOMER: ContactRef = { id: '1234567890@c.us', phone: '1234567890', lid: null, name: null };
const BUDI: ContactRef = { ...CUSTOMER, name: 'Budi' };
const DIRECT = { id: '1234567890@c.us', type: 'direct', lid: null, phone: '1234567890' };
const GROUP_CHAT = { id: '1234567890-1111111111@g.us', type: 'group', lid: null, phone: null };

describe('open-wa fixtures', () => {
  it.each(fixtureFiles('openwa'))('%s normalizes and validates against the v1 schema', (file) => {
    const events = normalizeFixture(adapter, file);
    expect(events).toHaveLength(1);
    expect(events[0].provider).toBe('openwa');
    expect(events[0].raw).toEqual(body(file));
  });
});

describe('documented v5 examples', () => {
  const docMessage = {
    id: 'false_1234567890@c.us_ABC123',
    type: 'text',
    direction: 'inbound',
    fromMe: false,
    text: 'Hello, I need help with my order',
    chat: DIRECT,
    sender: CUSTOMER,
  };

  it('doc-envelope-message.json: message.received, id from the message, account = `to`', () => {
    expect(normalized('doc-envelope-message.json')).toEqual({
      ...head('message', 'message.received', 'openwa:sales:msg:false_1234567890@c.us_ABC123', '2023-11-14T22:13:20.000Z', ME),
      message: docMessage,
    });
  });

  it('doc-message.json: same message as the envelope example', () => {
    expect(normalized('doc-message.json')).toEqual({
      ...head('message', 'message.received', 'openwa:sales:msg:false_1234567890@c.us_ABC123', '2023-11-14T22:13:20.000Z', ME),
      message: docMessage,
    });
  });

  it('doc-local-test.json: the curl body (no type, no to, no message timestamp)', () => {
    expect(normalized('doc-local-test.json')).toEqual({
      ...head('message', 'message.received', 'openwa:sales:msg:false_1234567890@c.us_ABC123', '2023-11-14T22:13:20.123Z'),
      message: docMessage,
    });
  });

  it('doc-media-message.json: caption is the text, media block from mimetype', () => {
    expect(normalized('doc-media-message.json')).toEqual({
      ...head('message', 'message.received', 'openwa:sales:msg:false_1234567890@c.us_DEF456', '2023-11-14T22:13:21.000Z'),
      message: {
        id: 'false_1234567890@c.us_DEF456',
        type: 'image',
        direction: 'inbound',
        fromMe: false,
        text: 'Photo of the receipt',
        chat: DIRECT,
        sender: CUSTOMER,
        media: { mimeType: 'image/jpeg', size: null, fileName: null, url: null, path: null, viewOnce: false },
      },
    });
  });

  it('doc-group-participants.json: change → group.participants, id from the body digest (correlationId is no event id)', () => {
    expect(normalized('doc-group-participants.json')).toEqual({
      ...head(
        'group.participants',
        'group.participants.changed.global',
        `openwa:sales:group.participants.changed.global:${digestOf('doc-group-participants.json')}`,
        '2023-11-14T22:13:22.123Z',
      ),
      group: { id: '1234567890-1111111111@g.us', action: 'add', participants: ['447700900123@c.us'], by: '447700900456@c.us' },
    });
  });

  it('doc-session-state.json: READY → connected', () => {
    expect(normalized('doc-session-state.json')).toEqual({
      ...head(
        'session.status',
        'session.state.changed',
        `openwa:sales:session.state.changed:${digestOf('doc-session-state.json')}`,
        '2023-11-14T22:13:23.123Z',
      ),
      state: { status: 'connected', reason: 'session connected', providerStatus: 'READY' },
    });
  });
});

describe('v5 events from the README list', () => {
  it('message.any outbound: sender and account are the own id, quoted message → replyTo', () => {
    expect(normalized('spec-v5-message-any-outbound.json')).toEqual({
      ...head('message', 'message.any', 'openwa:sales:msg:true_1234567890@c.us_OUT001', '2023-11-14T22:13:30.000Z', ME_NAMED),
      message: {
        id: 'true_1234567890@c.us_OUT001',
        type: 'text',
        direction: 'outbound',
        fromMe: true,
        text: 'Your order ships today',
        chat: DIRECT,
        sender: ME_NAMED,
        replyTo: { id: 'false_1234567890@c.us_ABC123', text: 'Hello, I need help with my order' },
      },
    });
  });

  it('message.deleted → message.revoked at the envelope time', () => {
    expect(normalized('spec-v5-message-deleted.json')).toEqual({
      ...head('message.revoked', 'message.deleted', 'openwa:sales:revoked:false_1234567890@c.us_ABC124', '2023-11-14T22:13:31.123Z', ME),
      revoked: { messageId: 'false_1234567890@c.us_ABC124', chatId: '1234567890@c.us', by: '1234567890@c.us' },
    });
  });

  it('ack.changed 3 → read', () => {
    expect(normalized('spec-v5-ack-changed.json')).toEqual({
      ...head('message.ack', 'ack.changed', 'openwa:sales:ack:true_1234567890@c.us_OUT001:read', '2023-11-14T22:13:32.123Z', ME),
      ack: { messageIds: ['true_1234567890@c.us_OUT001'], status: 'read', chatId: '1234567890@c.us', participant: null },
    });
  });

  it.each([
    ['spec-v5-session-state-qr.json', '2023-11-14T22:13:33.123Z', { status: 'qr', reason: null, providerStatus: 'QR' }],
    [
      'spec-v5-session-state-unpaired.json',
      '2023-11-14T22:13:34.123Z',
      { status: 'logged_out', reason: 'logged out from the phone', providerStatus: 'UNPAIRED' },
    ],
    [
      'spec-v5-session-state-conflict.json',
      '2023-11-14T22:13:35.123Z',
      { status: 'disconnected', reason: 'session opened in another browser', providerStatus: 'CONFLICT' },
    ],
    ['spec-v5-session-state-tos-block.json', '2023-11-14T22:13:36.123Z', { status: 'failed', reason: null, providerStatus: 'TOS_BLOCK' }],
  ])('%s: session.state.changed variant', (file, timestamp, state) => {
    expect(normalized(file)).toEqual({
      ...head('session.status', 'session.state.changed', `openwa:sales:session.state.changed:${digestOf(file)}`, timestamp),
      state,
    });
  });

  it.each([
    ['spec-v5-session-disconnected.json', 'session.connection.disconnected', '2023-11-14T22:13:37.123Z', 'disconnected', 'socket closed'],
    ['spec-v5-session-reconnecting.json', 'session.connection.reconnecting', '2023-11-14T22:13:38.123Z', 'starting', 'socket closed'],
    ['spec-v5-session-reconnected.json', 'session.connection.reconnected', '2023-11-14T22:13:39.123Z', 'connected', null],
    ['spec-v5-session-logout.json', 'session.logout', '2023-11-14T22:13:40.123Z', 'logged_out', null],
  ])('%s: connection event → session.status', (file, providerEvent, timestamp, status, reason) => {
    expect(normalized(file)).toEqual({
      ...head('session.status', providerEvent, `openwa:sales:${providerEvent}:${digestOf(file)}`, timestamp),
      state: { status, reason, providerStatus: providerEvent },
    });
  });

  it('group.addedToGroup → group.participants add (no own id to list: open-wa sends no `me`)', () => {
    expect(normalized('spec-v5-group-added.json')).toEqual({
      ...head(
        'group.participants',
        'group.addedToGroup',
        `openwa:sales:group.addedToGroup:${digestOf('spec-v5-group-added.json')}`,
        '2023-11-14T22:13:41.123Z',
      ),
      group: { id: '1234567890-2222222222@g.us', action: 'add', participants: [], by: null, subject: 'Wholesale buyers' },
    });
  });

  it('group.removedFromGroup → group.participants remove', () => {
    expect(normalized('spec-v5-group-removed.json')).toEqual({
      ...head(
        'group.participants',
        'group.removedFromGroup',
        `openwa:sales:group.removedFromGroup:${digestOf('spec-v5-group-removed.json')}`,
        '2023-11-14T22:13:42.123Z',
      ),
      group: { id: '1234567890-2222222222@g.us', action: 'remove', participants: [], by: null, subject: 'Wholesale buyers' },
    });
  });

  it('group.changed (subject) → group.update, author Contact → by', () => {
    expect(normalized('spec-v5-group-changed.json')).toEqual({
      ...head('group.update', 'group.changed', `openwa:sales:group.changed:${digestOf('spec-v5-group-changed.json')}`, '2023-11-14T22:13:43.123Z'),
      group: {
        id: '1234567890-1111111111@g.us',
        action: 'subject',
        participants: [],
        by: '447700900456@c.us',
        subject: 'Sales team – EU',
        description: 'Orders and returns',
      },
    });
  });

  it('call.incoming → call offer at offerTime', () => {
    expect(normalized('spec-v5-call-incoming.json')).toEqual({
      ...head('call', 'call.incoming', 'openwa:sales:call:CALL-7F3A9C:offer', '2023-11-14T22:13:44.000Z'),
      call: { id: 'CALL-7F3A9C', from: '1234567890@c.us', video: false, group: false, status: 'offer' },
    });
  });

  it('reaction.added → message.reaction, chat read from the reacted message id', () => {
    expect(normalized('spec-v5-reaction-added.json')).toEqual({
      ...head('message.reaction', 'reaction.added', `openwa:sales:reaction.added:${digestOf('spec-v5-reaction-added.json')}`, '2023-11-14T22:13:45.000Z'),
      reaction: {
        messageId: 'true_1234567890@c.us_OUT001',
        emoji: '👍',
        removed: false,
        chatId: '1234567890@c.us',
        sender: CUSTOMER,
        fromMe: false,
      },
    });
  });

  it('reaction.added with an empty emoji is a removal; without ctx the id falls back to the body digest', () => {
    expect(normalized('spec-v5-reaction-removed.json')).toEqual({
      ...head('message.reaction', 'reaction.added', `openwa:sales:reaction.added:${digestOf('spec-v5-reaction-removed.json')}`, '2023-11-14T22:13:46.000Z'),
      reaction: {
        messageId: 'true_1234567890@c.us_OUT001',
        emoji: '',
        removed: true,
        chatId: '1234567890@c.us',
        sender: CUSTOMER,
        fromMe: false,
      },
    });
  });

  it('ui.poll.vote → poll.vote, local ids resolved through the sibling poll options', () => {
    expect(normalized('spec-v5-poll-vote.json')).toEqual({
      ...head('poll.vote', 'ui.poll.vote', `openwa:sales:vote:false_1234567890@c.us_VOTE01:${contentDigest(['Afternoon'])}`, '2023-11-14T22:13:47.000Z'),
      poll: { pollId: 'true_1234567890@c.us_POLL01', voter: '1234567890@c.us', selectedOptions: ['Afternoon'], chatId: '1234567890@c.us', failed: false },
    });
  });

  it('chat.state composing in a group → chat.presence typing', () => {
    expect(normalized('spec-v5-chat-state.json')).toEqual({
      ...head('chat.presence', 'chat.state', `openwa:sales:chat.state:${digestOf('spec-v5-chat-state.json')}`, '2023-11-14T22:13:48.123Z'),
      presence: { chatId: '1234567890-1111111111@g.us', participant: '447700900123@c.us', status: 'typing', lastSeen: null },
    });
  });

  it.each([
    ['spec-v5-label-changed.json', 'label.changed', '2023-11-14T22:13:49.123Z'],
    ['spec-v5-story-received.json', 'story.received', '2023-11-14T22:13:50.123Z'],
  ])('%s: no rule → unknown without issues', (file, providerEvent, timestamp) => {
    expect(normalized(file)).toEqual(head('unknown', providerEvent, `openwa:sales:${providerEvent}:${digestOf(file)}`, timestamp));
  });
});

describe('what the v5 runtime and the v4 line really send (named after their source)', () => {
  // open-wa/wa-automate-nodejs packages/core/src/transport/Transport.ts: `{ctx, ack: <message>}`.
  it('src-openwa-v5-runtime-ack-changed.json: the message under `ack`, constant correlation id ignored', () => {
    expect(normalized('src-openwa-v5-runtime-ack-changed.json')).toEqual({
      ...head('message.ack', 'ack.changed', 'openwa:sales:ack:true_1234567890@c.us_OUT003:delivered', '2023-11-14T22:16:40.050Z', ME),
      ack: { messageIds: ['true_1234567890@c.us_OUT003'], status: 'delivered', chatId: '1234567890@c.us', participant: null },
    });
  });

  // Transport.ts: `{ctx, groupId, by}` (by is always undefined, so absent from the JSON).
  it('src-openwa-v5-runtime-group-added.json: only the group id', () => {
    expect(normalized('src-openwa-v5-runtime-group-added.json')).toEqual({
      ...head(
        'group.participants',
        'group.addedToGroup',
        `openwa:sales:group.addedToGroup:${digestOf('src-openwa-v5-runtime-group-added.json')}`,
        '2023-11-14T22:16:41.050Z',
      ),
      group: { id: '1234567890-4444444444@g.us', action: 'add', participants: [], by: null, subject: null },
    });
  });

  // Transport.ts: `{correlationId, ts, step, details: {prev, next}}`, no ctx.
  it('src-openwa-v5-runtime-session-state-changed.json: no ctx, the state word in details.next', () => {
    expect(normalized('src-openwa-v5-runtime-session-state-changed.json')).toEqual({
      ...head(
        'session.status',
        'session.state.changed',
        `openwa:sales:session.state.changed:${digestOf('src-openwa-v5-runtime-session-state-changed.json')}`,
        '2023-11-14T22:16:42.050Z',
      ),
      state: { status: 'connected', reason: null, providerStatus: 'CONNECTED' },
    });
  });

  // Transport.ts: the navigation observer's `{correlationId: 'page-post-logout', ts, step, details: {reason}}`.
  it('src-openwa-v5-runtime-session-logout.json: the reason from details', () => {
    expect(normalized('src-openwa-v5-runtime-session-logout.json')).toEqual({
      ...head(
        'session.status',
        'session.logout',
        `openwa:sales:session.logout:${digestOf('src-openwa-v5-runtime-session-logout.json')}`,
        '2023-11-14T22:16:43.050Z',
      ),
      state: { status: 'logged_out', reason: 'post_logout=1', providerStatus: 'session.logout' },
    });
  });

  // runtimeListenerSurface.ts binds message.received to WAPI.onAnyMessage: own messages come too.
  it('src-openwa-v5-runtime-message-received-outbound.json: message.received carries our own messages', () => {
    expect(normalized('src-openwa-v5-runtime-message-received-outbound.json')).toEqual({
      ...head('message', 'message.received', 'openwa:sales:msg:true_1234567890@c.us_OUT004', '2023-11-14T22:16:44.000Z', ME_NAMED),
      message: {
        id: 'true_1234567890@c.us_OUT004',
        type: 'text',
        direction: 'outbound',
        fromMe: true,
        text: 'Thanks for your order!',
        chat: DIRECT,
        sender: ME_NAMED,
      },
    });
  });

  // v4 src/api/model/message.ts: onPollVote gives PollData `{totalVotes, pollOptions, votes[], pollMessage}`.
  it('src-openwa-v4-onPollVote-polldata.json: the newest vote of the PollData is the event', () => {
    expect(normalized('src-openwa-v4-onPollVote-polldata.json')).toEqual({
      ...head('poll.vote', 'onPollVote', `openwa:sales:vote:false_447700900456@c.us_VOTE11:${contentDigest(['Afternoon'])}`, '2023-11-14T22:16:45.000Z'),
      poll: {
        pollId: 'true_1234567890-1111111111@g.us_POLL10',
        voter: '447700900456@c.us',
        selectedOptions: ['Afternoon'],
        chatId: '1234567890-1111111111@g.us',
        failed: false,
      },
    });
  });

  // v4 src/lib/wapi.js: quotedMsgObj is null when WA Web no longer has the quoted message; quotedStanzaID stays.
  it('src-openwa-v4-onMessage-quoted-stanza.json: replyTo from quotedStanzaID and quotedMsg', () => {
    expect(normalized('src-openwa-v4-onMessage-quoted-stanza.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_RPL001', '2023-11-14T22:16:46.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_RPL001',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Yes, Friday works',
        chat: DIRECT,
        sender: BUDI,
        replyTo: { id: '3EB0QUOTED0001', text: 'Can we deliver on Friday?' },
      },
    });
  });
});

describe('v4 events', () => {
  it('onMessage text: same id as the v5 doc message', () => {
    expect(normalized('spec-v4-onMessage-text.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_ABC123', '2023-11-14T22:13:20.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_ABC123',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Hello, I need help with my order',
        chat: DIRECT,
        sender: BUDI,
      },
    });
  });

  it('onMessage image: the base64 body is ignored, caption is the text, time from `t`', () => {
    expect(normalized('spec-v4-onMessage-image.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_IMG001', '2023-11-14T22:15:01.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_IMG001',
        type: 'image',
        direction: 'inbound',
        fromMe: false,
        text: 'Is this the right size?',
        chat: DIRECT,
        sender: BUDI,
        media: {
          mimeType: 'image/jpeg',
          size: 48213,
          fileName: null,
          url: 'https://mmg.whatsapp.net/v/t62.7118-24/12345_67890.enc?ccb=11-4',
          path: null,
          viewOnce: false,
        },
      },
    });
  });

  it('onMessage ptt → voice', () => {
    expect(normalized('spec-v4-onMessage-ptt.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_PTT001', '2023-11-14T22:15:02.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_PTT001',
        type: 'voice',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT,
        sender: BUDI,
        media: {
          mimeType: 'audio/ogg; codecs=opus',
          size: 10234,
          fileName: null,
          url: 'https://mmg.whatsapp.net/v/t62.7117-24/99999_11111.enc?ccb=11-4',
          path: null,
          viewOnce: false,
        },
      },
    });
  });

  it('onMessage location: string coordinates, `loc` split into name and address', () => {
    expect(normalized('spec-v4-onMessage-location.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_LOC001', '2023-11-14T22:15:03.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_LOC001',
        type: 'location',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT,
        sender: BUDI,
        location: { latitude: -6.1753924, longitude: 106.8271528, name: 'Monas', address: 'Gambir, Central Jakarta' },
      },
    });
  });

  it('onMessage vcard: the vCard body becomes a contact, not text', () => {
    const vcard = 'BEGIN:VCARD\nVERSION:3.0\nN:;Siti Rahma;;;\nFN:Siti Rahma\nTEL;type=CELL;waid=6281234567890:+62 812-3456-7890\nEND:VCARD';
    expect(normalized('spec-v4-onMessage-vcard.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_VCF001', '2023-11-14T22:15:04.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_VCF001',
        type: 'contact',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT,
        sender: BUDI,
        contacts: [{ name: 'Siti Rahma', vcard, phones: ['+62 812-3456-7890'] }],
      },
    });
  });

  it('onMessage multi_vcard: one contact per vcardList entry, named by displayName', () => {
    expect(normalized('spec-v4-onMessage-multi-vcard.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_VCF002', '2023-11-14T22:15:05.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_VCF002',
        type: 'contact',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT,
        sender: BUDI,
        contacts: [
          {
            name: 'Siti Rahma',
            vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Siti Rahma\nTEL;type=CELL;waid=6281234567890:+62 812-3456-7890\nEND:VCARD',
            phones: ['+62 812-3456-7890'],
          },
          { name: 'Agus', vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Agus Salim\nTEL;type=CELL;waid=6281298765432:\nEND:VCARD', phones: ['6281298765432'] },
        ],
      },
    });
  });

  it('onMessage document: filename, size, and the cloud upload URL first', () => {
    expect(normalized('spec-v4-onMessage-document.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890@c.us_DOC001', '2023-11-14T22:15:06.000Z', ME),
      message: {
        id: 'false_1234567890@c.us_DOC001',
        type: 'document',
        direction: 'inbound',
        fromMe: false,
        text: '',
        chat: DIRECT,
        sender: BUDI,
        media: {
          mimeType: 'application/pdf',
          size: 182044,
          fileName: 'invoice-0042.pdf',
          url: 'https://storage.example.com/openwa/sales/invoice-0042.pdf',
          path: null,
          viewOnce: false,
        },
      },
    });
  });

  it('onMessage in a group: chat is the group, sender the author, no account', () => {
    expect(normalized('spec-v4-onMessage-group.json')).toEqual({
      ...head('message', 'onMessage', 'openwa:sales:msg:false_1234567890-1111111111@g.us_GRP001_447700900123@c.us', '2023-11-14T22:15:07.000Z'),
      message: {
        id: 'false_1234567890-1111111111@g.us_GRP001_447700900123@c.us',
        type: 'text',
        direction: 'inbound',
        fromMe: false,
        text: 'Can you confirm the delivery?',
        chat: GROUP_CHAT,
        sender: { id: '447700900123@c.us', phone: '447700900123', lid: null, name: 'Chris' },
        replyTo: { id: 'false_1234567890-1111111111@g.us_GRP000_447700900456@c.us', text: 'Delivery is on Friday' },
      },
    });
  });

  it('onAnyMessage fromMe → outbound, account from `from`', () => {
    expect(normalized('spec-v4-onAnyMessage-fromMe.json')).toEqual({
      ...head('message', 'onAnyMessage', 'openwa:sales:msg:true_1234567890@c.us_OUT002', '2023-11-14T22:15:08.000Z', ME_NAMED),
      message: {
        id: 'true_1234567890@c.us_OUT002',
        type: 'text',
        direction: 'outbound',
        fromMe: true,
        text: 'Thanks, noted',
        chat: DIRECT,
        sender: ME_NAMED,
      },
    });
  });

  it('onAck 2 → delivered at the envelope time', () => {
    expect(normalized('spec-v4-onAck.json')).toEqual({
      ...head('message.ack', 'onAck', 'openwa:sales:ack:true_1234567890@c.us_OUT002:delivered', '2023-11-14T22:15:09.500Z', ME_NAMED),
      ack: { messageIds: ['true_1234567890@c.us_OUT002'], status: 'delivered', chatId: '1234567890@c.us', participant: null },
    });
  });

  it('onMessageDeleted → message.revoked', () => {
    expect(normalized('spec-v4-onMessageDeleted.json')).toEqual({
      ...head('message.revoked', 'onMessageDeleted', 'openwa:sales:revoked:false_1234567890@c.us_ABC125', '2023-11-14T22:15:10.500Z', ME),
      revoked: { messageId: 'false_1234567890@c.us_ABC125', chatId: '1234567890@c.us', by: '1234567890@c.us' },
    });
  });

  it('onStateChanged "CONNECTED" → connected, id from the v4 event uuid', () => {
    expect(normalized('spec-v4-onStateChanged.json')).toEqual({
      ...head('session.status', 'onStateChanged', 'openwa:sales:onStateChanged:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e12', '2023-11-14T22:15:11.500Z'),
      state: { status: 'connected', reason: null, providerStatus: 'CONNECTED' },
    });
  });

  it('onGlobalParticipantsChanged {chat, who, action, by}', () => {
    expect(normalized('spec-v4-onGlobalParticipantsChanged.json')).toEqual({
      ...head(
        'group.participants',
        'onGlobalParticipantsChanged',
        'openwa:sales:onGlobalParticipantsChanged:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e13',
        '2023-11-14T22:15:12.500Z',
      ),
      group: { id: '1234567890-1111111111@g.us', action: 'remove', participants: ['447700900789@c.us'], by: '447700900456@c.us' },
    });
  });

  it('onIncomingCall video call', () => {
    expect(normalized('spec-v4-onIncomingCall.json')).toEqual({
      ...head('call', 'onIncomingCall', 'openwa:sales:call:CALL-9B21E4:offer', '2023-11-14T22:15:13.000Z'),
      call: { id: 'CALL-9B21E4', from: '1234567890@c.us', video: true, group: false, status: 'offer' },
    });
  });

  it('onReaction ReactionEvent snapshot: the newest record is the one that fired', () => {
    expect(normalized('spec-v4-onReaction.json')).toEqual({
      ...head('message.reaction', 'onReaction', 'openwa:sales:onReaction:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e15', '2023-11-14T22:15:14.000Z'),
      reaction: {
        messageId: 'true_1234567890@c.us_OUT002',
        emoji: '❤️',
        removed: false,
        chatId: '1234567890@c.us',
        sender: CUSTOMER,
        fromMe: false,
      },
    });
  });

  it('onChatState recording', () => {
    expect(normalized('spec-v4-onChatState.json')).toEqual({
      ...head('chat.presence', 'onChatState', 'openwa:sales:onChatState:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e16', '2023-11-14T22:15:15.500Z'),
      presence: { chatId: '1234567890@c.us', participant: '1234567890@c.us', status: 'recording', lastSeen: null },
    });
  });

  it('onLogout → logged_out', () => {
    expect(normalized('spec-v4-onLogout.json')).toEqual({
      ...head('session.status', 'onLogout', 'openwa:sales:onLogout:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e17', '2023-11-14T22:15:16.500Z'),
      state: { status: 'logged_out', reason: null, providerStatus: 'onLogout' },
    });
  });

  it('onLabel has no rule → unknown', () => {
    expect(normalized('spec-v4-onLabel.json')).toEqual(
      head('unknown', 'onLabel', 'openwa:sales:onLabel:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e18', '2023-11-14T22:15:17.500Z'),
    );
  });

  it('onPollVote flat PollVote with selectedOptionValues', () => {
    expect(normalized('spec-v4-onPollVote.json')).toEqual({
      ...head('poll.vote', 'onPollVote', `openwa:sales:vote:false_1234567890@c.us_VOTE02:${contentDigest(['Morning'])}`, '2023-11-14T22:15:18.000Z'),
      poll: { pollId: 'true_1234567890@c.us_POLL01', voter: '1234567890@c.us', selectedOptions: ['Morning'], chatId: '1234567890@c.us', failed: false },
    });
  });

  it('onAddedToGroup Chat → group.participants add', () => {
    expect(normalized('spec-v4-onAddedToGroup.json')).toEqual({
      ...head('group.participants', 'onAddedToGroup', 'openwa:sales:onAddedToGroup:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e20', '2023-11-14T22:15:19.500Z'),
      group: { id: '1234567890-3333333333@g.us', action: 'add', participants: [], by: null, subject: 'Resellers' },
    });
  });

  it('onRemovedFromGroup Chat → group.participants remove', () => {
    expect(normalized('spec-v4-onRemovedFromGroup.json')).toEqual({
      ...head('group.participants', 'onRemovedFromGroup', 'openwa:sales:onRemovedFromGroup:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e21', '2023-11-14T22:15:20.500Z'),
      group: { id: '1234567890-3333333333@g.us', action: 'remove', participants: [], by: null, subject: 'Resellers' },
    });
  });

  it('onGroupChange (description) → group.update', () => {
    expect(normalized('spec-v4-onGroupChange.json')).toEqual({
      ...head('group.update', 'onGroupChange', 'openwa:sales:onGroupChange:6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e22', '2023-11-14T22:15:21.500Z'),
      group: {
        id: '1234567890-1111111111@g.us',
        action: 'description',
        participants: [],
        by: '447700900456@c.us',
        subject: 'Sales team – EU',
        description: 'Orders, returns and invoices',
      },
    });
  });
});

describe('dedupe ids', () => {
  const docId = 'openwa:sales:msg:false_1234567890@c.us_ABC123';

  it('message.received, message.any and v4 onMessage of one message share the id', () => {
    const any = { ...body('doc-message.json'), event: 'message.any' };
    expect(normalizeOne(adapter, 'doc-message.json').id).toBe(docId);
    expect(normalizeBody(any)[0].id).toBe(docId);
    expect(normalizeOne(adapter, 'spec-v4-onMessage-text.json').id).toBe(docId);
    expect(normalizeBody({ ...body('spec-v4-onMessage-text.json'), event: 'onAnyMessage' })[0].id).toBe(docId);
  });

  it('two deliveries through the same webhook target are told apart (webhookId is not an event id)', () => {
    expect(body('doc-message.json').webhookId).toBe(body('doc-media-message.json').webhookId);
    expect(normalizeOne(adapter, 'doc-message.json').id).not.toBe(normalizeOne(adapter, 'doc-media-message.json').id);

    // The runtime's correlation id is one constant per event type: two logouts must still be two events.
    const logout = (timestamp: number) =>
      adapter.normalize(
        { webhookId: 'wh', sessionId: 'sales', event: 'session.logout', payload: { correlationId: 'page-post-logout' }, timestamp },
        { receivedAtMs: RECEIVED_AT_MS, bodyDigest: `digest-of-${timestamp}` },
      )[0].id;
    expect(logout(1)).toBe('openwa:sales:session.logout:digest-of-1');
    expect(logout(2)).toBe('openwa:sales:session.logout:digest-of-2');
  });

  it('an identical redelivery gives the same id', () => {
    expect(normalizeOne(adapter, 'spec-v5-reaction-removed.json').id).toBe(normalizeOne(adapter, 'spec-v5-reaction-removed.json').id);
  });
});

describe('lenient payloads', () => {
  it('a v5 message may come flat in payload, with Wid objects for ids', () => {
    const [event] = normalizeBody({
      webhookId: 'w',
      sessionId: 'sales',
      event: 'message.received',
      payload: { id: 'false_1234567890@c.us_FLAT01', from: { _serialized: '1234567890@c.us' }, body: 'hi', type: 'chat', t: 1700000000 },
      timestamp: 1700000000999,
    });
    expect(event.event).toBe('message');
    expect(event.id).toBe('openwa:sales:msg:false_1234567890@c.us_FLAT01');
    expect(event.timestamp).toBe('2023-11-14T22:13:20.000Z');
    expect(event.message).toMatchObject({ text: 'hi', chat: DIRECT, sender: CUSTOMER });
  });

  it('an unknown state word is still a session.status, as a warning with the word kept', () => {
    const [event] = normalizeBody({ ts: 1700000000000, sessionId: 'sales', id: 'u1', event: 'onStateChanged', data: 'SOMETHING_NEW' });
    expect(event.state).toEqual({ status: 'warning', reason: null, providerStatus: 'SOMETHING_NEW' });
  });

  it('open-wa ChatState numbers: 0 typing', () => {
    const [event] = normalizeBody({ ts: 1, sessionId: 'sales', id: 'u2', event: 'onChatState', data: { chat: '1234567890@c.us', state: 0 } });
    expect(event.presence).toEqual({ chatId: '1234567890@c.us', participant: null, status: 'typing', lastSeen: null });
  });
});

describe('unknown and malformed', () => {
  it('an event without a rule is unknown and keeps the raw body', () => {
    const event = normalizeOne(adapter, 'spec-v5-label-changed.json');
    expect(event.event).toBe('unknown');
    expect(event.issues).toBeUndefined();
    expect(event.raw).toEqual(body('spec-v5-label-changed.json'));
  });

  it.each([
    [
      'v5 message without an id',
      (() => {
        const value = body('doc-message.json') as { payload: { message: Record<string, unknown> } };
        delete value.payload.message.id;
        return value;
      })(),
      'message.id',
    ],
    ['v4 message without an id', { ts: 1, sessionId: 'sales', id: 'u3', event: 'onMessage', data: { from: '1234567890@c.us', body: 'x' } }, 'id'],
    ['v4 ack out of range', { ts: 1, sessionId: 'sales', id: 'u4', event: 'onAck', data: { id: 'true_1@c.us_X', ack: 9 } }, 'ack'],
    [
      'v5 chat state word unknown',
      { webhookId: 'w', sessionId: 'sales', event: 'chat.state', payload: { chat: '1@c.us', state: 'dancing' }, timestamp: 1 },
      'state',
    ],
    [
      'v5 participants change without a group',
      {
        webhookId: 'w',
        sessionId: 'sales',
        event: 'group.participants.changed.global',
        payload: { change: { action: 'add', participantIds: [] } },
        timestamp: 1,
      },
      'change.groupId',
    ],
    [
      'v5 session state without details.next',
      { webhookId: 'w', sessionId: 'sales', event: 'session.state.changed', payload: { details: {} }, timestamp: 1 },
      'details.next',
    ],
    ['v5 envelope with a numeric sessionId', { webhookId: 'w', sessionId: 42, event: 'message.received', payload: {}, timestamp: 1 }, 'sessionId'],
  ])('%s → unknown with issues naming the path', (_name, value, path) => {
    const [event] = normalizeBody(value as Record<string, unknown>);
    expect(event.event).toBe('unknown');
    expect(event.raw).toEqual(value);
    expect(event.issues?.map((issue) => issue.path)).toContain(path);
  });
});

describe('adapter surface', () => {
  it('names', () => {
    expect(adapter.name).toBe('openwa');
    expect(adapter.displayName).toBe('open-wa');
    expect(adapter.defaultPath).toBe('openwa');
  });

  it('eventNameOf reads v5 and v4 names, null without one', () => {
    expect(adapter.eventNameOf(body('doc-message.json'))).toBe('message.received');
    expect(adapter.eventNameOf(body('spec-v4-onAck.json'))).toBe('onAck');
    expect(adapter.eventNameOf({ payload: {} })).toBeNull();
    expect(adapter.eventNameOf({ event: '' })).toBeNull();
  });

  it.each([
    'message',
    'message.ack',
    'message.revoked',
    'message.reaction',
    'chat.presence',
    'group.participants',
    'group.update',
    'call',
    'poll.vote',
    'session.status',
    'unknown',
  ] as CanonicalEvent[])('sampleBody(%s) normalizes to that event', (kind) => {
    const sample = sampleBody(adapter, kind);
    expect(sample).not.toBeNull();
    expect(normalizeBody(sample!)[0].event).toBe(kind);
  });

  it('sampleBody is null for events open-wa does not send', () => {
    expect(sampleBody(adapter, 'message.edited')).toBeNull();
    expect(sampleBody(adapter, 'presence')).toBeNull();
  });
});

describe('verify', () => {
  const SECRET = 's3cret-Shared-Value';
  const HMAC_KEY = 'hmac-Key-Of-The-Proxy';
  const raw = fixtureBytes('openwa', 'doc-message.json');
  const hex = (key: string, bytes: Buffer) => createHmac('sha256', key).update(bytes).digest('hex');

  function check(headers: Record<string, string>, options: VerifyOptions, rawBody: Buffer = raw) {
    return adapter.verify({ request: { method: 'POST', headers, rawBody }, rawBody, nowMs: RECEIVED_AT_MS, options });
  }
  const errors: string[] = [];
  function failure(headers: Record<string, string>, options: VerifyOptions, rawBody: Buffer = raw): string {
    const result = check(headers, options, rawBody);
    if (result.ok) throw new Error('expected a failure');
    errors.push(result.error);
    return result.error;
  }

  it('nothing configured → ok', () => {
    expect(check({}, {})).toEqual({ ok: true });
  });

  it('the right X-Webhook-Secret header, in any case', () => {
    expect(check({ 'x-webhook-secret': SECRET }, { secret: SECRET })).toEqual({ ok: true });
  });

  it('the right bearer token', () => {
    expect(check({ Authorization: `Bearer ${SECRET}` }, { secret: SECRET })).toEqual({ ok: true });
  });

  it('either credential is enough when both are sent', () => {
    expect(check({ 'X-Webhook-Secret': 'wrong', Authorization: `Bearer ${SECRET}` }, { secret: SECRET })).toEqual({ ok: true });
    expect(check({ 'X-Webhook-Secret': SECRET, Authorization: 'Bearer wrong' }, { secret: SECRET })).toEqual({ ok: true });
  });

  it('a custom header name', () => {
    const options = { secret: SECRET, secretHeader: 'X-OpenWA-Token' };
    expect(check({ 'x-openwa-token': SECRET }, options)).toEqual({ ok: true });
    expect(failure({ 'X-Webhook-Secret': SECRET }, options)).toBe('Missing X-OpenWA-Token header or Authorization: Bearer token');
  });

  it('a wrong secret', () => {
    expect(failure({ 'X-Webhook-Secret': 'nope' }, { secret: SECRET })).toBe('X-Webhook-Secret header does not match the configured secret');
    expect(failure({ Authorization: 'Bearer nope' }, { secret: SECRET })).toBe('Authorization Bearer token does not match the configured secret');
    expect(failure({ 'X-Webhook-Secret': 'nope', Authorization: 'Bearer nope' }, { secret: SECRET })).toBe(
      'Neither the X-Webhook-Secret header nor the Authorization Bearer token matches the configured secret',
    );
  });

  it('neither credential', () => {
    expect(failure({}, { secret: SECRET })).toBe('Missing X-Webhook-Secret header or Authorization: Bearer token');
    expect(failure({ Authorization: `Basic ${SECRET}` }, { secret: SECRET })).toBe('Missing X-Webhook-Secret header or Authorization: Bearer token');
  });

  it('a valid HMAC, with and without the sha256= prefix', () => {
    expect(check({ 'X-Webhook-Signature': hex(HMAC_KEY, raw) }, { hmacSecret: HMAC_KEY })).toEqual({ ok: true });
    expect(check({ 'x-webhook-signature': `sha256=${hex(HMAC_KEY, raw)}` }, { hmacSecret: HMAC_KEY })).toEqual({ ok: true });
    expect(check({ 'X-Sig': hex(HMAC_KEY, raw) }, { hmacSecret: HMAC_KEY, signatureHeader: 'X-Sig' })).toEqual({ ok: true });
  });

  it('a tampered body', () => {
    const tampered = Buffer.from(raw.toString('utf8').replace('help', 'HELP'));
    expect(failure({ 'X-Webhook-Signature': hex(HMAC_KEY, raw) }, { hmacSecret: HMAC_KEY }, tampered)).toBe(
      'X-Webhook-Signature does not match the HMAC-SHA256 of the raw body',
    );
  });

  it('a signature made with another key', () => {
    expect(failure({ 'X-Webhook-Signature': hex('other-key', raw) }, { hmacSecret: HMAC_KEY })).toBe(
      'X-Webhook-Signature does not match the HMAC-SHA256 of the raw body',
    );
  });

  it('a missing signature header', () => {
    expect(failure({}, { hmacSecret: HMAC_KEY })).toBe('Missing X-Webhook-Signature header (HMAC-SHA256 of the raw body)');
  });

  it('both checks apply when both are configured', () => {
    const options = { secret: SECRET, hmacSecret: HMAC_KEY };
    expect(check({ 'X-Webhook-Secret': SECRET, 'X-Webhook-Signature': hex(HMAC_KEY, raw) }, options)).toEqual({ ok: true });
    expect(failure({ 'X-Webhook-Secret': SECRET }, options)).toMatch(/^Missing X-Webhook-Signature/);
    expect(failure({ 'X-Webhook-Signature': hex(HMAC_KEY, raw) }, options)).toMatch(/^Missing X-Webhook-Secret/);
  });

  it('signatures are checked on the raw bytes: an emoji body and its \\u-escaped twin differ', () => {
    const emoji = Buffer.from('{"event":"message.received","payload":{"message":{"body":"Terima kasih 🙏 café"}}}', 'utf8');
    const escaped = Buffer.from('{"event":"message.received","payload":{"message":{"body":"Terima kasih \\ud83d\\ude4f caf\\u00e9"}}}', 'utf8');
    expect(JSON.parse(emoji.toString('utf8'))).toEqual(JSON.parse(escaped.toString('utf8')));
    expect(check({ 'X-Webhook-Signature': hex(HMAC_KEY, emoji) }, { hmacSecret: HMAC_KEY }, emoji)).toEqual({ ok: true });
    expect(check({ 'X-Webhook-Signature': hex(HMAC_KEY, escaped) }, { hmacSecret: HMAC_KEY }, escaped)).toEqual({ ok: true });
    expect(check({ 'X-Webhook-Signature': hex(HMAC_KEY, emoji) }, { hmacSecret: HMAC_KEY }, escaped).ok).toBe(false);
  });

  it('no error message includes a secret or the expected digest', () => {
    expect(errors.length).toBeGreaterThan(5);
    for (const error of errors) {
      for (const secret of [SECRET, HMAC_KEY, hex(HMAC_KEY, raw)]) expect(error).not.toContain(secret);
    }
  });
});

describe('sign', () => {
  const bytes = fixtureBytes('openwa', 'doc-message.json');

  it('adds the shared secret header, and an HMAC when a key is given; verify accepts it', () => {
    const options = { hmacSecret: 'proxy-key' };
    const signed = adapter.sign({ body: bytes, secret: 'abc', nowMs: 0, options });
    expect(signed).toEqual({
      headers: {
        'X-Webhook-Secret': 'abc',
        'X-Webhook-Signature': `sha256=${createHmac('sha256', 'proxy-key').update(bytes).digest('hex')}`,
      },
      query: {},
    });
    const request = { method: 'POST', headers: signed.headers, rawBody: bytes };
    expect(adapter.verify({ request, rawBody: bytes, nowMs: 0, options: { secret: 'abc', ...options } })).toEqual({ ok: true });
  });

  it('uses the configured header names', () => {
    const options = { secretHeader: 'X-Token', hmacSecret: 'k', signatureHeader: 'X-Sig' };
    const signed = adapter.sign({ body: bytes, secret: 'abc', nowMs: 0, options });
    expect(Object.keys(signed.headers).sort()).toEqual(['X-Sig', 'X-Token']);
    const request = { method: 'POST', headers: signed.headers, rawBody: bytes };
    expect(adapter.verify({ request, rawBody: bytes, nowMs: 0, options: { secret: 'abc', ...options } })).toEqual({ ok: true });
  });
});
