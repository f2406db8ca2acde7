/**
 * WhatsApp ids (JIDs). Ids are treated as opaque strings; the only thing derived from them is the
 * kind of chat and, where the id really carries one, the phone number.
 */
import type { ChatType, ContactRef } from './event/schema';

const PHONE_SUFFIXES = ['@c.us', '@s.whatsapp.net'];

/** `6285211112222:1@s.whatsapp.net` → `6285211112222`; `123@lid` or a group → null. */
export function phoneOf(jid: string | null | undefined): string | null {
  if (!jid) return null;
  const suffix = PHONE_SUFFIXES.find((s) => jid.endsWith(s));
  if (!suffix) return null;
  const user = jid.slice(0, -suffix.length).split(':')[0];
  return /^\d+$/.test(user) ? user : null;
}

export function isLid(jid: string | null | undefined): boolean {
  return !!jid && jid.endsWith('@lid');
}

/**
 * Serialized message ids read `<fromMe>_<chat>_<id>[_<participant>]` (WhatsApp Web, open-wa, WAHA):
 * the chat of last resort when a payload names only the message.
 */
export function chatOfMessageId(messageId: string | null | undefined): string | null {
  return (messageId && /^(?:true|false)_([^_]+)_/.exec(messageId)?.[1]) || null;
}

export function chatTypeOf(jid: string): ChatType {
  if (jid === 'status@broadcast') return 'status';
  if (jid.endsWith('@g.us')) return 'group';
  if (jid.endsWith('@newsletter')) return 'channel';
  if (jid.endsWith('@broadcast')) return 'broadcast';
  return 'direct';
}

/** A contact reference from whatever the gateway gave; the lid is taken from the id itself when it is one. */
export function contactRef(id: string, extra: { lid?: string | null; name?: string | null; phone?: string | null } = {}): ContactRef {
  return {
    id,
    phone: extra.phone ?? phoneOf(id),
    lid: extra.lid ?? (isLid(id) ? id : null),
    name: extra.name ?? null,
  };
}
