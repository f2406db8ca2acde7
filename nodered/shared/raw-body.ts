/**
 * Reads a webhook's exact bytes. Gateways sign the raw body, so a body that some parser has already
 * turned into an object (which we would have to re-serialize, with different bytes) cannot be verified.
 *
 * In a stock Node-RED that is the normal case, not an edge case: with `httpAdminRoot` and
 * `httpNodeRoot` both `/` (the defaults), every request passes through the admin app first, and its
 * JSON body parser consumes the stream before `RED.httpNode` sees it. So, as the core `http in` node
 * does for its raw-body routes, a capture middleware at the top of the root app reads the bytes of
 * requests bound for our paths and marks them as read (`req._body`), which every body-parser honours.
 */
import type { IncomingMessage } from 'node:http';
import type { Handler, HttpRequest } from './node-red';

export type RawBody =
  | { ok: true; body: Buffer }
  /** More than `limit` bytes: the rest was read and dropped, so the answer can still be sent cleanly. */
  | { ok: false; tooLarge: true; size: number }
  | { ok: false; tooLarge: false; error: string };

export const RAW_BODY_UNAVAILABLE = 'raw body unavailable: signature cannot be verified';

/** Bodies read by the capture middleware, for the route handler further down the same request. */
const captured = new WeakMap<IncomingMessage, RawBody>();

function alreadyConsumed(req: HttpRequest): boolean {
  // body-parser and raw-body mark a consumed request with `_body`; `readableEnded` covers readers
  // that do not. (body-parser sets `req.body = {}` even when it skips a request, so `req.body`
  // alone does not mean the stream was read.)
  return (req as { _body?: unknown })._body === true || req.readableEnded;
}

/** The bytes of the request: captured earlier, left by middleware as a Buffer/string, or read now. */
export function readRawBody(req: HttpRequest, limit: number): Promise<RawBody> {
  const early = captured.get(req);
  if (early) return Promise.resolve(early.ok ? sized(early.body, limit) : early);
  if (alreadyConsumed(req)) {
    const body = req.body;
    if (Buffer.isBuffer(body)) return Promise.resolve(sized(body, limit));
    if (typeof body === 'string') return Promise.resolve(sized(Buffer.from(body, 'utf8'), limit));
    if (body === undefined || body === null) return Promise.resolve({ ok: true, body: Buffer.alloc(0) });
    return Promise.resolve({ ok: false, tooLarge: false, error: RAW_BODY_UNAVAILABLE });
  }
  return readStream(req, limit);
}

function readStream(req: HttpRequest, limit: number): Promise<RawBody> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit keep reading but keep nothing: memory stays bounded and the client, still
      // sending, gets its 413 instead of a reset connection.
      if (size <= limit) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > limit ? { ok: false, tooLarge: true, size } : { ok: true, body: Buffer.concat(chunks, size) }));
    req.on('error', (error) => resolve({ ok: false, tooLarge: false, error: `could not read the request body: ${error.message}` }));
    // A client that hangs up mid-body: nobody is left to answer, but the promise must still settle.
    req.on('close', () => resolve({ ok: false, tooLarge: false, error: 'the request was closed before its body ended' }));
  });
}

function sized(body: Buffer, limit: number): RawBody {
  return body.length > limit ? { ok: false, tooLarge: true, size: body.length } : { ok: true, body };
}

/**
 * Middleware reading the raw body of the requests `limitFor` recognises (it returns the byte limit
 * for them, null for any other request), before any body parser can.
 */
export function rawBodyCapture(limitFor: (req: HttpRequest) => number | null): Handler {
  return (req, _res, next) => {
    const limit = alreadyConsumed(req) ? null : limitFor(req);
    if (limit === null) return next();
    readStream(req, limit).then((body) => {
      captured.set(req, body);
      (req as { _body?: boolean })._body = true;
      if (body.ok) req.body = body.body;
      next();
    });
  };
}
