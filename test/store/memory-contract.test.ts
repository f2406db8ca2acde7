/**
 * The store contract (test/store/contract.ts) on the memory stores: one namespace is one object per
 * process, so two handles on it share it as two processes share Redis.
 */
import { MemoryDedupeStore } from '../../core/dedupe/store';
import { createMemoryStores } from '../../core/store/memory';
import type { Stores } from '../../core/store/types';
import { DEDUPE_TTL_SECONDS, describeStoresContract } from './contract';

const namespaces = new Map<string, Stores>();

describeStoresContract(
  'memory',
  (namespace) => {
    let stores = namespaces.get(namespace);
    if (!stores) {
      stores = { ...createMemoryStores(), dedupe: new MemoryDedupeStore({ ttlSeconds: DEDUPE_TTL_SECONDS }) };
      namespaces.set(namespace, stores);
    }
    return stores;
  },
  { sharedAcrossHandles: true },
);
