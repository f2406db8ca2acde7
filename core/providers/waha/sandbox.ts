/**
 * WAHA's API as the sandbox plays it (NestJS): 401 for a wrong `X-Api-Key`, 400 listing missing
 * fields, 201 with the sent message; sessions whose config holds the webhook list.
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

export const sandbox: SandboxContract = {
  credentials: { apiKey: 'sandbox-waha-key' },
  // A running session whose config already has someone else's webhook and settings, which a
  // registration must keep.
  initialState: () => ({
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
        'GET /api/sessions/:name': (request, context) => {
          if (!authorized(request, context)) return unauthorized;
          const found = session(request, context);
          return found ? { status: 200, body: found } : { status: 404, body: { statusCode: 404, message: 'Session not found', error: 'Not Found' } };
        },
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
