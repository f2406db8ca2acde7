import type { ProviderName } from '../event/schema';
import type { HttpOptions } from './http';

/** What a send client needs; which fields matter depends on the provider. */
export interface ClientConfig {
  /** The gateway's API root, e.g. `http://localhost:3000` (WAHA), `https://api.wawp.net` (Wawp's default). */
  baseUrl?: string;
  /** WAHA `X-Api-Key`, open-wa `X-API-Key` (v5) / `api_key` (v4). */
  apiKey?: string;
  /** Wawp instance and token. */
  instanceId?: string;
  accessToken?: string;
  /** open-wa API generation (default v5). */
  apiVersion?: 'v5' | 'v4';
  http?: HttpOptions;
}

export interface SendTextInput {
  chatId: string;
  text: string;
  /** Quote this message (a reply). */
  replyTo?: string | null;
  /** WAHA session to send from (default `default`). */
  session?: string | null;
}

export interface SendResult {
  provider: ProviderName;
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

export interface GatewayClient {
  provider: ProviderName;
  sendText(input: SendTextInput): Promise<SendResult>;
  /** Marks messages read; throws a GatewayError where the provider's API has no such call. */
  markRead(input: MarkReadInput): Promise<void>;
}
