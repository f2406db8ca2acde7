/**
 * WAHA's API as the sandbox plays it (NestJS): 401 for a wrong `X-Api-Key`, 400 listing missing
 * fields, 201 with the sent message; sessions whose config holds the webhook list; the LIDs the
 * session knows (`state.lids`, LID → phone JID: tests set entries there), answered as WAHA's
 * LidsController does: `{lid, pn}` with `pn: null` for a LID it does not know, 422 for an id that is
 * not a LID, 404 for a session that does not exist.
 */
import type { SandboxContract, SandboxContext, SandboxRequest, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';

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

export const sandbox: SandboxContract = {
  credentials: { apiKey: 'sandbox-waha-key' },
  // A running session whose config already has someone else's webhook and settings, which a
  // registration must keep; one LID whose phone the session knows (the LID of the LID samples).
  initialState: () => ({
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
        'GET /api/sessions/:name': (request, context) => {
          if (!authorized(request, context)) return unauthorized;
          const found = session(request, context);
          return found ? { status: 200, body: found } : { status: 404, body: { statusCode: 404, message: 'Session not found', error: 'Not Found' } };
        },
        'GET /api/:session/lids/:lid': findPNByLid,
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
