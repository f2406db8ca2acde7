/**
 * The one HTTP call every provider's send client makes: JSON in, JSON out, a timeout, and bounded
 * retries only where a retry can help (429, 5xx, network errors) — never on another 4xx, which would
 * fail the same way again (and a retried send could double a message the gateway did accept).
 */
import { displayNameOf } from '../providers/names';
import { redactSecrets, redactSecretsDeep, sentSecretsOf } from '../security/sent-secrets';
import { apiUrlProblem, redactUrls } from '../security/url';

export interface GatewayCall {
  provider: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Secrets the body carries (Wawp's access token): header and query values are found by themselves. */
  bodySecrets?: readonly (string | undefined)[];
  /** A multipart body instead of JSON (an upload); fetch sets its content type and boundary. */
  form?: FormData;
}

export interface HttpOptions {
  timeoutMs?: number;
  /** Retries after the first attempt (default 2). */
  retries?: number;
  /** Delay before retry n (1-based), ms; default 500 ms doubling. Replaceable in tests. */
  backoffMs?: (attempt: number) => number;
  fetch?: typeof fetch;
  /** Cancels the call and its retries (an engine stopping the node). */
  signal?: AbortSignal;
}

/** Its message never carries a URL's user-info (`user:password@`), whoever built the message. */
export class GatewayError extends Error {
  constructor(
    readonly provider: string,
    /** HTTP status, or null for a network error / timeout. */
    readonly status: number | null,
    message: string,
    /** The gateway's answer, parsed when JSON. */
    readonly response?: unknown,
  ) {
    super(redactUrls(message));
    this.name = 'GatewayError';
  }
}

function retryable(status: number | null): boolean {
  return status === null || status === 429 || status >= 500;
}

/** How much of a gateway's error text goes into a message (logs, msg.error). */
const MESSAGE_CHARS = 200;

/** The gateway's own words for an error, from the usual JSON shapes, else the start of the text. */
function gatewayMessage(body: unknown, text: string): string {
  if (body && typeof body === 'object') {
    const record = body as Record<string, unknown>;
    for (const key of ['message', 'error', 'detail', 'msg']) {
      const value = record[key];
      if (typeof value === 'string' && value) return value.slice(0, MESSAGE_CHARS);
      if (value && typeof value === 'object' && typeof (value as { message?: unknown }).message === 'string') {
        return (value as { message: string }).message.slice(0, MESSAGE_CHARS);
      }
    }
  }
  return text.trim().slice(0, MESSAGE_CHARS) || '(empty answer)';
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: text === '' ? null : JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** The path of a URL without its query, which may carry tokens (Wawp's access_token). */
function safeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

export async function callGateway(call: GatewayCall, options: HttpOptions = {}): Promise<unknown> {
  const name = displayNameOf(call.provider);
  const retries = options.retries ?? 2;
  const backoff = options.backoffMs ?? ((attempt) => 500 * 2 ** (attempt - 1));
  const doFetch = options.fetch ?? fetch;
  const target = `${call.method} ${safeTarget(call.url)}`;
  // fetch refuses a URL with user-info too, but quotes it whole in its error: say why, and quote nothing.
  const urlProblem = apiUrlProblem(call.url);
  if (urlProblem) throw new GatewayError(call.provider, null, `${name}: ${urlProblem}`);
  const cancelled = () => new GatewayError(call.provider, null, `${name}: ${target} was cancelled`);
  // What the gateway says goes into errors, logs and execution data: never with the key it was sent.
  const secrets = sentSecretsOf(call.headers, call.url, call.bodySecrets);
  const failure = (status: number | null, message: string, body?: unknown) =>
    new GatewayError(call.provider, status, redactSecrets(message, secrets), body === undefined ? undefined : redactSecretsDeep(body, secrets));
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) throw cancelled();
    let error: GatewayError;
    try {
      const response = await doFetch(call.url, {
        method: call.method,
        headers: { accept: 'application/json', ...(call.body === undefined || call.form ? {} : { 'content-type': 'application/json' }), ...call.headers },
        body: call.form ?? (call.body === undefined ? undefined : JSON.stringify(call.body)),
        signal: options.signal
          ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? 15_000)])
          : AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const text = await response.text();
      const parsed = parseJson(text);
      if (response.ok) {
        if (!parsed.ok) throw failure(response.status, `${name} answered ${target} with ${response.status} but the body is not JSON: ${text.slice(0, 120)}`);
        return parsed.value;
      }
      const body = parsed.ok ? parsed.value : text;
      error = failure(response.status, `${name} answered ${target} with ${response.status}: ${gatewayMessage(body, text)}`, body);
    } catch (caught) {
      if (caught instanceof GatewayError) throw caught;
      if (options.signal?.aborted) throw cancelled();
      // fetch reports "fetch failed" and puts the real reason (ECONNREFUSED…) in `cause`.
      const thrown = caught as Error & { cause?: Error };
      const reason = thrown.name === 'TimeoutError' ? `timed out after ${options.timeoutMs ?? 15_000} ms` : (thrown.cause?.message ?? thrown.message);
      error = failure(null, `${name} could not be reached at ${target}: ${reason}`);
    }
    if (!retryable(error.status) || attempt >= retries) throw error;
    await sleep(backoff(attempt + 1), options.signal);
  }
}
