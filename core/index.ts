/**
 * The engine-agnostic core: provider schemas, normalizers and verifiers, the receive step, dedupe and
 * filters. Nothing here imports n8n or Node-RED; their nodes are thin adapters over this module.
 */
export * from './event/schema';
export { normalizedEventJsonSchema } from './event/json-schema';
export { createReceiver, reject, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DEPTH } from './receive';
export type { ReceiveOptions, ReceiveResult, ReceiveStats, ReceiveResponseBody, Receiver } from './receive';
export { MemoryDedupeStore, DEFAULT_DEDUPE_TTL_SECONDS, DEFAULT_DEDUPE_MAX_ENTRIES, DEFAULT_DEDUPE_MAX_BYTES } from './dedupe/store';
export type { DedupeStore, MemoryDedupeOptions } from './dedupe/store';
export { filteredOutBy, chatIdOf, chatTypeOfEvent, isFromMe } from './filter';
export type { EventFilter } from './filter';
export type { WebhookRequest, HeaderValue } from './http/request';
export { providers, providerAdapter } from './providers';
export type { ProviderAdapter, VerifyOptions, SignedRequest } from './providers/types';
export { phoneOf, chatTypeOf } from './jid';
export { flattenEvent, FLAT_COLUMNS } from './event/flat';
export type { FlatEvent, FlatColumn } from './event/flat';
export * from './router';
export * from './send';
export { PROVIDER_DISPLAY_NAMES } from './providers/names';
export { apiUrlProblem, hasUserInfo, redactUrl, redactUrls } from './security/url';
export { isNormalizedEvent } from './event/guard';
