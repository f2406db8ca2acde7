/**
 * `whatsapp conversation`: gets, sets, merges into or clears the conversation state of the
 * message's chat, without sending (multi-step bots: ask name → ask email → confirm). The chat is
 * `msg.event`'s, else `msg.chatId` (with `msg.session`). The state after it goes to
 * `msg.conversation` and, on an event, to `msg.event.conversation`, so a router further on sees it.
 */
import { eventOf } from './shared/event';
import { applyConversationPlan, conversationPlanOf, conversationStoreOf, type ConversationPlan, type ConversationSettings } from './shared/conversation';
import { nodeRedNamespace, type StoreNode } from './shared/store';
import type { Node, NodeAPI } from './shared/node-red';
import { gatewayProviderOf, type GatewayNode } from './shared/options';

export = function register(RED: NodeAPI): void {
  function WhatsappConversationNode(this: Node, config: ConversationSettings & { id: string; gateway?: string; store?: string }) {
    RED.nodes.createNode(this, config);
    const node = this;
    const gateway = config.gateway ? (RED.nodes.getNode(config.gateway) as GatewayNode | null) : null;
    let plan: ConversationPlan | null = null;
    let provider = '';
    let conversations: ReturnType<typeof conversationStoreOf> | null = null;
    try {
      if (!gateway?.config) throw new Error('No WhatsApp gateway configured: pick or add one in the node');
      provider = gatewayProviderOf(gateway.config).name;
      plan = conversationPlanOf(config);
      const storeNode = config.store ? (RED.nodes.getNode(config.store) as StoreNode | null) : null;
      conversations = conversationStoreOf(config.gateway!, storeNode, nodeRedNamespace(node as Node & { z?: string }), (message) =>
        node.warn(`${message}. The conversation state is not changed until it is back.`),
      );
      node.status({});
    } catch (error) {
      node.error((error as Error).message);
      node.status({ fill: 'red', shape: 'ring', text: (error as Error).message.slice(0, 60) });
    }

    node.on('input', (msg, send, done) => {
      if (!plan) return done(new Error('This node is misconfigured (see its status)'));
      const event = eventOf(msg);
      const fallback = { provider, session: typeof msg.session === 'string' ? msg.session : null, chatId: typeof msg.chatId === 'string' ? msg.chatId : null };
      applyConversationPlan(plan, conversations!.store, msg, event, fallback).then(
        (state) => {
          if (state === undefined) return done(new Error('msg.event is not a WhatsApp event and msg.chatId is not set: no chat to keep a conversation for'));
          msg.conversation = state;
          if (event) {
            if (state) event.conversation = state;
            else delete event.conversation;
          }
          node.status({ fill: 'green', shape: 'dot', text: state?.state ? `state: ${state.state}` : state ? 'data only' : 'no state' });
          send(msg);
          done();
        },
        (error: Error) => done(error),
      );
    });

    // The node's share of a shared store's connection.
    node.on('close', (_removed: boolean, closed: () => void) => void (conversations?.close() ?? Promise.resolve()).then(closed));
  }

  RED.nodes.registerType('whatsapp conversation', WhatsappConversationNode);
};
