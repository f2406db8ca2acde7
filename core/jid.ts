/**
 * WhatsApp ids (JIDs). Ids are treated as opaque strings; the only things derived from them are the
 * kind of chat and the phone number, where the id really carries one or the gateway sent a phone JID
 * next to a LID.
 */
import type { Chat, ChatType, ContactRef } from './event/schema';

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

// ─── LIDs and the phone numbers behind them ─────────────────────────────────────────────────────

/**
 * A gateway's statement that two ids name one person: a LID next to its phone JID (WAHA NOWEB's
 * `key.remoteJidAlt`, GOWS's `Info.SenderAlt`, wa-server's `from_lid`…). Either side may be missing.
 */
export type JidPair = readonly [string | null | undefined, string | null | undefined];

/** One spelling per account: device suffix dropped, `@s.whatsapp.net` written `@c.us`. */
export function canonical(jid: string): string {
  const at = jid.indexOf('@');
  if (at < 0) return jid;
  const server = jid.slice(at + 1);
  return `${jid.slice(0, at).split(':')[0]}@${server === 's.whatsapp.net' ? 'c.us' : server}`;
}

export function sameAccount(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && canonical(a) === canonical(b);
}

/** The ids the pairs give for `id`, read both ways. */
export function alternatesOf(id: string, pairs: readonly JidPair[]): string[] {
  const found: string[] = [];
  for (const [a, b] of pairs) {
    if (a && b && sameAccount(a, id)) found.push(b);
    else if (a && b && sameAccount(b, id)) found.push(a);
  }
  return found;
}

/** The phone number and the LID among an id and its alternates; a LID's device suffix is dropped. */
function phoneAndLid(id: string, alternates: readonly string[]): { phone: string | null; lid: string | null } {
  const ids = [id, ...alternates];
  const lid = ids.find(isLid);
  return { phone: ids.map(phoneOf).find((phone) => phone !== null) ?? null, lid: lid ? canonical(lid) : null };
}

/**
 * A contact from its id and whatever the gateway paired with it: the phone from a phone JID among
 * them, the LID from a `@lid` among them. Nothing is guessed: no pair, no phone behind a LID.
 */
export function contactWith(id: string, pairs: readonly JidPair[], extra: { name?: string | null } = {}): ContactRef {
  const known = phoneAndLid(id, alternatesOf(id, pairs));
  return contactRef(id, { phone: known.phone, lid: isLid(id) ? id : known.lid, name: extra.name });
}

/** The chat block: a direct chat's phone and LID come from the id and its pairs, a group has neither. */
export function chatWith(id: string, pairs: readonly JidPair[], type: ChatType = chatTypeOf(id)): Chat {
  if (type !== 'direct') return { id, type, lid: null, phone: null };
  const known = phoneAndLid(id, alternatesOf(id, pairs));
  return { id, type, lid: isLid(id) ? id : known.lid, phone: known.phone };
}
