/**
 * The webhook handler every gateway trigger shares. Everything that decides whether a request is
 * authentic and what it means is the core's receiver; this maps n8n's request to it and its
 * answer back, and starts an execution only for emitted events.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import {
  attachConversations,
  burstOptionsOf,
  clientConfigOf,
  flattenEvent,
  listOf,
  reject,
  settingsOf,
  verifyOptionsOf,
  type NormalizedEvent,
  type Provider,
  type ProviderName,
  type ReceiveOptions,
  type ReceiveResult,
  type LidResolver,
  type OpenedStores,
  type BurstBuffer,
  type MediaDownloader,
  type DownloadedMedia,
} from '../../core';
import { binaryOf, binaryPropertyOf, maxBytesOf } from './media';
import { burstBufferFor, conversationStoreFor, lidResolverFor, mediaDownloaderFor, receiverFor, sharedStoresFor, type NodeScope } from './receivers';
import { SHARED_STORE_CREDENTIAL, storeConfigOf, type SharedStoreChoice } from './store';

/** The trigger's Options collection: the common ones, and the provider's own (stored by their field names). */
interface TriggerOptions extends Record<string, unknown> {
  allowedIps?: string;
  maxBodyMb?: number;
  resolveLids?: boolean;
  /** Seconds; 0 off; absent: the dedupe TTL. */
  replayWindow?: number;
}

/** The node's settings, in the core's terms: the provider's fields from the credential and the trigger's options. */
export function receiveOptionsOf(ctx: IWebhookFunctions, provider: Provider<ProviderName>, credentials: ICredentialDataDecryptedObject): ReceiveOptions {
  const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
  const dedupe = ctx.getNodeParameter('dedupe', true) as boolean;
  return {
    provider: provider.name,
    ...verifyOptionsOf(settingsOf(provider, 'n8n', { ...options, ...credentials })),
    allowedIps: listOf(options.allowedIps),
    maxBodyBytes: options.maxBodyMb ? Math.round(options.maxBodyMb * 1024 * 1024) : undefined,
    filter: {
      events: ctx.getNodeParameter('events', []) as NormalizedEvent['event'][],
      ignoreOwnMessages: ctx.getNodeParameter('ignoreOwnMessages', true) as boolean,
      ignoreGroups: ctx.getNodeParameter('ignoreGroups', false) as boolean,
      ignoreChannels: ctx.getNodeParameter('ignoreChannels', false) as boolean,
      ignoreStatus: ctx.getNodeParameter('ignoreStatus', true) as boolean,
    },
    dedupe: dedupe ? { ttlSeconds: ctx.getNodeParameter('dedupeTtl', 600) as number } : false,
    replayWindowSeconds: typeof options.replayWindow === 'number' ? options.replayWindow : undefined,
    // A burst closes after its quiet window: each delivery is answered at once, held or not.
    delivery: afterExecution(ctx) && !combines(ctx) ? 'afterFlow' : 'atOnce',
  };
}

/** "Combine Messages Sent in Quick Succession". */
function combines(ctx: IWebhookFunctions): boolean {
  return ctx.getNodeParameter('combine', false) === true;
}

/** "Answer the Gateway: After the Workflow Has Taken the Event" (n8n's `lastNode` response mode). */
function afterExecution(ctx: IWebhookFunctions): boolean {
  return ctx.getNodeParameter('respond', 'onReceived') === 'lastNode';
}

/** The parts of Express's request the handler reads (n8n-workflow types it as express.Request). */
interface WebhookRequest {
  method: string;
  ip?: string;
  socket?: { remoteAddress?: string };
  body?: unknown;
  rawBody?: Buffer;
  readRawBody?: () => Promise<void>;
}

/**
 * The exact bytes received. n8n 1.x and 2.x read them before calling the node (`req.rawBody`, set
 * by their body parser, which keeps the raw buffer); `readRawBody()` reads them when that has not
 * happened yet. If a future n8n consumed the stream and kept only the parsed body, the bytes are
 * gone: re-serialized JSON is the last resort, which still serves checks that do not hash the body
 * (Wawp's token, open-wa's shared secret) and makes body signatures fail closed with 401.
 */
