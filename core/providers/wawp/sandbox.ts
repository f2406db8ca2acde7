/**
 * Wawp's API as the sandbox plays it: instance credentials in the body (send) or the query
 * (webhooks); token errors are 401, missing fields 400, success `{status: "success", data: {id}}`.
 */
import type { SandboxContext, SandboxContract, SandboxRequest } from '../sandbox';
import { textField } from '../sandbox';

const unauthorized = { status: 401, body: { status: 'error', message: 'Invalid instance_id or access_token' } };

function authorized(instanceId: unknown, accessToken: unknown, context: SandboxContext): boolean {
  return instanceId === context.credentials.instanceId && accessToken === context.credentials.accessToken;
}

const queryAuthorized = (request: SandboxRequest, context: SandboxContext) =>
  authorized(request.query.get('instance_id'), request.query.get('access_token'), context);

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
