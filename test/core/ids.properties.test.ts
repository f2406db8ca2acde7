/**
 * The dedupe id rule, as a property per provider: an id names one event.
 * - Two different events never share an id (an edit, a changed vote, another ack status, another
 *   group, another emoji are different events, so merging them would drop real events).
 * - A body and its redelivery (the same bytes) always do, and so do the two copies of one message
 *   (`message` / `message.any`, `message.received` / `message.any`, `onMessage` / `onAnyMessage`).
 *
 * Each generator yields a body and the identity of the event it carries, written from what the
 * gateway's source says identifies it (see the README's Duplicates section). Values come from small
 * sets so that equal and unequal identities both occur often.
 */
import fc from 'fast-check';
import type { ProviderName } from '../../core/event/schema';
import { bodyDigest } from '../../core/http/digest';
import { providers } from '../../core/providers';
import { RECEIVED_AT_MS } from '../helpers/fixtures';

interface Generated {
  body: Record<string, unknown>;
  /** What makes the event itself; equal identities are one event. */
  identity: unknown[];
}

const RUNS = { numRuns: 500 };
const short = fc.constantFrom('A1', 'B2', 'C3');
const person = fc.constantFrom('6281111@c.us', '6282222@c.us');
const group = fc.constantFrom('1203631@g.us', '1203632@g.us');
const text = fc.constantFrom('hi', 'hello', 'halo');
const emoji = fc.constantFrom('👍', '❤️', '');
const options = fc.subarray(['Mon', 'Tue', 'Wed'], { minLength: 0, maxLength: 2 });
const ackNumber = fc.integer({ min: -1, max: 4 });
const time = fc.integer({ min: 1_700_000_000_000, max: 1_700_000_000_003 });
/** A delivery-level id that differs per delivery (WAHA's envelope id of `message` vs `message.any`). */
const noise = fc.string({ minLength: 1, maxLength: 6 });

function idsOf(provider: ProviderName, body: Record<string, unknown>): string[] {
  const bytes = Buffer.from(JSON.stringify(body));
  const parsed = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
  return providers[provider].normalize(parsed, { receivedAtMs: RECEIVED_AT_MS, bodyDigest: bodyDigest(bytes) }).map((e) => e.id);
}

// ─── WAHA and Wawp: the current envelope, WEBJS payloads ─────────────────────────────────────────

function wahaEvents(): fc.Arbitrary<Generated>[] {
  const envelope = (event: string, id: string, payload: object) => ({ id, event, session: 'default', payload });
  /** For events WAHA keys by its envelope id: one id per event, shared by every webhook of the session. */
  const envelopeIdOf = (identity: unknown[]) => `evt_${bodyDigest(Buffer.from(JSON.stringify(identity)))}`;
  return [
    fc.record({ kind: fc.constantFrom('message', 'message.any'), mid: short, from: person, body: text, env: noise }).map(({ kind, mid, from, body, env }) => ({
      body: envelope(kind, env, { id: `false_${from}_${mid}`, from, fromMe: false, body }),
      identity: ['msg', from, mid],
    })),
    // WEBJS repeats the original message's id on every edit.
    fc.record({ mid: short, from: person, body: text, env: noise }).map(({ mid, from, body, env }) => ({
      body: envelope('message.edited', env, { id: `false_${from}_${mid}`, from, fromMe: false, body, editedMessageId: mid }),
      identity: ['edited', from, mid, body],
    })),
    fc.record({ mid: short, to: person, ack: ackNumber, env: noise }).map(({ mid, to, ack, env }) => ({
      body: envelope('message.ack', env, { id: `true_${to}_${mid}`, from: to, fromMe: true, ack }),
      identity: ['ack', to, mid, ack],
    })),
    fc.record({ vid: short, from: person, selected: options, env: noise }).map(({ vid, from, selected, env }) => ({
      body: envelope('poll.vote', env, { vote: { id: `false_${from}_${vid}`, from, selectedOptions: selected }, poll: { id: 'true_x_P' } }),
      identity: ['vote', from, vid, selected],
    })),
    fc.record({ rid: short, from: person, emoji, env: noise }).map(({ rid, from, emoji: text, env }) => ({
      body: envelope('message.reaction', env, { id: `false_${from}_${rid}`, from, reaction: { text, messageId: 'true_x_M' } }),
      identity: ['reaction', from, rid, text],
    })),
    fc.record({ group, who: person, type: fc.constantFrom('add', 'remove'), at: time }).map(({ group: id, who, type, at }) => {
      const identity = ['group', id, who, type, at];
      return { body: envelope('group.v2.participants', envelopeIdOf(identity), { group: { id }, type, participants: [who], timestamp: at }), identity };
    }),
  ];
}

// ─── open-wa: v5 runtime (constant correlation ids) and v4 (a uuid per event) ───────────────────

