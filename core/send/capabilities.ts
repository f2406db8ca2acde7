/**
 * Declared capabilities, enforced: the client an engine gets answers every operation its provider
 * does not declare (for that configuration) with one clear error, before any request is made.
 */
import type { Operation, Provider } from '../providers/types';
import { OPERATION_NAMES } from '../providers/types';
import { GatewayError } from './http';
import { DEFAULT_MAX_UPLOAD_BYTES, mediaFileProblem, mediaOperationOf } from './media';
import type { ClientConfig, GatewayClient } from './types';

/** `Wawp does not support marking messages as read`, with the provider's reason when it gives one. */
export class UnsupportedOperationError extends GatewayError {
  constructor(
    provider: Provider,
    readonly operation: Operation,
    config: ClientConfig,
  ) {
    const reason = provider.api.whyNot?.(operation, config);
    super(provider.name, null, `${provider.displayName} does not support ${OPERATION_NAMES[operation]}${reason ? `: ${reason}` : ''}`);
    this.name = 'UnsupportedOperationError';
  }
}

/** The client methods an operation is done with; the media operations share `sendMedia` (guarded by kind below). */
const CLIENT_METHODS: Record<Operation, (keyof GatewayClient)[]> = {
  sendText: ['sendText'],
  sendImage: [],
  sendVideo: [],
  sendDocument: [],
  sendVoice: [],
  sendAudio: [],
  sendLocation: ['sendLocation'],
  react: ['react'],
  typing: ['startTyping', 'stopTyping'],
  markRead: ['markRead'],
  registerWebhook: ['webhooks', 'webhookEntry'],
  resolveLid: ['resolveLid'],
  // Not a client method: core/media/download.ts checks the capability itself.
  downloadMedia: [],
};

/**
 * The provider's client with every undeclared operation replaced by its refusal, and each media
 * send checked (its kind declared, the file there and within the upload limit) before any request.
 */
export function guardedClient(provider: Provider, config: ClientConfig): GatewayClient {
  const declared = new Set(provider.api.capabilities(config));
  const client = provider.api.createClient(config);
  const guarded: GatewayClient = {
    ...client,
    sendMedia(input) {
      const operation = mediaOperationOf(input.kind);
      if (!declared.has(operation)) return Promise.reject(new UnsupportedOperationError(provider, operation, config));
      const problem = mediaFileProblem(input.file, config.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES);
      if (problem) return Promise.reject(new MediaFileError(`${provider.displayName}: ${problem}`));
      return client.sendMedia(input);
    },
  };
  for (const operation of Object.keys(CLIENT_METHODS) as Operation[]) {
    if (declared.has(operation)) continue;
    for (const method of CLIENT_METHODS[operation]) {
      const refusal = () => new UnsupportedOperationError(provider, operation, config);
      // Promise-returning methods refuse with a rejected promise, so `.catch()` sees it.
      (guarded as unknown as Record<string, unknown>)[method] =
        method === 'webhookEntry'
          ? (): never => {
              throw refusal();
            }
          : () => Promise.reject(refusal());
    }
  }
  return guarded;
}

/** A file that cannot be sent as given (missing, empty, too large): the flow's to fix, not the gateway's. */
export class MediaFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MediaFileError';
  }
}

/** For clients to fill the methods of operations they never support (the guard answers them first). */
export function notImplemented(provider: string, operation: Operation): () => never {
  return () => {
    throw new GatewayError(provider, null, `${provider}: ${OPERATION_NAMES[operation]} is not implemented`);
  };
}
