/**
 * The phone behind a LID, end to end: a gateway's real body normalized, then routed. "Sender Is
 * One Of" (and "Chat Is One Of") with a phone number match a LID sender once the gateway sent its
 * phone JID next to the LID, and never match when it did not.
 */
import { chatWith, contactWith, sameAccount } from '../../core/jid';
import { compileRouter, type RouterRule } from '../../core/router';
import { wahaProvider as wahaAdapter } from '../../core/providers/waha';
import { waserverProvider as waserverAdapter } from '../../core/providers/waserver';
import { wawpProvider as wawpAdapter } from '../../core/providers/wawp';
import { normalizeOne } from '../helpers/fixtures';

const routes = (rule: RouterRule, event: ReturnType<typeof normalizeOne>) => compileRouter([rule]).route(event).outputs.length === 1;

describe('a phone number listed in the router matches a LID sender whose phone is known', () => {
  it.each([
    ['WAHA NOWEB key.remoteJidAlt', normalizeOne(wahaAdapter, 'src-waha-noweb-lid-remoteJidAlt.json'), '+62 857-1234-5678'],
    ['WAHA NOWEB key.participantPn (group)', normalizeOne(wahaAdapter, 'src-waha-noweb-group-lid-participantPn.json'), '6281122334455'],
    ['WAHA GOWS Info.SenderAlt', normalizeOne(wahaAdapter, 'src-waha-gows-lid-SenderAlt.json'), '6285712345678'],
    ['wa-server from (LID) + chat (phone JID)', normalizeOne(waserverAdapter, 'spec-message-individual-inbound-lid-from.json'), '+6281234567890'],
  ])('%s', (_source, event, phone) => {
    expect(event.message?.sender.id).toMatch(/@lid$/);
    expect(routes({ kind: 'sender', value: phone }, event)).toBe(true);
    expect(routes({ kind: 'sender', value: '6280000000000' }, event)).toBe(false);
  });

  it('the chat rule matches a direct LID chat by its phone', () => {
    const event = normalizeOne(wahaAdapter, 'src-waha-gows-outbound-lid-RecipientAlt.json');
    expect(routes({ kind: 'chat', value: '6285712345678' }, event)).toBe(true);
  });

  it('with nothing paired with the LID, no phone is known and the number does not match', () => {
    const event = normalizeOne(wawpAdapter, 'spec-message-lid.json');
    expect(event.message?.sender).toMatchObject({ lid: '123456789012345@lid', phone: null });
    expect(routes({ kind: 'sender', value: '6285712345678' }, event)).toBe(false);
    expect(routes({ kind: 'sender', value: '123456789012345@lid' }, event)).toBe(true);
  });
});

describe('jid pairs', () => {
  it('one account whatever the spelling: device suffix and @s.whatsapp.net vs @c.us', () => {
    expect(sameAccount('6281:12@s.whatsapp.net', '6281@c.us')).toBe(true);
    expect(sameAccount('123:4@lid', '123@lid')).toBe(true);
    expect(sameAccount('123@lid', '123@c.us')).toBe(false);
    expect(sameAccount(null, '123@lid')).toBe(false);
  });

  it('a pair is read both ways; a LID found through a pair loses its device suffix', () => {
    const pairs = [
      ['123@lid', '6281@s.whatsapp.net'],
      ['6282@s.whatsapp.net', '456:7@lid'],
      [null, '6283@c.us'],
    ] as const;
    expect(contactWith('123@lid', pairs)).toEqual({ id: '123@lid', phone: '6281', lid: '123@lid', name: null });
    expect(contactWith('6281@c.us', pairs)).toEqual({ id: '6281@c.us', phone: '6281', lid: '123@lid', name: null });
    expect(contactWith('6282@c.us', pairs, { name: 'Dewi' })).toEqual({ id: '6282@c.us', phone: '6282', lid: '456@lid', name: 'Dewi' });
    expect(contactWith('999@lid', pairs)).toEqual({ id: '999@lid', phone: null, lid: '999@lid', name: null });
  });

  it('a group chat gets no phone, even from a pair', () => {
    expect(chatWith('1203@g.us', [['1203@g.us', '6281@c.us']])).toEqual({ id: '1203@g.us', type: 'group', lid: null, phone: null });
    expect(chatWith('123@lid', [['123@lid', '6281@c.us']])).toEqual({ id: '123@lid', type: 'direct', lid: '123@lid', phone: '6281' });
  });
});