function openwaEvents(): fc.Arbitrary<Generated>[] {
  const v5 = (event: string, payload: object, timestamp: number) => ({ webhookId: 'wh-1', sessionId: 's', event, payload, timestamp });
  const ctx = (name: string) => ({ correlationId: `runtime-${name}`, ts: 1 });
  return [
    fc.record({ kind: fc.constantFrom('message.received', 'message.any'), mid: short, from: person, at: time }).map(({ kind, mid, from, at }) => ({
      body: v5(kind, { ctx: ctx(kind), message: { id: `false_${from}_${mid}`, from, body: 'hi', type: 'chat' } }, at),
      identity: ['msg', from, mid],
    })),
    fc.record({ mid: short, to: person, ack: ackNumber, at: time }).map(({ mid, to, ack, at }) => ({
      body: v5('ack.changed', { ctx: ctx('ack-changed'), ack: { id: `true_${to}_${mid}`, to, fromMe: true, ack } }, at),
      identity: ['ack', to, mid, ack],
    })),
    // A new event always carries its own envelope timestamp; the same group at the same moment is one event.
    fc.record({ group, at: time }).map(({ group: groupId, at }) => ({
      body: v5('group.addedToGroup', { ctx: ctx('group-added'), groupId }, at),
      identity: ['added', groupId, at],
    })),
    fc.record({ next: fc.constantFrom('READY', 'UNPAIRED'), at: time }).map(({ next, at }) => ({
      body: v5('session.state.changed', { correlationId: 'runtime-session-state', ts: at, step: 'session_state_changed', details: { prev: 'X', next } }, at),
      identity: ['state', next, at],
    })),
    fc.record({ vid: short, from: person, selected: options, uuid: noise }).map(({ vid, from, selected, uuid }) => ({
      body: {
        ts: 1,
        sessionId: 's',
        id: uuid,
        event: 'onPollVote',
        data: { id: `false_${from}_${vid}`, parentMsgKey: 'true_x_P', sender: from, selectedOptionValues: selected },
      },
      identity: ['vote', from, vid, selected],
    })),
    fc.record({ kind: fc.constantFrom('onMessage', 'onAnyMessage'), mid: short, from: person, uuid: noise }).map(({ kind, mid, from, uuid }) => ({
      body: { ts: 1, sessionId: 's', id: uuid, event: kind, data: { id: `false_${from}_${mid}`, from, body: 'hi', type: 'chat' } },
      identity: ['msg', from, mid],
    })),
  ];
}

// ─── wa-server ───────────────────────────────────────────────────────────────────────────────────

function waserverEvents(): fc.Arbitrary<Generated>[] {
  const envelope = (event: string, request_id: string, payload: object) => ({ event, device_id: 'dev', request_id, payload });
  return [
    fc.record({ mid: short, from: person, req: noise }).map(({ mid, from, req }) => ({
      body: envelope('message', req, { message_id: mid, chat: from, from, direction: 'inbound', message_type: 'text', text: 'hi' }),
      identity: ['msg', mid],
    })),
    fc.record({ mid: short, receipt: fc.constantFrom('delivered', 'read', 'played'), reader: person, req: noise }).map(({ mid, receipt, reader, req }) => ({
      body: envelope('receipt', req, { message_ids: [mid], receipt, chat: '1203631@g.us', from: reader, is_group: true }),
      identity: ['receipt', mid, receipt, reader],
    })),
    // Events without content keys are keyed by wa-server's request_id, one per event.
    fc.record({ req: noise, status: fc.constantFrom('connected', 'qr') }).map(({ req, status }) => ({
      body: envelope('device_connected', req, { status }),
      identity: ['device', req],
    })),
  ];
}

// ─── Evolution API: Baileys keys; a message by key.id, a receipt by id and status, a delete by the message ─

function evolutionEvents(): fc.Arbitrary<Generated>[] {
  /** `date_time` is Evolution's per-delivery noise here: a retry re-sends it, but two copies of one message differ in it. */
  const envelope = (event: string, data: unknown, at: string) => ({
    event,
    instance: 'inst',
    data,
    date_time: at,
    sender: '5511900000000@s.whatsapp.net',
    apikey: null,
  });
  const at = noise.map((n) => `2026-02-01T10:00:00.000Z#${n}`);
  const status = fc.constantFrom('SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED');
  return [
    // An API send comes as send.message, and in 2.2.x as messages.upsert too: one message.
    fc
      .record({ kind: fc.constantFrom('messages.upsert', 'send.message', 'MESSAGES_UPSERT'), mid: short, chat: fc.oneof(person, group), body: text, at })
      .map(({ kind, mid, chat, body, at: time }) => ({
        body: envelope(
          kind,
          { key: { remoteJid: chat, fromMe: kind === 'send.message', id: mid }, message: { conversation: body }, messageType: 'conversation' },
          time,
        ),
        identity: ['msg', mid],
      })),
    fc.record({ mid: short, rid: short, emoji, at }).map(({ mid, rid, emoji: reaction, at: time }) => ({
      body: envelope(
        'messages.upsert',
        {
          key: { remoteJid: '6281111@c.us', fromMe: false, id: `R${rid}` },
          message: { reactionMessage: { key: { id: mid }, text: reaction } },
          messageType: 'reactionMessage',
        },
        time,
      ),
      identity: ['reaction', rid, reaction],
    })),
    fc.record({ mid: short, status, at }).map(({ mid, status: word, at: time }) => ({
      body: envelope('messages.update', { keyId: mid, remoteJid: '6281111@c.us', fromMe: true, status: word }, time),
      identity: ['ack', mid, word],
    })),
    fc.record({ mid: short, body: text, at }).map(({ mid, body, at: time }) => ({
      body: envelope(
        'messages.edited',
        { key: { remoteJid: '6281111@c.us', fromMe: false, id: mid }, type: 'MESSAGE_EDIT', editedMessage: { conversation: body } },
        time,
      ),
      identity: ['edited', mid, body],
    })),
    // A delete for everyone arrives as messages.edited (REVOKE) and as messages.delete: one event.
    fc.record({ mid: short, chat: person, how: fc.constantFrom('edited', 'delete'), at }).map(({ mid, chat, how, at: time }) => ({
      body:
        how === 'edited'
          ? envelope('messages.edited', { key: { remoteJid: chat, fromMe: false, id: mid }, type: 'REVOKE' }, time)
          : envelope('messages.delete', { remoteJid: chat, fromMe: false, id: mid }, time),
      identity: ['revoked', mid],
    })),
    fc.record({ cid: short, status: fc.constantFrom('offer', 'accept', 'reject'), at }).map(({ cid, status: word, at: time }) => ({
      body: envelope('call', { id: cid, from: '6281111@c.us', status: word }, time),
      identity: ['call', cid, word],
    })),
  ];
}

