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
import {
  createLidResolver,
  createMediaDownloader,
  createReceiver,
  type ClientConfig,
  type LidResolver,
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

/** A downloader holds nothing between requests; built once per settings all the same, as its siblings. */
const downloaders = new LRUCache<string, MediaDownloader>({ max: MAX_RECEIVERS });

export function mediaDownloaderFor(scope: NodeScope, provider: Provider, config: ClientConfig, options: MediaDownloadOptions): MediaDownloader {
  return perNode(downloaders, scope, { config, options }, () => createMediaDownloader(provider, config, options));
}

/** For tests: forget every receiver and resolver. */
export function clearReceivers(): void {
  receivers.clear();
  resolvers.clear();
  downloaders.clear();
}

export function receiverCount(): number {
  return receivers.size;
}
