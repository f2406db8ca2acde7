/**
 * `whatsapp-store`: a config node naming the Redis that several Node-RED runtimes share, so that
 * behind a load balancer each event is handled once. The password is a Node-RED credential: it
 * stays in the encrypted credentials file and is never exported with a flow.
 */
import type { NodeAPI } from './shared/node-red';
import { redisSettingsOf, type StoreNode, type StoreNodeConfig } from './shared/store';

export = function register(RED: NodeAPI): void {
  function WhatsappStoreNode(this: StoreNode, config: StoreNodeConfig & { id: string }) {
    RED.nodes.createNode(this, config);
    this.name = config.name;
    try {
      this.storeConfig = { kind: 'redis', redis: redisSettingsOf(config, this.credentials?.password) };
      this.problem = null;
    } catch (error) {
      // The nodes using it refuse to start with this reason (never on memory: that would hide it).
      this.storeConfig = null;
      this.problem = (error as Error).message;
      this.error(this.problem);
    }
  }

  RED.nodes.registerType('whatsapp-store', WhatsappStoreNode, { credentials: { password: { type: 'password' } } });
};
