/**
 * Registering the trigger's URL at the gateway when a workflow is activated (n8n's
 * `webhookMethods.default`), for the gateways that have an API for it: WAHA (the session's
 * `config.webhooks`) and Wawp (`/v2/session/webhook`). open-wa and wa-server have none; their
 * nodes show the URL and the setup steps instead.
 *
 * Both APIs replace the whole webhook list on write, so every write is read-modify-write: the
 * session's other webhooks and settings are kept, and removing ours leaves the list as it was
 * before, including changes someone else made meanwhile. Static data remembers only which URL we
 * added (n8n stores it unencrypted, so no copy of other webhooks' HMAC keys goes there).
 */
import {
  NodeOperationError,
  type ICredentialDataDecryptedObject,
  type IDataObject,
  type IHookFunctions,
  type IHttpRequestMethods,
} from 'n8n-workflow';
import type { CanonicalEvent } from '../../core';

export interface Registration {
  checkExists(this: IHookFunctions): Promise<boolean>;
  create(this: IHookFunctions): Promise<boolean>;
  delete(this: IHookFunctions): Promise<boolean>;
}

interface GatewayWebhook extends IDataObject {
  url: string;
}

/** What a gateway API needs to read and write its webhook list. */
interface WebhookListApi {
  credentialName: string;
  read(ctx: IHookFunctions): Promise<{ webhooks: GatewayWebhook[]; write(webhooks: GatewayWebhook[]): Promise<void> }>;
  /** Our entry; its `url` may carry a query (Wawp's `?secret=`). */
  entry(ctx: IHookFunctions, url: string, credentials: ICredentialDataDecryptedObject): GatewayWebhook;
}

/**
 * WAHA and Wawp name events alike (Wawp runs WAHA). The gateway sends only these, so the filter in
 * the receiver rarely has anything left to drop. `unknown` (or no selection) subscribes to all.
 */
export const GATEWAY_EVENTS: Record<Exclude<CanonicalEvent, 'unknown'>, string[]> = {
  message: ['message'],
  'message.edited': ['message.edited'],
  'message.ack': ['message.ack', 'message.ack.group'],
  'message.reaction': ['message.reaction'],
  'message.revoked': ['message.revoked'],
  presence: ['presence.update'],
  'chat.presence': ['presence.update'],
  'group.participants': ['group.v2.participants', 'group.v2.join', 'group.v2.leave'],
  'group.update': ['group.v2.update'],
  call: ['call.received', 'call.accepted', 'call.rejected'],
  'poll.vote': ['poll.vote', 'poll.vote.failed'],
  'session.status': ['session.status'],
};

export function gatewayEventsFor(events: string[], ignoreOwnMessages: boolean): string[] {
  if (events.length === 0 || events.includes('unknown')) return ['*'];
  const names = events.flatMap((event) => GATEWAY_EVENTS[event as keyof typeof GATEWAY_EVENTS] ?? []);
  // `message` is inbound only; own messages (sent from the phone or the API) come as `message.any`.
  const withOwn = ignoreOwnMessages ? names : names.map((name) => (name === 'message' ? 'message.any' : name));
  return [...new Set(withOwn)];
}

function baseUrlOf(credentials: ICredentialDataDecryptedObject): string {
  return String(credentials.baseUrl ?? '').replace(/\/+$/, '');
}

/** The URL without its query: how our entry is recognised whatever secret it carries. */
function sameTarget(a: string, b: string): boolean {
  return a.split('?')[0] === b.split('?')[0];
}

interface Answer {
  statusCode: number;
  body: unknown;
}

async function call(ctx: IHookFunctions, credentialName: string, method: IHttpRequestMethods, url: string, body?: IDataObject): Promise<Answer> {
  // Statuses are read here rather than thrown, so each gateway's errors can be explained.
  const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialName, {
    method,
    url,
    body,
    json: true,
    returnFullResponse: true,
    ignoreHttpStatusErrors: true,
  })) as { statusCode: number; body: unknown };
  return { statusCode: response.statusCode, body: response.body };
}

function failure(ctx: IHookFunctions, gateway: string, what: string, answer: Answer, hint = ''): NodeOperationError {
  const detail = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? '');
  return new NodeOperationError(ctx.getNode(), `${gateway} answered ${answer.statusCode} when ${what}${hint}`, {
    description: detail.slice(0, 500),
  });
}

function selectedEvents(ctx: IHookFunctions): string[] {
  return gatewayEventsFor(ctx.getNodeParameter('events', []) as string[], ctx.getNodeParameter('ignoreOwnMessages', true) as boolean);
}

