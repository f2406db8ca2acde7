/**
 * Where engines get their stores: the one function to switch when a shared store (Redis) is
 * configured. Namespaces: `conversationNamespace` is shared by every node that reads or changes a
 * chat's state (an n8n workflow, a Node-RED gateway config node); a burst buffer uses its own
 * node's namespace.
 */
import { memoryStores } from './memory';
import type { Stores } from './types';

export function storesFor(namespace: string): Stores {
  return memoryStores(namespace);
}

export { memoryStores, createMemoryStores, clearMemoryStores, MEMORY_STORE_LIMITS } from './memory';
export type { Stores, ConversationStore, ConversationState, ConversationChange, BurstStore, BurstTicket, CacheStore } from './types';
