/**
 * Media sends, the parts every provider shares: which operation a kind of media is, the default
 * MIME type and file name, the upload size limit, and the forms gateways take bytes in.
 */
import type { Operation } from '../providers/types';
import { displayNameOf } from '../providers/names';
import { GatewayError } from './http';
import type { MediaFile, MediaKind } from './types';

/** WhatsApp's own limit for images, video and audio is 16 MB; documents may be larger where the gateway allows. */
export const DEFAULT_MAX_UPLOAD_BYTES = 16 * 1024 * 1024;

const OPERATION_OF: Record<MediaKind, Operation> = {
  image: 'sendImage',
  video: 'sendVideo',
  document: 'sendDocument',
  voice: 'sendVoice',
  audio: 'sendAudio',
};

export function mediaOperationOf(kind: MediaKind): Operation {
  return OPERATION_OF[kind];
}

const DEFAULT_MIMETYPE: Record<MediaKind, string> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  document: 'application/octet-stream',
  voice: 'audio/ogg; codecs=opus',
  audio: 'audio/mpeg',
};

const DEFAULT_FILENAME: Record<MediaKind, string> = {
  image: 'image.jpg',
  video: 'video.mp4',
  document: 'file',
  voice: 'voice.ogg',
  audio: 'audio.mp3',
};

const NOUN: Record<MediaKind, string> = { image: 'an image', video: 'a video', document: 'a document', voice: 'a voice note', audio: 'an audio file' };

/** `an image`, `a voice note`: for messages. */
export function mediaNoun(kind: MediaKind): string {
  return NOUN[kind];
}

export function mimetypeOf(kind: MediaKind, file: MediaFile): string {
  return file.mimetype?.trim() || DEFAULT_MIMETYPE[kind];
}

export function filenameOf(kind: MediaKind, file: MediaFile): string {
  return file.filename?.trim() || DEFAULT_FILENAME[kind];
}

/** `data:<mime>;base64,<bytes>`, the form open-wa takes files in. */
export function dataUrlOf(kind: MediaKind, file: MediaFile & { data: Buffer }): string {
  return `data:${mimetypeOf(kind, file).replace(/\s+/g, '')};base64,${file.data.toString('base64')}`;
}

/**
 * Why this file cannot be sent as it is, or null: neither bytes nor URL, both, a URL that is not
 * http(s), no bytes at all, or more bytes than `maxBytes`.
 */
export function mediaFileProblem(file: MediaFile | undefined, maxBytes: number = DEFAULT_MAX_UPLOAD_BYTES): string | null {
  if (!file || (!file.data && !file.url)) return 'Nothing to send: no file (neither bytes nor a URL)';
  if (file.data && file.url) return 'Give the file as bytes or as a URL, not both';
  if (file.url) {
    let url: URL;
    try {
      url = new URL(file.url);
    } catch {
      return `The file URL is not a URL: "${file.url.slice(0, 80)}"`;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `The file URL must be http(s), got ${url.protocol}`;
    return null;
  }
  if (file.data!.length === 0) return 'Nothing to send: the file is empty (0 bytes)';
  if (file.data!.length > maxBytes) {
    return `The file is too large: ${megabytes(file.data!.length)} MB, more than the maximum upload size of ${megabytes(maxBytes)} MB (set a larger Max Upload Size if the gateway takes it)`;
  }
  return null;
}

const megabytes = (bytes: number) => String(Math.round((bytes / (1024 * 1024)) * 100) / 100);

/** For gateways that fetch files themselves and take no bytes (Wawp). */
export function urlOnly(provider: string, file: MediaFile): string {
  if (file.url) return file.url;
  throw new GatewayError(
    provider,
    null,
    `${displayNameOf(provider)} takes files by URL only: its API has no field for the bytes. Give a URL the gateway can download the file from`,
  );
}
