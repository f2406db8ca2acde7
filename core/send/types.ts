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
  markRead(input: MarkReadInput): Promise<void>;
  /** `registerWebhook`: the session's webhook list (`session` where the gateway has several). */
  webhooks(session: string | null): Promise<WebhookList>;
  /** `registerWebhook`: our entry in that list. */
  webhookEntry(target: WebhookTarget): GatewayWebhook;
  /** `resolveLid`: the phone number (digits) behind a LID, or null when the gateway does not know it. */
  resolveLid(input: ResolveLidInput): Promise<string | null>;
}
