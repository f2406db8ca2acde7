/**
 * Parses a webhook body as JSON after checking how deep it nests. JSON.parse itself copes with deep
 * nesting, but everything after it (schemas, normalizers, engines cloning the item) walks the tree
 * recursively, so a hostile `[[[[…` body must be refused before it is parsed.
 */
export type ParseResult = { ok: true; value: unknown } | { ok: false; error: string };

const OPEN_BRACKETS = new Set([0x5b, 0x7b]); // [ {
const CLOSE_BRACKETS = new Set([0x5d, 0x7d]); // ] }
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i++;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (OPEN_BRACKETS.has(code)) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (CLOSE_BRACKETS.has(code)) {
      depth--;
    }
  }
  return deepest;
}

export function parseJsonBody(bytes: Buffer, maxDepth: number): ParseResult {
  // A UTF-8 byte order mark is legal in a body but not in JSON.
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, error: 'Body is empty; expected a JSON object' };
  const depth = nestingDepth(text);
  if (depth > maxDepth) return { ok: false, error: `Body nests ${depth} levels deep; the limit is ${maxDepth}` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: `Body is not valid JSON: ${(error as Error).message}` };
  }
}
