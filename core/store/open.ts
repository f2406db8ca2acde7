/**
 * The one function that turns a node's store setting into its `Stores`: memory (this process only,
 * the default) or Redis (shared by every process configured with the same server). Engines call
 * this, never a store class, so that the same node works on one process or many.
 */
import { DEFAULT_DEDUPE_TTL_SECONDS, MemoryDedupeStore } from '../dedupe/store';
import type { ReceiveOptions } from '../receive';
import { RedisStores, type RedisConnectionSettings, type StoreHealth } from './redis';
import { memoryStores } from './memory';
import type { Stores } from './types';

export type StoreConfig = { kind: 'memory' } | { kind: 'redis'; redis: RedisConnectionSettings };

export interface OpenStoresOptions {
  /** The node's namespace: `n8n:<workflow>:<node>`, `nr:<flow>:<node>`. */
  namespace: string;
  /** Where conversation state lives, when it is shared more widely than the node (n8n: the workflow's). */
  conversationNamespace?: string;
  dedupeTtlSeconds?: number;
  /** A shared store failed (the event went through, or degraded): for the node's status or log. */
  onFailure?: (message: string, failures: number) => void;
}

/** `Stores` with their health (failed operations so far), for the node's status. */
export interface OpenedStores extends Stores {
  status(): StoreHealth;
}

export function openStores(config: StoreConfig | undefined, options: OpenStoresOptions): OpenedStores {
  if (config?.kind === 'redis')
    return new RedisStores(config.redis, {
      namespace: options.namespace,
      conversationNamespace: options.conversationNamespace,
      dedupeTtlSeconds: options.dedupeTtlSeconds,
      onFailure: options.onFailure,
    });
  return memoryBundle(options);
}

/**
 * Receive options whose dedupe is the shared store's (when dedupe is on and there is one). The
 * replay window still follows the node's dedupe TTL, which a store of one's own does not carry.
 */
export function withSharedDedupe(options: ReceiveOptions, stores: Stores | null): ReceiveOptions {
  if (!stores || options.dedupe === false) return options;
  const dedupe = options.dedupe;
  const ttl = dedupe && typeof dedupe === 'object' && 'ttlSeconds' in dedupe ? dedupe.ttlSeconds : undefined;
  return { ...options, dedupe: stores.dedupe, replayWindowSeconds: options.replayWindowSeconds ?? ttl ?? DEFAULT_DEDUPE_TTL_SECONDS };
}

/** This process's stores of the namespace (issue 14's memory stores), with the node's own dedupe TTL. */
function memoryBundle(options: OpenStoresOptions): OpenedStores {
  const stores = memoryStores(options.namespace);
  return {
    dedupe: new MemoryDedupeStore({ ttlSeconds: options.dedupeTtlSeconds }),
    conversation: options.conversationNamespace ? memoryStores(options.conversationNamespace).conversation : stores.conversation,
    burst: stores.burst,
    lid: stores.lid,
    describe: () => 'memory',
    status: () => ({ failures: 0, lastError: null }),
    close: async () => undefined,
  };
}
