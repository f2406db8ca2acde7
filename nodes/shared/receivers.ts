/**
 * One core receiver (and LID resolver) per trigger node, kept across requests.
 *
 * n8n calls `webhook()` on a fresh context for every request, so a receiver built there would
 * forget every id it has seen and dedupe would never fire. Receivers live here instead, keyed by
 * workflow, node, mode and a digest of the settings that shape them: changing a setting (or the
 * credential's secret) builds a new receiver, and an unchanged node keeps its dedupe memory. The
 * mode keeps the test URL apart from the production URL: a gateway posting each event to both
 * (while a user tests an active workflow) must not have one copy dropped as the other's duplicate.
 * The map is bounded so deleted workflows and old settings cannot grow it without limit. A LID
 * resolver keeps its cache of answers the same way.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { LoggerProxy } from 'n8n-workflow';
import {
  createBurstBuffer,
  createLidResolver,
  createReceiver,
  storesFor,
  type BurstBuffer,
  type BurstOptions,
  type ClientConfig,
  type ConversationStore,
  type LidResolver,
  createMediaDownloader,
  type MediaDownloader,
  type MediaDownloadOptions,
  type Provider,
  type ReceiveOptions,
  type Receiver,
} from '../../core';

/** Far more trigger nodes than one n8n process runs; the least recently used go first. */
export const MAX_RECEIVERS = 500;

const receivers = new LRUCache<string, Receiver>({ max: MAX_RECEIVERS });
const resolvers = new LRUCache<string, LidResolver>({ max: MAX_RECEIVERS });
const buffers = new LRUCache<string, BurstBuffer>({ max: MAX_RECEIVERS });

export interface NodeScope {
  workflowId: string;
  nodeId: string;
  mode: string;
}

function perNode<T extends object>(cache: LRUCache<string, T>, scope: NodeScope, settings: unknown, build: () => T): T {
  // The key holds a digest, never the secret itself.
  const digest = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
  const key = `${scope.workflowId}:${scope.nodeId}:${scope.mode}:${digest}`;
  let value = cache.get(key);
  if (!value) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

export function receiverFor(scope: NodeScope, options: ReceiveOptions): Receiver {
  return perNode(receivers, scope, options, () => createReceiver(options));
}

export function lidResolverFor(scope: NodeScope, provider: Provider, config: ClientConfig): LidResolver {
  return perNode(resolvers, scope, config, () => createLidResolver(provider, config));
}

/**
 * A trigger's burst buffer. Its held messages live in the node's namespace of the store, so a new
 * buffer after a settings change still finds them; the deliveries waiting in an old one close theirs.
 */
export function burstBufferFor(scope: NodeScope, options: BurstOptions): BurstBuffer {
  flushOnShutdown();
  const store = storesFor(`n8n:burst:${scope.workflowId}:${scope.nodeId}:${scope.mode}`).burst;
  return perNode(buffers, scope, options, () => createBurstBuffer(options, { store, warn: (message) => LoggerProxy.warn(message) }));
}

/** The conversation state every node of a workflow shares (trigger, send, WhatsApp Conversation). */
export function conversationStoreFor(workflowId: string): ConversationStore {
  return storesFor(`n8n:workflow:${workflowId}`).conversation;
}

let watching = false;

/**
 * On SIGTERM or SIGINT (a deploy, n8n stopping) n8n starts no more executions (tested in 1.123 and
 * 2.40: a webhook call returning its workflowData then is dropped, in 2.40 with database errors), so
 * the waiting calls are released without one and the log says what is dropped. With a shared store
 * the held messages stay there, and the chat's next message takes them into its burst.
 */
function flushOnShutdown(): void {
  if (watching) return;
  watching = true;
  const release = (signal: string) => {
    for (const buffer of buffers.values()) {
      void buffer.release().then(({ chats, messages }) => {
        if (chats === 0) return;
        const held = messages === null ? 'the messages' : `${messages} message${messages === 1 ? '' : 's'}`;
        LoggerProxy.warn(
          `waflow: ${signal}: n8n is stopping with ${held} of ${chats} chat${chats === 1 ? '' : 's'} held to be combined; n8n starts no execution while it shuts down, so with the memory store they are dropped`,
        );
      });
    }
  };
  process.once('SIGTERM', () => release('SIGTERM'));
  process.once('SIGINT', () => release('SIGINT'));
}

/** For tests: forget every receiver, resolver and burst buffer. */
/** A downloader holds nothing between requests; built once per settings all the same, as its siblings. */
const downloaders = new LRUCache<string, MediaDownloader>({ max: MAX_RECEIVERS });

export function mediaDownloaderFor(scope: NodeScope, provider: Provider, config: ClientConfig, options: MediaDownloadOptions): MediaDownloader {
  return perNode(downloaders, scope, { config, options }, () => createMediaDownloader(provider, config, options));
}

/** For tests: forget every receiver, resolver, burst buffer and downloader. */
export function clearReceivers(): void {
  receivers.clear();
  resolvers.clear();
  buffers.clear();
  downloaders.clear();
}

export function receiverCount(): number {
  return receivers.size;
}
