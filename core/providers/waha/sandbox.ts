/**
 * WAHA's API as the sandbox plays it (NestJS): 401 for a wrong `X-Api-Key`, 400 listing missing
 * fields, 201 with the sent message; sessions whose config holds the webhook list; the LIDs the
 * session knows (`state.lids`, LID → phone JID: tests set entries there), answered as WAHA's
 * LidsController does: `{lid, pn}` with `pn: null` for a LID it does not know, 422 for an id that is
 * not a LID, 404 for a session that does not exist.
 */
import type { SandboxContract, SandboxContext, SandboxRequest, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';
import { serveFile } from '../shared/sandbox-media';

interface Session {
  name: string;
  status: string;
  config: Record<string, unknown>;
}

const unauthorized = { status: 401, body: { message: 'Unauthorized', statusCode: 401 } };
const authorized = (request: SandboxRequest, context: SandboxContext) => request.headers['x-api-key'] === context.credentials.apiKey;

function send(operation: 'sendText' | 'sendSeen'): SandboxRoute {
  return (request, context) => {
    if (!authorized(request, context)) return unauthorized;
    const body = request.body ?? {};
    const chatId = textField(body.chatId);
    const text = textField(body.text);
    const missing = [!chatId && 'chatId should not be empty', operation === 'sendText' && !text && 'text should not be empty'].filter(Boolean);
    if (missing.length) return { status: 400, body: { statusCode: 400, message: missing, error: 'Bad Request' } };
    const messageId = operation === 'sendText' ? context.newMessageId(chatId!) : null;
    context.record({
      operation,
      path: request.path,
      chatId: chatId!,
      text,
      replyTo: textField(body.reply_to),
      session: textField(body.session),
      messageId,
      body,
    });
    return {
      status: 201,
      body: operation === 'sendText' ? { id: messageId, timestamp: Math.floor(Date.now() / 1000), body: text, fromMe: true, to: chatId } : {},
    };
  };
}

/** The answer of WAHA Core (`AvailableInPlusVersion`, a 422) to a media send. */
const PLUS_ONLY = {
  status: 422,
  body: { statusCode: 422, message: 'The feature is available only in Plus version. Check this out: https://waha.devlike.pro/', error: 'Unprocessable Entity' },
};

/** `sendImage`, `sendFile`, `sendVideo`, `sendVoice`: the file by base64 `data` or by `url`; Core refuses them all. */
function sendMedia(operation: 'sendImage' | 'sendFile' | 'sendVideo' | 'sendVoice'): SandboxRoute {
  return async (request, context) => {
    if (!authorized(request, context)) return unauthorized;
    const body = request.body ?? {};
    const chatId = textField(body.chatId);
    const file = (body.file ?? null) as Record<string, unknown> | null;
    const missing = [!chatId && 'chatId should not be empty', !file && 'file should not be empty'].filter(Boolean);
    if (missing.length) return { status: 400, body: { statusCode: 400, message: missing, error: 'Bad Request' } };
    if (context.state.tier === 'CORE') return PLUS_ONLY;
    const media = await context.receiveFile({
      base64: textField(file!.data),
      url: textField(file!.url),
      mimetype: textField(file!.mimetype),
      filename: textField(file!.filename),
    });
    if ('error' in media) return { status: 400, body: { statusCode: 400, message: [media.error], error: 'Bad Request' } };
    const messageId = context.newMessageId(chatId!);
    const caption = textField(body.caption);
    const replyTo = textField(body.reply_to);
    context.record({
      operation,
      path: request.path,
      chatId: chatId!,
      text: caption,
      replyTo,
      session: textField(body.session),
      messageId,
      body: { ...body, file: '(recorded as media)' },
      media,
    });
    return { status: 201, body: { id: messageId, timestamp: Math.floor(Date.now() / 1000), fromMe: true, to: chatId, hasMedia: true } };
  };
}

const sendLocation: SandboxRoute = (request, context) => {
  if (!authorized(request, context)) return unauthorized;
  const body = request.body ?? {};
  const chatId = textField(body.chatId);
  const valid = chatId && typeof body.latitude === 'number' && typeof body.longitude === 'number';
  if (!valid) return { status: 400, body: { statusCode: 400, message: ['chatId, latitude and longitude are required'], error: 'Bad Request' } };
  const messageId = context.newMessageId(chatId);
  const replyTo = textField(body.reply_to);
  context.record({
    operation: 'sendLocation',
    path: request.path,
    chatId,
    text: textField(body.title),
    replyTo,
    session: textField(body.session),
    messageId,
    body,
  });
  return { status: 201, body: { id: messageId, timestamp: Math.floor(Date.now() / 1000), fromMe: true, to: chatId } };
};

const setReaction: SandboxRoute = (request, context) => {
  if (!authorized(request, context)) return unauthorized;
  const body = request.body ?? {};
  const messageId = textField(body.messageId);
  if (!messageId || typeof body.reaction !== 'string')
    return { status: 400, body: { statusCode: 400, message: ['messageId and reaction are required'], error: 'Bad Request' } };
  // The chat is inside WAHA's message id: `false_<chat>_<id>`.
  const chatId = messageId.split('_')[1] ?? '';
  context.record({
    operation: 'reaction',
    path: request.path,
    chatId,
    text: null,
    replyTo: messageId,
    session: textField(body.session),
    messageId,
    body,
    reaction: body.reaction,
  });
  return { status: 200, body: { id: context.newMessageId(chatId) } };
};

function typing(operation: 'startTyping' | 'stopTyping'): SandboxRoute {
  return (request, context) => {
    if (!authorized(request, context)) return unauthorized;
    const chatId = textField(request.body?.chatId);
    if (!chatId) return { status: 400, body: { statusCode: 400, message: ['chatId should not be empty'], error: 'Bad Request' } };
    context.record({
      operation,
      path: request.path,
      chatId,
      text: null,
      replyTo: null,
      session: textField(request.body?.session),
      messageId: null,
      body: request.body,
    });
    return { status: 201, body: { result: true } };
  };
}

/** `POST /api/{session}/presence {chatId, presence}`: "recording…" and its end, as `recording` and `paused`. */
const setPresence: SandboxRoute = (request, context) => {
  if (!authorized(request, context)) return unauthorized;
  const chatId = textField(request.body?.chatId);
  const presence = textField(request.body?.presence);
  if (!chatId || !presence || !['online', 'offline', 'typing', 'recording', 'paused'].includes(presence)) {
    return { status: 400, body: { statusCode: 400, message: ['chatId and a valid presence are required'], error: 'Bad Request' } };
  }
  context.record({
    operation: `presence:${presence}`,
    path: request.path,
    chatId,
    text: null,
    replyTo: null,
    session: request.params.session,
    messageId: null,
    body: request.body,
  });
  return { status: 201, body: {} };
};

function session(request: SandboxRequest, context: SandboxContext): Session | null {
  return (context.state.sessions as Record<string, Session>)[request.params.name] ?? null;
}

/** `GET /api/{session}/lids/{lid}`: a bare number is taken as `<number>@lid`, as WAHA does. */
const findPNByLid: SandboxRoute = (request, context) => {
  if (!authorized(request, context)) return unauthorized;
  const name = request.params.session;
  if (!(context.state.sessions as Record<string, Session>)[name]) {
    const message = `We didn't find a session with name '${name}'.\nPlease start it first by using POST /api/sessions/${name}/start request`;
    return { status: 404, body: { statusCode: 404, message, error: 'Not Found' } };
  }
  const lid = request.params.lid.includes('@') ? request.params.lid : `${request.params.lid}@lid`;
  if (!lid.endsWith('@lid')) return { status: 422, body: { statusCode: 422, message: 'Invalid LID - it must end with @lid', error: 'Unprocessable Entity' } };
  const pn = (context.state.lids as Record<string, string>)[lid] ?? null;
  context.record({ operation: 'resolveLid', path: request.path, chatId: lid, text: pn, replyTo: null, session: name, messageId: null, body: null });
  return { status: 200, body: { lid, pn } };
};

/** `GET /api/files/{session}/{file}` (and the older `/api/files/{file}`): the file's bytes, 404 when gone. */
const file: SandboxRoute = (request, context) => {
  if (!authorized(request, context)) return unauthorized;
  return serveFile(request, context, request.params.file, { status: 404, body: { statusCode: 404, message: 'File not found', error: 'Not Found' } });
};

export const sandbox: SandboxContract = {
  credentials: { apiKey: 'sandbox-waha-key' },
  // A running session whose config already has someone else's webhook and settings, which a
  // registration must keep; one LID whose phone the session knows (the LID of the LID samples).
  // `tier: 'CORE'` plays the free tier, which refuses media sends (tests set it through stateOf).
  initialState: () => ({
    tier: 'PLUS',
    lids: { '123456789012345@lid': '6285712345678@c.us' } as Record<string, string>,
    sessions: {
      default: {
        name: 'default',
        status: 'WORKING',
        config: { metadata: { team: 'sales' }, webhooks: [{ url: 'https://crm.example/hook', events: ['message'] }] },
      },
    },
  }),
  variants: [
    {
      prefix: 'waha',
      config: {},
      routes: {
        'POST /api/sendText': send('sendText'),
        'POST /api/sendSeen': send('sendSeen'),
        // What n8n's credential test calls.
        'GET /api/sessions': (request, context) =>
          authorized(request, context) ? { status: 200, body: Object.values(context.state.sessions as Record<string, Session>) } : unauthorized,
        'POST /api/sendImage': sendMedia('sendImage'),
        'POST /api/sendFile': sendMedia('sendFile'),
        'POST /api/sendVideo': sendMedia('sendVideo'),
        'POST /api/sendVoice': sendMedia('sendVoice'),
        'POST /api/sendLocation': sendLocation,
        'PUT /api/reaction': setReaction,
        'POST /api/startTyping': typing('startTyping'),
        'POST /api/stopTyping': typing('stopTyping'),
        'POST /api/:session/presence': setPresence,
        'GET /api/sessions/:name': (request, context) => {
          if (!authorized(request, context)) return unauthorized;
          const found = session(request, context);
          return found ? { status: 200, body: found } : { status: 404, body: { statusCode: 404, message: 'Session not found', error: 'Not Found' } };
        },
        'GET /api/:session/lids/:lid': findPNByLid,
        'GET /api/files/:session/:file': file,
        'GET /api/files/:file': file,
        'PUT /api/sessions/:name': (request, context) => {
          if (!authorized(request, context)) return unauthorized;
          const found = session(request, context);
          if (!found) return { status: 404, body: { statusCode: 404, message: 'Session not found', error: 'Not Found' } };
          found.config = (request.body?.config ?? {}) as Record<string, unknown>;
          context.record({
            operation: 'setWebhooks',
            path: request.path,
            chatId: '',
            text: null,
            replyTo: null,
            session: found.name,
            messageId: null,
            body: request.body,
          });
          return { status: 200, body: found };
        },
      },
    },
  ],
};
