import type { CanonicalEvent, NormalizedEvent } from '../event/schema';
import type { WebhookRequest } from '../http/request';
import type { ClientConfig, GatewayClient } from '../send/types';
import type { MediaLocator } from '../media/source';
import type { SandboxContract } from './sandbox';

/** The settings that decide whether a request is authentic. Which ones apply depends on the provider. */
export interface VerifyOptions {
  /**
   * The provider's secret: WAHA's HMAC key, wa-server's App `webhook_secret`, open-wa's shared
   * header secret / bearer token, Wawp's `?secret=` token. Empty or absent: nothing is checked.
   */
  secret?: string;
  /** open-wa: the header carrying the shared secret (default `X-Webhook-Secret`; `Authorization: Bearer` is always accepted). */
  secretHeader?: string;
  /** open-wa: key of an optional HMAC-SHA256 of the raw body, added by a signing proxy. */
  hmacSecret?: string;
  /** open-wa: header carrying that HMAC (default `X-Webhook-Signature`). */
  signatureHeader?: string;
  /** Wawp: the query parameter carrying the token (default `secret`). */
  secretQueryParam?: string;
  /** wa-server: how far `X-WA-Timestamp` may be from now, in seconds (default 300). */
  timestampToleranceSeconds?: number;
  /** WhatsApp Cloud API: the token Meta's subscription handshake (`GET ?hub.verify_token=`) must carry. */
  verifyToken?: string;
}

export type VerifyResult = { ok: true } | { ok: false; error: string };

export interface VerifyInput {
  request: WebhookRequest;
  rawBody: Buffer;
  nowMs: number;
  options: VerifyOptions;
}

/** The answer to a gateway's subscription check (a `GET` on the webhook URL), made before any delivery. */
export interface HandshakeAnswer {
  status: number;
  /** Plain text on success (the challenge to echo), else the reason. */
  body: string;
  contentType: string;
}

export interface HandshakeInput {
  query: Record<string, unknown>;
  options: VerifyOptions;
}

export interface NormalizeContext {
  /** When the request arrived (ms): the timestamp of last resort. */
  receivedAtMs: number;
  /** Hex digest of the raw body: the dedupe key of last resort, stable across identical redeliveries. */
  bodyDigest: string;
}

export interface SignInput {
  body: Buffer;
  secret: string;
  nowMs: number;
  options?: VerifyOptions & { algorithm?: 'sha256' | 'sha512' };
}

/** What a gateway would add to a request for it to pass `verify`. */
export interface SignedRequest {
  headers: Record<string, string>;
  query: Record<string, string>;
}

/**
 * What a gateway's client can do, beyond receiving. Each one a provider declares, its client
 * implements; each one it does not, its client refuses with `<Gateway> does not support <operation>`.
 */
