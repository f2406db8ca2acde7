/**
 * Registering the trigger's URL at the gateway when a workflow is activated (n8n's
 * `webhookMethods.default`), for the gateways whose API can (the `registerWebhook` capability).
 * The gateway's calls and the read-modify-write over its webhook list are the core's; this keeps
 * n8n's side: which URL, which events, and what was registered. Static data remembers only the URL
 * we added (n8n stores it unencrypted, so no copy of other webhooks' HMAC keys goes there).
 */
import { NodeOperationError, type IHookFunctions } from 'n8n-workflow';
import {
  clientConfigOf,
  clientConfigProblem,
  createClient,
  GatewayError,
  isRegistered,
  registerWebhook,
  settingsOf,
  unregisterWebhooks,
  type CanonicalEvent,
  type Provider,
} from '../../core';

export interface Registration {
  checkExists(this: IHookFunctions): Promise<boolean>;
  create(this: IHookFunctions): Promise<boolean>;
  delete(this: IHookFunctions): Promise<boolean>;
}

interface Stored {
  registeredUrl?: string;
}

/** The gateway's client and settings from the trigger's credential and options. */
async function gatewayOf(ctx: IHookFunctions, provider: Provider) {
  const credentials = await ctx.getCredentials(provider.n8n.credential);
  const settings = settingsOf(provider, 'n8n', { ...(ctx.getNodeParameter('options', {}) as object), ...credentials });
  const config = clientConfigOf(settings);
  const problem = clientConfigProblem(provider, config, 'registerWebhook', 'the credential, or turn off "Register Webhook at the Gateway Automatically"');
  if (problem) throw new NodeOperationError(ctx.getNode(), problem);
  const session = provider.api.sessions ? (ctx.getNodeParameter('session', provider.api.sessions.default) as string) || provider.api.sessions.default : null;
  return { client: createClient(provider.name, config), settings, session };
}

/** The core's gateway errors as n8n's, with the gateway's answer as the description. */
async function asNodeError<T>(ctx: IHookFunctions, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof GatewayError) {
      const description = error.response === undefined ? undefined : JSON.stringify(error.response).slice(0, 500);
      throw new NodeOperationError(ctx.getNode(), error.message, { description });
    }
    throw error;
  }
}

/** The lifecycle n8n drives, or none when the gateway cannot register webhooks (n8n then registers nothing). */
export function webhookMethodsOf(provider: Provider): { default: Registration } | undefined {
  if (!provider.api.anyCapabilities.includes('registerWebhook')) return undefined;
  const enabled = (ctx: IHookFunctions) => ctx.getNodeParameter('registerWebhook', true) as boolean;
  const webhookUrl = (ctx: IHookFunctions) => ctx.getNodeWebhookUrl('default') as string;

  const registration: Registration = {
    async checkExists() {
      if (!enabled(this)) return true; // nothing to register: n8n then skips create()
      const { client, session } = await gatewayOf(this, provider);
      return asNodeError(this, () => isRegistered(client, webhookUrl(this), session));
    },

    async create() {
      if (!enabled(this)) return true;
      const url = webhookUrl(this);
      const { client, settings, session } = await gatewayOf(this, provider);
      const target = {
        url,
        events: this.getNodeParameter('events', []) as CanonicalEvent[],
        includeOwnMessages: !(this.getNodeParameter('ignoreOwnMessages', true) as boolean),
        secret: typeof settings.secret === 'string' ? settings.secret : undefined,
        secretQueryParam: typeof settings.secretQueryParam === 'string' ? settings.secretQueryParam : undefined,
      };
      await asNodeError(this, () => registerWebhook(client, target, session));
      (this.getWorkflowStaticData('node') as Stored).registeredUrl = url;
      return true;
    },

    async delete() {
      // Driven by what was registered, not by the current toggle: turning registration off on an
      // active workflow must still remove the URL it added.
      const stored = this.getWorkflowStaticData('node') as Stored;
      const targets = [stored.registeredUrl, enabled(this) ? webhookUrl(this) : undefined].filter((url): url is string => !!url);
      if (targets.length === 0) return true;
      const { client, session } = await gatewayOf(this, provider);
      await asNodeError(this, () => unregisterWebhooks(client, targets, session));
      delete stored.registeredUrl;
      return true;
    },
  };
  return { default: registration };
}
