/** The engine-neutral view of one webhook request, as both n8n and Node-RED can build it. */
export type HeaderValue = string | string[] | undefined;

export interface WebhookRequest {
  method: string;
  /** Header names in any case. */
  headers: Record<string, HeaderValue>;
  /**
   * As the engine parsed it. Typed like headers, but Express's `qs` parser also makes objects
   * (`?secret[a]=x`) and arrays (`?secret=a&secret=b`) out of a URL: every reader checks the type.
   */
  query?: Record<string, HeaderValue>;
  /** The exact bytes received: signatures are checked on these, never on re-serialized JSON. */
  rawBody: Buffer | string | undefined;
  /** The peer address, for IP allowlists. */
  clientIp?: string;
}

/**
 * One header or query value, read defensively: absent, one string, or malformed with a reason that
 * names the field and the shape received, never the value (it may be a secret, and it is the
 * sender's text, bound for logs).
 */
export type FieldValue = { ok: true; value: string | undefined } | { ok: false; error: string };

const ABSENT: FieldValue = { ok: true, value: undefined };

/** Case-insensitive header lookup. A header repeated with different values is malformed. */
export function readHeader(headers: Record<string, unknown> | undefined, name: string): FieldValue {
  return asSingleString(findHeader(headers, name.toLowerCase()), `The ${name} header`);
}

/** Query parameter lookup (exact name, own properties only). Objects and differing repeats are malformed. */
export function readQuery(query: Record<string, unknown> | undefined, name: string): FieldValue {
  const value = query && typeof query === 'object' && Object.hasOwn(query, name) ? query[name] : undefined;
  return asSingleString(value, `The ?${name}= parameter`);
}

/** Case-insensitive header lookup; a malformed value reads as absent (use `readHeader` for the reason). */
export function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const field = readHeader(headers, name);
  return field.ok ? field.value : undefined;
}

export function queryValue(query: Record<string, HeaderValue> | undefined, name: string): string | undefined {
  const field = readQuery(query, name);
  return field.ok ? field.value : undefined;
}

function findHeader(headers: Record<string, unknown> | undefined, lowerName: string): unknown {
  if (!headers || typeof headers !== 'object') return undefined;
  // Node and both engines hand over lower-case names: one property read instead of a scan.
  if (Object.hasOwn(headers, lowerName)) return headers[lowerName];
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lowerName) return headers[key];
  }
  return undefined;
}

function asSingleString(value: unknown, label: string): FieldValue {
  if (value === undefined || value === null) return ABSENT;
  if (typeof value === 'string') return { ok: true, value };
  if (Array.isArray(value)) {
    if (value.length === 0) return ABSENT;
    // The same value twice (a proxy repeating a header) is harmless; anything else is ambiguous.
    if (value.every((item) => typeof item === 'string' && item === value[0])) return { ok: true, value: value[0] as string };
    return { ok: false, error: `${label} is sent ${value.length} times with different values or types; send it once` };
  }
  return {
    ok: false,
    error: `${label} is ${typeof value === 'object' ? 'an object (e.g. from name[key]=… in the URL)' : `a ${typeof value}`}; expected one string`,
  };
}

/** The raw body as bytes; null when the engine handed over something that is not bytes or text. */
export function rawBodyBytes(rawBody: Buffer | string | undefined): Buffer;
export function rawBodyBytes(rawBody: unknown): Buffer | null;
export function rawBodyBytes(rawBody: unknown): Buffer | null {
  if (rawBody === undefined || rawBody === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(rawBody)) return rawBody;
  if (typeof rawBody === 'string') return Buffer.from(rawBody, 'utf8');
  if (rawBody instanceof Uint8Array) return Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength);
  return null;
}