export const OPERATIONS = [
  'sendText',
  'sendImage',
  'sendVideo',
  'sendDocument',
  'sendVoice',
  'sendAudio',
  'sendLocation',
  'react',
  'typing',
  'markRead',
  'registerWebhook',
  'resolveLid',
  'downloadMedia',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/** How an operation is named in "<Gateway> does not support …" and in the engines' help. */
export const OPERATION_NAMES: Record<Operation, string> = {
  sendText: 'sending messages',
  sendImage: 'sending images',
  sendVideo: 'sending videos',
  sendDocument: 'sending documents',
  sendVoice: 'sending voice notes',
  sendAudio: 'sending audio files (apart from voice notes)',
  sendLocation: 'sending locations',
  react: 'reactions',
  typing: 'showing "typing…"',
  markRead: 'marking messages as read',
  registerWebhook: 'registering webhooks through its API',
  resolveLid: 'looking up the phone number behind a LID',
  downloadMedia: 'downloading media',
};

/**
 * One setting the engines ask the user for. `key` is the core's name for it (a `VerifyOptions` or
 * `ClientConfig` key); the engines store it under that name unless `storedAs` says otherwise (names
 * that saved flows and workflows already use).
 */
export interface ProviderField {
  key: keyof VerifyOptions | keyof ClientConfig;
  label: string;
  type: 'string' | 'number' | 'options';
  /** Kept encrypted (n8n credential, Node-RED credentials), never exported, never logged. */
  secret: boolean;
  /** `receive`: used to verify webhooks; `api`: used to call the gateway's API. */
  section: 'receive' | 'api';
  /**
   * n8n keeps the connection in a credential; per-trigger knobs (a header's name, a time window)
   * are options of the trigger node. Node-RED keeps both in the gateway config node.
   */
  n8n: 'credential' | 'triggerOption';
  /** The operations that cannot work without it: the engines refuse to start them when it is empty. */
  requiredFor: readonly Operation[];
  default: string | number;
  placeholder?: string;
  help: string;
  options?: readonly { value: string; label: string; help: string }[];
  storedAs?: { n8n?: string; nodeRed?: string };
}

export interface ProviderSetup {
  /** What the user does at the gateway for webhooks to reach the engine, after the URL is known. */
  steps: string;
  /** Where the gateway documents its webhooks. */
  docsUrl: string;
}

/** A credential field's value, or a fixed prefix and the value (`{field: 'accessToken', prefix: 'Bearer '}`). */
export type CredentialValue = string | { field: string; prefix: string };

/** The gateway's side of its API, as far as this package calls it. */
export interface ProviderApi {
  /** The operations this configuration of the gateway can do (open-wa v4 can more than v5). */
  capabilities(config: ClientConfig): readonly Operation[];
  /** Every operation some configuration can do: what the engines offer for this gateway. */
  anyCapabilities: readonly Operation[];
  createClient(config: ClientConfig): GatewayClient;
  /**
   * Headers or query parameters n8n adds to its own credential test and API calls: each names the
   * field whose value it carries, alone or after a fixed prefix (`Bearer `).
   */
  credentialAuth?: { headers?: Record<string, CredentialValue>; query?: Record<string, CredentialValue> };
  /** A cheap authenticated call for n8n's credential test. */
  credentialTest?: { method: 'GET' | 'POST'; path: string };
  /** Why an operation is missing, for the "does not support" error (no API for it, which version has it). */
  whyNot?(operation: Operation, config: ClientConfig): string | null;
  /** The gateway runs several named sessions behind one API (WAHA): the engines ask which one. */
  sessions?: { default: string; help: string };
  /** `downloadMedia`: where a message's file is and how to ask for it (core/media/download.ts fetches it). */
  media?: MediaLocator;
}

/**
 * Everything a gateway is, in one object: each provider folder exports one, `./index.ts` lists them,
 * and the engines and the CLI read only this (they never name a provider).
 */
export interface Provider<Name extends string = string> {
  name: Name;
  displayName: string;
  /** Path segment engines use for the webhook URL when the user sets none. */
  defaultPath: string;
  /** The provider's own event name, or null when the body has none (a 400). */
  eventNameOf(body: Record<string, unknown>): string | null;
  /** Checks authenticity on the exact raw bytes; `ok` when the options configure nothing to check. */
  verify(input: VerifyInput): VerifyResult;
  /**
   * A gateway that checks the URL with a `GET` before it delivers (Meta's `hub.challenge`): the
   * answer, or null when the request is not such a check (then 405, as for every other GET). The
   * engines serve GET on the webhook path only for providers that have it.
   */
  handshake?(input: HandshakeInput): HandshakeAnswer | null;
  /**
   * The gateway may post to `<url>/<event-name>` instead of the URL (Evolution's "Webhook by
   * Events"): the engines listen on one sub-path level below theirs too. The body still names the
   * event, so the sub-path itself is not read.
   */
  eventSubPaths?: boolean;
  /** The gateway's side of `verify`: used by the CLI and by tests to produce genuine requests. */
  sign(input: SignInput): SignedRequest;
  /**
   * When the gateway says it sent this delivery (ms since the epoch), or null when the body does
   * not say. Only for providers whose *verified bytes* include that time (WAHA's HMAC covers the
   * envelope `timestamp`): the receiver refuses deliveries older than its replay window, and only
   * when a secret is configured, since an unsigned time proves nothing. Wawp copies WAHA's
   * envelope but signs nothing, so it must not declare this.
   */
  signedTimeOf?(body: Record<string, unknown>): number | null;
  /** One body may carry several events (a WAHA presence update lists several participants). */
  normalize(body: Record<string, unknown>, context: NormalizeContext): NormalizedEvent[];
  fields: readonly ProviderField[];
  setup: ProviderSetup;
  api: ProviderApi;
  /** The gateway's API as the sandbox plays it: its routes, auth and answers. */
  sandbox: SandboxContract;
  /**
   * Fixture files that serve as `waflow send --event` samples, one per canonical event the provider
   * emits: in `core/providers/<folder>/fixtures/` (Wawp's are WAHA's). The core reads no files: the CLI does.
   */
  samples: { folder: string; files: Partial<Record<CanonicalEvent, string>> };
  /** Names the n8n package gives this gateway's credential and trigger node types. */
  n8n: { credential: string; trigger: string };
}
