/**
 * Shared setup for the Node-RED node tests: node-red-node-test-helper running the compiled nodes from
 * dist/ (npm test builds first), with access to the `RED.httpNode` app the nodes register on.
 *
 * The helper's `request()` reaches only the admin app, and each `load()` gives the nodes a fresh
 * httpNode app, so the node modules are wrapped to keep the RED object they were given.
 */
import { join } from 'node:path';
import type { CanonicalEvent, ProviderName } from '../../core/event/schema';
import { providers } from '../../core/providers';
import { sampleBody } from '../../cli/samples';
import { withSignedTimeNow } from '../helpers/signed-time';

export interface SpyCall {
  thisValue: unknown;
  args: any[];
}
export interface TestNode {
  id: string;
  send: { getCalls(): SpyCall[] };
  status: { getCalls(): SpyCall[] };
  warn: { getCalls(): SpyCall[] };
  error: { getCalls(): SpyCall[] };
  log: { getCalls(): SpyCall[] };
  receive(msg: Record<string, unknown>): void;
  on(event: string, listener: (msg: any) => void): void;
}
interface Helper {
  init(nodeRedPath: string, settings?: Record<string, unknown>): void;
  settings(settings: Record<string, unknown>): Record<string, unknown>;
  load(nodes: unknown[], flow: object[], credentials?: Record<string, object>): Promise<void>;
  setFlows(flow: object[], type: string, credentials?: Record<string, object>): Promise<void>;
  unload(): Promise<void>;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  getNode(id: string): TestNode;
  request(): import('supertest').Agent;
}

export const helper: Helper = require('node-red-node-test-helper');
helper.init(require.resolve('node-red'));

const dist = join(__dirname, '..', '..', 'dist', 'nodered');
const gatewayModule = require(join(dist, 'whatsapp-gateway.js'));
const inModule = require(join(dist, 'whatsapp-in.js'));
const routerModule = require(join(dist, 'whatsapp-router.js'));
const sendModule = require(join(dist, 'whatsapp-send.js'));
const storeModule = require(join(dist, 'whatsapp-store.js'));
const conversationModule = require(join(dist, 'whatsapp-conversation.js'));
const mediaModule = require(join(dist, 'whatsapp-media.js'));

/** The RED API object the last `load()` gave our nodes; `RED.httpNode` is where the routes are. */
export const runtime: { RED: any } = { RED: null };

function capturing(red: any) {
  runtime.RED = red;
  return inModule(red);
}

export const ourNodes = [gatewayModule, capturing, routerModule, sendModule, storeModule, conversationModule, mediaModule];

/** The test helper's RED has no `hooks` (a real runtime's has, since Node-RED 2): here, the runtime's own. */
export const ourNodesWithHooks = [
  gatewayModule,
  (red: any) => {
    red.hooks ??= require('@node-red/util').hooks;
    return capturing(red);
  },
  routerModule,
  sendModule,
  storeModule,
  conversationModule,
  mediaModule,
];

/** Calls of a spied Node method made by this node (the helper spies on the shared prototype). */
export function callsOf(node: TestNode, method: 'send' | 'status' | 'warn' | 'error' | 'log'): any[][] {
  return node[method]
    .getCalls()
    .filter((call) => call.thisValue === node)
    .map((call) => call.args);
}

export function sentBy(node: TestNode): any[] {
  return callsOf(node, 'send').map((args) => args[0]);
}

export function lastStatus(node: TestNode): { fill?: string; shape?: string; text?: string } | undefined {
  const calls = callsOf(node, 'status');
  return calls.length ? calls[calls.length - 1][0] : undefined;
}

/** A body signed the way the provider's gateway would sign it, ready to post. */
export function signed(provider: ProviderName, body: Buffer | object, secret: string, nowMs = Date.now()) {
  const timed = withSignedTimeNow(providers[provider], body, nowMs);
  const bytes = Buffer.isBuffer(timed) ? timed : Buffer.from(JSON.stringify(timed));
  const { headers, query } = providers[provider].sign({ body: bytes, secret, nowMs });
  return { bytes, headers: { 'content-type': 'application/json', ...headers }, query };
}

export function sample(provider: ProviderName, event: CanonicalEvent = 'message') {
  const body = sampleBody(providers[provider], event);
  if (!body) throw new Error(`${provider} has no ${event} sample`);
  return body;
}

/** Polls until `check` passes or the deadline is reached (then throws with the last failure). */
export async function eventually<T>(check: () => T, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
