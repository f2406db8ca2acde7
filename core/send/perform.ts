/**
 * One planned send, performed the same way in both engines: the typing indicator first when asked
 * (recording before a voice note), then the call its operation needs, and one result shape.
 */
import type { Provider } from '../providers/types';
import { mediaOperationOf } from './media';
import { typingDelayMs, withTyping, type TypingDeps, type TypingOptions, type TypingRun } from './typing';
import type { ClientConfig, GatewayClient, MediaKind, ReactInput, SendLocationInput, SendMediaInput, SendTextInput } from './types';

/** The send operations a node offers (Mark as Read stays apart: it sends nothing). */
export const SEND_OPERATIONS = ['sendText', 'sendImage', 'sendVideo', 'sendDocument', 'sendVoice', 'sendAudio', 'sendLocation', 'react'] as const;
export type SendOperation = (typeof SEND_OPERATIONS)[number];

const MEDIA_KIND_OF: Partial<Record<SendOperation, MediaKind>> = {
  sendImage: 'image',
  sendVideo: 'video',
  sendDocument: 'document',
  sendVoice: 'voice',
  sendAudio: 'audio',
};

/** The kind of media a send operation sends, or null for the others. */
export function mediaKindOf(operation: SendOperation): MediaKind | null {
  return MEDIA_KIND_OF[operation] ?? null;
}

export type PlannedSend =
  | { operation: 'sendText'; input: SendTextInput }
  | { operation: 'sendMedia'; input: SendMediaInput }
  | { operation: 'sendLocation'; input: SendLocationInput }
  | { operation: 'react'; input: ReactInput };

/** What a node outputs for a performed send, the same for every gateway. */
export interface PerformedSend {
  provider: string;
  operation: SendOperation;
  chatId: string;
  /** The sent message's id; for a reaction, the message reacted to. */
  messageId: string | null;
  quoted: boolean;
  /** The text, caption, location name or emoji, when there is one. */
  text: string | null;
  typing: TypingRun | null;
  /** The gateway's answer as received (null for a reaction, which answers nothing useful). */
  response: unknown;
}

export function operationOf(planned: PlannedSend): SendOperation {
  return planned.operation === 'sendMedia' ? (mediaOperationOf(planned.input.kind) as SendOperation) : planned.operation;
}

/** The text the typing time grows with: the message, the caption, the location's name. */
function textOf(planned: PlannedSend): string | null {
  if (planned.operation === 'sendText') return planned.input.text;
  if (planned.operation === 'sendMedia') return planned.input.caption ?? null;
  if (planned.operation === 'sendLocation') return planned.input.name ?? null;
  return planned.input.emoji;
}

export async function performSend(
  provider: Provider,
  config: ClientConfig,
  client: GatewayClient,
  planned: PlannedSend,
  options: TypingDeps & {
    typing?: TypingOptions;
    /** The triggering message's id, even when not quoted: the Cloud API shows typing through it. */
    answering?: string | null;
  } = {},
): Promise<PerformedSend> {
  const { typing, answering, ...deps } = options;
  const operation = operationOf(planned);
  const text = textOf(planned);
  if (planned.operation === 'react') {
    // A reaction is not typed: it goes out at once.
    await client.react(planned.input);
    const { chatId, messageId } = planned.input;
    return { provider: provider.name, operation, chatId, messageId, quoted: false, text, typing: null, response: null };
  }
  const delayMs = typingDelayMs(typing, text ?? '');
  const supported = provider.api.capabilities(config).includes('typing');
  const kind = planned.operation === 'sendMedia' && planned.input.kind === 'voice' ? 'recording' : 'typing';
  const { chatId, replyTo, session } = planned.input;
  const send = () =>
    planned.operation === 'sendText'
      ? client.sendText(planned.input)
      : planned.operation === 'sendMedia'
        ? client.sendMedia(planned.input)
        : client.sendLocation(planned.input);
  const { result, typing: run } = await withTyping(client, supported, { chatId, kind, session, messageId: replyTo ?? answering ?? null }, delayMs, send, deps);
  return {
    provider: result.provider,
    operation,
    chatId: result.chatId,
    messageId: result.messageId,
    quoted: result.quoted,
    text,
    typing: run,
    response: result.response,
  };
}
