/**
 * The Graph API's messages endpoint as the sandbox plays it: `Authorization: Bearer <access token>`
 * or 401 with `OAuthException` code 190; an unknown phone number id is 400 `GraphMethodException`
 * code 100 (subcode 33); a body without `messaging_product`, or a text without a body, 400 code 100.
 * A text answers `{messaging_product, contacts: [{input, wa_id}], messages: [{id}]}`, a read receipt
 * `{success: true}`. Errors are Graph's `{error: {message, type, code, fbtrace_id}}`.
 */
import { randomBytes } from 'node:crypto';
import type { RecordedMedia, SandboxAnswer, SandboxContext, SandboxContract, SandboxRequest, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';
import { sandboxFileOf, serveFile, sha256 } from '../shared/sandbox-media';

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

/** The token and the business number every Graph call is checked for; null when they pass. */
function refusal(request: SandboxRequest, context: SandboxContext): SandboxAnswer | null {
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
  return null;
}

const MEDIA_TYPES = ['image', 'video', 'document', 'audio', 'sticker'];

/** `POST /{phone_number_id}/media`, multipart `file`, `type`, `messaging_product` → `{id}`. */
const uploadMedia: SandboxRoute = async (request, context) => {
  const refused = refusal(request, context);
  if (refused) return refused;
  const form = request.form;
  const file = form?.get('file');
  if (!form || form.get('messaging_product') !== 'whatsapp')
    return graphError(400, 'OAuthException', 100, '(#100) The parameter messaging_product is required.');
  if (!file || typeof file === 'string') return graphError(400, 'OAuthException', 100, '(#100) The parameter file is required.');
  const bytes = Buffer.from(await file.arrayBuffer());
  const media = await context.receiveFile({ bytes, mimetype: String(form.get('type') ?? file.type ?? ''), filename: file.name || null });
  if ('error' in media) return graphError(400, 'OAuthException', 100, `(#100) ${media.error}`);
  const id = String(1_000_000_000_000_000 + Math.floor(Math.random() * 1e15));
  (context.state.media as Record<string, unknown>)[id] = media;
  context.record({
    operation: 'uploadMedia',
    path: request.path,
    chatId: '',
    text: null,
    replyTo: null,
    session: request.params.phoneNumberId,
    messageId: id,
    body: null,
    media,
  });
  return { status: 200, body: { id } };
};

const messages: SandboxRoute = async (request, context) => {
  const refused = refusal(request, context);
  if (refused) return refused;
  const number = request.params.phoneNumberId;
  const body = request.body ?? {};
  if (body.messaging_product !== 'whatsapp') return graphError(400, 'OAuthException', 100, '(#100) The parameter messaging_product is required.');
  if (body.status !== undefined) {
    const id = textField(body.message_id);
    if (body.status !== 'read' || !id) return graphError(400, 'OAuthException', 100, '(#100) Invalid parameter');
    const typing = (body.typing_indicator as { type?: unknown } | undefined)?.type;
    if (typing !== undefined && typing !== 'text') return graphError(400, 'OAuthException', 100, '(#100) Invalid parameter typing_indicator');
    context.record({
      operation: typing ? 'typing' : 'markRead',
      path: request.path,
      chatId: '',
      text: null,
      replyTo: null,
      session: number,
      messageId: id,
      body,
    });
    return { status: 200, body: { success: true } };
  }
  const to = textField(body.to);
  if (!to) return graphError(400, 'OAuthException', 100, '(#100) The parameter to is required.');
  const replyTo = textField((body.context as { message_id?: unknown } | undefined)?.message_id);
  const newId = () => `wamid.${Buffer.from(`sandbox-${randomBytes(9).toString('hex')}`).toString('base64')}`;
  const answer = (messageId: string) => ({
    status: 200,
    body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/\D/g, '') }], messages: [{ id: messageId }] },
  });
  const type = textField(body.type);
  if (type && MEDIA_TYPES.includes(type)) {
    const content = (body[type] ?? {}) as { id?: unknown; link?: unknown; caption?: unknown; filename?: unknown };
    let media = typeof content.id === 'string' ? ((context.state.media as Record<string, unknown>)[content.id] as RecordedMedia | undefined) : undefined;
    if (typeof content.id === 'string' && !media) return graphError(400, 'OAuthException', 100, `(#100) Param ${type}['id'] is not a valid media id`);
    if (!media) {
      if (typeof content.link !== 'string') return graphError(400, 'OAuthException', 100, `(#100) The parameter ${type}['link'] or ${type}['id'] is required.`);
      const fetched = await context.receiveFile({ url: content.link, filename: textField(content.filename) });
      if ('error' in fetched) return graphError(400, 'OAuthException', 131053, `(#131053) Media upload error: ${fetched.error}`);
      media = fetched;
    }
    const messageId = newId();
    context.record({
      operation: `send:${type}`,
      path: request.path,
      chatId: to,
      text: textField(content.caption),
      replyTo,
      session: number,
      messageId,
      body,
      media,
    });
    return answer(messageId);
  }
  if (type === 'location') {
    const location = (body.location ?? {}) as { latitude?: unknown; longitude?: unknown; name?: unknown };
    if (typeof location.latitude !== 'number' || typeof location.longitude !== 'number')
      return graphError(400, 'OAuthException', 100, "(#100) The parameter location['latitude'] is required.");
    const messageId = newId();
    context.record({ operation: 'send:location', path: request.path, chatId: to, text: textField(location.name), replyTo, session: number, messageId, body });
    return answer(messageId);
  }
  if (type === 'reaction') {
    const reaction = (body.reaction ?? {}) as { message_id?: unknown; emoji?: unknown };
    if (!textField(reaction.message_id) || typeof reaction.emoji !== 'string')
      return graphError(400, 'OAuthException', 100, "(#100) The parameter reaction['message_id'] is required.");
    const messageId = newId();
    context.record({
      operation: 'send:reaction',
      path: request.path,
      chatId: to,
      text: null,
      replyTo: textField(reaction.message_id),
      session: number,
      messageId,
      body,
      reaction: reaction.emoji,
    });
    return answer(messageId);
  }
  if (type !== 'text')
    return graphError(400, 'OAuthException', 100, `(#100) The sandbox plays text, media, location and reaction messages, not ${String(body.type)}`);
  const text = (body.text as { body?: unknown } | undefined)?.body;
  if (typeof text !== 'string' || text === '') return graphError(400, 'OAuthException', 100, "(#100) The parameter text['body'] is required.");
  const messageId = newId();
  context.record({ operation: 'sendText', path: request.path, chatId: to, text, replyTo, session: number, messageId, body });
  return answer(messageId);
};

