/**
 * A local stand-in for the gateways' send APIs, implementing each provider's documented request
 * contract (path, auth header, body) and answering as the real one documents, errors included.
 * It records every accepted delivery and can print it: the demo's replies land here, and tests
 * assert on what it received. Loopback only.
 *
 * One server plays every gateway, each under its own prefix (WAHA and open-wa v5 share the path
 * `/api/sendText`): the API base URL to configure is `<url>/waha`, `<url>/wawp`, `<url>/openwa`
 * (v5) or `<url>/openwa-v4`.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ProviderName } from '../core/event/schema';

export interface SandboxCredentials {
  wahaApiKey: string;
  wawpInstanceId: string;
  wawpAccessToken: string;
  openwaApiKey: string;
}

export interface Delivery {
  provider: ProviderName;
  /** `sendText`, `reply`, `sendSeen`… */
  operation: string;
  path: string;
  chatId: string;
  text: string | null;
  replyTo: string | null;
  session: string | null;
  messageId: string | null;
  body: unknown;
}

type Answer = { status: number; body: unknown };
type Handler = (body: Record<string, unknown>, req: IncomingMessage) => Answer;

export interface SandboxOptions extends Partial<SandboxCredentials> {
  /** Print each delivery as one line, e.g. for the demo. */
  log?: (line: string) => void;
}

export const SANDBOX_DEFAULTS: SandboxCredentials = {
  wahaApiKey: 'sandbox-waha-key',
  wawpInstanceId: 'sandbox-instance',
  wawpAccessToken: 'sandbox-token',
  openwaApiKey: 'sandbox-openwa-key',
};

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const newId = (chatId: string) => `true_${chatId}_${randomBytes(10).toString('hex').toUpperCase()}`;

export class SandboxGateway {
  readonly deliveries: Delivery[] = [];
  /** Every request, accepted or not, for asserting retries. */
  readonly requests: { method: string; path: string }[] = [];
  private readonly credentials: SandboxCredentials;
  private readonly failures: { status: number; remaining: number }[] = [];
  private server: Server | null = null;
  private readonly routes: Record<string, Handler>;

  constructor(private readonly options: SandboxOptions = {}) {
    this.credentials = { ...SANDBOX_DEFAULTS, ...options };
    this.routes = {
      'POST /waha/api/sendText': (body, req) => this.waha(body, req, 'sendText'),
      'POST /waha/api/sendSeen': (body, req) => this.waha(body, req, 'sendSeen'),
      'POST /wawp/v2/send/text': (body) => this.wawp(body),
      'POST /openwa/api/sendText': (body, req) => this.openwaV5(body, req),
      'POST /openwa-v4/sendText': (body, req) => this.openwaV4(body, req, 'sendText'),
      'POST /openwa-v4/reply': (body, req) => this.openwaV4(body, req, 'reply'),
      'POST /openwa-v4/sendSeen': (body, req) => this.openwaV4(body, req, 'sendSeen'),
    };
  }

  /** Forgets deliveries, requests and pending failures (between tests). */
  reset(): void {
    this.deliveries.length = 0;
    this.requests.length = 0;
    this.failures.length = 0;
  }

