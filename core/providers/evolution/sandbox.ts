/**
 * Evolution API v2 as the sandbox plays it (Express, `src/main.ts`'s error shape
 * `{status, error, response: {message}}`): 401 for a wrong `apikey` header (`auth.guard.ts`), 404
 * for an unknown instance (`instance.guard.ts`), 400 for a body its JSON schema refuses, 201 with
 * the `send.message` data for a send; one webhook per instance (`webhook.controller.ts#set`).
 */
import { randomBytes } from 'node:crypto';
import type { SandboxAnswer, SandboxContract, SandboxContext, SandboxRequest, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';
import { sandboxFileOf, recordDownload } from '../shared/sandbox-media';
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
function guarded(handler: (request: SandboxRequest, context: SandboxContext, instance: Instance) => SandboxAnswer | Promise<SandboxAnswer>): SandboxRoute {
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

/** The 201 of a send, Evolution's `send.message` data. */
function sent(instance: Instance, number: string, messageId: string, message: Record<string, unknown>, messageType: string): SandboxAnswer {
  return {
    status: 201,
    body: {
      key: { remoteJid: jidOf(number), fromMe: true, id: messageId },
      pushName: 'Você',
      status: 'PENDING',
      message,
      messageType,
      messageTimestamp: Math.floor(Date.now() / 1000),
      instanceId: instance.instanceId,
      source: 'unknown',
    },
  };
}

const isUrl = (value: string) => /^https?:\/\//.test(value);

/** `sendMedia` (`media` a URL or base64, `mediatype` one of four) and `sendWhatsAppAudio` (`audio`). */
function sendMedia(operation: 'sendMedia' | 'sendWhatsAppAudio') {
  return guarded(async (request, context, instance) => {
    const body = request.body ?? {};
    const number = textField(body.number);
    const media = textField(operation === 'sendMedia' ? body.media : body.audio);
    const mediatype = operation === 'sendMedia' ? textField(body.mediatype) : 'audio';
    if (!number || !media) return failure(400, 'Bad Request', [`${!number ? 'number' : operation === 'sendMedia' ? 'media' : 'audio'} is required`]);
    if (!['image', 'video', 'document', 'audio'].includes(mediatype ?? ''))
      return failure(400, 'Bad Request', ['mediatype must be one of image, video, document, audio']);
    const file = await context.receiveFile({
      ...(isUrl(media) ? { url: media } : { base64: media }),
      mimetype: textField(body.mimetype),
      filename: textField(body.fileName),
    });
    if ('error' in file) return failure(400, 'Bad Request', [file.error]);
    const quoted = (body.quoted as { key?: { id?: unknown } } | undefined)?.key;
    const messageId = `3EB0${randomBytes(10).toString('hex').toUpperCase()}`;
    const recorded = { ...body, [operation === 'sendMedia' ? 'media' : 'audio']: '(recorded as media)' };
    const caption = textField(body.caption);
    context.record({
      operation,
      path: request.path,
      chatId: number,
      text: caption,
      replyTo: textField(quoted?.id),
      session: request.params.instance,
      messageId,
      body: recorded,
      media: file,
    });
    const ptt = operation === 'sendWhatsAppAudio';
    return sent(
      instance,
      number,
      messageId,
      { [`${mediatype}Message`]: { mimetype: file.mimetype, caption, ...(ptt ? { ptt: true } : {}) } },
      `${mediatype}Message`,
    );
  });
}

const sendLocation = guarded((request, context, instance) => {
  const body = request.body ?? {};
  const number = textField(body.number);
  if (!number || typeof body.latitude !== 'number' || typeof body.longitude !== 'number')
    return failure(400, 'Bad Request', ['number, latitude and longitude are required']);
  const quoted = (body.quoted as { key?: { id?: unknown } } | undefined)?.key;
  const messageId = `3EB0${randomBytes(10).toString('hex').toUpperCase()}`;
  context.record({
    operation: 'sendLocation',
    path: request.path,
    chatId: number,
    text: textField(body.name),
    replyTo: textField(quoted?.id),
    session: request.params.instance,
    messageId,
    body,
  });
  return sent(
    instance,
    number,
    messageId,
    { locationMessage: { degreesLatitude: body.latitude, degreesLongitude: body.longitude, name: body.name, address: body.address } },
    'locationMessage',
  );
});

/** All three key fields are required (`reactionMessageSchema`). */
const sendReaction = guarded((request, context, instance) => {
  const body = request.body ?? {};
  const key = (body.key ?? {}) as Record<string, unknown>;
  if (!textField(key.id) || !textField(key.remoteJid) || typeof key.fromMe !== 'boolean' || typeof body.reaction !== 'string') {
    return failure(400, 'Bad Request', ['key {id, remoteJid, fromMe} and reaction are required']);
  }
  const chatId = key.remoteJid as string;
  const messageId = `3EB0${randomBytes(10).toString('hex').toUpperCase()}`;
  context.record({
    operation: 'sendReaction',
    path: request.path,
    chatId,
    text: null,
    replyTo: key.id as string,
    session: request.params.instance,
    messageId,
    body,
    reaction: body.reaction,
  });
  return sent(instance, chatId, messageId, { reactionMessage: { key, text: body.reaction } }, 'reactionMessage');
});

/** Holds the answer for `delay` ms, as Evolution does; recorded when the call arrives. */
const sendPresence = guarded(async (request, context) => {
  const body = request.body ?? {};
  const number = textField(body.number);
  const presence = textField(body.presence);
  if (!number || !presence || typeof body.delay !== 'number') return failure(400, 'Bad Request', ['number, presence and delay are required']);
  if (!['composing', 'recording', 'paused', 'available', 'unavailable'].includes(presence)) return failure(400, 'Bad Request', ['presence is not valid']);
  context.record({
    operation: `sendPresence:${presence}`,
    path: request.path,
    chatId: number,
    text: null,
    replyTo: null,
    session: request.params.instance,
    messageId: null,
    body,
  });
  await new Promise((resolve) => setTimeout(resolve, Math.min(body.delay as number, 60_000)));
  return { status: 201, body: { presence, number } };
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

/**
 * `getBase64FromMediaMessage` (`chat.controller.ts`): the message (the webhook's `data`, or just its
 * key) in, `{mediaType, fileName, size, mimetype, base64, buffer: null}` out (201); a file it cannot
 * get is a 400, as Evolution's `BadRequestException` for a failed download.
 */
const getBase64FromMediaMessage = guarded((request, context) => {
  const message = (request.body?.message ?? {}) as { key?: { id?: unknown }; message?: Record<string, unknown> };
  const id = textField(message.key?.id);
  if (!id) return failure(400, 'Bad Request', ['message.key.id is required']);
  const file = sandboxFileOf(context, id);
  if (!file) return failure(400, 'Bad Request', ['Error: Failed to download media: 404 Not Found']);
  recordDownload(request, context, id, file);
  const content = Object.keys(message.message ?? {}).find((key) => key.endsWith('Message')) ?? 'documentMessage';
  return {
    status: 201,
    body: {
      mediaType: content.replace(/Message$/, ''),
      // The content's own fileName: documents have one, voice notes and images none.
      fileName: file.fileName ?? (message.message?.[content] as { fileName?: unknown } | undefined)?.fileName ?? null,
      caption: null,
      size: { fileLength: String(file.data.length), height: null, width: null },
      mimetype: file.mimeType,
      base64: file.data.toString('base64'),
      buffer: null,
    },
  };
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
        'POST /message/sendMedia/:instance': sendMedia('sendMedia'),
        'POST /message/sendWhatsAppAudio/:instance': sendMedia('sendWhatsAppAudio'),
        'POST /message/sendLocation/:instance': sendLocation,
        'POST /message/sendReaction/:instance': sendReaction,
        'POST /chat/sendPresence/:instance': sendPresence,
        'GET /webhook/find/:instance': findWebhook,
        'POST /webhook/set/:instance': setWebhook,
        'POST /chat/getBase64FromMediaMessage/:instance': getBase64FromMediaMessage,
      },
    },
  ],
};
