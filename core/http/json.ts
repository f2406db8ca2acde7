/**
 * Parses a webhook body as JSON after checking how deep it nests. JSON.parse itself copes with deep
 * nesting, but everything after it (schemas, normalizers, engines cloning the item) walks the tree
 * recursively, so a hostile `[[[[…` body must be refused before it is parsed.
 */
export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

const OPEN_SQUARE = 0x5b;
const OPEN_CURLY = 0x7b;
const CLOSE_SQUARE = 0x5d;
const CLOSE_CURLY = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest bracket nesting outside strings, in one pass over the bytes. Most of a body's bytes
 * are in strings, and long strings are skipped with `indexOf` (native memchr) rather than visited
 * one by one, so this costs a fraction of JSON.parse. Bytes are enough: every byte of a multi-byte
 * UTF-8 character is ≥ 0x80, so none is mistaken for a bracket, a quote or a backslash.
 */
export function nestingDepth(input: string | Buffer): number {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const length = bytes.length;
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < length; i++) {
    const code = bytes[i];
    if (code === QUOTE) {
      i = closingQuote(bytes, i + 1);
    } else if (code === OPEN_CURLY || code === OPEN_SQUARE) {
      if (++depth > deepest) deepest = depth;
    } else if (code === CLOSE_CURLY || code === CLOSE_SQUARE) {
      depth--;
    }
  }
  return deepest;
}

/** Below this many bytes a plain loop beats the cost of a native call (keys, ids, short texts). */
const SHORT_STRING = 32;

/** Index of the quote closing a string that starts at `from`, or the end for an unterminated one. */
function closingQuote(bytes: Buffer, from: number): number {
  const stop = Math.min(bytes.length, from + SHORT_STRING);
  let i = from;
  for (; i < stop; i++) {
    const code = bytes[i];
    if (code === BACKSLASH) i++;
    else if (code === QUOTE) return i;
  }
  for (let at = bytes.indexOf(QUOTE, i); at !== -1; at = bytes.indexOf(QUOTE, at + 1)) {
    // A quote after an odd run of backslashes is escaped (`\"`); after an even one it closes (`\\"`).
    let backslashes = 0;
    while (bytes[at - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
  return bytes.length;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

export function parseJsonBody(bytes: Buffer, maxDepth: number): ParseResult {
  // A UTF-8 byte order mark is legal in a body but not in JSON.
  const body = bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
  const depth = nestingDepth(body);
  if (depth > maxDepth) return { ok: false, error: `Body nests ${depth} levels deep; the limit is ${maxDepth}` };
  const text = body.toString('utf8');
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    if (text.trim() === '') return { ok: false, error: 'Body is empty; expected a JSON object' };
    return { ok: false, error: `Body is not valid JSON: ${(error as Error).message}` };
  }
}
