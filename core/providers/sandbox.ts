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
  /** The JSON body, or null when there was none. */
  body: Record<string, unknown> | null;
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
}

/** What a route handler may use: the accepted credentials, recording, ids, and per-run state. */
export interface SandboxContext {
  credentials: ClientConfig;
  record(delivery: Omit<SandboxDelivery, 'provider'>): void;
  /** A fresh message id in the gateway's usual form. */
  newMessageId(chatId: string): string;
  /** State kept for the sandbox's life (webhook lists and the like), per provider. */
  state: Record<string, unknown>;
}

export type SandboxRoute = (request: SandboxRequest, context: SandboxContext) => SandboxAnswer;

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
