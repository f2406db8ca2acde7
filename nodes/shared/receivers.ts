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
 *
 * With a shared store (Redis), the node's stores are kept here too, one per node and store setting:
 * the receiver's dedupe and the resolver's cache are then the shared ones, and every process of a
 * queue-mode set-up sees the same ids. Evicted or replaced, a node's stores give back their share of
 * the connection.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { LoggerProxy } from 'n8n-workflow';
import {
  createBurstBuffer,
  createLidResolver,
  createReceiver,
  openStores,
  storesFor,
  withSharedDedupe,
  type BurstBuffer,
  type BurstOptions,
  type ClientConfig,
  type ConversationStore,
  type LidResolver,
  createMediaDownloader,
  type MediaDownloader,
  type MediaDownloadOptions,
  type OpenedStores,
  type Provider,
  type ReceiveOptions,
  type Receiver,
  type StoreConfig,
} from '../../core';

/** Far more trigger nodes than one n8n process runs; the least recently used go first. */
export const MAX_RECEIVERS = 500;

const receivers = new LRUCache<string, Receiver>({ max: MAX_RECEIVERS });
const resolvers = new LRUCache<string, LidResolver>({ max: MAX_RECEIVERS });
const shared = new LRUCache<string, OpenedStores>({ max: MAX_RECEIVERS, dispose: (stores) => void stores.close() });
/** Per node namespace, the key of its current shared stores. */
const latestStoreKey = new LRUCache<string, string>({ max: MAX_RECEIVERS });
const buffers = new LRUCache<string, BurstBuffer>({ max: MAX_RECEIVERS });

export interface NodeScope {
  workflowId: string;
  nodeId: string;
  mode: string;
}

/** The key holds a digest, never the secret itself. */
function keyOf(scope: NodeScope, settings: unknown): string {
  const digest = createHash('sha256').update(JSON.stringify(settings)).digest('hex');
  return `${scope.workflowId}:${scope.nodeId}:${scope.mode}:${digest}`;
}

function perNode<T extends object>(cache: LRUCache<string, T>, scope: NodeScope, settings: unknown, build: () => T): T {
  const key = keyOf(scope, settings);
  let value = cache.get(key);
  if (!value) {
    value = build();
    cache.set(key, value);
  }
  return value;
}

/** Each stores object by a number of its own: a receiver built on stores since closed is never reused. */
const storeIds = new WeakMap<OpenedStores, number>();
let lastStoreId = 0;
function storeId(stores: OpenedStores): number {
  let id = storeIds.get(stores);
  if (id === undefined) storeIds.set(stores, (id = ++lastStoreId));
  return id;
}

/** The key namespace of a node's data in a shared store. */
export function namespaceOf(scope: NodeScope): string {
  return `n8n:${scope.workflowId}:${scope.nodeId}:${scope.mode}`;
}

/**
 * The node's shared stores, or null for memory (the receiver and resolver then keep their own, as
 * in one process). `onFailure` is told once per outage; the stores count every failure.
 */
export function sharedStoresFor(
  scope: NodeScope,
  config: StoreConfig,
  dedupeTtlSeconds: number | undefined,
  onFailure: (message: string, failures: number) => void,
): OpenedStores | null {
  if (config.kind === 'memory') return null;
  const node = namespaceOf(scope);
  return perNode(shared, scope, { config, dedupeTtlSeconds }, () => {
    // Changed settings (a new password, another server): the node's previous connection share goes.
    const previous = latestStoreKey.get(node);
    if (previous) shared.delete(previous);
    // Conversation state under the workflow's namespace: the send and conversation nodes meet it there.
    const stores = openStores(config, { namespace: node, conversationNamespace: conversationNamespaceOf(scope.workflowId), dedupeTtlSeconds, onFailure });
    latestStoreKey.set(node, keyOf(scope, { config, dedupeTtlSeconds }));
    return stores;
  });
}

export function receiverFor(scope: NodeScope, options: ReceiveOptions, stores: OpenedStores | null = null): Receiver {
  if (!stores) return perNode(receivers, scope, options, () => createReceiver(options));
  return perNode(receivers, scope, { options, store: storeId(stores) }, () => createReceiver(withSharedDedupe(options, stores)));
}

export function lidResolverFor(scope: NodeScope, provider: Provider, config: ClientConfig, stores: OpenedStores | null = null): LidResolver {
  if (!stores) return perNode(resolvers, scope, config, () => createLidResolver(provider, config));
  return perNode(resolvers, scope, { config, store: storeId(stores) }, () => createLidResolver(provider, config, { cache: stores.lid }));
}

/**
 * A trigger's burst buffer. Its held messages live in the node's namespace of the store, so a new
 * buffer after a settings change still finds them; the deliveries waiting in an old one close theirs.
 */
export function burstBufferFor(scope: NodeScope, options: BurstOptions, shared: OpenedStores | null = null): BurstBuffer {
  flushOnShutdown();
  // With a shared store the held messages are there: any webhook process may close the burst.
  const store = (shared ?? storesFor(`n8n:burst:${scope.workflowId}:${scope.nodeId}:${scope.mode}`)).burst;
  const settings = shared ? { options, store: storeId(shared) } : options;
  return perNode(buffers, scope, settings, () => createBurstBuffer(options, { store, warn: (message) => LoggerProxy.warn(message) }));
}

/** Where a workflow's conversation state lives in any store: every node of the workflow meets there. */
export const conversationNamespaceOf = (workflowId: string) => `n8n:workflow:${workflowId}`;

/** The send and conversation nodes' shared stores, one per workflow (its latest settings). */
const conversationStores = new LRUCache<string, { settings: string; stores: OpenedStores }>({
  max: MAX_RECEIVERS,
  dispose: ({ stores }) => void stores.close(),
});

/**
 * The conversation state every node of a workflow shares (trigger, send, WhatsApp Conversation):
 * this process's memory, or the shared store the node picks, where a worker's change is seen by
 * the webhook process. Each node picks the same store as the trigger for them to meet.
 */
export function conversationStoreFor(workflowId: string, config: StoreConfig = { kind: 'memory' }): ConversationStore {
  const namespace = conversationNamespaceOf(workflowId);
  if (config.kind === 'memory') return storesFor(namespace).conversation;
  const settings = createHash('sha256').update(JSON.stringify(config)).digest('hex');
  const held = conversationStores.get(workflowId);
  if (held?.settings === settings) return held.stores.conversation;
  // New or changed settings: the workflow's previous share of a connection goes (dispose closes it).
  const stores = openStores(config, { namespace, onFailure: (message) => LoggerProxy.warn(`waflow conversation state: ${message}`) });
  conversationStores.set(workflowId, { settings, stores });
  return stores.conversation;
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
  shared.clear();
  latestStoreKey.clear();
  buffers.clear();
  downloaders.clear();
}

export function receiverCount(): number {
  return receivers.size;
}
