/**
 * A message's file, fetched through the gateway's API: the one download both engines use, for the
 * trigger / in node's "Download Media" and for the download operation.
 *
 * The provider's locator (core/providers/<p>/media.ts) says where the file is and with which auth;
 * this fetches it, streaming, and stops reading once the size limit is passed (a gateway's
 * `Content-Length` above it stops it before any byte). Errors say why in words a user can act on
 * and never hold a key, a token or a URL's query: they name the gateway and the path only.
 */
import type { NormalizedEvent } from '../event/schema';
import type { Provider } from '../providers/types';
import { UnsupportedOperationError } from '../send/capabilities';
import { clientConfigProblem } from '../send/config';
import { GatewayError } from '../send/http';
import { Limiter } from '../send/limiter';
import type { ClientConfig } from '../send/types';
import type { MediaSource } from './source';

export const DEFAULT_MEDIA_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MEDIA_TIMEOUT_MS = 60_000;
/** Downloads under way at once for the events of one request. */
const CONCURRENCY = 2;

export interface MediaDownloadOptions {
  /** Largest file accepted, bytes (default 16 MB). */
  maxBytes?: number;
  /** For the whole download, API calls included, ms (default 60 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Cancels the download (an engine stopping the node). */
  signal?: AbortSignal;
}

export interface DownloadedMedia {
  data: Buffer;
  mimeType: string;
  fileName: string;
  /** Bytes. */
  size: number;
}

/** Why a file could not be had; `status` is the gateway's HTTP status when it answered. */
export class MediaDownloadError extends GatewayError {
  constructor(provider: string, status: number | null, message: string) {
    super(provider, status, message);
    this.name = 'MediaDownloadError';
  }
}

