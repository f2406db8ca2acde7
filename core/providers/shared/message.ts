/** Helpers that several providers need to build the `message` block. */
import type { MessageType } from '../../event/schema';

/** The media kind a MIME type implies; `voice` is decided by the caller (only the gateway knows PTT). */
export function messageTypeFromMime(mimeType: string | null | undefined): MessageType | null {
  if (!mimeType) return null;
  const mime = mimeType.toLowerCase();
  if (mime === 'image/webp') return 'sticker';
  if (mime.startsWith('image/')) return 'image';
  if (mime.startsWith('video/')) return 'video';
  if (mime.startsWith('audio/')) return 'audio';
  return 'document';
}

/**
 * WhatsApp Web / open-wa message `type` words. `ptt` is a push-to-talk voice note.
 * Unlisted words (e.g. `revoked`, `e2e_notification`) are `other`.
 */
const WHATSAPP_WEB_TYPES: Record<string, MessageType> = {
  chat: 'text',
  text: 'text',
  image: 'image',
  video: 'video',
  gif: 'video',
  audio: 'audio',
  ptt: 'voice',
  voice: 'voice',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  live_location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
  contact: 'contact',
  poll_creation: 'poll',
  poll: 'poll',
  reaction: 'reaction',
};

export function messageTypeFromWord(word: string | null | undefined): MessageType | null {
  if (!word) return null;
  return WHATSAPP_WEB_TYPES[word.toLowerCase()] ?? null;
}

/** Unfolds vCard line continuations and returns the lines. */
function vcardLines(vcard: string): string[] {
  return vcard.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
}

/** The phone numbers of a vCard's TEL lines, as written (`+62 812…`), or the `waid` when only that is given. */
export function vcardPhones(vcard: string): string[] {
  const phones: string[] = [];
  for (const line of vcardLines(vcard)) {
    const match = /^(?:[\w-]+\.)?TEL([^:]*):(.*)$/i.exec(line);
    if (!match) continue;
    const value = match[2].trim();
    const waid = /waid=(\d+)/i.exec(match[1]);
    if (value) phones.push(value);
    else if (waid) phones.push(waid[1]);
  }
  return phones;
}

/** The FN (formatted name) of a vCard, else null. */
export function vcardName(vcard: string): string | null {
  for (const line of vcardLines(vcard)) {
    const match = /^FN(?:;[^:]*)?:(.*)$/i.exec(line);
    if (match && match[1].trim()) return match[1].trim();
  }
  return null;
}

export function sharedContact(vcard: string, name?: string | null) {
  return { name: name ?? vcardName(vcard), vcard, phones: vcardPhones(vcard) };
}

/** First non-empty string among the candidates, else ''. Implements "body, else caption, else ''". */
export function firstText(...candidates: unknown[]): string {
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return '';
}