async function rawBodyOf(req: WebhookRequest): Promise<Buffer | string | undefined> {
  if (!req.rawBody && typeof req.readRawBody === 'function') await req.readRawBody();
  if (req.rawBody) return req.rawBody;
  if (req.body !== undefined && req.body !== null && typeof req.body === 'object' && Object.keys(req.body).length > 0) {
    return JSON.stringify(req.body);
  }
  return typeof req.body === 'string' ? req.body : undefined;
}

function toItem(event: NormalizedEvent, output: string, includeRaw: boolean): INodeExecutionData {
  if (output === 'flat') return { json: flattenEvent(event) };
  if (includeRaw) return { json: event as unknown as IDataObject };
  const { raw: _raw, ...rest } = event;
  return { json: rest as unknown as IDataObject };
}

/**
 * The node answers every request itself, with the core's status and JSON body. Left to n8n, a
 * refusal would be a 200, and an accepted delivery would be answered with n8n's default body for
 * triggers rather than the counts the gateway (and `waflow send`) can log.
 */
function respond(ctx: IWebhookFunctions, result: Pick<ReceiveResult, 'status' | 'headers' | 'body' | 'text'>): void {
  const res = ctx.getResponseObject();
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
  res.end(result.text ?? JSON.stringify(result.body));
}

/**
 * The node's shared store, when one is chosen. A failure lets the event through (the receiver
 * treats it as first seen) and is logged once per outage with the count so far.
 */
async function sharedStoresOf(ctx: IWebhookFunctions, scope: NodeScope, options: ReceiveOptions) {
  const choice = ctx.getNodeParameter('sharedStore', 'memory') as SharedStoreChoice;
  const config = await storeConfigOf(choice, () => ctx.getCredentials(SHARED_STORE_CREDENTIAL));
  const ttl = typeof options.dedupe === 'object' && 'ttlSeconds' in options.dedupe ? options.dedupe.ttlSeconds : undefined;
  const node = ctx.getNode().name;
  const logger = ctx.logger;
  return sharedStoresFor(scope, config, ttl, (message, failures) =>
    logger.warn(`${node}: ${message}. Events go through without the shared dedupe (duplicates possible) until it is back; ${failures} failed so far.`),
  );
}

