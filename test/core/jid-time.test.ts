import { chatTypeOf, contactRef, phoneOf } from '../../core/jid';
import { firstIso, toEpochMs, toIso } from '../../core/time';

describe('phoneOf', () => {
  it.each([
    ['11111111111@c.us', '11111111111'],
    ['6281234567890@s.whatsapp.net', '6281234567890'],
    ['6285211112222:1@s.whatsapp.net', '6285211112222'],
    ['9876543210987654321@lid', null],
    ['120363012345678901@g.us', null],
    ['status@broadcast', null],
    ['123@newsletter', null],
    ['abc@c.us', null],
    ['', null],
  ])('%s → %s', (jid, phone) => expect(phoneOf(jid)).toBe(phone));
});

describe('chatTypeOf', () => {
  it.each([
    ['11111111111@c.us', 'direct'],
    ['6281234567890@s.whatsapp.net', 'direct'],
    ['1234@lid', 'direct'],
    ['120363012345678901@g.us', 'group'],
    ['1234567890-1111111111@g.us', 'group'],
    ['120363@newsletter', 'channel'],
    ['status@broadcast', 'status'],
    ['1234@broadcast', 'broadcast'],
  ])('%s → %s', (jid, type) => expect(chatTypeOf(jid)).toBe(type));
});

describe('contactRef', () => {
  it('takes the lid from a @lid id and no phone', () => {
    expect(contactRef('42@lid')).toEqual({ id: '42@lid', phone: null, lid: '42@lid', name: null });
  });
  it('keeps given name and lid', () => {
    expect(contactRef('1@c.us', { lid: '9@lid', name: 'Ann' })).toEqual({ id: '1@c.us', phone: '1', lid: '9@lid', name: 'Ann' });
  });
});

describe('time', () => {
  it('reads seconds, fractional seconds, milliseconds and ISO', () => {
    expect(toIso(1667561485)).toBe('2022-11-04T11:31:25.000Z');
    expect(toIso(1667561485.25)).toBe('2022-11-04T11:31:25.250Z');
    expect(toIso(1700000000123)).toBe('2023-11-14T22:13:20.123Z');
    expect(toIso('2026-01-10T02:15:00Z')).toBe('2026-01-10T02:15:00.000Z');
    expect(toIso('1700000000')).toBe('2023-11-14T22:13:20.000Z');
  });
  it('refuses what is not a time', () => {
    expect(toEpochMs('yesterday')).toBeNull();
    expect(toEpochMs(-5)).toBeNull();
    expect(toEpochMs(Number.NaN)).toBeNull();
    expect(toEpochMs(null)).toBeNull();
    expect(toEpochMs('')).toBeNull();
  });
  it('falls back to the receive time', () => {
    expect(firstIso([undefined, 'nope'], Date.parse('2026-02-01T00:00:00Z'))).toBe('2026-02-01T00:00:00.000Z');
    expect(firstIso([undefined, 1700000000], 0)).toBe('2023-11-14T22:13:20.000Z');
  });
});
