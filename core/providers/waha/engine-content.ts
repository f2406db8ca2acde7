/**
 * What WAHA's NOWEB and GOWS engines put in `_data`: the WhatsApp message content itself, as the
 * engine's library decoded it. NOWEB passes Baileys' WAMessage (`_data.message.<kind>Message`),
 * GOWS whatsmeow's event (`_data.Message.<kind>Message`, `_data.Info`). WEBJS has neither and says
 * the type as a word (`_data.type`). The kind of content is the most exact type there is: a photo
 * sent as a document is a `documentMessage`, whatever its MIME type.
 * (devlikeapro/waha src/core/engines/noweb/session.noweb.core.ts `toWAMessage`,
 * src/core/engines/gows/session.gows.core.ts `toWAMessage`, src/core/engines/noweb/utils.ts.)
 */
import type { MessageType } from '../../event/schema';
import { BAILEYS_CONTENT_TYPES as KINDS, BAILEYS_WRAPPERS as WRAPPERS } from '../shared/baileys';

type Content = Record<string, unknown>;

function record(value: unknown): Content | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Content) : null;
}

export interface EngineContent {
  type: MessageType;
  /** The kind's own fields (`mimetype`, `fileName`, `fileLength`, `caption`, `ptt`…). */
  fields: Content;
}

/** The message content of a NOWEB or GOWS `_data`, wrappers and edits unwrapped; null on WEBJS. */
export function engineContent(data: unknown): EngineContent | null {
  let content = record(record(data)?.message) ?? record(record(data)?.Message);
  // An edit carries the new content inside its protocol message.
  content = record(record(content?.protocolMessage)?.editedMessage) ?? content;
  for (let depth = 0; content && depth < 4; depth++) {
    const wrapper = WRAPPERS.find((name) => record(record(content?.[name])?.message));
    if (!wrapper) break;
    content = record(record(content[wrapper])?.message);
  }
  if (!content) return null;
  const kind = Object.keys(KINDS).find((name) => content?.[name] !== undefined && content?.[name] !== null);
  if (!kind) return null;
  const fields = record(content[kind]) ?? {};
  // Baileys says `ptt`, whatsmeow `PTT`.
  const voice = kind === 'audioMessage' && (fields.ptt === true || fields.PTT === true);
  return { type: voice ? 'voice' : KINDS[kind], fields };
}
