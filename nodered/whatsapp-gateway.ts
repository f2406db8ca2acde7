/**
 * `whatsapp-gateway`: a config node describing one gateway (which provider, how it authenticates,
 * where its API is). Secrets are Node-RED credentials, so they stay in the encrypted credentials
 * file and are left out when a flow is exported.
 */
import type { NodeAPI } from './shared/node-red';
import type { GatewayConfig, GatewayNode } from './shared/options';

export = function register(RED: NodeAPI): void {
  function WhatsappGatewayNode(this: GatewayNode, config: GatewayConfig & { id: string }) {
    RED.nodes.createNode(this, config);
    this.name = config.name;
    // The in and send nodes read the settings from here and the secrets from `this.credentials`.
    this.config = {
      provider: config.provider,
      secretHeader: config.secretHeader,
      signatureHeader: config.signatureHeader,
      secretQueryParam: config.secretQueryParam,
      timestampTolerance: config.timestampTolerance,
      allowedIps: config.allowedIps,
      apiUrl: config.apiUrl,
      instanceId: config.instanceId,
      apiVersion: config.apiVersion,
    };
  }

  RED.nodes.registerType('whatsapp-gateway', WhatsappGatewayNode, {
    credentials: {
      secret: { type: 'password' },
      hmacSecret: { type: 'password' },
      apiKey: { type: 'password' },
      accessToken: { type: 'password' },
    },
  });
};
