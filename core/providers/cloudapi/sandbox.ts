/**
 * The Graph API's messages endpoint as the sandbox plays it: `Authorization: Bearer <access token>`
 * or 401 with `OAuthException` code 190; an unknown phone number id is 400 `GraphMethodException`
 * code 100 (subcode 33); a body without `messaging_product`, or a text without a body, 400 code 100.
 * A text answers `{messaging_product, contacts: [{input, wa_id}], messages: [{id}]}`, a read receipt
 * `{success: true}`. Errors are Graph's `{error: {message, type, code, fbtrace_id}}`.
 */
import { randomBytes } from 'node:crypto';
import type { SandboxAnswer, SandboxContext, SandboxContract, SandboxRequest, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';

/** The business number of the fixtures (Meta's doc examples), so the demo's replies to them reach a known number. */
export const SANDBOX_PHONE_NUMBER_ID = '106540352242922';

const graphError = (status: number, type: string, code: number, message: string, subcode?: number): SandboxAnswer => ({
  status,
  body: { error: { message, type, code, ...(subcode ? { error_subcode: subcode } : {}), fbtrace_id: `A${randomBytes(8).toString('hex')}` } },
});

/** Graph's answer to a missing or wrong Bearer token, or null when it is the sandbox's. */
function tokenProblem(request: SandboxRequest, context: SandboxContext): SandboxAnswer | null {
  const token = /^Bearer\s+(.+)$/i.exec(String(request.headers.authorization ?? ''))?.[1];
  if (!token) return graphError(401, 'OAuthException', 190, 'An active access token must be used to query information about the current user.');
  if (token !== context.credentials.accessToken) return graphError(401, 'OAuthException', 190, 'Invalid OAuth access token - Cannot parse access token');
  return null;
}

/** `GET /me`: the token's own system user (what n8n's credential test calls). */
const me: SandboxRoute = (request, context) =>
  tokenProblem(request, context) ?? { status: 200, body: { name: 'Sandbox System User', id: '122100000000000001' } };

const messages: SandboxRoute = (request, context) => {
  const refused = tokenProblem(request, context);
  if (refused) return refused;
  const number = request.params.phoneNumberId;
  if (!(context.state.phoneNumbers as string[]).includes(number)) {
    return graphError(
      400,
      'GraphMethodException',
      100,
      `Unsupported post request. Object with ID '${number}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
    );
  }
  const body = request.body ?? {};
  if (body.messaging_product !== 'whatsapp') return graphError(400, 'OAuthException', 100, '(#100) The parameter messaging_product is required.');
  if (body.status !== undefined) {
    const id = textField(body.message_id);
    if (body.status !== 'read' || !id) return graphError(400, 'OAuthException', 100, '(#100) Invalid parameter');
    context.record({ operation: 'markRead', path: request.path, chatId: '', text: null, replyTo: null, session: number, messageId: id, body });
    return { status: 200, body: { success: true } };
  }
  const to = textField(body.to);
  if (!to) return graphError(400, 'OAuthException', 100, '(#100) The parameter to is required.');
  if (body.type !== 'text') return graphError(400, 'OAuthException', 100, '(#100) The sandbox plays text messages only');
  const text = (body.text as { body?: unknown } | undefined)?.body;
  if (typeof text !== 'string' || text === '') return graphError(400, 'OAuthException', 100, "(#100) The parameter text['body'] is required.");
  const messageId = `wamid.${Buffer.from(`sandbox-${randomBytes(9).toString('hex')}`).toString('base64')}`;
  const replyTo = textField((body.context as { message_id?: unknown } | undefined)?.message_id);
  context.record({ operation: 'sendText', path: request.path, chatId: to, text, replyTo, session: number, messageId, body });
  return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/\D/g, '') }], messages: [{ id: messageId }] } };
};

export const sandbox: SandboxContract = {
  credentials: { accessToken: 'sandbox-cloudapi-access-token', phoneNumberId: SANDBOX_PHONE_NUMBER_ID },
  initialState: () => ({ phoneNumbers: [SANDBOX_PHONE_NUMBER_ID] }),
  variants: [{ prefix: 'cloudapi', config: {}, routes: { 'GET /me': me, 'POST /:phoneNumberId/messages': messages } }],
};
