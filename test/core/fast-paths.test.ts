/**
 * The receive step's cheaper paths (issue 11, benchmarks) must decide exactly as the plain ones did:
 * the byte-level nesting scan, the one-decoding signature compare, the lazily computed body digest.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { nestingDepth, parseJsonBody } from '../../core/http/json';
import { createReceiver } from '../../core/receive';
import { signatureMatches } from '../../core/security/compare';

/** The straightforward scan the byte-level one replaced: every UTF-16 unit visited. */
function referenceDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '[' || c === '{') deepest = Math.max(deepest, ++depth);
    else if (c === ']' || c === '}') depth--;
  }
  return deepest;
}

describe('nestingDepth on bytes', () => {
  it('agrees with the plain scan on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        const text = JSON.stringify(value);
        expect(nestingDepth(Buffer.from(text))).toBe(referenceDepth(text));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the plain scan on any text, valid JSON or not', () => {
    // Runs of 40 letters reach past the short-string loop into the indexOf path.
    const alphabet = fc.constantFrom('"', '\\', '[', ']', '{', '}', 'a', 'é', '😀', ' ', ',', 'b'.repeat(40));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 200 }).map((chars) => chars.join('')),
        (text) => {
          expect(nestingDepth(Buffer.from(text))).toBe(referenceDepth(text));
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('skips long strings with escaped quotes and backslashes', () => {
    const long = 'x'.repeat(100);
    expect(nestingDepth(Buffer.from(`{"a":"${long}\\"[[[${long}","b":[[1]]}`))).toBe(3);
    expect(nestingDepth(Buffer.from(`{"a":"${long}\\\\","b":[[1]]}`))).toBe(3);
    expect(nestingDepth(Buffer.from(`{"a":"${long}\\\\\\"[[","b":[1]}`))).toBe(2); // \\\" is escaped: [[ is in the string
  });

  it('refuses 10 000-deep nesting, with or without a BOM, without overflowing the stack', () => {
    for (const prefix of ['', '\uFEFF']) {
      const deep = `${prefix}${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
      expect(parseJsonBody(Buffer.from(deep), 64)).toEqual({ ok: false, error: 'Body nests 10000 levels deep; the limit is 64' });
    }
  });
});

describe('signatureMatches decodes once', () => {
  const digest = createHmac('sha512', 'k').update('body').digest();
  it('refuses a full-length hex value with a non-hex character', () => {
    const hex = digest.toString('hex');
    expect(signatureMatches(hex, digest)).toBe(true);
    expect(signatureMatches(`${hex.slice(0, -1)}g`, digest)).toBe(false);
    expect(signatureMatches(`g${hex.slice(1)}`, digest)).toBe(false);
  });
  it('refuses base64 of another length, or with characters outside the alphabet', () => {
    const b64 = digest.toString('base64');
    expect(signatureMatches(b64, digest)).toBe(true);
    expect(signatureMatches(b64.slice(4), digest)).toBe(false);
    expect(signatureMatches(`${b64}AAAA`, digest)).toBe(false);
    expect(signatureMatches(`${b64.slice(0, 10)} ${b64.slice(11)}`, digest)).toBe(false);
  });
});

describe('lazy body digest', () => {
  it('still keys events without an id of their own by the exact bytes', async () => {
    // An unknown WAHA event without an envelope id falls back to the body digest.
    const receiver = createReceiver({ provider: 'waha' });
    const body = JSON.stringify({ event: 'brand.new', session: 'default', payload: { n: 1 } });
    const first = await receiver.receive({ method: 'POST', headers: {}, rawBody: body });
    const again = await receiver.receive({ method: 'POST', headers: {}, rawBody: body });
    const other = await receiver.receive({ method: 'POST', headers: {}, rawBody: body.replace('1', '2') });
    expect([first.stats.emitted, again.stats.duplicates, other.stats.emitted]).toEqual([1, 1, 1]);
    expect(first.events[0].id).toMatch(/^waha:default:brand\.new:[0-9a-f]{32}$/);
  });
});
