/**
 * `whatsapp in`: the webhook endpoint. One POST route on `RED.httpNode` per node; each request is
 * handed to the core receiver (size, allowlist, signature, parsing, normalization, filters, dedupe),
 * the gateway gets its answer at once, then (after the LID lookups, when they are on) every event
 * goes into the flow as one message.
 */
import { createBurstBuffer, type BurstBuffer } from '../core/burst';
import { attachConversations } from '../core/conversation';
import { reject, type ReceiveResult } from '../core/receive';
import { openStores, type OpenedStores } from '../core/store/open';
import { nodeRedNamespace, type StoreNode } from './shared/store';
import { storesFor } from '../core/store';
import type { NormalizedEvent } from '../core/event/schema';
import type { DownloadedMedia } from '../core/media/download';
import type { Handler, HttpRequest, HttpResponse, Node, NodeAPI, NodeMessage } from './shared/node-red';
import { inNodeSetup } from './shared/in-setup';
import { conversationNamespaceOf, type GatewayNode, type InConfig } from './shared/options';
import { RAW_BODY_UNAVAILABLE, rawBodyCapture, readRawBody } from './shared/raw-body';
import { completionTracker } from './shared/completion';
import { claimedPaths, claimOn, claimPath, countRoutes, releasePath, removeRoute, rootAppOf, useFirst } from './shared/routes';

const METHOD = 'post';
/** How long a closing node waits for the requests it is handling to be answered (Node-RED gives up at 15 s). */
const CLOSE_WAIT_MS = 5_000;

/**
 * A deploy is restarting the node: the gateway must retry, not drop the event. Node-RED drops what a
 * stopping flow sends, so nothing is taken from such a request.
 */
const restarting = () => reject(503, 'This webhook node is restarting (a flow deploy); the event was not taken: retry', { 'retry-after': '1' });

function answer(res: HttpResponse, result: Pick<ReceiveResult, 'status' | 'headers' | 'body' | 'text'>): void {
  res
    .status(result.status)
    .set(result.headers)
    .send(result.text ?? result.body);
}

/** Resolves when `promise` settles or after `ms`, whichever is first. */
function bounded(promise: Promise<unknown>, ms: number): Promise<unknown> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]).finally(() => clearTimeout(timer));
}

interface Counters {
  events: number;
  lastEvent: string | null;
  rejected: number;
  lastRejected: number | null;
  /** Shared-store operations that failed (each event let through without the shared dedupe). */
  storeFailures: number;
}

/** "listening /whatsapp/waha", then "12 events · last: message · 3 rejected (last 401)". */
function statusText(path: string, counters: Counters): string {
  let text = counters.events > 0 ? `${counters.events} event${counters.events === 1 ? '' : 's'} · last: ${counters.lastEvent}` : `listening ${path}`;
  if (counters.rejected > 0) text += ` · ${counters.rejected} rejected (last ${counters.lastRejected})`;
  if (counters.storeFailures > 0) text += ` · store failed ${counters.storeFailures}×`;
  return text;
}

function withoutRaw(event: NormalizedEvent): Omit<NormalizedEvent, 'raw'> {
  const { raw: _raw, ...rest } = event;
  return rest;
}

