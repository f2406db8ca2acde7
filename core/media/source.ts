/**
 * What a provider's `media.ts` answers for a message's file: where to fetch it (and with which
 * headers), or the bytes themselves when the gateway's API hands them over as base64. Fetching,
 * size limits, timeouts and error text are core/media/download.ts's, once for every gateway.
 */
import type { NormalizedEvent } from '../event/schema';
import type { HttpOptions } from '../send/http';
import type { ClientConfig } from '../send/types';

export type MediaSource =
  | {
      kind: 'url';
      url: string;
      /** The gateway's auth for this URL (never shown: errors name the path only). */
      headers?: Record<string, string>;
      /** What the answer is, when an earlier call said (Cloud API's `mime_type`). */
      mimeType?: string | null;
    }
  | { kind: 'bytes'; data: Buffer; mimeType?: string | null; fileName?: string | null };

export interface MediaLocateInput {
  /** The message's event, with `raw` when the engine still has it (open-wa and Evolution use it). */
  event: NormalizedEvent;
  config: ClientConfig;
  /** For the API calls a locator makes itself (Cloud API's `GET /{media-id}`, Evolution's getBase64…). */
  http: HttpOptions;
}

export type MediaLocator = (input: MediaLocateInput) => Promise<MediaSource>;

/** `data:<mime>;base64,<data>` → bytes and type, or null when the text is no base64 data URL. */
export function fromDataUrl(text: string): { data: Buffer; mimeType: string | null } | null {
  const match = /^data:([^;,]*)(?:;[^,]*)?;base64,(.*)$/s.exec(text);
  if (!match) return null;
  return { data: Buffer.from(match[2], 'base64'), mimeType: match[1] || null };
}

/** A nested object field of the raw body, or undefined. */
export function objectAt(value: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current && typeof current === 'object' && !Array.isArray(current) ? (current as Record<string, unknown>) : undefined;
}
