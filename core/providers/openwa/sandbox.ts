/** open-wa's APIs as the sandbox plays them: v5 REST (`X-API-Key`) and the v4 EASY API (`api_key`, `{args}`). */
import type { SandboxContract, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';

/** v5 REST: `{to, text}`, answers `{success, response: <message id>}`. */
const sendTextV5: SandboxRoute = (request, context) => {
  if (request.headers['x-api-key'] !== context.credentials.apiKey) return { status: 401, body: { success: false, error: 'Unauthorized' } };
  const body = request.body ?? {};
  const chatId = textField(body.to);
  const text = textField(body.text);
  if (!chatId || !text) return { status: 400, body: { success: false, error: 'to and text are required' } };
  const messageId = context.newMessageId(chatId);
  context.record({ operation: 'sendText', path: request.path, chatId, text, replyTo: null, session: null, messageId, body });
  return { status: 200, body: { success: true, response: messageId } };
};

/** v4 EASY API: `{args}` in, `{success, response}` out. */
function v4(operation: 'sendText' | 'reply' | 'sendSeen'): SandboxRoute {
  return (request, context) => {
    if (request.headers.api_key !== context.credentials.apiKey) return { status: 401, body: { success: false, error: 'Unauthorized: api_key' } };
    const body = request.body ?? {};
    const args = (body.args ?? {}) as Record<string, unknown>;
    const chatId = textField(operation === 'sendSeen' ? args.chatId : args.to);
    const text = textField(args.content);
    if (!chatId || (operation !== 'sendSeen' && !text)) return { status: 400, body: { success: false, error: 'Missing arguments' } };
    const messageId = operation === 'sendSeen' ? null : context.newMessageId(chatId);
    context.record({ operation, path: request.path, chatId, text, replyTo: textField(args.quotedMsgId), session: null, messageId, body });
    return { status: 200, body: { success: true, response: messageId ?? true } };
  };
}

export const sandbox: SandboxContract = {
  credentials: { apiKey: 'sandbox-openwa-key' },
  variants: [
    { prefix: 'openwa', config: { apiVersion: 'v5' }, routes: { 'POST /api/sendText': sendTextV5 } },
    {
      prefix: 'openwa-v4',
      config: { apiVersion: 'v4' },
      routes: { 'POST /sendText': v4('sendText'), 'POST /reply': v4('reply'), 'POST /sendSeen': v4('sendSeen') },
    },
  ],
};
