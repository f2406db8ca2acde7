/**
 * The Graph API's messages endpoint, as far as this package calls it, with
 * `Authorization: Bearer <access token>`; `{phone_number_id}` is the event's session (the number
 * the message came to), else the configured Phone Number ID:
 * - `POST /{phone_number_id}/messages {messaging_product: "whatsapp", to, type: "text", text: {body}, context?: {message_id}}`
 *   → `{messaging_product, contacts: [{input, wa_id}], messages: [{id: "wamid…"}]}`;
 * - `POST /{phone_number_id}/messages {messaging_product: "whatsapp", status: "read", message_id}` → `{success: true}`.
 * Errors are `{error: {message, type, code, error_subcode?, fbtrace_id}}`.
 */
import { notImplemented } from '../../send/capabilities';
import { GatewayError, callGateway } from '../../send/http';
import { endpoint, explainedFailure } from '../../send/shared';
import type { ClientConfig, GatewayClient } from '../../send/types';

export const GRAPH_API_URL = 'https://graph.facebook.com/v21.0';

/** Meta's hint for the errors a user can fix here. */
function hintFor(error: unknown): string {
  if (!(error instanceof GatewayError)) return '';
  const code = (error.response as { error?: { code?: unknown } } | undefined)?.error?.code;
  if (code === 190) return ' (the access token is invalid or expired: make a new one, e.g. a system user token)';
  if (code === 131047) return ' (more than 24 hours since the user last wrote: only a template can be sent)';
  if (code === 100 && error.status === 400) return ' (check the Phone Number ID)';
  return '';
}

export function createClient(config: ClientConfig): GatewayClient {
  const headers = config.accessToken ? { authorization: `Bearer ${config.accessToken}` } : undefined;
  const numberOf = (session: string | null | undefined): string => {
    const id = session || config.phoneNumberId;
    if (!id) throw new GatewayError('cloudapi', null, 'WhatsApp Cloud API: no phone number to send from: the event names none, so set the Phone Number ID');
    return id;
  };
  const post = async (session: string | null | undefined, body: Record<string, unknown>, what: string) => {
    const url = endpoint('cloudapi', config.baseUrl || GRAPH_API_URL, `/${encodeURIComponent(numberOf(session))}/messages`);
    return callGateway({ provider: 'cloudapi', method: 'POST', url, headers, body: { messaging_product: 'whatsapp', ...body } }, config.http).catch(
      (error: unknown) => {
        throw explainedFailure(error, what, hintFor(error));
      },
    );
  };

  return {
    provider: 'cloudapi',
    async sendText({ chatId, text, replyTo, session }) {
      const body = { recipient_type: 'individual', to: chatId, type: 'text', text: { body: text }, ...(replyTo ? { context: { message_id: replyTo } } : {}) };
      const response = (await post(session, body, `sending to ${chatId}`)) as { messages?: { id?: unknown }[] } | null;
      const id = response?.messages?.[0]?.id;
      return { provider: 'cloudapi', chatId, messageId: typeof id === 'string' ? id : null, quoted: !!replyTo, response };
    },
    async markRead({ chatId, messageIds, session }) {
      // One call per message: the Graph API marks one wamid (and the earlier ones of that chat) per request.
      for (const id of messageIds) await post(session, { status: 'read', message_id: id }, `marking messages read in ${chatId}`);
    },
    webhooks: notImplemented('cloudapi', 'registerWebhook'),
    webhookEntry: notImplemented('cloudapi', 'registerWebhook'),
    resolveLid: notImplemented('cloudapi', 'resolveLid'),
  };
}