/** `GET /{media-id}`: where the file is (here, the sandbox's own download route), as Meta's Media API answers. */
const mediaInfo: SandboxRoute = (request, context) => {
  const refused = tokenProblem(request, context);
  if (refused) return refused;
  const id = request.params.mediaId;
  const file = sandboxFileOf(context, id);
  if (!file) {
    return graphError(
      400,
      'GraphMethodException',
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
      33,
    );
  }
  const url = `http://${String(request.headers.host)}/cloudapi/media-download/${encodeURIComponent(id)}`;
  return {
    status: 200,
    body: { messaging_product: 'whatsapp', url, mime_type: file.mimeType, sha256: sha256(file.data), file_size: String(file.data.length), id },
  };
};

/** The file behind that URL (Meta's lookaside host), which wants the Bearer token too. */
const mediaDownload: SandboxRoute = (request, context) => {
  const refused = tokenProblem(request, context);
  if (refused) return refused;
  return serveFile(request, context, request.params.mediaId, { status: 404, body: { error: 'Not Found' } });
};

export const sandbox: SandboxContract = {
  credentials: { accessToken: 'sandbox-cloudapi-access-token', phoneNumberId: SANDBOX_PHONE_NUMBER_ID },
  initialState: () => ({ phoneNumbers: [SANDBOX_PHONE_NUMBER_ID], media: {} }),
  variants: [
    {
      prefix: 'cloudapi',
      config: {},
      routes: {
        'GET /me': me,
        'POST /:phoneNumberId/messages': messages,
        'POST /:phoneNumberId/media': uploadMedia,
        'GET /:mediaId': mediaInfo,
        'GET /media-download/:mediaId': mediaDownload,
      },
    },
  ],
};
