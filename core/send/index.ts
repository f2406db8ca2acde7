/**
 * Send clients per provider, and where a reply to a normalized event should go, so a
 * trigger → router → send flow needs no expression.
 */
import { providerOf } from '../providers';
import { guardedClient } from './capabilities';
import type { ClientConfig, GatewayClient } from './types';

/** The provider's client, refusing every operation the provider does not declare for this config. */
export function createClient(provider: string, config: ClientConfig): GatewayClient {
  return guardedClient(providerOf(provider), config);
}

export { replyTargetOf, type ReplyTarget } from '../event/accessors';
export { renderTemplate } from './template';
export { callGateway, GatewayError } from './http';
export { UnsupportedOperationError, MediaFileError } from './capabilities';
export { DEFAULT_MAX_UPLOAD_BYTES, mediaOperationOf, mediaFileProblem } from './media';
export {
  typingDelayMs,
  typingOptionsProblem,
  withTyping,
  TYPING_DEFAULTS,
  TYPING_MAX_MS,
  TYPING_MODES,
  type TypingMode,
  type TypingOptions,
  type TypingRun,
} from './typing';
export { operationsTable, operationLabel } from './operations-table';
export { performSend, operationOf, mediaKindOf, SEND_OPERATIONS, type PerformedSend, type PlannedSend, type SendOperation } from './perform';
export { Limiter } from './limiter';
export { planSend, planMarkRead, planMedia, planLocation, planReact, planTarget, sendErrorOf, SendPlanError, type ReplyMode, type SendErrorJson } from './plan';
export { isRegistered, registerWebhook, unregisterWebhooks } from './registration';
export { clientConfigOf, clientConfigProblem, optionalPositiveNumber, settingsOf, storedNameOf, storedValuesOf, verifyOptionsOf, type Engine } from './config';
export type { GatewayCall, HttpOptions } from './http';
export type {
  ClientConfig,
  GatewayClient,
  GatewayWebhook,
  MarkReadInput,
  MediaFile,
  MediaKind,
  ReactInput,
  SendLocationInput,
  SendMediaInput,
  TypingInput,
  ResolveLidInput,
  SendResult,
  SendTextInput,
  WebhookList,
  WebhookTarget,
} from './types';
export { MEDIA_KINDS } from './types';