export async function receiveWebhook(ctx: IWebhookFunctions, provider: Provider<ProviderName>): Promise<IWebhookResponseData> {
  const req = ctx.getRequestObject() as unknown as WebhookRequest;
  let options: ReceiveOptions;
  let receiver;
  let resolveLids: LidResolver | null = null;
  let buffer: BurstBuffer | null = null;
  let workflowId = '';
  let sharedStores: OpenedStores | null = null;
  let downloadFiles: MediaDownloader | null = null;
  try {
    const credentials = await ctx.getCredentials(provider.n8n.credential);
    options = receiveOptionsOf(ctx, provider, credentials);
    workflowId = String(ctx.getWorkflow().id ?? '');
    const scope = { workflowId, nodeId: ctx.getNode().id, mode: ctx.getMode() };
    const stores = await sharedStoresOf(ctx, scope, options);
    sharedStores = stores;
    receiver = receiverFor(scope, options, stores);
    if (combines(ctx)) {
      const burst = burstOptionsOf({
        quietSeconds: ctx.getNodeParameter('combineQuiet', 5),
        maxWaitSeconds: ctx.getNodeParameter('combineMaxWait', 30),
        maxCount: ctx.getNodeParameter('combineMaxCount', 20),
      });
      buffer = burstBufferFor(scope, burst, stores);
    }
    const triggerOptions = ctx.getNodeParameter('options', {}) as TriggerOptions;
    if (triggerOptions.resolveLids === true) {
      resolveLids = lidResolverFor(scope, provider, clientConfigOf(settingsOf(provider, 'n8n', { ...triggerOptions, ...credentials })), stores);
    }
    if (provider.api.anyCapabilities.includes('downloadMedia') && ctx.getNodeParameter('downloadMedia', false) === true) {
      const maxBytes = maxBytesOf(ctx.getNodeParameter('maxMediaMb', 16));
      downloadFiles = mediaDownloaderFor(scope, provider, clientConfigOf(settingsOf(provider, 'n8n', { ...triggerOptions, ...credentials })), { maxBytes });
    }
  } catch (error) {
    // Bad settings (an unparsable IP range, a missing credential): tell the caller, create no
    // execution. Thrown errors would become a failed execution on every delivery.
    const message = `${provider.displayName} trigger is misconfigured: ${(error as Error).message}`;
    respond(ctx, { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { ok: false, status: 500, error: message } });
    return { noWebhookResponse: true };
  }

  const headers = ctx.getHeaderData() as IncomingHttpHeaders;
  // n8n parses a form itself and keeps no bytes (its `readRawBody()` then fails): no gateway posts
  // one, so it is refused before any reading, without an execution.
  const contentType = String(headers['content-type'] ?? '');
  if (/^\s*multipart\//i.test(contentType)) {
    respond(ctx, reject(400, `Body is ${contentType.split(';')[0].trim().slice(0, 40)}; ${provider.displayName} webhooks are JSON`));
    return { noWebhookResponse: true };
  }
  let rawBody: Buffer | string | undefined;
  try {
    // A GET (a gateway's subscription check) has no body to read.
    if (req.method !== 'GET') rawBody = await rawBodyOf(req);
  } catch {
    respond(ctx, reject(503, 'The raw body could not be read (n8n consumed the request): signature cannot be verified; retry', { 'retry-after': '1' }));
    return { noWebhookResponse: true };
  }
  const result = await receiver.receive({
    method: req.method,
    headers,
    query: ctx.getQueryData() as Record<string, string | string[] | undefined>,
    rawBody,
    clientIp: req.ip ?? req.socket?.remoteAddress,
  });

  // The workflow's conversation state, in the trigger's shared store when it has one: where a send or
  // conversation node that picks the same (in a worker, in queue mode) leaves its changes.
  const conversations = sharedStores?.conversation ?? conversationStoreFor(workflowId);
  /** The execution's items; with Download Media, each with its file (fetched now, after the answer). */
  const itemsOf = async (events: NormalizedEvent[]): Promise<INodeExecutionData[]> => {
    const files: (DownloadedMedia | null)[] = downloadFiles ? await downloadFiles(events) : [];
    const output = ctx.getNodeParameter('output', 'event') as string;
    const includeRaw = ctx.getNodeParameter('includeRaw', true) as boolean;
    const property = binaryPropertyOf(downloadFiles ? ctx.getNodeParameter('binaryProperty', 'data') : null);
    return Promise.all(
      events.map(async (event, index) => {
        const item = toItem(event, output, includeRaw);
        const file = files[index];
        if (file) item.binary = await binaryOf(ctx.helpers.prepareBinaryData.bind(ctx.helpers), file, property);
        return item;
      }),
    );
  };
  if (buffer) {
    // Answered now, whatever the burst does; this call then waits out the chat's quiet window and
    // starts the execution only when it is the delivery that closes the burst.
    respond(ctx, result);
    if (result.events.length === 0) return { noWebhookResponse: true };
    if (resolveLids) await resolveLids(result.events);
    const held = buffer;
    const closed = (await Promise.all(result.events.map((event) => held.hold(event)))).filter((event): event is NormalizedEvent => event !== null);
    if (closed.length === 0) return { noWebhookResponse: true };
    await attachConversations(closed, conversations);
    // Download Media fetches the closing message's file: the one the burst's event is (the reply target).
    return { noWebhookResponse: true, workflowData: [await itemsOf(closed)] };
  }

  // Refused, filtered out or duplicate: answered here, no workflowData, so n8n starts no execution.
  const later = afterExecution(ctx) && result.events.length > 0;
  if (!later) respond(ctx, result);
  if (result.events.length === 0) return { noWebhookResponse: true };
  if (later && result.settle) {
    // n8n answers when the execution ends: 200 taken, 500 failed. Cut off before an answer (the
    // caller went away), the ids are forgotten: a retry may repeat the event, never lose it.
    const settle = result.settle;
    const res = ctx.getResponseObject();
    res.once('close', () => void settle(res.writableFinished && res.statusCode < 300));
  }

  // After the answer: lookups hold up only this execution, each at most the lookup timeout.
  if (resolveLids) await resolveLids(result.events);
  await attachConversations(result.events, conversations);
  // Several events from one request are several items of one execution. Files too: a download
  // holds up only this execution, never the gateway's answer (sent above).
  const items = await itemsOf(result.events);
  if (later) return { workflowData: [items] };
  return { noWebhookResponse: true, workflowData: [items] };
}
