/**
 * Wawp's API as the sandbox plays it: instance credentials in the body (send) or the query
 * (webhooks); token errors are 401, missing fields 400, success `{status: "success", data: {id}}`.
 */
import type { SandboxContext, SandboxContract, SandboxRequest, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';
import { serveFile } from '../shared/sandbox-media';

const unauthorized = { status: 401, body: { status: 'error', message: 'Invalid instance_id or access_token' } };

function authorized(instanceId: unknown, accessToken: unknown, context: SandboxContext): boolean {
  return instanceId === context.credentials.instanceId && accessToken === context.credentials.accessToken;
}

const queryAuthorized = (request: SandboxRequest, context: SandboxContext) =>
  authorized(request.query.get('instance_id'), request.query.get('access_token'), context);

/** `/v2/send/image|video|file|voice`: `file: {url, filename, mimetype}`, which Wawp downloads. */
function sendMedia(operation: 'sendImage' | 'sendVideo' | 'sendFile' | 'sendVoice'): SandboxRoute {
  return async (request, context) => {
    const body = request.body ?? {};
    if (!authorized(body.instance_id, body.access_token, context)) return unauthorized;
    const chatId = textField(body.chatId);
    const file = (body.file ?? {}) as Record<string, unknown>;
    const fileUrl = textField(file.url);
    if (!chatId || !fileUrl) return { status: 400, body: { status: 'error', message: 'chatId and file[url] are required' } };
    const media = await context.receiveFile({ url: fileUrl, mimetype: textField(file.mimetype), filename: textField(file.filename) });
    if ('error' in media) return { status: 400, body: { status: 'error', message: media.error } };
    const messageId = context.newMessageId(chatId);
    context.record({
      operation,
      path: request.path,
      chatId,
      text: textField(body.caption),
      replyTo: textField(body.reply_to),
      session: null,
      messageId,
      body,
      media,
    });
    return { status: 200, body: { status: 'success', data: { id: messageId } } };
  };
}

const sendLocation: SandboxRoute = (request, context) => {
  const body = request.body ?? {};
  if (!authorized(body.instance_id, body.access_token, context)) return unauthorized;
  const chatId = textField(body.chatId);
  if (!chatId || typeof body.latitude !== 'number' || typeof body.longitude !== 'number') {
    return { status: 400, body: { status: 'error', message: 'chatId, latitude and longitude are required' } };
  }
  const messageId = context.newMessageId(chatId);
  context.record({
    operation: 'sendLocation',
    path: request.path,
    chatId,
    text: textField(body.title),
    replyTo: textField(body.reply_to),
    session: null,
    messageId,
    body,
  });
  return { status: 200, body: { status: 'success', data: { id: messageId } } };
};

export const sandbox: SandboxContract = {
  credentials: { instanceId: 'sandbox-instance', accessToken: 'sandbox-token' },
  initialState: () => ({ webhooks: [{ url: 'https://crm.example/wawp', events: ['message'], is_active: 1 }] }),
  variants: [
    {
      prefix: 'wawp',
      config: {},
      routes: {
        'POST /v2/send/text': (request, context) => {
          const body = request.body ?? {};
          if (!authorized(body.instance_id, body.access_token, context)) return unauthorized;
          const chatId = textField(body.chatId);
          const text = textField(body.message);
          if (!chatId || !text) return { status: 400, body: { status: 'error', message: 'chatId and message are required' } };
          const messageId = context.newMessageId(chatId);
          context.record({ operation: 'sendText', path: request.path, chatId, text, replyTo: textField(body.reply_to), session: null, messageId, body });
          return { status: 200, body: { status: 'success', data: { id: messageId } } };
        },
        // What n8n's credential test calls, with the credentials in the query.
        'POST /v2/session/info': (request, context) =>
          queryAuthorized(request, context)
            ? { status: 200, body: { status: 'success', data: { instance_id: context.credentials.instanceId, status: 'WORKING' } } }
            : unauthorized,
        // Wawp-hosted files: the instance credentials in the query, as its API takes them.
        'GET /files/:file': (request, context) =>
          queryAuthorized(request, context)
            ? serveFile(request, context, request.params.file, { status: 404, body: { status: 'error', message: 'File not found' } })
            : unauthorized,
        'POST /v2/send/image': sendMedia('sendImage'),
        'POST /v2/send/video': sendMedia('sendVideo'),
        'POST /v2/send/file': sendMedia('sendFile'),
        'POST /v2/send/voice': sendMedia('sendVoice'),
        'POST /v2/send/location': sendLocation,
        'GET /v2/session/webhook': (request, context) =>
          queryAuthorized(request, context) ? { status: 200, body: { webhooks: context.state.webhooks, systemConfig: { enabled: true } } } : unauthorized,
        'POST /v2/session/webhook': (request, context) => {
          if (!queryAuthorized(request, context)) return unauthorized;
          context.state.webhooks = Array.isArray(request.body?.webhooks) ? request.body.webhooks : [];
          context.record({
            operation: 'setWebhooks',
            path: request.path,
            chatId: '',
            text: null,
            replyTo: null,
            session: null,
            messageId: null,
            body: request.body,
          });
          return { status: 200, body: { success: true, webhooks: context.state.webhooks } };
        },
      },
    },
  ],
};
