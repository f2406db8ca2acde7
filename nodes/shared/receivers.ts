/**
 * One core receiver per trigger node, kept across requests.
 *
 * n8n calls `webhook()` on a fresh context for every request, so a receiver built there would
 * forget every id it has seen and dedupe would never fire. Receivers live here instead, keyed by
 * workflow, node, mode and a digest of the settings that shape them: changing a setting (or the
 * credential's secret) builds a new receiver, and an unchanged node keeps its dedupe memory. The
 * mode keeps the test URL apart from the production URL: a gateway posting each event to both
 * (while a user tests an active workflow) must not have one copy dropped as the other's duplicate.
 * The map is bounded so deleted workflows and old settings cannot grow it without limit.
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { createReceiver, type ReceiveOptions, type Receiver } from '../../core';

/** Far more trigger nodes than one n8n process runs; the least recently used go first. */
export const MAX_RECEIVERS = 500;

const receivers = new LRUCache<string, Receiver>({ max: MAX_RECEIVERS });

export function receiverFor(scope: { workflowId: string; nodeId: string; mode: string }, options: ReceiveOptions): Receiver {
  // The key holds a digest, never the secret itself.
  const digest = createHash('sha256').update(JSON.stringify(options)).digest('hex');
  const key = `${scope.workflowId}:${scope.nodeId}:${scope.mode}:${digest}`;
  let receiver = receivers.get(key);
  if (!receiver) {
    receiver = createReceiver(options);
    receivers.set(key, receiver);
  }
  return receiver;
}

/** For tests: forget every receiver. */
export function clearReceivers(): void {
  receivers.clear();
}

export function receiverCount(): number {
  return receivers.size;
}
