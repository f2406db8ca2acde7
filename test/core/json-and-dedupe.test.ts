import { MemoryDedupeStore } from '../../core/dedupe/store';
import { nestingDepth, parseJsonBody } from '../../core/http/json';

describe('parseJsonBody', () => {
  it('parses an object and strips a byte order mark', () => {
    expect(parseJsonBody(Buffer.from('\uFEFF{"a":1}'), 64)).toEqual({ ok: true, value: { a: 1 } });
  });
  it('refuses empty bodies and invalid JSON with a reason', () => {
    expect(parseJsonBody(Buffer.from('  '), 64)).toEqual({ ok: false, error: 'Body is empty; expected a JSON object' });
    const bad = parseJsonBody(Buffer.from('{"a":'), 64);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^Body is not valid JSON: /);
  });
  it('refuses nesting over the limit before parsing', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(parseJsonBody(Buffer.from(deep), 64)).toEqual({ ok: false, error: 'Body nests 100000 levels deep; the limit is 64' });
  });
  it('does not count brackets inside strings', () => {
    expect(nestingDepth('{"a":"[[[{{{\\"[["}')).toBe(1);
    expect(nestingDepth('{"a":[{"b":[]}]}')).toBe(4);
  });
});

describe('MemoryDedupeStore', () => {
  it('reports the first sighting only', () => {
    const store = new MemoryDedupeStore();
    expect(store.firstSeen('a')).toBe(true);
    expect(store.firstSeen('a')).toBe(false);
    expect(store.firstSeen('b')).toBe(true);
  });
  it('stays bounded, forgetting the oldest ids first', () => {
    const store = new MemoryDedupeStore({ maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) store.firstSeen(key);
    expect(store.size).toBe(3);
    expect(store.firstSeen('a')).toBe(true);
    expect(store.firstSeen('d')).toBe(false);
  });
  it('forgets ids after the TTL', () => {
    let now = 1000;
    const store = new MemoryDedupeStore({ ttlSeconds: 1, now: () => now });
    expect(store.firstSeen('a')).toBe(true);
    now += 900;
    expect(store.firstSeen('a')).toBe(false);
    now += 600;
    expect(store.firstSeen('a')).toBe(true);
  });
  it('refuses nonsense settings', () => {
    expect(() => new MemoryDedupeStore({ ttlSeconds: 0 })).toThrow('Dedupe TTL must be a positive number of seconds');
    expect(() => new MemoryDedupeStore({ maxEntries: 0 })).toThrow('at least one entry');
  });
});
