/**
 * Wawp's own per-event documentation pages (api.wawp.net/en/docs/<event>) show payloads unlike
 * WAHA's for most non-message events. Each function here recognises one such shape and rewrites it
 * into WAHA's, so the one WAHA normalizer reads both; a WAHA-shaped payload is returned untouched.
 */
import { chatOfMessageId } from '../../jid';

type Payload = Record<string, unknown>;

function isRecord(value: unknown): value is Payload {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Wawp writes lists as index-keyed objects (`{"0": "…", "1": "…"}`); arrays pass through. */
export function listOf(value: unknown): unknown {
  if (!isRecord(value)) return value;
  return Object.entries(value)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, item]) => item);
}

/** Applies `rewrite` to object payloads; anything else is left for the schema to report. */
export function accepting(rewrite: (payload: Payload) => Payload) {
  return (payload: unknown) => (isRecord(payload) ? rewrite(payload) : payload);
}

/** message.reaction: `{id, reaction: "❤️", senderId, messageId}`. */
export const reactionFromWawp = accepting((p) =>
  typeof p.reaction === 'string' ? { ...p, from: p.from ?? p.senderId, reaction: { text: p.reaction, messageId: p.messageId } } : p,
);

/** message.edited: `{id, newBody, prevBody}`; the id is the edited message, and its chat is in it. */
export const editedFromWawp = accepting((p) =>
  typeof p.newBody === 'string' && p.body === undefined
    ? { ...p, body: p.newBody, editedMessageId: p.editedMessageId ?? p.id, from: p.from ?? chatOfMessageId(String(p.id)) }
    : p,
);

/** message.revoked: `{id, revokedBy}`. */
export const revokedFromWawp = accepting((p) =>
  p.after === undefined && p.before === undefined && p.revokedMessageId === undefined && typeof p.id === 'string' ? { ...p, revokedMessageId: p.id } : p,
);

/** presence.update: one flat entry `{chatId, type: "composing", from}`. */
export const presenceFromWawp = accepting((p) =>
  p.presences === undefined && typeof p.chatId === 'string'
    ? { ...p, id: p.chatId, presences: [{ participant: p.from ?? null, lastKnownPresence: p.type }] }
    : p,
);

/** group.v2.*: `{chatId, action, participants: {"0": …}}` (and `subject`, `description` on updates). */
export const groupFromWawp = accepting((p) => {
  const group = p.group ?? (typeof p.chatId === 'string' ? { id: p.chatId, subject: p.subject, description: p.description } : undefined);
  return { ...p, group, type: p.type ?? p.action, participants: listOf(p.participants) };
});

/** poll.vote.failed: `{pollId, voter, reason}`; a failed vote has no selection. */
export const pollVoteFromWawp = accepting((p) =>
  p.vote === undefined && typeof p.pollId === 'string' ? { ...p, vote: { from: p.voter, selectedOptions: [] }, poll: { id: p.pollId } } : p,
);
