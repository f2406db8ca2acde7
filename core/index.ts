/**
 * The engine-agnostic core: the provider registry (each gateway's schemas, normalizer, verifier,
 * client, fields and set-up), the receive step, dedupe, filters, event accessors, routing and
 * sending. Nothing here imports n8n or Node-RED, and nothing here reads files: their nodes are thin
 * adapters over this module.
 */
export * from './event/schema';
export { normalizedEventJsonSchema } from './event/json-schema';
export { chatOf, chatTypeOf, senderOf, isOwnEvent, replyTargetOf } from './event/accessors';
export type { EventChat, ReplyTarget } from './event/accessors';
export { createReceiver, reject, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH } from './receive';
export type { ReceiveOptions, ReceiveResult, ReceiveStats, ReceiveResponseBody, Receiver } from './receive';
export { MemoryDedupeStore, DEFAULT_DEDUPE_TTL_SECONDS, DEFAULT_DEDUPE_MAX_ENTRIES, DEFAULT_DEDUPE_MAX_BYTES } from './dedupe/store';
export type { DedupeStore, MemoryDedupeOptions } from './dedupe/store';
export { filteredOutBy } from './filter';
export type { EventFilter } from './filter';
export type { WebhookRequest, HeaderValue } from './http/request';
export { PROVIDER_LIST, PROVIDER_NAMES, SENDING_PROVIDERS, providers, providerOf, isProviderName, OPERATIONS, OPERATION_NAMES } from './providers';
export type { Provider, ProviderField, Operation, VerifyOptions, SignedRequest, CredentialValue } from './providers';
export { displayNameOf } from './providers/names';
export { phoneOf, chatTypeOf as chatTypeOfJid } from './jid';
export { flattenEvent, FLAT_COLUMNS } from './event/flat';
export { createLidResolver, LID_LOOKUP_DEFAULTS, type LidLookupOptions, type LidResolver } from './lid/resolve';
export type { FlatEvent, FlatColumn } from './event/flat';
export {
  createMediaDownloader,
  downloadMedia,
  MediaDownloadError,
  DEFAULT_MEDIA_MAX_BYTES,
  DEFAULT_MEDIA_TIMEOUT_MS,
  type DownloadedMedia,
  type MediaDownloader,
  type MediaDownloadOptions,
} from './media/download';
export * from './router';
export * from './send';
export { apiUrlProblem, hasUserInfo, redactUrl, redactUrls } from './security/url';
export { isNormalizedEvent } from './event/guard';
export { EVENT_DESCRIPTIONS } from './event/descriptions';
export { openStores, withSharedDedupe, type StoreConfig, type OpenStoresOptions, type OpenedStores } from './store/open';
export { RedisStores, REDIS_DEFAULTS, type RedisConnectionSettings, type RedisStoresOptions, type StoreHealth } from './store/redis';
export { storesFor, memoryStores, createMemoryStores, clearMemoryStores, MEMORY_STORE_LIMITS } from './store';
export type { Stores, ConversationStore, ConversationState, ConversationChange, BurstStore, BurstTicket, CacheStore } from './store';
export {
  attachConversations,
  changeConversation,
  conversationChangeOf,
  conversationKey,
  conversationRefOf,
  conversationTargetOf,
  conversationTtlSecondsOf,
  runConversationAction,
  CONVERSATION_ACTIONS,
  DEFAULT_CONVERSATION_TTL_SECONDS,
} from './conversation';
export type { ConversationRef, ConversationChangeInput } from './conversation';
export { createBurstBuffer, combineBurst, burstKeyOf, burstOptionsOf, checkBurstOptions, BURST_DEFAULTS } from './burst';
export type { BurstBuffer, BurstOptions, BurstSettings } from './burst';
