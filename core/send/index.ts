/**
 * Send clients per provider, and where a reply to a normalized event should go, so a
 * trigger → router → send flow needs no expression.
 */
import type { NormalizedEvent, ProviderName } from '../event/schema';
import { openwaClient } from '../providers/openwa/send';
import { wahaClient } from '../providers/waha/send';
import { waserverClient } from '../providers/waserver/send';
import { wawpClient } from '../providers/wawp/send';
import type { ClientConfig, GatewayClient } from './types';

export function createClient(provider: ProviderName, config: ClientConfig): GatewayClient {
  switch (provider) {
    case 'waha':
      return wahaClient(config);
    case 'wawp':
      return wawpClient(config);
    case 'openwa':
      return openwaClient(config);
    case 'waserver':
      return waserverClient();
  }
}

/** Providers whose documented API can send a message. */
export const SENDING_PROVIDERS: readonly ProviderName[] = ['waha', 'wawp', 'openwa'];

/** Whether the provider's documented API can mark messages read (WAHA; open-wa only in v4). */
export function canMarkRead(provider: ProviderName, apiVersion: 'v5' | 'v4' = 'v5'): boolean {
  return provider === 'waha' || (provider === 'openwa' && apiVersion === 'v4');
}

export interface ReplyTarget {
  chatId: string;
  /** The triggering message, to quote. */
  messageId: string | null;
  session: string | null;
}

/**
 * Where a reply to this event goes: the chat of the message (a group reply goes to the group), or
 * the chat of a reaction / poll vote / call. Null when the event has no chat to answer in.
 */
export function replyTargetOf(event: NormalizedEvent): ReplyTarget | null {
  if (event.message) return { chatId: event.message.chat.id, messageId: event.message.id, session: event.session };
  const chatId = event.reaction?.chatId ?? event.poll?.chatId ?? event.call?.from ?? null;
  return chatId ? { chatId, messageId: null, session: event.session } : null;
}

export { renderTemplate } from './template';
export { callGateway, GatewayError } from './http';
export type { GatewayCall, HttpOptions } from './http';
export type { ClientConfig, GatewayClient, MarkReadInput, SendResult, SendTextInput } from './types';
