import type { CanonicalEvent } from '../event/schema';
import type { HttpOptions } from './http';

/** What a send client needs; which fields matter depends on the provider. */
export interface ClientConfig {
  /** The gateway's API root, e.g. `http://localhost:3000` (WAHA), `https://api.wawp.net` (Wawp's default). */
  baseUrl?: string;
  /** WAHA `X-Api-Key`, open-wa `X-API-Key` (v5) / `api_key` (v4). */
  apiKey?: string;
  /** Wawp instance and token; the Cloud API's access token (Bearer). */
  instanceId?: string;
  accessToken?: string;
  /** WhatsApp Cloud API: the business phone number to send from when the event names none. */
  phoneNumberId?: string;
  /** open-wa API generation (default v5). */
  apiVersion?: 'v5' | 'v4';
  /** The largest file a media send uploads, in bytes (default `DEFAULT_MAX_UPLOAD_BYTES`, 16 MiB). */
  maxUploadBytes?: number;
  http?: HttpOptions;
}

export interface SendTextInput {
  chatId: string;
  text: string;
  /** Quote this message (a reply). */
  replyTo?: string | null;
  /** The gateway session to send from, where the gateway has several (WAHA; default `default`). */
  session?: string | null;
}

export interface SendResult {
  provider: string;
  chatId: string;
  /** The id the gateway gave the sent message, when it says. */
  messageId: string | null;
  /** Whether the message went out as a quoted reply. */
  quoted: boolean;
  /** The gateway's answer as received. */
  response: unknown;
}

/** What a media send carries: a file as bytes, or a URL the gateway fetches itself. */
export interface MediaFile {
  /** The bytes; when absent, `url`. */
  data?: Buffer;
  /** An http(s) URL the gateway downloads the file from. */
  url?: string;
  /** `image/jpeg`, `audio/ogg; codecs=opus`…; defaults by kind when empty. */
  mimetype?: string;
  filename?: string;
}

/** The kinds of media message, each one operation (`sendImage`…, see `mediaOperationOf`). */
export const MEDIA_KINDS = ['image', 'video', 'document', 'voice', 'audio'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export interface SendMediaInput {
  chatId: string;
  kind: MediaKind;
  file: MediaFile;
  /** Shown under the image, video or document (voice notes and audio have none). */
  caption?: string | null;
  replyTo?: string | null;
  session?: string | null;
}

export interface SendLocationInput {
  chatId: string;
  latitude: number;
  longitude: number;
  name?: string | null;
  address?: string | null;
  replyTo?: string | null;
  session?: string | null;
}

export interface ReactInput {
  chatId: string;
  /** The message reacted to. */
  messageId: string;
  /** One emoji; empty removes our reaction. */
  emoji: string;
  /** Whether that message is our own (Evolution's key needs it). */
  fromMe?: boolean;
  session?: string | null;
}

export interface TypingInput {
  chatId: string;
  /** `recording` before a voice note, `typing` otherwise. */
  kind: 'typing' | 'recording';
  /** How long the indicator is meant to show (Evolution holds the call that long). */
  durationMs: number;
  /** The message being answered: the Cloud API shows typing through that message's read receipt. */
  messageId?: string | null;
  session?: string | null;
}

export interface MarkReadInput {
  chatId: string;
  messageIds: string[];
  session?: string | null;
}

export interface ResolveLidInput {
  /** `123456789012345@lid`. */
  lid: string;
  /** The gateway session that knows the contact, where the gateway has several (WAHA; default `default`). */
  session?: string | null;
}

/** One entry of a gateway's webhook list, in the gateway's own shape; `url` is how it is recognised. */
export interface GatewayWebhook {
  url: string;
  [field: string]: unknown;
}

/** A gateway's webhook list, read once, written back whole (both WAHA's and Wawp's APIs replace it). */
export interface WebhookList {
  webhooks: GatewayWebhook[];
  write(webhooks: GatewayWebhook[]): Promise<void>;
}

/** What an engine wants registered: its URL, the events it listens to, and how calls are authenticated. */
export interface WebhookTarget {
  url: string;
  events: CanonicalEvent[];
  /** Whether own messages are wanted too (they come under other event names at some gateways). */
  includeOwnMessages: boolean;
  secret?: string;
  /** Wawp: the query parameter the secret travels in. */
  secretQueryParam?: string;
}

export interface GatewayClient {
  provider: string;
  sendText(input: SendTextInput): Promise<SendResult>;
  /** `sendImage`, `sendVideo`, `sendDocument`, `sendVoice`, `sendAudio`, by `input.kind`. */
  sendMedia(input: SendMediaInput): Promise<SendResult>;
  sendLocation(input: SendLocationInput): Promise<SendResult>;
  /** `react`. */
  react(input: ReactInput): Promise<void>;
  /**
   * `typing`: shows the indicator; resolves once it is shown, with `true` when the gateway itself
   * held the call for `durationMs` (Evolution), so no further wait is needed.
   */
  startTyping(input: TypingInput): Promise<boolean | void>;
  /** `typing`: clears it, where the gateway needs telling (else a no-op). */
  stopTyping(input: TypingInput): Promise<void>;
  markRead(input: MarkReadInput): Promise<void>;
  /** `registerWebhook`: the session's webhook list (`session` where the gateway has several). */
  webhooks(session: string | null): Promise<WebhookList>;
  /** `registerWebhook`: our entry in that list. */
  webhookEntry(target: WebhookTarget): GatewayWebhook;
  /** `resolveLid`: the phone number (digits) behind a LID, or null when the gateway does not know it. */
  resolveLid(input: ResolveLidInput): Promise<string | null>;
}
