import { createHmac } from 'node:crypto';
import { constantTimeEqual, signatureMatches } from '../../core/security/compare';
import { parseIpAllowlist } from '../../core/security/ip-allowlist';

describe('constantTimeEqual', () => {
  it('compares values of any length without throwing', () => {
    expect(constantTimeEqual('secret', 'secret')).toBe(true);
    expect(constantTimeEqual('secret', 'secreT')).toBe(false);
    expect(constantTimeEqual('secret', 'secret-longer')).toBe(false);
    expect(constantTimeEqual('', 'x')).toBe(false);
  });
});

describe('signatureMatches', () => {
  const body = Buffer.from('{"a":"é 😀"}');
  const digest = createHmac('sha256', 'k').update(body).digest();
  it('accepts hex in either case, with or without a prefix, and base64', () => {
    expect(signatureMatches(digest.toString('hex'), digest)).toBe(true);
    expect(signatureMatches(digest.toString('hex').toUpperCase(), digest)).toBe(true);
    expect(signatureMatches(`sha256=${digest.toString('hex')}`, digest)).toBe(true);
    expect(signatureMatches(digest.toString('base64'), digest)).toBe(true);
    expect(signatureMatches(digest.toString('base64url'), digest)).toBe(true);
  });
  it('refuses anything else', () => {
    const other = createHmac('sha256', 'other').update(body).digest();
    expect(signatureMatches(other.toString('hex'), digest)).toBe(false);
    expect(signatureMatches(digest.toString('hex').slice(2), digest)).toBe(false);
    expect(signatureMatches('', digest)).toBe(false);
    expect(signatureMatches('not a signature!', digest)).toBe(false);
  });
  it('refuses every single-character change of a base64 signature, even one that decodes to the same bytes', () => {
    // 32 bytes in base64 end in a character whose low 2 bits are unused: its neighbours decode alike.
    for (const encoded of [digest.toString('base64'), digest.toString('base64url')]) {
      const alphabet = encoded.includes('_') || encoded.includes('-') ? 'base64url' : 'base64';
      const chars =
        alphabet === 'base64url'
          ? 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
          : 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
      const last = encoded.replace(/=+$/, '').length - 1;
      const aliases = [...chars].filter((c) => c !== encoded[last]).map((c) => encoded.slice(0, last) + c + encoded.slice(last + 1));
      expect(aliases.filter((a) => Buffer.from(a, 'base64').equals(digest)).length).toBeGreaterThan(0);
      expect(aliases.filter((a) => signatureMatches(a, digest))).toEqual([]);
    }
  });
});

describe('parseIpAllowlist', () => {
  const allowed = parseIpAllowlist(['203.0.113.0/24', '198.51.100.7', '2001:db8::/32', ' ']);
  it.each([
    ['203.0.113.9', true],
    ['::ffff:203.0.113.9', true],
    ['198.51.100.7', true],
    ['198.51.100.8', false],
    ['2001:db8::1', true],
    ['2001:db9::1', false],
    ['not-an-ip', false],
    [undefined, false],
  ])('%s → %s', (ip, expected) => expect(allowed(ip)).toBe(expected));
  it('names a bad entry', () => {
    expect(() => parseIpAllowlist(['10.0.0.0/8', 'example.com'])).toThrow('"example.com" is not an IP address or CIDR range');
  });
});