/** `16 MB`, `1.5 MB`, `900 bytes`. */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${bytes} bytes`;
  return `${Number((bytes / (1024 * 1024)).toFixed(1))} MB`;
}

/** The path of a URL, never its query (Wawp's tokens travel there) nor its user-info. */
function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '(invalid URL)';
  }
}

const EXTENSIONS: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'audio/aac': 'aac',
  'audio/amr': 'amr',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'video/mp4': 'mp4',
  'video/3gpp': '3gp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'application/zip': 'zip',
};

/** A file name for a file the gateway named not: `voice-3A5F9C0E1D2B.ogg`. */
function fallbackName(message: NonNullable<NormalizedEvent['message']>, mimeType: string): string {
  const essence = mimeType.split(';')[0].trim().toLowerCase();
  const subtype = essence.split('/')[1] ?? '';
  const extension = EXTENSIONS[essence] ?? (/^[a-z0-9]{1,8}$/.test(subtype) ? subtype : 'bin');
  const id = message.id.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-24) || 'file';
  return `${message.type}-${id}.${extension}`;
}

/**
 * A sender's file name made safe to save as it is: no folders (`../`, `/`, `\`), no control
 * characters, no leading dots, at most 200 characters; null when nothing is left. The event keeps
 * the name as the gateway sent it.
 */
export function safeFileName(name: string | null | undefined): string | null {
  if (!name) return null;
  const flat = name
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[/\\]/g, '_')
    .replace(/^[.\s]+/, '')
    .trim()
    .slice(-200);
  return flat === '' ? null : flat;
}

/** `attachment; filename="a.pdf"` → `a.pdf`. */
function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const encoded = /filename\*\s*=\s*[^']*''([^;]+)/i.exec(header);
  if (encoded) {
    try {
      return decodeURIComponent(encoded[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : null;
}

interface Fetched {
  data: Buffer;
  contentType: string | null;
  fileName: string | null;
}

async function fetchLimited(
  provider: Provider,
  source: Extract<MediaSource, { kind: 'url' }>,
  maxBytes: number,
  signal: AbortSignal,
  doFetch: typeof fetch,
): Promise<Fetched> {
  const name = provider.displayName;
  const target = pathOf(source.url);
  let response: Response;
  try {
    response = await doFetch(source.url, { headers: source.headers, signal, redirect: 'follow' });
  } catch (caught) {
    const failure = caught as Error & { cause?: Error };
    const reason = signal.aborted ? 'timed out or was cancelled' : (failure.cause?.message ?? failure.message);
    throw new MediaDownloadError(provider.name, null, `${name} could not be reached for the file at ${target}: ${reason}`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const status = response.status;
    if (status === 401 || status === 403) {
      throw new MediaDownloadError(
        provider.name,
        status,
        `${name} refused the download of ${target} (${status}): check the API key or token in the credentials`,
      );
    }
    if (status === 404 || status === 410) {
      throw new MediaDownloadError(provider.name, status, `${name} no longer has the file at ${target} (${status}): it was deleted or expired`);
    }
    throw new MediaDownloadError(provider.name, status, `${name} answered ${status} for the file at ${target}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new MediaDownloadError(provider.name, null, `The file is ${sizeText(declared)}; the limit is ${sizeText(maxBytes)}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new MediaDownloadError(provider.name, null, `The file is larger than the limit of ${sizeText(maxBytes)}; stopped after ${sizeText(total)}`);
        }
        chunks.push(Buffer.from(value));
      }
    } catch (caught) {
      if (caught instanceof MediaDownloadError) throw caught;
      throw new MediaDownloadError(
        provider.name,
        null,
        `${name} broke off the file at ${target}: ${signal.aborted ? 'timed out or was cancelled' : (caught as Error).message}`,
      );
    }
  }
  return {
    data: Buffer.concat(chunks, total),
    contentType: response.headers.get('content-type'),
    fileName: dispositionName(response.headers.get('content-disposition')),
  };
}

/** The gateway's or our refusal restated as a download error, keeping the status. */
function asDownloadError(provider: Provider, error: unknown): MediaDownloadError {
  if (error instanceof MediaDownloadError) return error;
  if (error instanceof GatewayError) return new MediaDownloadError(provider.name, error.status, error.message);
  return new MediaDownloadError(provider.name, null, `${provider.displayName}: the download failed: ${(error as Error).message}`);
}

/**
 * The file of the event's message. Throws a `MediaDownloadError` saying why when there is none, the
 * gateway cannot give it, or it is too big; an `UnsupportedOperationError` when the gateway has no
 * way to.
 */
export async function downloadMedia(
  provider: Provider,
  config: ClientConfig,
  event: NormalizedEvent,
  options: MediaDownloadOptions = {},
): Promise<DownloadedMedia> {
  const message = event.message;
  const media = message?.media;
  if (!message || !media) {
    const what = message ? `a ${message.type} message` : `a ${event.event} event`;
    throw new MediaDownloadError(provider.name, null, `There is no media to download: this is ${what}`);
  }
  if (!provider.api.media || !provider.api.capabilities(config).includes('downloadMedia')) {
    throw new UnsupportedOperationError(provider, 'downloadMedia', config);
  }
  const problem = clientConfigProblem(provider, config, 'downloadMedia');
  if (problem) throw new MediaDownloadError(provider.name, null, problem);
  const maxBytes = options.maxBytes ?? DEFAULT_MEDIA_MAX_BYTES;
  if (!Number.isFinite(maxBytes) || maxBytes <= 0) throw new Error(`The maximum media size must be a positive number, got ${maxBytes}`);
  if (media.size !== null && media.size > maxBytes) {
    throw new MediaDownloadError(provider.name, null, `The file is ${sizeText(media.size)}; the limit is ${sizeText(maxBytes)}`);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_MEDIA_TIMEOUT_MS;
  const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
  try {
    const source = await provider.api.media({ event, config, http: { ...config.http, timeoutMs, retries: 0, signal, fetch: options.fetch } });
    let fetched: Fetched;
    if (source.kind === 'bytes') {
      if (source.data.length > maxBytes) {
        throw new MediaDownloadError(provider.name, null, `The file is ${sizeText(source.data.length)}; the limit is ${sizeText(maxBytes)}`);
      }
      fetched = { data: source.data, contentType: source.mimeType ?? null, fileName: source.fileName ?? null };
    } else {
      fetched = await fetchLimited(provider, source, maxBytes, signal, options.fetch ?? fetch);
      fetched.contentType = source.mimeType ?? fetched.contentType;
    }
    const mimeType = media.mimeType ?? fetched.contentType ?? 'application/octet-stream';
    const fileName = safeFileName(media.fileName) ?? safeFileName(fetched.fileName) ?? fallbackName(message, mimeType);
    return { data: fetched.data, mimeType, fileName, size: fetched.data.length };
  } catch (error) {
    throw asDownloadError(provider, error);
  }
}

/** The events' files, fetched a few at a time; `null` for an event without media or whose file could not be had. */
export type MediaDownloader = (events: readonly NormalizedEvent[]) => Promise<(DownloadedMedia | null)[]>;

/**
 * For the receive side (trigger, in node), called after the gateway has had its answer. It never
 * throws: a file that cannot be had leaves the event as it was, with `message.media.error` saying why.
 */
export function createMediaDownloader(provider: Provider, config: ClientConfig, options: MediaDownloadOptions = {}): MediaDownloader {
  return (events) =>
    Limiter.map(events, CONCURRENCY, async (event) => {
      const media = event.message?.media;
      if (!media) return null;
      try {
        const file = await downloadMedia(provider, config, event, options);
        media.size ??= file.size;
        return file;
      } catch (error) {
        media.error = (error as Error).message;
        return null;
      }
    });
}
