/**
 * Route bookkeeping on `RED.httpNode`: which node owns which webhook path, and adding and removing
 * exactly that node's route.
 *
 * Express has no "remove route" call, so a route is removed by splicing its layer out of the app's
 * router stack, the way the core `http in` node does. Unlike that node we match the handler function
 * too, not only the path and method: an `http in` node (or another of ours, being replaced during a
 * redeploy) on the same path keeps its route.
 */
import type { Handler, HttpApp } from './node-red';

interface RouteLayer {
  /** Set on middleware layers (`app.use`). */
  handle?: unknown;
  /** Set on route layers (`app.post(path, …)`). */
  route?: { path?: unknown; methods?: Record<string, boolean>; stack?: Array<{ handle?: unknown }> };
}

/**
 * The app's router stack: Express 4 keeps the router in `app._router` (created on first use);
 * Express 5 exposes it as `app.router`, a getter that Express 4 defines to throw.
 */
export function routerStack(app: HttpApp): RouteLayer[] {
  const anyApp = app as unknown as { _router?: { stack?: RouteLayer[] }; router?: { stack?: RouteLayer[] } };
  if (anyApp._router?.stack) return anyApp._router.stack;
  try {
    return anyApp.router?.stack ?? [];
  } catch {
    return [];
  }
}

function isRouteFor(layer: RouteLayer, path: string, method: string, handler?: Handler): boolean {
  const route = layer.route;
  if (!route || route.path !== path || !route.methods?.[method]) return false;
  return handler === undefined || !!route.stack?.some((inner) => inner.handle === handler);
}

/** How many `method path` routes the app has (all of them, or only those calling `handler`). */
export function countRoutes(app: HttpApp, path: string, method = 'post', handler?: Handler): number {
  return routerStack(app).filter((layer) => isRouteFor(layer, path, method, handler)).length;
}

/** Removes the routes that call `handler` on `method path`; returns how many were removed. */
export function removeRoute(app: HttpApp, path: string, method: string, handler: Handler): number {
  const stack = routerStack(app);
  let removed = 0;
  for (let i = stack.length - 1; i >= 0; i--) {
    if (isRouteFor(stack[i], path, method, handler)) {
      stack.splice(i, 1);
      removed++;
    }
  }
  return removed;
}

/**
 * `whatsapp/waha/` → `/whatsapp/waha`: one leading slash, no doubled or trailing slash. Express
 * matches paths case-insensitively and ignores a trailing slash by default, so two spellings of the
 * same path must count as the same path when we look for a clash.
 */
export function normalizePath(path: string): string {
  const cleaned = `/${path.trim()}`.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return cleaned === '' ? '/' : cleaned;
}

export interface PathClaim {
  nodeId: string;
  path: string;
  /** The node's body size limit, for the raw body capture. */
  maxBodyBytes: number;
  /** The node also listens one level below its path (`<path>/<event-name>`), so those bodies are its own too. */
  eventSubPaths?: boolean;
  /**
   * Set when the node closed for a redeploy: the path is still its own (its bodies are captured, its
   * route stays and answers 503) until a node claims the path, or LINGER_MS pass.
   */
  closedAt?: number;
  /** Removes the closed node's route: called when the path is taken over or the claim expires. */
  unroute?: () => void;
}

/** How long a redeployed node's path waits for its next instance (a deploy takes well under this). */
export const LINGER_MS = 30_000;

/** Who listens where, per app: the real runtime has one `httpNode`, the test helper a new one per flow. */
const claims = new WeakMap<object, Map<string, PathClaim>>();

function claimsOf(app: HttpApp): Map<string, PathClaim> {
  let map = claims.get(app);
  if (!map) claims.set(app, (map = new Map()));
  return map;
}

/**
 * Takes the claim's path; returns the id of the node that already holds it, or null when taken. A
 * closed claim holds nothing back, and the node's own closed claims elsewhere (a changed path) go.
 */
export function claimPath(app: HttpApp, claim: PathClaim): string | null {
  const map = claimsOf(app);
  const key = claim.path.toLowerCase();
  const holder = map.get(key);
  if (holder && holder.nodeId !== claim.nodeId && holder.closedAt === undefined) return holder.nodeId;
  for (const [other, held] of map) {
    if (held.closedAt !== undefined && (other === key || held.nodeId === claim.nodeId)) {
      map.delete(other);
      held.unroute?.();
    }
  }
  map.set(key, { ...claim, closedAt: undefined, unroute: undefined });
  return null;
}

/** The claim on a request path as Express would match it (any case, trailing slash or not); a closed one while it lingers. */
export function claimOn(app: HttpApp, path: string, nowMs = Date.now()): PathClaim | undefined {
  const map = claimsOf(app);
  const key = normalizePath(path).toLowerCase();
  const parentClaim = map.get(key.slice(0, key.lastIndexOf('/')));
  const claim = map.get(key) ?? (parentClaim?.eventSubPaths ? parentClaim : undefined);
  if (claim?.closedAt !== undefined && nowMs - claim.closedAt > LINGER_MS) {
    map.delete(claim.path.toLowerCase());
    claim.unroute?.();
    return undefined;
  }
  return claim;
}

/**
 * Frees `path` if `nodeId` holds it (a refused node must not free the holder's path when it closes).
 * With `unroute` the node is being redeployed, not removed: its claim stays, closed, and its route
 * is removed by `unroute` once a node takes the path over, so a request never finds no route.
 */
export function releasePath(app: HttpApp, path: string, nodeId: string, unroute?: () => void, nowMs = Date.now()): void {
  const map = claimsOf(app);
  const key = path.toLowerCase();
  const claim = map.get(key);
  if (claim?.nodeId !== nodeId) return;
  if (unroute) map.set(key, { ...claim, closedAt: nowMs, unroute });
  else map.delete(key);
}

/** The paths open nodes listen on. */
export function claimedPaths(app: HttpApp): PathClaim[] {
  return [...claimsOf(app).values()].filter((claim) => claim.closedAt === undefined);
}

/** The outermost app: where middleware must go to run before the admin app's body parsers. */
export function rootAppOf(app: HttpApp): HttpApp {
  let root = app;
  while (root.parent) root = root.parent;
  return root;
}

/** Adds `handler` as the first middleware of `app`, once. */
export function useFirst(app: HttpApp, handler: Handler): void {
  const stack = routerStack(app);
  if (stack.some((layer) => layer.handle === handler)) return;
  app.use(handler);
  const layers = routerStack(app);
  const index = layers.findIndex((layer) => layer.handle === handler);
  // Express appends; other frameworks may insert elsewhere, so look it up rather than assume last.
  if (index > 0) layers.unshift(layers.splice(index, 1)[0]);
}
