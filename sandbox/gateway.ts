/**
 * A local stand-in for the gateways' APIs: one server playing every provider's sandbox contract
 * (declared in each provider's folder, core/providers/<name>/sandbox.ts), each under its own
 * prefix, since WAHA and open-wa v5 share the path `/api/sendText`. It records every accepted call
 * and can print it: the demo's replies land here, and tests assert on what it received. Loopback only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROVIDER_LIST, providerOf, type ProviderName } from '../core/providers';
import type { IncomingFile, RecordedMedia, SandboxAnswer, SandboxContext, SandboxDelivery, SandboxRoute, SandboxVariant } from '../core/providers/sandbox';
import type { ClientConfig } from '../core/send/types';
import type { SandboxFile } from '../core/providers/shared/sandbox-media';

export type Delivery = SandboxDelivery;

export interface SandboxOptions {
  /** Credentials to accept instead of a provider's sandbox defaults (tests use secrets of their own). */
  credentials?: Partial<Record<ProviderName, ClientConfig>>;
  /** Print each delivery as one line, e.g. for the demo. */
  log?: (line: string) => void;
}

interface Mounted {
  provider: ProviderName;
  variant: SandboxVariant;
  method: string;
  /** The route's path split into segments; `:name` segments match any one. */
  segments: string[];
  route: SandboxRoute;
}

const newMessageId = (chatId: string) => `true_${chatId}_${randomBytes(10).toString('hex').toUpperCase()}`;

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** What the real gateways do with a file: decode the base64 (a data URL too), or download the URL. */
async function receiveFile(file: IncomingFile): Promise<RecordedMedia | { error: string }> {
  let bytes: Buffer;
  let url: string | null = null;
  let mimetype = file.mimetype ?? null;
  if (file.bytes) bytes = file.bytes;
  else if (file.base64) {
    const dataUrl = /^data:([^;,]+)(?:;[^,]*)?;base64,(.*)$/s.exec(file.base64);
    const text = (dataUrl ? dataUrl[2] : file.base64).replace(/\s+/g, '');
    if (!BASE64.test(text) || text.length % 4 !== 0) return { error: 'the file data is not base64' };
    bytes = Buffer.from(text, 'base64');
    if (dataUrl) mimetype ??= dataUrl[1];
  } else if (file.url) {
    url = file.url;
    try {
      const response = await fetch(file.url, { signal: AbortSignal.timeout(10_000) });
      if (!response.ok) return { error: `could not download ${file.url}: HTTP ${response.status}` };
      bytes = Buffer.from(await response.arrayBuffer());
      mimetype ??= response.headers.get('content-type');
    } catch (error) {
      return { error: `could not download ${file.url}: ${(error as Error).message}` };
    }
  } else return { error: 'no file: neither data nor url' };
  if (bytes.length === 0) return { error: 'the file is empty' };
  return { sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mimetype, filename: file.filename ?? null, url };
}

export class SandboxGateway {
  readonly deliveries: Delivery[] = [];
  /** Every request, accepted or not, for asserting retries. */
  readonly requests: { method: string; path: string }[] = [];
  private readonly failures: { status: number; remaining: number }[] = [];
  private server: Server | null = null;
  private readonly mounted: Mounted[];
  private readonly contexts = new Map<ProviderName, SandboxContext>();

  constructor(private readonly options: SandboxOptions = {}) {
    this.mounted = PROVIDER_LIST.flatMap((provider) =>
      provider.sandbox.variants.flatMap((variant) =>
        Object.entries(variant.routes).map(([key, route]) => {
          const [method, path] = key.split(' ');
          return { provider: provider.name, variant, method, segments: `/${variant.prefix}${path}`.split('/'), route };
        }),
      ),
    );
    this.reset();
  }

  /**
   * The files a provider's sandbox serves for download, by its key (WAHA's file name, wa-server's
   * media_path, a Cloud API media id…): set one to serve those bytes, to null for a file that is gone
   * (404). A key not set is served with bytes made from the key (core/providers/shared/sandbox-media.ts).
   */
  mediaOf(provider: ProviderName): Record<string, SandboxFile | null> {
    const state = this.stateOf(provider);
    return (state.media ??= {}) as Record<string, SandboxFile | null>;
  }

  /** Forgets deliveries, requests, pending failures and state (between tests). */
  reset(): void {
    this.deliveries.length = 0;
    this.requests.length = 0;
    this.failures.length = 0;
    for (const provider of PROVIDER_LIST) {
      this.contexts.set(provider.name, {
        credentials: this.credentialsOf(provider.name),
        newMessageId,
        receiveFile,
        state: provider.sandbox.initialState?.() ?? {},
        record: (delivery) => this.record({ provider: provider.name, ...delivery }),
      });
    }
  }

