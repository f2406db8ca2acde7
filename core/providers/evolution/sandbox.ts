/**
 * Evolution API v2 as the sandbox plays it (Express, `src/main.ts`'s error shape
 * `{status, error, response: {message}}`): 401 for a wrong `apikey` header (`auth.guard.ts`), 404
 * for an unknown instance (`instance.guard.ts`), 400 for a body its JSON schema refuses, 201 with
 * the `send.message` data for a send; one webhook per instance (`webhook.controller.ts#set`).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxAnswer, SandboxContract, SandboxContext, SandboxRequest, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';
import { EVENT_NAMES, upperEventName } from './schema';

const ALL_EVENTS = EVENT_NAMES.map(upperEventName);

const failure = (status: number, error: string, message: unknown): SandboxAnswer => ({ status, body: { status, error, response: { message } } });

/** `createJid`: digits become a phone JID, a JID stays as it is. */
const jidOf = (number: string) => (number.includes('@') ? number : `${number.replace(/\D/g, '')}@s.whatsapp.net`);

interface Instance {
  instanceId: string;
  webhook: Record<string, unknown> | null;
}

/** The guards every instance route passes: the key first, then the instance. */
function guarded(handler: (request: SandboxRequest, context: SandboxContext, instance: Instance) => SandboxAnswer): SandboxRoute {
  return (request, context) => {
    if (request.headers.apikey !== context.credentials.apiKey) return failure(401, 'Unauthorized', 'Unauthorized');
    const instance = (context.state.instances as Record<string, Instance>)[request.params.instance];
    if (!instance) return failure(404, 'Not Found', [`The "${request.params.instance}" instance does not exist`]);
    return handler(request, context, instance);
  };
}

const sendText = guarded((request, context, instance) => {
  const body = request.body ?? {};
  const number = textField(body.number);
  const text = typeof body.text === 'string' ? body.text : null;
  if (!number || text === null) return failure(400, 'Bad Request', [`${!number ? 'number' : 'text'} is required`]);
  const quoted = (body.quoted as { key?: { id?: unknown } } | undefined)?.key;
  const remoteJid = jidOf(number);
  const messageId = `3EB0${randomBytes(10).toString('hex').toUpperCase()}`;
  context.record({
    operation: 'sendText',
    path: request.path,
    chatId: number,
    text,
    replyTo: textField(quoted?.id),
    session: request.params.instance,
    messageId,
    body,
  });
  return {
    status: 201,
    body: {
      key: { remoteJid, fromMe: true, id: messageId },
      pushName: 'Você',
      status: 'PENDING',
      message: { conversation: text },
      ...(quoted ? { contextInfo: { stanzaId: textField(quoted.id) } } : {}),
      messageType: 'conversation',
      messageTimestamp: Math.floor(Date.now() / 1000),
      instanceId: instance.instanceId,
      source: 'unknown',
    },
  };
});

const markRead = guarded((request, context) => {
  const reads = request.body?.readMessages;
  const valid =
    Array.isArray(reads) && reads.length > 0 && reads.every((read) => textField(read?.id) && textField(read?.remoteJid) && typeof read?.fromMe === 'boolean');
  if (!valid) return failure(400, 'Bad Request', ['readMessages must list {id, fromMe, remoteJid}']);
  const first = reads[0] as { id: string; remoteJid: string };
  context.record({
    operation: 'markMessageAsRead',
    path: request.path,
    chatId: first.remoteJid,
    text: null,
    replyTo: null,
    session: request.params.instance,
    messageId: first.id,
    body: request.body,
  });
  return { status: 201, body: { message: 'Read messages', read: 'success' } };
});

const findWebhook = guarded((_request, _context, instance) => ({ status: 200, body: instance.webhook }));

const setWebhook = guarded((request, context, instance) => {
  const webhook = request.body?.webhook as Record<string, unknown> | undefined;
  // The flat body of 2.0.x fails here, as it does at a current server (issue #1657).
  if (!webhook || typeof webhook !== 'object') return failure(400, 'Bad Request', ['instance requires property "webhook"']);
  if (typeof webhook.enabled !== 'boolean' || !textField(webhook.url)) return failure(400, 'Bad Request', ['webhook requires properties "enabled" and "url"']);
  const events = Array.isArray(webhook.events) ? (webhook.events as string[]) : [];
  const unknown = events.filter((event) => !ALL_EVENTS.includes(event));
  if (unknown.length) return failure(400, 'Bad Request', [`webhook.events must be one of the allowed values: ${unknown.join(', ')}`]);
  const now = new Date().toISOString();
  instance.webhook = {
    id: (instance.webhook?.id as string | undefined) ?? `cm${randomBytes(11).toString('hex')}`,
    url: webhook.url,
    headers: webhook.headers ?? null,
    enabled: webhook.enabled,
    // Disabled: no events; enabled with none: every event.
    events: webhook.enabled ? (events.length ? events : ALL_EVENTS) : [],
    webhookByEvents: webhook.byEvents === true,
    webhookBase64: webhook.base64 === true,
    createdAt: (instance.webhook?.createdAt as string | undefined) ?? now,
    updatedAt: now,
    instanceId: instance.instanceId,
  };
  context.record({
    operation: 'setWebhook',
    path: request.path,
    chatId: '',
    text: null,
    replyTo: null,
    session: request.params.instance,
    messageId: null,
    body: request.body,
  });
  return { status: 201, body: instance.webhook };
});

export const sandbox: SandboxContract = {
  credentials: { apiKey: 'sandbox-evolution-key' },
  // An instance whose webhook is someone else's, with its own auth header: a registration must put it back.
  initialState: () => ({
    instances: {
      default: {
        instanceId: 'b5e7a3c2-0d4f-4e1a-9c8b-7f6e5d4c3b2a',
        webhook: {
          id: 'cm3evolutionwebhook0001',
          url: 'https://crm.example/evolution-hook',
          headers: { authorization: 'Bearer crm-token' },
          enabled: true,
          events: ['MESSAGES_UPSERT'],
          webhookByEvents: false,
          webhookBase64: false,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
          instanceId: 'b5e7a3c2-0d4f-4e1a-9c8b-7f6e5d4c3b2a',
        },
      },
      // The instance the provider's sample bodies come from (`waflow send --event`), so the demo's
      // replies to them reach a known instance; it has no webhook yet.
      'loja-centro': { instanceId: 'a1b2c3d4-0000-4000-8000-000000000001', webhook: null },
    },
  }),
  variants: [
    {
      prefix: 'evolution',
      config: {},
      routes: {
        // What n8n's credential test calls: every instance the key may see.
        'GET /instance/fetchInstances': (request, context) =>
          request.headers.apikey !== context.credentials.apiKey
            ? failure(401, 'Unauthorized', 'Unauthorized')
            : {
                status: 200,
                body: Object.entries(context.state.instances as Record<string, Instance>).map(([name, instance]) => ({
                  id: instance.instanceId,
                  name,
                  connectionStatus: 'open',
                })),
              },
        'POST /message/sendText/:instance': sendText,
        'POST /chat/markMessageAsRead/:instance': markRead,
        'GET /webhook/find/:instance': findWebhook,
        'POST /webhook/set/:instance': setWebhook,
      },
    },
  ],
};
