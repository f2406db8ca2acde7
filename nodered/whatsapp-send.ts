/**
 * `whatsapp send`: sends a text, an image, video, document, voice note or audio (a Buffer in
 * `msg.payload` or a URL), a location, or a reaction through the gateway's API with the core's send
 * client, by default as a quoted reply to the message that triggered the flow, optionally after
 * "typing…" for a while. Output 1 gets the sent messages, output 2
 * the ones the gateway refused or could not take; when output 2 is not wired, failures are raised
 * with `done(error)` instead, so a Catch node sees them.
 */
import type { NormalizedEvent } from '../core/event/schema';
import type { Provider } from '../core/providers/types';
import {
  createClient,
  Limiter,
  MediaFileError,
  performSend,
  planMarkRead,
  SendPlanError,
  sendErrorOf,
  UnsupportedOperationError,
  type ClientConfig,
  type GatewayClient,
  type PerformedSend,
  type PlannedSend,
  type TypingOptions,
} from '../core/send';
import { applyConversationPlan, conversationPlanOf, conversationStoreOf, type ConversationPlan } from './shared/conversation';
import { nodeRedNamespace, type StoreNode } from './shared/store';
import { eventOf } from './shared/event';
import type { DoneFunction, Node, NodeAPI, NodeMessage, SendFunction } from './shared/node-red';
import { clientConfigFor, gatewayProviderOf, type GatewayNode } from './shared/options';
import { maxUploadBytesOf, operationOfConfig, plannedFor, sendStatusText, typingOf, type SendConfig, type SendCounters } from './shared/send';

/** Sends in flight per node; the rest wait their turn. */
const MAX_IN_FLIGHT = 4;

const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

