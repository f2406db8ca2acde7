/**
 * `whatsapp-gateway`: a config node describing one gateway (which provider, how it authenticates,
 * where its API is), with each provider's declared fields. Secrets are Node-RED credentials, so
 * they stay in the encrypted credentials file and are left out when a flow is exported.
 */
import type { NodeAPI } from './shared/node-red';
import { GATEWAY_SECRETS, GATEWAY_SETTINGS, type GatewayConfig, type GatewayNode } from './shared/options';
import { plaintextSecretsNotice, plaintextSecretsOf } from './shared/plaintext-secrets';

export = function register(RED: NodeAPI): void {
  function WhatsappGatewayNode(this: GatewayNode, config: GatewayConfig & { id: string }) {
    RED.nodes.createNode(this, config);
    this.name = config.name;
    // The in and send nodes read the settings from here and the secrets from `this.credentials`.
    this.config = Object.fromEntries(['provider', 'allowedIps', ...GATEWAY_SETTINGS].map((key) => [key, config[key]]));
    // A flow saved before a field was a credential has it in plain text in the settings: use it as
    // the credential and keep it there (the editor then drops the plain copy on the next deploy).
    const plaintext = plaintextSecretsOf(config, this.credentials, GATEWAY_SECRETS);
    const notice = plaintextSecretsNotice(plaintext);
    if (plaintext.moved.length > 0) {
      this.credentials = plaintext.credentials;
      void RED.nodes.addCredentials(this.id, plaintext.credentials);
    }
    if (notice) this.warn(notice);
  }

  RED.nodes.registerType('whatsapp-gateway', WhatsappGatewayNode, {
    credentials: Object.fromEntries(GATEWAY_SECRETS.map((name) => [name, { type: 'password' }])),
  });
};
