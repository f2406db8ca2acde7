/**
 * Baileys' message content kinds (`proto.Message` keys), shared by the gateways that pass Baileys'
 * objects on: WAHA's NOWEB (and GOWS, whose whatsmeow names match) and Evolution API.
 */
import type { MessageType } from '../../event/schema';

/** Every Baileys / whatsmeow content kind this package reads, and what it is. */
export const BAILEYS_CONTENT_TYPES: Record<string, MessageType> = {
  conversation: 'text',
  extendedTextMessage: 'text',
  imageMessage: 'image',
  videoMessage: 'video',
  /** A round video note. */
  ptvMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
  locationMessage: 'location',
  liveLocationMessage: 'location',
  contactMessage: 'contact',
  contactsArrayMessage: 'contact',
  pollCreationMessage: 'poll',
  pollCreationMessageV2: 'poll',
  pollCreationMessageV3: 'poll',
  reactionMessage: 'reaction',
};

/** Envelopes around the real content (Baileys `normalizeMessageContent` unwraps the same ones). */
export const BAILEYS_WRAPPERS = ['ephemeralMessage', 'viewOnceMessage', 'viewOnceMessageV2', 'viewOnceMessageV2Extension', 'documentWithCaptionMessage'];