export = function register(RED: NodeAPI): void {
  // For users and tests: which in node holds which path, and how many routes Express really has
  // there (more than one would be a route left behind by a redeploy).
  const needsRead: Handler = RED.auth ? RED.auth.needsPermission('flows.read') : (_req, _res, next) => next();
  RED.httpAdmin.get('/waflow/routes', needsRead, (_req, res) => {
    res.json(
      claimedPaths(RED.httpNode).map(({ nodeId, path, eventSubPaths }) => ({
        nodeId,
        path,
        routes: countRoutes(RED.httpNode, path, METHOD),
        ...(eventSubPaths ? { subPathRoutes: countRoutes(RED.httpNode, `${path}/:event`, METHOD) } : {}),
      })),
    );
  });

  /** `/red/whatsapp/waha?x=1` with httpNodeRoot `/red/` → `/whatsapp/waha`; null when outside httpNodeRoot. */
  function nodePathOf(url: string): string | null {
    const pathname = url.split('?')[0];
    const root = typeof RED.settings.httpNodeRoot === 'string' ? RED.settings.httpNodeRoot.replace(/\/+$/, '') : '';
    if (root === '') return pathname;
    return pathname.toLowerCase().startsWith(`${root.toLowerCase()}/`) ? pathname.slice(root.length) : null;
  }

  // A redeployed node's path stays claimed until its next instance starts, so a request arriving in
  // between is captured too (else the admin app's JSON parser would take its body).
  const capture = rawBodyCapture((req) => {
    if (req.method !== 'POST') return null;
    const path = nodePathOf((req as { originalUrl?: string }).originalUrl ?? req.url ?? '');
    return (path !== null && claimOn(RED.httpNode, path)?.maxBodyBytes) || null;
  });

  // One per runtime: "answer after the flow" in nodes watch their messages' done() through it.
  const completion = completionTracker(RED.hooks);

  function WhatsappInNode(this: Node, config: InConfig & { id: string; name?: string }) {
    RED.nodes.createNode(this, config);
    const node = this;

    function refuse(message: string): void {
      node.error(message);
      node.status({ fill: 'red', shape: 'ring', text: message.length > 60 ? `${message.slice(0, 57)}…` : message });
    }

    const storeNode = config.store ? (RED.nodes.getNode(config.store) as StoreNode | null) : null;
    if (config.store && !storeNode?.storeConfig) {
      refuse(storeNode?.problem ?? 'The WhatsApp store this node names is missing: pick or add one, or none');
      return;
    }
    let stores: OpenedStores | null = null;
    const counters: Counters = { events: 0, lastEvent: null, rejected: 0, lastRejected: null, storeFailures: 0 };
    try {
      stores = storeNode?.storeConfig
        ? openStores(storeNode.storeConfig, {
            namespace: nodeRedNamespace(node as Node & { z?: string }),
            // The gateway's conversation state, where the send and conversation nodes on this store meet it.
            conversationNamespace: conversationNamespaceOf(config.gateway ?? ''),
            // Said once per outage; the status counts every failure.
            onFailure: (message) => node.warn(`${message}. Events go through without the shared dedupe (duplicates possible) until it is back.`),
          })
        : null;
    } catch (error) {
      refuse((error as Error).message);
      return;
    }
    const setup = inNodeSetup({
      httpNodeRoot: RED.settings.httpNodeRoot,
      gateway: config.gateway ? (RED.nodes.getNode(config.gateway) as GatewayNode | null) : null,
      config,
      stores,
    });
    if (!setup.ok) {
      void stores?.close();
      refuse(setup.error);
      return;
    }
    const { receiver, path, maxBodyBytes, includeRaw, resolveLids, media, flowTimeoutMs } = setup;
    const conversations = stores?.conversation ?? storesFor(conversationNamespaceOf(config.gateway!)).conversation;
    // The node's own namespace: a redeployed node (same id) finds what its previous instance held.
    const buffer: BurstBuffer | null = setup.burst
      ? // With a shared store the held messages are there: any runtime running the flow may close the burst.
        createBurstBuffer(setup.burst, { store: (stores ?? storesFor(`nodered:in:${node.id}`)).burst, warn: (message) => node.warn(message) })
      : null;
    if (flowTimeoutMs !== null && !RED.hooks) {
      // Without the hooks nothing would say when the flow is done: refused, never a 200 too early.
      refuse('Answering the gateway after the flow needs Node-RED 2 or later (message hooks)');
      return;
    }

    const holder = claimPath(RED.httpNode, { nodeId: node.id, path, maxBodyBytes, eventSubPaths: (receiver.provider.eventSubPaths ?? []).length > 0 });
    if (holder) {
      void stores?.close();
      refuse(`path ${path} is already used by node ${holder}`);
      return;
    }
    // Done here, not when the module loads: by now httpNode is mounted in its root app. Once per app.
    useFirst(rootAppOf(RED.httpNode), capture);

    const showStatus = (lastWasRejected: boolean) => {
      counters.storeFailures = stores?.status().failures ?? 0;
      const fill = lastWasRejected || counters.storeFailures > 0 ? 'yellow' : 'green';
      node.status({ fill, shape: 'dot', text: statusText(path, counters) });
    };

    /** The request through the core's receiver (raw bytes first: signatures are over them). */
    async function receive(req: HttpRequest): Promise<ReceiveResult> {
      // A GET (the gateway's subscription check) has no body: the receiver answers it from the query.
      if (req.method === 'GET')
        return receiver.receive({
          method: 'GET',
          headers: req.headers,
          query: req.query ?? {},
          rawBody: undefined,
          clientIp: req.ip ?? req.socket?.remoteAddress,
        });
      const raw = await readRawBody(req, maxBodyBytes);
      if (!raw.ok) {
        if (raw.tooLarge) return reject(413, `Body is ${raw.size} bytes; the limit is ${maxBodyBytes}`);
        // Some middleware parsed the body before us: our side's failure, so the gateway should retry.
        return raw.error === RAW_BODY_UNAVAILABLE ? reject(503, `${raw.error}; retry`, { 'retry-after': '1' }) : reject(400, raw.error);
      }
      return receiver.receive({
        method: req.method ?? 'POST',
        headers: req.headers,
        query: req.query ?? {},
        rawBody: raw.body,
        // `req.ip` honours Express's "trust proxy" setting (httpNodeMiddleware / settings.js).
        clientIp: req.ip ?? req.socket?.remoteAddress,
      });
    }

    /** Set when the node starts closing: from then on no request is answered 200. */
    let closing = false;
    let closed!: () => void;
    const closingNow = new Promise<'closing'>((resolve) => (closed = () => resolve('closing')));
    const inFlight = new Set<Promise<void>>();

    const handler: Handler = (req, res) => {
      if (closing) return answer(res, restarting());
      const handled = receive(req).then(
        (result) => respondAndEmit(result, req, res),
        (error: Error) => {
          node.error(`Webhook handling failed: ${error.message}`);
          if (!res.headersSent) answer(res, reject(500, 'internal error'));
        },
      );
      inFlight.add(handled);
      void handled.finally(() => inFlight.delete(handled));
    };

    function refused(result: ReceiveResult, req: HttpRequest, res: HttpResponse): void {
      answer(res, result);
      counters.rejected++;
      counters.lastRejected = result.status;
      const from = req.ip ?? req.socket?.remoteAddress ?? 'unknown address';
      node.warn(`Rejected a webhook from ${from}: ${result.status} ${result.error ?? ''}`.trim());
      showStatus(true);
    }

    function messageOf(event: NormalizedEvent, file?: DownloadedMedia | null): NodeMessage {
      const payload = includeRaw ? event : withoutRaw(event);
      // The same object twice: `msg.payload` is for the flow to replace (a template, a change node),
      // `msg.event` keeps saying what a send node further on replies to.
      const msg: NodeMessage = { _msgid: RED.util.generateId(), topic: event.event, payload, event: payload };
      if (file && media) Object.assign(msg, { [media.property]: file.data, mimeType: file.mimeType, fileName: file.fileName });
      return msg;
    }

    /** The events' files (null where there is none or it could not be had: media.error says why). */
    async function filesOf(events: NormalizedEvent[]): Promise<(DownloadedMedia | null)[]> {
      return media && events.length > 0 ? media.download(events) : [];
    }

    /**
     * "After the flow has taken the event": sent, then answered once every node the messages reached
     * has called done() (200), a node called done(error) (500), or the timeout or a deploy came
     * first (503). Only a 200 records the ids: the gateway's retry of anything else is accepted.
     */
    async function emitAndAwait(result: ReceiveResult, req: HttpRequest, res: HttpResponse, timeoutMs: number): Promise<void> {
      // The answer waits for the flow anyway: the downloads are part of it.
      const files = await filesOf(result.events);
      const messages = result.events.map((event, index) => messageOf(event, files[index]));
      const tracking = completion.track(messages.map((msg) => msg._msgid!));
      for (const msg of messages) node.send(msg);
      tracking.sent();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const outcome = await Promise.race([tracking.outcome, closingNow, timeout]);
      clearTimeout(timer);
      tracking.cancel();
      const taken = typeof outcome === 'object' && outcome.ok;
      await result.settle?.(taken);
      if (taken) {
        for (const event of result.events) {
          counters.events++;
          counters.lastEvent = event.event;
        }
        answer(res, result);
        showStatus(false);
        return;
      }
      if (outcome === 'closing') return refused(restarting(), req, res);
      if (outcome === 'timeout') {
        return refused(reject(503, `The flow did not finish with the event within ${timeoutMs / 1000} s; retry`, { 'retry-after': '1' }), req, res);
      }
      refused(
        reject(500, `The flow reported an error on the event (node ${typeof outcome === 'object' && !outcome.ok ? outcome.nodeId : '?'}); retry`),
        req,
        res,
      );
    }

    function emitOne(event: NormalizedEvent, file?: DownloadedMedia | null): void {
      node.send(messageOf(event, file));
      counters.events++;
      counters.lastEvent = event.event;
      showStatus(false);
    }

    /**
     * "Combine messages sent in quick succession": the gateway has its answer now; each message
     * waits out its chat's quiet window, and the delivery that closes a burst sends it. A close
     * meanwhile leaves the held messages in the store (see the close handler).
     */
    async function answerAndHold(result: ReceiveResult, res: HttpResponse): Promise<void> {
      answer(res, result);
      showStatus(false);
      await Promise.all(
        result.events.map(async (event) => {
          const combined = await buffer!.hold(event);
          if (!combined || closing) return;
          await attachConversations([combined], conversations);
          // Download media fetches the closing message's file: the one the burst's event is (the reply target).
          const [file] = await filesOf([combined]);
          if (!closing) emitOne(combined, file);
        }),
      );
    }

    async function respondAndEmit(result: ReceiveResult, req: HttpRequest, res: HttpResponse): Promise<void> {
      if (result.status < 300 && closing) {
        await result.settle?.(false);
        return answer(res, restarting());
      }
      if (result.status >= 300) return refused(result, req, res);
      // Before the send, so that a 200 still means the flow has the event: the answer waits for the
      // lookups, each bounded by the lookup timeout. A deploy meanwhile: 503, nothing sent.
      if (resolveLids && result.events.length > 0) await resolveLids(result.events);
      // Before the deploy check below, like the lookups: no await between it and the send. A burst gets its state when it closes.
      if (!buffer) await attachConversations(result.events, conversations);
      if (closing) {
        await result.settle?.(false);
        return answer(res, restarting());
      }
      if (buffer) return answerAndHold(result, res);
      if (flowTimeoutMs !== null && result.events.length > 0) return emitAndAwait(result, req, res, flowTimeoutMs);
      if (media && result.events.some((event) => event.message?.media)) return answerThenDownload(result, res);
      for (const event of result.events) {
        node.send(messageOf(event));
        counters.events++;
        counters.lastEvent = event.event;
      }
      // Node-RED hands a message to the next node on the next turn of the event loop; answered after
      // that, a 200 means the flow had it before any deploy stopped the flow. If a deploy came between,
      // 503: the gateway retries (and the flow may see the event twice: a duplicate beats a loss).
      if (result.events.length > 0) await new Promise((resolve) => setImmediate(resolve));
      // Still at once, not after the flow is done: a slow flow must not make the gateway time out and retry.
      answer(res, closing ? restarting() : result);
      showStatus(false);
    }

    /**
     * "Download media" with media in the request: the gateway is answered first, then the files are
     * fetched and the events sent. A download takes seconds and gateways retry a slow answer; the
     * price is that a deploy during the download drops what it was fetching (already answered 200).
     */
    async function answerThenDownload(result: ReceiveResult, res: HttpResponse): Promise<void> {
      answer(res, result);
      const files = await filesOf(result.events);
      if (closing) {
        node.warn(`A deploy stopped this node while it downloaded media: ${result.events.length} event(s) not sent`);
        return;
      }
      result.events.forEach((event, index) => {
        node.send(messageOf(event, files[index]));
        counters.events++;
        counters.lastEvent = event.event;
      });
      showStatus(false);
    }

    const middleware = RED.settings.httpNodeMiddleware;
    const before: Handler[] = typeof middleware === 'function' ? [middleware] : Array.isArray(middleware) ? middleware : [];
    const routes: Array<['post' | 'get', string]> = [
      [METHOD, path],
      // Gateways that check the URL with a GET before delivering (Meta's hub.challenge) get it answered on the same path.
      ...(receiver.provider.handshake ? [['get', path] as ['get', string]] : []),
      // Gateways that may post to `<path>/<event-name>` (Evolution's Webhook by Events): the body names the event.
      // One route for all of them: the sub-path is not read.
      ...((receiver.provider.eventSubPaths ?? []).length > 0 ? [[METHOD, `${path}/:event`] as ['post', string]] : []),
    ];
    for (const [method, route] of routes) RED.httpNode[method](route, ...before, handler);
    node.status({ fill: 'green', shape: 'dot', text: `listening ${path}${stores ? ` · ${stores.describe()}` : ''}` });
    for (const warning of setup.warnings) node.warn(warning);

    if (buffer) {
      // What a previous instance of this node held (a redeploy): closed after a quiet window.
      void buffer.resume(emitOne).then((chats) => {
        if (chats > 0) node.log(`Resumed the held messages of ${chats} chat${chats === 1 ? '' : 's'} from before the deploy`);
      });
    }

    /**
     * Node-RED drops what a stopping node sends, so held messages are not sent on close: they stay
     * in the store for this node's next instance (a redeploy), which sends them; removed, they are
     * dropped. The log says which, and how many.
     */
    async function releaseBursts(removed: boolean): Promise<void> {
      if (!buffer) return;
      const held = await buffer.release();
      if (removed) {
        const dropped = await buffer.flush();
        const messages = dropped.reduce((sum, event) => sum + (event.messages?.length ?? 1), 0);
        if (messages > 0)
          node.warn(
            `Dropped ${messages} held message${messages === 1 ? '' : 's'} of ${dropped.length} chat${dropped.length === 1 ? '' : 's'}: the node was removed before their burst closed`,
          );
      } else if (held.chats > 0) {
        const messages = held.messages === null ? 'the held messages' : `${held.messages} held message${held.messages === 1 ? '' : 's'}`;
        node.warn(
          `Kept ${messages} of ${held.chats} chat${held.chats === 1 ? '' : 's'} for this node's next start (a redeploy sends them; with the memory store a Node-RED shutdown loses them)`,
        );
      }
    }

    node.on('close', (removed, done) => {
      closing = true;
      closed();
      const releasing = releaseBursts(removed === true);
      // Every request under way gets its answer (a 503 now) before the node is gone.
      void bounded(Promise.allSettled([...inFlight, releasing]), CLOSE_WAIT_MS).then(() => {
        // Only this node's route: matched by the handler, so a node taking over the path keeps its own.
        const unroute = () => routes.forEach(([method, route]) => removeRoute(RED.httpNode, route, method, handler));
        // Redeployed, the route stays (answering 503) until the next instance takes over: no 404 between.
        if (removed) unroute();
        releasePath(RED.httpNode, path, node.id, removed ? undefined : unroute);
        // Its share of the connection: the last node using these settings closes it.
        void (stores?.close() ?? Promise.resolve()).finally(done);
      });
    });
  }

  RED.nodes.registerType('whatsapp in', WhatsappInNode);
};
