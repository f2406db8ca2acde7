/**
 * How a provider describes its API to the sandbox gateway (sandbox/gateway.ts): the routes it
 * answers, the credentials it accepts, and what it records. The sandbox is one generic server; each
 * provider folder holds its own contract, written from the gateway's documented API.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ClientConfig } from '../send/types';

export interface SandboxRequest {
  method: string;
  /** The path below the provider's prefix: `/api/sendText`. */
  path: string;
  headers: IncomingHttpHeaders;
  query: URLSearchParams;
  /** `:name` segments of the route's path. */
  params: Record<string, string>;
  /** The JSON body, or null when there was none (or it was a form). */
  body: Record<string, unknown> | null;
  /** A `multipart/form-data` body (the Cloud API's media upload), else null. */
  form: FormData | null;
}

export interface SandboxAnswer {
  status: number;
  /** JSON, or a file's bytes (a Buffer), sent as they are with `headers`. */
  body: unknown;
  headers?: Record<string, string>;
}

/** One accepted call, as tests and the demo read it. */
export interface SandboxDelivery {
  provider: string;
  /** `sendText`, `reply`, `sendSeen`, `setWebhooks`… */
  operation: string;
  path: string;
  chatId: string;
  text: string | null;
  replyTo: string | null;
  session: string | null;
  messageId: string | null;
  body: unknown;
  /** The file a media send carried, as the gateway received it (bytes hashed, so tests compare them). */
  media?: RecordedMedia | null;
  /** The emoji of a reaction ('' removes it). */
  reaction?: string | null;
  /** When the sandbox accepted the call (ms since the epoch): tests order typing before sending by it. */
  at?: number;
}

/** A received file: its SHA-256 (hex) and size, whether it came as bytes or was fetched from a URL. */
export interface RecordedMedia {
  sha256: string;
  size: number;
  mimetype: string | null;
  filename: string | null;
  /** The URL the sandbox fetched it from, or null when the bytes came in the request. */
  url: string | null;
}

/** A file as a gateway takes it: base64 (or a data URL), bytes, or a URL to fetch. */
export interface IncomingFile {
  base64?: string | null;
  bytes?: Buffer | null;
  url?: string | null;
  mimetype?: string | null;
  filename?: string | null;
}

/** What a route handler may use: the accepted credentials, recording, ids, and per-run state. */
export interface SandboxContext {
  credentials: ClientConfig;
  record(delivery: Omit<SandboxDelivery, 'provider'>): void;
  /** The file's bytes (decoded, or fetched as the gateway would), hashed; a `SandboxAnswer` error when there is none. */
  receiveFile(file: IncomingFile): Promise<RecordedMedia | { error: string }>;
  /** A fresh message id in the gateway's usual form. */
  newMessageId(chatId: string): string;
  /** State kept for the sandbox's life (webhook lists and the like), per provider. */
  state: Record<string, unknown>;
}

export type SandboxRoute = (request: SandboxRequest, context: SandboxContext) => SandboxAnswer | Promise<SandboxAnswer>;

export interface SandboxVariant {
  /** URL prefix under which the sandbox plays this variant: `<sandbox>/<prefix>` is the API URL. */
  prefix: string;
  /** The client settings that select the variant (open-wa `apiVersion`). */
  config: Partial<ClientConfig>;
  /** `POST /api/sendText` → handler; `:name` segments match one path segment. */
  routes: Record<string, SandboxRoute>;
}

export interface SandboxContract {
  /** The credentials the sandbox accepts unless told others (what the demo and `waflow sandbox` print). */
  credentials: ClientConfig;
  /** The first variant is the default. */
  variants: readonly SandboxVariant[];
  /** State a fresh sandbox starts with (a WAHA session with a webhook of someone else's…). */
  initialState?: () => Record<string, unknown>;
}

/** A string field of a JSON body, or null when absent or empty. */
export function textField(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}
