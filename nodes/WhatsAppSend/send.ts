/**
 * What WhatsApp Send decides per item, as plain functions: the client settings, the text, the
 * chat, and how a failure is reported. Sending itself is the core's (`createClient`).
 */
import { randomBytes } from 'node:crypto';
import {
  NodeApiError,
  NodeOperationError,
  type ICredentialDataDecryptedObject,
  type IDataObject,
  type INode,
  type JsonObject,
} from 'n8n-workflow';
import { GatewayError, renderTemplate, replyTargetOf, type ClientConfig, type NormalizedEvent, type ProviderName } from '../../core';

/** Where a text goes: the triggering message's chat, quoting it or not, or a chat ID parameter. */
export type ReplyMode = 'quote' | 'chat' | 'chatId';

const NOT_AN_EVENT = 'is not a normalized WhatsApp event: connect this node after a WhatsApp trigger (Output: Normalized Event) or the WhatsApp Router';

/** The send client's settings from the gateway's credential (the four credentials name them alike). */
export function clientConfigOf(credentials: ICredentialDataDecryptedObject): ClientConfig {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  return {
    baseUrl: text(credentials.baseUrl),
    apiKey: text(credentials.apiKey),
    instanceId: text(credentials.instanceId),
    accessToken: text(credentials.accessToken),
    apiVersion: credentials.apiVersion === 'v4' ? 'v4' : 'v5',
  };
}

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
export function textOf(
  raw: unknown,
  event: NormalizedEvent | null,
  json: IDataObject,
  evaluate: (expression: string) => unknown,
): string {
  const render = (template: string) => (event ? renderTemplate(template, event) : renderTemplate(template, {} as NormalizedEvent, json));
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

/** The chat to send to and the message to quote; throws with the reason when there is none. */
export function targetOf(mode: ReplyMode, event: NormalizedEvent | null, chatId: string, node: INode, itemIndex: number) {
  if (mode === 'chatId') {
    if (!chatId.trim()) throw new NodeOperationError(node, 'No chat to send to: Chat ID is empty', { itemIndex, description: 'A chat ID such as 6281234567890@c.us' });
    return { chatId: chatId.trim(), replyTo: null };
  }
  if (!event) throw new NodeOperationError(node, `Item ${itemIndex} ${NOT_AN_EVENT}, or set Reply To to "Chat ID Below"`, { itemIndex });
  const target = replyTargetOf(event);
  if (!target) throw new NodeOperationError(node, `No chat to reply to: a ${event.event} event has no chat`, { itemIndex });
  return { chatId: target.chatId, replyTo: mode === 'quote' ? target.messageId : null };
}

/** The triggering message, to mark read. */
export function readTargetOf(event: NormalizedEvent | null, node: INode, itemIndex: number): { chatId: string; messageId: string } {
  if (!event) throw new NodeOperationError(node, `Item ${itemIndex} ${NOT_AN_EVENT}`, { itemIndex });
  const target = replyTargetOf(event);
  if (!target?.messageId) throw new NodeOperationError(node, `Nothing to mark as read: a ${event.event} event is not about one message`, { itemIndex });
  return { chatId: target.chatId, messageId: target.messageId };
}

/** `json.error` of an item that failed under "Continue": the same fields as the Node-RED node's `msg.error`. */
export function errorJsonOf(error: Error, provider: ProviderName): IDataObject {
  return {
    provider: error instanceof GatewayError ? error.provider : provider,
    status: error instanceof GatewayError ? error.status : null,
    message: error.message,
  };
}

/**
 * n8n's error for a failed item. A gateway's HTTP answer becomes a NodeApiError carrying its
 * status; the core's message already names the provider, the call and the gateway's own words.
 */
export function nodeErrorOf(node: INode, error: Error, itemIndex: number): NodeApiError | NodeOperationError {
  if (error instanceof NodeOperationError || error instanceof NodeApiError) return error;
  if (error instanceof GatewayError && error.status !== null) {
    const httpCode = String(error.status);
    const description = error.status === 401 || error.status === 403 ? 'Check the API URL and key (Wawp: instance ID and access token) in the credential' : undefined;
    return new NodeApiError(node, { message: error.message, httpCode } as JsonObject, { message: error.message, httpCode, description, itemIndex });
  }
  const failure = new NodeOperationError(node, error.message, { itemIndex });
  // n8n swaps a message mentioning ECONNREFUSED, ETIMEDOUT… for a generic sentence naming neither
  // the gateway nor its address; the core's message says both.
  failure.message = error.message;
  return failure;
}

/**
 * Runs `task` over the items, at most `limit` at once, results in item order: a batch of items must
 * not open a burst of connections to the gateway (which may rate-limit or ban the number). After a
 * failure no further item starts; the ones under way finish, then the first failure is thrown.
 */
export async function mapLimit<T, R>(items: T[], limit: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  const failures: unknown[] = [];
  let next = 0;
  async function worker(): Promise<void> {
    while (failures.length === 0 && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index], index);
      } catch (error) {
        failures.push(error);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return results;
}