  /** The state a provider's contract keeps (its webhook lists…), for tests to inspect or arrange. */
  stateOf(provider: ProviderName): Record<string, unknown> {
    return this.contexts.get(provider)!.state;
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

  /** The credentials the sandbox accepts for a provider. */
  credentialsOf(provider: ProviderName): ClientConfig {
    return { ...providerOf(provider).sandbox.credentials, ...this.options.credentials?.[provider] };
  }

  /** The API base URL to configure for a provider (open-wa: per API version). */
  baseUrlFor(provider: ProviderName, apiVersion: 'v5' | 'v4' = 'v5'): string {
    const variants = providerOf(provider).sandbox.variants;
    if (variants.length === 0) throw new Error(`${providerOf(provider).displayName} has no API for the sandbox to play`);
    const variant = variants.find((v) => !v.config.apiVersion || v.config.apiVersion === apiVersion) ?? variants[0];
    return `${this.url}/${variant.prefix}`;
  }

  /** A complete client configuration against the sandbox: base URL, credentials and variant. */
  configFor(provider: ProviderName, apiVersion: 'v5' | 'v4' = 'v5'): ClientConfig {
    return { ...this.credentialsOf(provider), baseUrl: this.baseUrlFor(provider, apiVersion), apiVersion };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    this.requests.push({ method: req.method ?? '', path: url.pathname });
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const answer = await this.answer(req, url, Buffer.concat(chunks));
    if (Buffer.isBuffer(answer.body)) {
      res.writeHead(answer.status, { 'content-type': 'application/octet-stream', 'content-length': String(answer.body.length), ...answer.headers });
      res.end(answer.body);
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body));
  }

  private match(method: string, path: string): { mounted: Mounted; params: Record<string, string> } | null {
    const segments = path.split('/');
    for (const mounted of this.mounted) {
      if (mounted.method !== method || mounted.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const fits = mounted.segments.every((segment, i) => {
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = decodeURIComponent(segments[i]);
          return segments[i] !== '';
        }
        return segment === segments[i];
      });
      if (fits) return { mounted, params };
    }
    return null;
  }

  private async answer(req: IncomingMessage, url: URL, raw: Buffer): Promise<SandboxAnswer> {
    const failure = this.failures[0];
    if (failure) {
      if (--failure.remaining <= 0) this.failures.shift();
      return { status: failure.status, body: { message: `sandbox: injected ${failure.status}` } };
    }
    const found = this.match(req.method ?? '', url.pathname);
    if (!found) return { status: 404, body: { statusCode: 404, message: `Cannot ${req.method} ${url.pathname}`, error: 'Not Found' } };
    let body: unknown = null;
    let form: FormData | null = null;
    const contentType = String(req.headers['content-type'] ?? '');
    const text = contentType.startsWith('multipart/form-data') ? '' : raw.toString('utf8');
    if (contentType.startsWith('multipart/form-data')) {
      try {
        form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      } catch {
        return { status: 400, body: { statusCode: 400, message: 'Body is not valid multipart/form-data', error: 'Bad Request' } };
      }
    } else if (text !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        return { status: 400, body: { statusCode: 400, message: 'Body is not JSON', error: 'Bad Request' } };
      }
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        return { status: 400, body: { statusCode: 400, message: 'Body must be a JSON object', error: 'Bad Request' } };
      }
    }
    const { mounted, params } = found;
    const path = url.pathname.slice(mounted.variant.prefix.length + 1);
    const request = { method: mounted.method, path, headers: req.headers, query: url.searchParams, params, body: body as Record<string, unknown> | null, form };
    return await mounted.route(request, this.contexts.get(mounted.provider)!);
  }

  private record(delivery: Delivery): void {
    delivery.at ??= Date.now();
    this.deliveries.push(delivery);
    const quote = delivery.replyTo ? ` (reply to ${delivery.replyTo})` : '';
    const text = delivery.text === null ? '' : `: ${JSON.stringify(delivery.text)}`;
    const media = delivery.media ? ` [${delivery.media.mimetype ?? 'file'}, ${delivery.media.size} bytes, sha256 ${delivery.media.sha256.slice(0, 12)}…]` : '';
    const target = delivery.chatId ? ` → ${delivery.chatId}` : '';
    this.options.log?.(`[sandbox ${delivery.provider}] ${delivery.operation}${target}${quote}${media}${text}`);
  }
}