  /** The next `count` requests are answered with `status` (a 5xx or 429 to exercise retries). */
  failNext(status: number, count = 1): void {
    this.failures.push({ status, remaining: count });
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, host, resolve));
    return this.url;
  }

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;
    if (!address) throw new Error('sandbox gateway is not started');
    return `http://${address.address}:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://sandbox').pathname;
    this.requests.push({ method: req.method ?? '', path });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = this.answer(req, path, Buffer.concat(chunks).toString('utf8'));
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
  }

  private answer(req: IncomingMessage, path: string, text: string): Answer {
    const failure = this.failures[0];
    if (failure) {
      if (--failure.remaining <= 0) this.failures.shift();
      return { status: failure.status, body: { message: `sandbox: injected ${failure.status}` } };
    }
    const handler = this.routes[`${req.method} ${path}`];
    if (!handler) return { status: 404, body: { statusCode: 404, message: `Cannot ${req.method} ${path}`, error: 'Not Found' } };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return { status: 400, body: { statusCode: 400, message: 'Body is not JSON', error: 'Bad Request' } };
    }
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return { status: 400, body: { statusCode: 400, message: 'Body must be a JSON object', error: 'Bad Request' } };
    }
    return handler(body as Record<string, unknown>, req);
  }

  private record(delivery: Delivery): void {
    this.deliveries.push(delivery);
    const quote = delivery.replyTo ? ` (reply to ${delivery.replyTo})` : '';
    const text = delivery.text === null ? '' : `: ${JSON.stringify(delivery.text)}`;
    this.options.log?.(`[sandbox ${delivery.provider}] ${delivery.operation} → ${delivery.chatId}${quote}${text}`);
  }

  /** WAHA (NestJS): 401 for a wrong key, 400 listing missing fields, 201 with the sent message. */
  private waha(body: Record<string, unknown>, req: IncomingMessage, operation: 'sendText' | 'sendSeen'): Answer {
    if (req.headers['x-api-key'] !== this.credentials.wahaApiKey) return { status: 401, body: { message: 'Unauthorized', statusCode: 401 } };
    const chatId = str(body.chatId);
    const text = str(body.text);
    const missing = [!chatId && 'chatId should not be empty', operation === 'sendText' && !text && 'text should not be empty'].filter(Boolean);
    if (missing.length) return { status: 400, body: { statusCode: 400, message: missing, error: 'Bad Request' } };
    const messageId = operation === 'sendText' ? newId(chatId!) : null;
    this.record({ provider: 'waha', operation, path: `/api/${operation}`, chatId: chatId!, text, replyTo: str(body.reply_to), session: str(body.session), messageId, body });
    return { status: 201, body: operation === 'sendText' ? { id: messageId, timestamp: Math.floor(Date.now() / 1000), body: text, fromMe: true, to: chatId } : {} };
  }

  /** Wawp: token errors are 401, missing fields 400, success `{status: "success", data: {id}}`. */
  private wawp(body: Record<string, unknown>): Answer {
    if (body.instance_id !== this.credentials.wawpInstanceId || body.access_token !== this.credentials.wawpAccessToken) {
      return { status: 401, body: { status: 'error', message: 'Invalid instance_id or access_token' } };
    }
    const chatId = str(body.chatId);
    const text = str(body.message);
    if (!chatId || !text) return { status: 400, body: { status: 'error', message: 'chatId and message are required' } };
    const messageId = newId(chatId);
    this.record({ provider: 'wawp', operation: 'sendText', path: '/v2/send/text', chatId, text, replyTo: str(body.reply_to), session: null, messageId, body });
    return { status: 200, body: { status: 'success', data: { id: messageId } } };
  }

  /** The API base URL to configure for a provider. */
  baseUrlFor(provider: ProviderName, apiVersion: 'v5' | 'v4' = 'v5'): string {
    const prefix = provider === 'openwa' && apiVersion === 'v4' ? 'openwa-v4' : provider;
    return `${this.url}/${prefix}`;
  }

  /** open-wa v5 REST: `X-API-Key`, `{to, text}`, answers `{success, response: <message id>}`. */
  private openwaV5(body: Record<string, unknown>, req: IncomingMessage): Answer {
    if (req.headers['x-api-key'] !== this.credentials.openwaApiKey) return { status: 401, body: { success: false, error: 'Unauthorized' } };
    const chatId = str(body.to);
    const text = str(body.text);
    if (!chatId || !text) return { status: 400, body: { success: false, error: 'to and text are required' } };
    const messageId = newId(chatId);
    this.record({ provider: 'openwa', operation: 'sendText', path: '/api/sendText', chatId, text, replyTo: null, session: null, messageId, body });
    return { status: 200, body: { success: true, response: messageId } };
  }

  /** open-wa v4 EASY API: `{args}` in, `{success, response}` out; `api_key` header. */
  private openwaV4(body: Record<string, unknown>, req: IncomingMessage, operation: 'sendText' | 'reply' | 'sendSeen'): Answer {
    if (req.headers.api_key !== this.credentials.openwaApiKey) return { status: 401, body: { success: false, error: 'Unauthorized: api_key' } };
    const args = (body.args ?? {}) as Record<string, unknown>;
    const chatId = str(operation === 'sendSeen' ? args.chatId : args.to);
    const text = str(args.content);
    if (!chatId || (operation !== 'sendSeen' && !text)) return { status: 400, body: { success: false, error: 'Missing arguments' } };
    const messageId = operation === 'sendSeen' ? null : newId(chatId);
    this.record({ provider: 'openwa', operation, path: `/${operation}`, chatId, text, replyTo: str(args.quotedMsgId), session: null, messageId, body });
    return { status: 200, body: { success: true, response: messageId ?? true } };
  }
}
