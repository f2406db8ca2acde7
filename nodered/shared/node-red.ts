/**
 * The small part of Node-RED's runtime API these nodes use, typed here instead of pulling in
 * @types/node-red (and its Express 4 typings) for a handful of calls.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface NodeStatus {
  fill?: 'red' | 'green' | 'yellow' | 'blue' | 'grey';
  shape?: 'ring' | 'dot';
  text?: string;
}

export type NodeMessage = Record<string, unknown> & { _msgid?: string; payload?: unknown; topic?: string };
export type SendFunction = (msg: NodeMessage | null | Array<NodeMessage | null>) => void;
export type DoneFunction = (error?: Error) => void;

/** A node instance: `this` inside a constructor registered with `RED.nodes.registerType`. */
export interface Node<Credentials = Record<string, string | undefined>> {
  id: string;
  type: string;
  name?: string;
  credentials?: Partial<Credentials>;
  on(event: 'input', listener: (msg: NodeMessage, send: SendFunction, done: DoneFunction) => void): void;
  on(event: 'close', listener: (removed: boolean, done: () => void) => void): void;
  send: SendFunction;
  status(status: NodeStatus | Record<string, never>): void;
  log(message: string): void;
  warn(message: string): void;
  error(message: string | Error, msg?: NodeMessage): void;
}

/** Express's request and response, as far as the webhook handler needs them. */
export interface HttpRequest extends IncomingMessage {
  body?: unknown;
  query?: Record<string, string | string[] | undefined>;
  ip?: string;
}
export interface HttpResponse extends ServerResponse {
  status(code: number): HttpResponse;
  set(headers: Record<string, string>): HttpResponse;
  send(body: unknown): HttpResponse;
  json(body: unknown): HttpResponse;
}
export type Handler = (req: HttpRequest, res: HttpResponse, next: (error?: unknown) => void) => void;

/** An Express application (4 or 5): `RED.httpNode`, `RED.httpAdmin`. */
export interface HttpApp {
  post(path: string, ...handlers: Handler[]): unknown;
  get(path: string, ...handlers: Handler[]): unknown;
  use(...handlers: Handler[]): unknown;
  /** The app this one is mounted in, once mounted. */
  parent?: HttpApp;
}

export interface NodeAPI {
  nodes: {
    createNode(node: object, config: object): void;
    registerType(
      type: string,
      constructor: (this: never, config: never) => void,
      options?: { credentials?: Record<string, { type: 'text' | 'password' }> },
    ): void;
    getNode(id: string): unknown;
    /** Replaces a node's credentials in the runtime's store (written, encrypted, with the next deploy). */
    addCredentials(id: string, credentials: object): Promise<void> | void;
  };
  util: { generateId(): string; cloneMessage<T>(msg: T): T };
  settings: Record<string, unknown> & { httpNodeRoot?: string | false; httpNodeMiddleware?: Handler | Handler[] };
  httpNode: HttpApp;
  httpAdmin: HttpApp;
  auth?: { needsPermission(permission: string): Handler };
  log: { warn(message: string): void; info(message: string): void };
  /** The runtime's message hooks (Node-RED 2+). */
  hooks?: { add(hookId: string, callback: (event: never) => unknown): void; remove(hookId: string): void };
}
