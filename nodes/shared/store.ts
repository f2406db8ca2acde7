/**
 * Where an n8n node keeps what must be shared between processes (dedupe ids, LID answers, and with
 * issue 14 bursts and conversation state): this process's memory, the "WhatsApp Shared Store
 * (Redis)" credential, or the Redis n8n's own queue mode uses (`QUEUE_BULL_REDIS_*`, read from the
 * environment of the process the node runs in). Any node that keeps such data adds
 * `sharedStoreProperty` and `sharedStoreCredential` to its description and calls `storeConfigOf`.
 */
import type { ICredentialDataDecryptedObject, INodeCredentialDescription, INodeProperties } from 'n8n-workflow';
import { REDIS_DEFAULTS, type RedisConnectionSettings, type StoreConfig } from '../../core';

export const SHARED_STORE_CREDENTIAL = 'whatsAppSharedStoreRedisApi';

export type SharedStoreChoice = 'memory' | 'credential' | 'queueRedis';

export const sharedStoreProperty: INodeProperties = {
  displayName: 'Shared Store',
  name: 'sharedStore',
  type: 'options',
  options: [
    {
      name: 'None (This Process Only)',
      value: 'memory',
      description: 'Dedupe memory and LID answers in this n8n process: right for one process (regular mode)',
    },
    {
      name: 'Redis (WhatsApp Shared Store Credential)',
      value: 'credential',
      description: 'One Redis shared by every webhook process and worker: needed in queue mode with several webhook processes',
    },
    {
      name: 'Redis of Queue Mode',
      value: 'queueRedis',
      description: 'The Redis n8n itself uses in queue mode (the QUEUE_BULL_REDIS_* settings of each process)',
    },
  ],
  default: 'memory',
  description:
    'Where this node keeps what several n8n processes must share. If Redis cannot be reached, events still go through (a duplicate is possible) and n8n logs it.',
};

export const sharedStoreCredential: INodeCredentialDescription = {
  name: SHARED_STORE_CREDENTIAL,
  required: true,
  displayOptions: { show: { sharedStore: ['credential'] } },
};

/** A node's credential list when the shared store is its only credential (a function: n8n's lint rules read literals only). */
export function sharedStoreCredentials(): INodeCredentialDescription[] {
  return [sharedStoreCredential];
}

export const sharedStoreCredentialProperties: INodeProperties[] = [
  { displayName: 'Host', name: 'host', type: 'string', default: 'localhost', required: true },
  { displayName: 'Port', name: 'port', type: 'number', typeOptions: { minValue: 1, maxValue: 65535 }, default: 6379 },
  { displayName: 'User', name: 'user', type: 'string', default: '', description: 'Redis 6 ACL user; empty for the default user' },
  { displayName: 'Password', name: 'password', type: 'string', typeOptions: { password: true }, default: '' },
  { displayName: 'TLS', name: 'tls', type: 'boolean', default: false, description: 'Whether to connect with TLS (rediss://)' },
  { displayName: 'Database Number', name: 'database', type: 'number', typeOptions: { minValue: 0 }, default: 0 },
  {
    displayName: 'Key Prefix',
    name: 'keyPrefix',
    type: 'string',
    default: 'waflow',
    description: 'Put before every key, so that one Redis can serve several n8n installations',
  },
];

export function redisSettingsOfCredential(credential: ICredentialDataDecryptedObject): RedisConnectionSettings {
  return {
    host: String(credential.host ?? '').trim(),
    port: Number(credential.port ?? REDIS_DEFAULTS.port),
    username: String(credential.user ?? '') || undefined,
    password: String(credential.password ?? '') || undefined,
    tls: credential.tls === true,
    db: Number(credential.database ?? REDIS_DEFAULTS.db),
    keyPrefix: String(credential.keyPrefix ?? '') || REDIS_DEFAULTS.keyPrefix,
  };
}

/** n8n's queue-mode Redis, as each process reads it from its environment; throws when it has none. */
export function queueRedisSettings(env: NodeJS.ProcessEnv = process.env): RedisConnectionSettings {
  if (env.EXECUTIONS_MODE !== 'queue' && !env.QUEUE_BULL_REDIS_HOST) {
    throw new Error(
      'Shared store: this n8n process is not in queue mode (no EXECUTIONS_MODE=queue or QUEUE_BULL_REDIS_HOST), so there is no queue Redis to use; pick the WhatsApp Shared Store credential instead',
    );
  }
  const timeout = Number(env.QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD);
  return {
    host: env.QUEUE_BULL_REDIS_HOST || 'localhost',
    port: Number(env.QUEUE_BULL_REDIS_PORT || REDIS_DEFAULTS.port),
    username: env.QUEUE_BULL_REDIS_USERNAME || undefined,
    password: env.QUEUE_BULL_REDIS_PASSWORD || undefined,
    tls: env.QUEUE_BULL_REDIS_TLS === 'true',
    db: Number(env.QUEUE_BULL_REDIS_DB || REDIS_DEFAULTS.db),
    keyPrefix: REDIS_DEFAULTS.keyPrefix,
    ...(timeout > 0 ? { connectTimeoutMs: timeout } : {}),
  };
}

/** The node's store setting, in the core's terms. */
export async function storeConfigOf(choice: SharedStoreChoice, credential: () => Promise<ICredentialDataDecryptedObject>): Promise<StoreConfig> {
  if (choice === 'credential') return { kind: 'redis', redis: redisSettingsOfCredential(await credential()) };
  if (choice === 'queueRedis') return { kind: 'redis', redis: queueRedisSettings() };
  return { kind: 'memory' };
}
