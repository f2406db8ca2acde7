/**
 * The `whatsapp-store` config node's settings, in the core's terms: the Redis that several Node-RED
 * runtimes share (dedupe ids, LID answers; with issue 14 bursts and conversation state). Nodes that
 * keep such data take a `store` property naming one; none means this runtime's memory.
 */
import { REDIS_DEFAULTS, type RedisConnectionSettings, type StoreConfig } from '../../core';
import type { Node } from './node-red';

export interface StoreNodeConfig {
  name?: string;
  host?: string;
  port?: string | number;
  user?: string;
  tls?: boolean;
  db?: string | number;
  keyPrefix?: string;
}

export interface StoreNode extends Node<{ password: string }> {
  /** null when the settings are wrong: `problem` says why. */
  storeConfig: StoreConfig | null;
  problem: string | null;
}

function integer(value: string | number | undefined, fallback: number, label: string): number {
  if (value === undefined || String(value).trim() === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number)) throw new Error(`${label} must be a whole number, got ${JSON.stringify(value)}`);
  return number;
}

/** Throws with the setting that is wrong (the in node shows it at deploy). */
export function redisSettingsOf(config: StoreNodeConfig, password: string | undefined): RedisConnectionSettings {
  const host = (config.host ?? '').trim();
  if (!host) throw new Error('The WhatsApp store has no Redis host');
  return {
    host,
    port: integer(config.port, REDIS_DEFAULTS.port, 'Redis port'),
    username: config.user?.trim() || undefined,
    password: password || undefined,
    tls: config.tls === true,
    db: integer(config.db, REDIS_DEFAULTS.db, 'Redis database'),
    keyPrefix: config.keyPrefix?.trim() || REDIS_DEFAULTS.keyPrefix,
  };
}

/** The namespace of a Node-RED node's data: its flow and its id, the same in every runtime running the flow. */
export function nodeRedNamespace(node: { id: string; z?: string }): string {
  return `nr:${node.z ?? 'global'}:${node.id}`;
}