export const wahaApi: WebhookListApi = {
  credentialName: 'wahaApi',
  async read(ctx) {
    const credentials = await ctx.getCredentials('wahaApi');
    const session = (ctx.getNodeParameter('session', 'default') as string) || 'default';
    const url = `${baseUrlOf(credentials)}/api/sessions/${encodeURIComponent(session)}`;
    const answer = await call(ctx, 'wahaApi', 'GET', url);
    if (answer.statusCode === 404) {
      throw new NodeOperationError(ctx.getNode(), `WAHA has no session named "${session}"`, {
        description: 'Create and start the session in WAHA first, or set the Session parameter to an existing one.',
      });
    }
    if (answer.statusCode !== 200) throw failure(ctx, 'WAHA', `reading session "${session}"`, answer);
    const config = ((answer.body as IDataObject)?.config ?? {}) as IDataObject;
    return {
      webhooks: (Array.isArray(config.webhooks) ? config.webhooks : []) as GatewayWebhook[],
      async write(webhooks) {
        // PUT replaces the whole config: send back everything else as it was.
        const written = await call(ctx, 'wahaApi', 'PUT', url, { name: session, config: { ...config, webhooks } });
        if (written.statusCode >= 300) throw failure(ctx, 'WAHA', `updating the webhooks of session "${session}"`, written);
      },
    };
  },
  entry(ctx, url, credentials) {
    const secret = String(credentials.webhookSecret ?? '');
    return { url, events: selectedEvents(ctx), hmac: secret ? { key: secret } : null };
  },
};

const WAWP_PAID_ONLY =
  ': Wawp lets only paid plans register webhooks through the API (subscription_required). Turn off "Register Webhook at the Gateway Automatically" and paste the webhook URL shown above (production URL, with ?secret=… added if you set a webhook secret) into the Wawp dashboard.';

export const wawpApi: WebhookListApi = {
  credentialName: 'wawpApi',
  async read(ctx) {
    const credentials = await ctx.getCredentials('wawpApi');
    const url = `${baseUrlOf(credentials)}/v2/session/webhook`;
    const check = (answer: Answer, what: string) => {
      if (answer.statusCode === 403 && JSON.stringify(answer.body ?? '').includes('subscription_required')) {
        throw failure(ctx, 'Wawp', what, answer, WAWP_PAID_ONLY);
      }
      if (answer.statusCode >= 300) throw failure(ctx, 'Wawp', what, answer);
    };
    const answer = await call(ctx, 'wawpApi', 'GET', url);
    check(answer, 'reading the instance webhooks');
    const webhooks = (answer.body as IDataObject)?.webhooks;
    return {
      webhooks: (Array.isArray(webhooks) ? webhooks : []) as GatewayWebhook[],
      async write(list) {
        check(await call(ctx, 'wawpApi', 'POST', url, { webhooks: list }), 'updating the instance webhooks');
      },
    };
  },
  entry(ctx, url, credentials) {
    const secret = String(credentials.webhookSecret ?? '');
    const options = ctx.getNodeParameter('options', {}) as IDataObject;
    const param = String(options.secretQueryParam || 'secret');
    const target = secret ? `${url}${url.includes('?') ? '&' : '?'}${encodeURIComponent(param)}=${encodeURIComponent(secret)}` : url;
    return { url: target, events: selectedEvents(ctx), is_active: 1 };
  },
};

interface Stored {
  registeredUrl?: string;
}

/** The lifecycle n8n drives, over one gateway's webhook list. */
export function registration(api: WebhookListApi): Registration {
  const enabled = (ctx: IHookFunctions) => ctx.getNodeParameter('registerWebhook', true) as boolean;
  const webhookUrl = (ctx: IHookFunctions) => ctx.getNodeWebhookUrl('default') as string;

  return {
    async checkExists() {
      if (!enabled(this)) return true; // nothing to register: n8n then skips create()
      const { webhooks } = await api.read(this);
      const url = webhookUrl(this);
      return webhooks.some((webhook) => typeof webhook.url === 'string' && sameTarget(webhook.url, url));
    },

    async create() {
      if (!enabled(this)) return true;
      const url = webhookUrl(this);
      const credentials = await this.getCredentials(api.credentialName);
      const { webhooks, write } = await api.read(this);
      const others = webhooks.filter((webhook) => !sameTarget(String(webhook.url), url));
      await write([...others, api.entry(this, url, credentials)]);
      (this.getWorkflowStaticData('node') as Stored).registeredUrl = url;
      return true;
    },

    async delete() {
      // Driven by what was registered, not by the current toggle: turning registration off on an
      // active workflow must still remove the URL it added.
      const stored = this.getWorkflowStaticData('node') as Stored;
      const targets = [stored.registeredUrl, enabled(this) ? webhookUrl(this) : undefined].filter((url): url is string => !!url);
      if (targets.length === 0) return true;
      const { webhooks, write } = await api.read(this);
      const kept = webhooks.filter((webhook) => !targets.some((url) => sameTarget(String(webhook.url), url)));
      if (kept.length !== webhooks.length) await write(kept);
      delete stored.registeredUrl;
      return true;
    },
  };
}