export = function register(RED: NodeAPI): void {
  function WhatsappSendNode(this: Node, config: SendConfig & { id: string; name?: string }) {
    RED.nodes.createNode(this, config);
    const node = this;
    const operation = operationOfConfig(config);
    const failureWired = (config.wires?.[1]?.length ?? 0) > 0;
    const counters: SendCounters = { sent: 0, failed: 0 };
    const limiter = new Limiter(MAX_IN_FLIGHT);

    let provider: Provider | null = null;
    let client: GatewayClient | null = null;
    let clientConfig: ClientConfig = {};
    let typing: TypingOptions = { mode: 'off' };
    /** Why this node cannot send anything (a gateway that cannot, bad gateway settings); its status then stays as set at deploy. */
    let unusable: string | null = null;
    let markRead = false;
    let then: ConversationPlan | null = null;
    let conversations: ReturnType<typeof conversationStoreOf> | null = null;
    const stopping = new AbortController();
    const gateway = config.gateway ? (RED.nodes.getNode(config.gateway) as GatewayNode | null) : null;
    try {
      if (!gateway?.config) throw new Error('No WhatsApp gateway configured: pick or add one in the node');
      // Known first, so failures name the provider even when its settings are incomplete.
      provider = gatewayProviderOf(gateway.config);
      if (config.thenConversation && config.thenConversation !== 'none') {
        then = conversationPlanOf({ action: config.thenConversation, state: config.thenState, data: config.thenData, ttlHours: config.thenTtlHours });
        const storeNode = config.store ? (RED.nodes.getNode(config.store) as StoreNode | null) : null;
        conversations = conversationStoreOf(config.gateway!, storeNode, nodeRedNamespace(node as Node & { z?: string }), (message) =>
          node.warn(`${message}. The conversation state is not changed until it is back.`),
        );
      }
      const settings = clientConfigFor(gateway.config, gateway.credentials ?? {});
      typing = typingOf(config);
      // Aborted on close, so a redeploy does not wait out a slow gateway's timeouts and retries.
      clientConfig = { ...settings.config, maxUploadBytes: maxUploadBytesOf(config), http: { ...settings.config.http, signal: stopping.signal } };
      client = createClient(provider.name, clientConfig);
      const capabilities = provider.api.capabilities(settings.config);
      if (!capabilities.includes('sendText')) {
        // The core's client still answers each message with its own explanation, on output 2.
        unusable = `${provider.displayName} is receive-only`;
        node.error(`${new UnsupportedOperationError(provider, 'sendText', settings.config).message}. Every message will fail (output 2).`);
        node.status({ fill: 'red', shape: 'ring', text: unusable });
      } else if (!capabilities.includes(operation)) {
        // Every message gets the same explanation on output 2; said once here too.
        unusable = `${provider.displayName}: no ${operation}`;
        node.error(`${new UnsupportedOperationError(provider, operation, settings.config).message}. Every message will fail (output 2).`);
        node.status({ fill: 'red', shape: 'ring', text: short(new UnsupportedOperationError(provider, operation, settings.config).message) });
      } else if (typing.mode !== 'off' && operation !== 'react' && !capabilities.includes('typing')) {
        node.warn(`${new UnsupportedOperationError(provider, 'typing', settings.config).message}. Messages wait the typing time, without the indicator.`);
        node.status({ fill: 'yellow', shape: 'ring', text: `typing: not supported by ${provider.displayName}` });
        markRead = config.markRead === true && capabilities.includes('markRead');
      } else if (config.markRead && !capabilities.includes('markRead')) {
        // Said once here rather than on every message; the messages are still sent.
        node.warn(`${new UnsupportedOperationError(provider, 'markRead', settings.config).message}. Messages are sent without marking them read.`);
        node.status({ fill: 'yellow', shape: 'ring', text: `mark as read: not supported by ${provider.displayName}` });
      } else {
        markRead = config.markRead === true;
        node.status({});
      }
    } catch (error) {
      unusable = (error as Error).message;
      node.error(unusable);
      node.status({ fill: 'red', shape: 'ring', text: short(unusable) });
    }

    function showStatus(lastError: string | null): void {
      if (unusable) return;
      node.status({ fill: lastError ? 'red' : 'green', shape: lastError ? 'ring' : 'dot', text: sendStatusText(counters, lastError) });
    }

    /** Output 2 (and `done(error)` when nothing is wired there). The message never carries a secret. */
    function fail(msg: NodeMessage, error: Error, send: SendFunction, done: DoneFunction): void {
      counters.failed++;
      const failure = sendErrorOf(error, provider?.name ?? null);
      msg.error = failure;
      const status = failure.status;
      showStatus(status ? `last: HTTP ${status}` : `last: ${error.message}`);
      send([null, msg]);
      done(failureWired ? undefined : error);
    }

    async function deliver(msg: NodeMessage, event: NormalizedEvent | null, planned: PlannedSend, send: SendFunction, done: DoneFunction): Promise<void> {
      const readTarget = markRead && event?.message ? planMarkRead(event, provider!.name, 'no event') : null;
      if (readTarget) {
        // Best effort: a reply that is sent but not marked read is better than no reply.
        await client!.markRead(readTarget).catch((error: Error) => node.warn(`Could not mark the message as read: ${error.message}`));
      }
      let result: PerformedSend;
      try {
        result = await performSend(provider!, clientConfig, client!, planned, { typing, answering: event?.message?.id ?? null, signal: stopping.signal });
      } catch (error) {
        // A file too large or missing is the flow's to fix: raised like other input mistakes.
        if (error instanceof MediaFileError) {
          counters.failed++;
          showStatus(`last: ${error.message}`);
          return done(error);
        }
        return fail(msg, error as Error, send, done);
      }
      counters.sent++;
      if (result.typing?.problem && result.typing.problem !== 'not supported by the gateway') node.warn(`Could not show typing: ${result.typing.problem}`);
      // The raw answer apart, so `msg.payload` has the same shape for every provider.
      const { response, ...sent } = result;
      msg.payload = sent;
      msg.gatewayResponse = response;
      if (then) {
        // Sent is sent: a store failure is logged, the message still goes to output 1.
        const fallback = { provider: provider!.name, session: planned.input.session ?? null, chatId: result.chatId };
        await applyConversationPlan(then, conversations!.store, msg, event, fallback).then(
          (state) => (msg.conversation = state ?? null),
          (error: Error) => node.warn(`Sent, but the conversation state could not be changed: ${error.message}`),
        );
      }
      showStatus(null);
      send([msg, null]);
      done();
    }

    node.on('input', (msg, send, done) => {
      if (!client) return fail(msg, new Error(unusable!), send, done);
      const event = eventOf(msg);
      let planned: PlannedSend;
      try {
        planned = plannedFor(config, msg, event, provider!.name);
      } catch (error) {
        // The flow's mistake, not the gateway's: raised, so it shows in the log and reaches Catch.
        counters.failed++;
        showStatus(`last: ${(error as Error).message}`);
        return done(error instanceof SendPlanError ? error : new Error(`Could not build the message: ${(error as Error).message}`));
      }
      limiter.add(
        () => deliver(msg, event, planned, send, done),
        () => done(new Error('Not sent: the node was stopped (redeploy or shutdown) before the message could be sent')),
      );
    });

    node.on('close', (_removed, done) => {
      // Queued sends are reported; sends under way are cancelled and end on output 2 / done(error).
      const closed = limiter.close();
      stopping.abort();
      closed.then(() => conversations?.close()).then(done);
    });
  }

  RED.nodes.registerType('whatsapp send', WhatsappSendNode);
};
