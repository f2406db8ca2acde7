/** The engine-neutral view of one webhook request, as both n8n and Node-RED can build it. */
export type HeaderValue = string | string[] | undefined;

export interface WebhookRequest {
  method: string;
  /** Header names in any case. */
  headers: Record<string, HeaderValue>;
  query?: Record<string, HeaderValue>;
  /** The exact bytes received: signatures are checked on these, never on re-serialized JSON. */
  rawBody: Buffer | string | undefined;
  /** The peer address, for IP allowlists. */
  clientIp?: string;
}

/** Case-insensitive header lookup; a repeated header yields its first value. */
export function headerValue(headers: Record<string, HeaderValue>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}

export function queryValue(query: Record<string, HeaderValue> | undefined, name: string): string | undefined {
  const value = query?.[name];
  return Array.isArray(value) ? value[0] : value;
}

export function rawBodyBytes(rawBody: Buffer | string | undefined): Buffer {
  if (rawBody === undefined) return Buffer.alloc(0);
  return Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8');
}
