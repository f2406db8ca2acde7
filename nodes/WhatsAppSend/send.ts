/**
 * What WhatsApp Send does in n8n's own terms: the text (n8n expressions around our placeholders)
 * and n8n's error types. Which chat, quote and session are the core's (`planSend`).
 */
import { randomBytes } from 'node:crypto';
import { NodeApiError, NodeOperationError, type IDataObject, type IExecuteFunctions, type INode, type INodeExecutionData, type JsonObject } from 'n8n-workflow';
import {
  GatewayError,
  MediaFileError,
  mediaKindOf,
  planLocation,
  planMedia,
  planReact,
  planSend,
  renderTemplate,
  SendPlanError,
  typingOptionsProblem,
  type MediaFile,
  type NormalizedEvent,
  type PlannedSend,
  type ReplyMode,
  type SendOperation,
  type TypingMode,
  type TypingOptions,
} from '../../core';

export const NOT_AN_EVENT = 'is not a normalized WhatsApp event: connect this node after a WhatsApp trigger (Output: Normalized Event) or the WhatsApp Router';

/**
 * Our placeholders inside an n8n expression: a plain dotted path starting lower-case (`{{text}}`,
 * `{{message.chat.id}}`). Anything else between braces (`{{ $json.x }}`, `{{ Math.max(1, 2) }}`)
 * is n8n's.
 */
const PLACEHOLDER = /\{\{\s*([a-z]\w*(?:\.\w+)*)\s*\}\}/g;

/**
 * The text to send. A fixed value is a template over the event (core `renderTemplate`). n8n's
 * editor turns any value containing `{{ … }}` into an expression, so in an expression our
 * placeholders are swapped for random tokens, n8n evaluates the rest, and the tokens are then
 * replaced by the rendered values: a message's text never reaches n8n's expression evaluator.
 *
 * `raw` is the parameter as stored (`=` starts an expression); `evaluate` is n8n's
 * `evaluateExpression`, which takes the expression without its `=`. Placeholders read the event;
 * an item that is not an event (Reply To: Chat ID) lends its own fields instead.
 */
export function replyTextOf(raw: unknown, event: NormalizedEvent | null, json: IDataObject, evaluate: (expression: string) => unknown): string {
  const render = (template: string) => (event ? renderTemplate(template, event) : renderTemplate(template, null, json));
  let text: string;
  if (typeof raw === 'string' && raw.startsWith('=')) {
    const nonce = randomBytes(8).toString('hex');
    const values: string[] = [];
    const expression = raw.slice(1).replace(PLACEHOLDER, (placeholder) => `\u27e6${nonce}:${values.push(render(placeholder)) - 1}\u27e7`);
    const value = evaluate(expression);
    const evaluated = value === undefined || value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    text = evaluated.replace(new RegExp(`\u27e6${nonce}:(\\d+)\u27e7`, 'g'), (_token, index: string) => values[Number(index)]);
  } else {
    text = render(typeof raw === 'string' ? raw : '');
  }
  return text.trim();
}

interface PlanContext {
  operation: SendOperation;
  item: INodeExecutionData;
  itemIndex: number;
  event: NormalizedEvent | null;
  provider: string;
  session: string | null;
  notAnEvent: string;
}

/** A text parameter with our placeholders rendered (and n8n's expressions evaluated around them). */
function templated(ctx: IExecuteFunctions, name: string, { item, itemIndex, event }: PlanContext): string {
  const node = ctx.getNode();
  return replyTextOf(node.parameters[name] ?? ctx.getNodeParameter(name, itemIndex, ''), event, item.json, (expression) =>
    ctx.evaluateExpression(expression, itemIndex),
  );
}

/** The file: the item's binary data (n8n's binary helpers) or a URL. */
async function mediaFileOf(ctx: IExecuteFunctions, itemIndex: number): Promise<MediaFile> {
  const fileName = String(ctx.getNodeParameter('fileName', itemIndex, '')).trim() || undefined;
  if (ctx.getNodeParameter('mediaSource', itemIndex, 'binary') === 'url') {
    return { url: String(ctx.getNodeParameter('mediaUrl', itemIndex, '')).trim(), filename: fileName };
  }
  const property = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim() || 'data';
  const binary = ctx.helpers.assertBinaryData(itemIndex, property);
  const data = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
  return { data, mimetype: binary.mimeType, filename: fileName ?? binary.fileName };
}

/** What this item sends, planned by the core. */
export async function plannedFor(ctx: IExecuteFunctions, plan: PlanContext): Promise<PlannedSend> {
  const { operation, itemIndex, event, provider, session, notAnEvent } = plan;
  if (operation === 'react') {
    return { operation, input: planReact(event, provider, String(ctx.getNodeParameter('emoji', itemIndex, '')), notAnEvent, session) };
  }
  const mode = ctx.getNodeParameter('replyTo', itemIndex, 'quote') as ReplyMode;
  const target = {
    mode,
    event,
    provider,
    chatId: mode === 'chatId' ? String(ctx.getNodeParameter('chatId', itemIndex, '')) : undefined,
    chatIdSource: 'Chat ID',
    session,
    notAnEvent,
  };
  if (operation === 'sendText') return { operation, input: planSend({ ...target, text: templated(ctx, 'text', plan) }) };
  if (operation === 'sendLocation') {
    const text = (name: string) => String(ctx.getNodeParameter(name, itemIndex, ''));
    return {
      operation,
      input: planLocation({ ...target, latitude: text('latitude'), longitude: text('longitude'), name: text('locationName'), address: text('address') }),
    };
  }
  const kind = mediaKindOf(operation)!;
  const caption = kind === 'voice' || kind === 'audio' ? undefined : templated(ctx, 'caption', plan);
  return { operation: 'sendMedia', input: planMedia({ ...target, kind, file: await mediaFileOf(ctx, itemIndex), caption }) };
}

export function typingOptionsOf(ctx: IExecuteFunctions, itemIndex: number): TypingOptions {
  const mode = ctx.getNodeParameter('typing', itemIndex, 'off') as TypingMode;
  // Only the parameters the mode shows: n8n refuses to read a hidden one without a fallback.
  const number = (name: string) => Number(ctx.getNodeParameter(name, itemIndex, 0));
  const options: TypingOptions =
    mode === 'fixed' ? { mode, ms: number('typingMs') } : mode === 'byLength' ? { mode, minMs: number('typingMinMs'), maxMs: number('typingMaxMs') } : { mode };
  const problem = typingOptionsProblem(options);
  if (problem) throw new SendPlanError(problem);
  return options;
}

/**
 * n8n's error for a failed item. A gateway's HTTP answer becomes a NodeApiError carrying its
 * status; the core's message already names the provider, the call and the gateway's own words.
 */
export function nodeErrorOf(node: INode, error: Error, itemIndex: number): NodeApiError | NodeOperationError {
  if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
  if (error instanceof SendPlanError || error instanceof MediaFileError) return new NodeOperationError(node, error.message, { itemIndex });
  if (error instanceof GatewayError && error.status !== null) {
    const httpCode = String(error.status);
    const description = error.status === 401 || error.status === 403 ? 'Check the API settings (URL and key or token) in the credential' : undefined;
    return new NodeApiError(node, { message: error.message, httpCode } as JsonObject, { message: error.message, httpCode, description, itemIndex });
  }
  const failure = new NodeOperationError(node, error.message, { itemIndex });
  // n8n swaps a message mentioning ECONNREFUSED, ETIMEDOUT… for a generic sentence naming neither
  // the gateway nor its address; the core's message says both.
  failure.message = error.message;
  return failure;
}