// ─── WhatsApp Cloud API: a message by wamid, a status by wamid and status, wherever it sits in a batch ─

function cloudapiEvents(): fc.Arbitrary<Generated>[] {
  const number = fc.constantFrom('106540352242922', '106540352242923');
  const wamid = short.map((id) => `wamid.${id}`);
  /** Where in the delivery the item sits: alone, or after another entry (a batch). */
  const batched = fc.boolean();
  const deliver = (pnid: string, value: object, inBatch: boolean) => ({
    object: 'whatsapp_business_account',
    entry: [
      ...(inBatch ? [{ id: 'waba', changes: [{ field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } }] }] : []),
      {
        id: 'waba',
        changes: [
          { field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550783881', phone_number_id: pnid }, ...value } },
        ],
      },
    ],
  });
  return [
    fc
      .record({ pnid: number, mid: wamid, from: fc.constantFrom('16505551234', '16505554321'), body: text, at: time, inBatch: batched })
      .map(({ pnid, mid, from, body, at, inBatch }) => ({
        body: deliver(pnid, { messages: [{ from, id: mid, timestamp: String(Math.floor(at / 1000)), type: 'text', text: { body } }] }, inBatch),
        identity: ['msg', pnid, mid],
      })),
    fc
      .record({ pnid: number, mid: wamid, status: fc.constantFrom('sent', 'delivered', 'read', 'failed'), at: time, inBatch: batched })
      .map(({ pnid, mid, status, at, inBatch }) => ({
        body: deliver(pnid, { statuses: [{ id: mid, status, timestamp: String(at), recipient_id: '16505551234' }] }, inBatch),
        identity: ['ack', pnid, mid, status],
      })),
  ];
}

const GENERATORS: Record<ProviderName, () => fc.Arbitrary<Generated>[]> = {
  waha: wahaEvents,
  wawp: wahaEvents,
  openwa: openwaEvents,
  waserver: waserverEvents,
  evolution: evolutionEvents,
  cloudapi: cloudapiEvents,
};

const sameIdentity = (a: Generated, b: Generated) => JSON.stringify(a.identity) === JSON.stringify(b.identity);

describe.each(Object.keys(GENERATORS) as ProviderName[])('%s ids', (provider) => {
  const kinds = GENERATORS[provider]();
  const events = fc.oneof(...kinds);
  // Half the pairs are of one kind, so near misses (one message edited twice, one vote changed) are common.
  const pairs = fc.oneof(
    fc.tuple(events, events),
    fc.nat(kinds.length - 1).chain((i) => fc.tuple(kinds[i], kinds[i])),
  );

  it('two different events never share an id; two copies of one event always do', () => {
    let different = 0;
    let same = 0;
    fc.assert(
      fc.property(pairs, ([a, b]) => {
        // The event a generator is about is the body's last (a Cloud API batch puts another before it).
        const idA = idsOf(provider, a.body).at(-1);
        const idB = idsOf(provider, b.body).at(-1);
        if (sameIdentity(a, b)) {
          same++;
          expect(idA).toBe(idB);
        } else {
          different++;
          expect(idA).not.toBe(idB);
        }
      }),
      RUNS,
    );
    // Both branches were really exercised.
    expect(same).toBeGreaterThan(0);
    expect(different).toBeGreaterThan(0);
  });

  it('a body and its redelivery (the same bytes) always share the id', () => {
    fc.assert(
      fc.property(events, ({ body }) => {
        expect(idsOf(provider, JSON.parse(JSON.stringify(body)))).toEqual(idsOf(provider, body));
      }),
      RUNS,
    );
  });
});
