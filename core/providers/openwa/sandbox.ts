/** open-wa's APIs as the sandbox plays them: v5 REST (`X-API-Key`) and the v4 EASY API (`api_key`, `{args}`). */
import type { SandboxContract, SandboxRoute } from '../sandbox';
import { textField } from '../sandbox';
import { sandboxFileOf, recordDownload } from '../shared/sandbox-media';

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

/**
 * `decryptMedia(message)`, v5 `POST /api/media/decrypt {message}` or v4 `POST /decryptMedia {args:
 * {message}}`: the message object (or its id) in, `{success, response: "data:<mime>;base64,…"}` out.
 * A message without a mimetype is "Not a media message" (media.ts of open-wa's client); a file
 * WhatsApp no longer has fails the decryption.
 */
function decrypt(version: 'v5' | 'v4'): SandboxRoute {
  return (request, context) => {
    const key = version === 'v5' ? request.headers['x-api-key'] : request.headers.api_key;
    if (key !== context.credentials.apiKey)
      return { status: 401, body: { success: false, error: version === 'v5' ? 'Unauthorized' : 'Unauthorized: api_key' } };
    const body = request.body ?? {};
    const message = (version === 'v5' ? body.message : (body.args as Record<string, unknown> | undefined)?.message) as
      Record<string, unknown> | string | undefined;
    const id = typeof message === 'string' ? message : textField(message?.id);
    if (!id) return { status: 400, body: { success: false, error: 'Message not found' } };
    if (typeof message === 'object' && !message.mimetype) return { status: 400, body: { success: false, error: 'Not a media message' } };
    const file = sandboxFileOf(context, id);
    if (!file) return { status: 404, body: { success: false, error: 'Media not found: 404 from the WhatsApp CDN (expired)' } };
    recordDownload(request, context, id, file);
    return { status: 200, body: { success: true, response: `data:${file.mimeType};base64,${file.data.toString('base64')}` } };
  };
}

const v4Unauthorized = { status: 401, body: { success: false, error: 'Unauthorized: api_key' } };

/** v4 media: `file` a data URL (or bare base64) or a URL open-wa downloads. */
function v4Media(operation: 'sendImage' | 'sendFile' | 'sendPtt' | 'sendAudio'): SandboxRoute {
  return async (request, context) => {
    if (request.headers.api_key !== context.credentials.apiKey) return v4Unauthorized;
    const args = ((request.body ?? {}).args ?? {}) as Record<string, unknown>;
    const chatId = textField(args.to);
    const file = textField(args.file);
    if (!chatId || !file) return { status: 400, body: { success: false, error: 'Missing arguments: to, file' } };
    const isUrl = /^https?:\/\//.test(file);
    const media = await context.receiveFile({ ...(isUrl ? { url: file } : { base64: file }), filename: textField(args.filename) });
    if ('error' in media) return { status: 400, body: { success: false, error: media.error } };
    const messageId = context.newMessageId(chatId);
    const body = { args: { ...args, file: '(recorded as media)' } };
    context.record({
      operation,
      path: request.path,
      chatId,
      text: textField(args.caption),
      replyTo: textField(args.quotedMsgId),
      session: null,
      messageId,
      body,
      media,
    });
    return { status: 200, body: { success: true, response: messageId } };
  };
}

/** v4 `{args}` calls that are not messages: location, react, typing. */
function v4Call(operation: 'sendLocation' | 'react' | 'simulateTyping' | 'simulateRecording'): SandboxRoute {
  return (request, context) => {
    if (request.headers.api_key !== context.credentials.apiKey) return v4Unauthorized;
    const body = request.body ?? {};
    const args = (body.args ?? {}) as Record<string, unknown>;
    const chatId = textField(operation === 'react' ? String(args.messageId ?? '').split('_')[1] : args.to) ?? '';
    const valid =
      operation === 'react'
        ? !!textField(args.messageId) && typeof args.emoji === 'string'
        : operation === 'sendLocation'
          ? !!chatId && [args.lat, args.lng].every((value) => value !== '' && Number.isFinite(Number(value)))
          : !!chatId && typeof args.on === 'boolean';
    if (!valid) return { status: 400, body: { success: false, error: 'Missing arguments' } };
    const messageId = operation === 'sendLocation' ? context.newMessageId(chatId) : null;
    const operationName = operation.startsWith('simulate') ? `${operation}:${args.on ? 'on' : 'off'}` : operation;
    context.record({
      operation: operationName,
      path: request.path,
      chatId,
      text: textField(args.loc),
      replyTo: operation === 'react' ? textField(args.messageId) : null,
      session: null,
      messageId,
      body,
      ...(operation === 'react' ? { reaction: args.emoji as string } : {}),
    });
    return { status: 200, body: { success: true, response: messageId ?? true } };
  };
}

export const sandbox: SandboxContract = {
  credentials: { apiKey: 'sandbox-openwa-key' },
  variants: [
    { prefix: 'openwa', config: { apiVersion: 'v5' }, routes: { 'POST /api/sendText': sendTextV5, 'POST /api/media/decrypt': decrypt('v5') } },
    {
      prefix: 'openwa-v4',
      config: { apiVersion: 'v4' },
      routes: {
        'POST /decryptMedia': decrypt('v4'),
        'POST /sendText': v4('sendText'),
        'POST /reply': v4('reply'),
        'POST /sendSeen': v4('sendSeen'),
        'POST /sendImage': v4Media('sendImage'),
        'POST /sendFile': v4Media('sendFile'),
        'POST /sendPtt': v4Media('sendPtt'),
        'POST /sendAudio': v4Media('sendAudio'),
        'POST /sendLocation': v4Call('sendLocation'),
        'POST /react': v4Call('react'),
        'POST /simulateTyping': v4Call('simulateTyping'),
        'POST /simulateRecording': v4Call('simulateRecording'),
      },
    },
  ],
};
