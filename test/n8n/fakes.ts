/**
 * Just enough of n8n's node contexts to run the nodes' own methods in a test: parameters come from
 * the node description's defaults unless a test sets them, as n8n does; HTTP calls from hook
 * methods go over real sockets to a fake gateway on 127.0.0.1, authenticated the way the
 * credential's `authenticate` block says.
 */
import type {
  IBinaryData,
  ICredentialDataDecryptedObject,
  ICredentialType,
  IDataObject,
  IExecuteFunctions,
  IHookFunctions,
  IHttpRequestOptions,
  INode,
  INodeExecutionData,
  INodeProperties,
  INodeType,
  INodeTypes,
  IRunExecutionData,
  IWebhookFunctions,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

export type Parameters = Record<string, unknown>;

/** n8n's `prepareBinaryData` in memory mode, as far as the nodes rely on it: the bytes (base64), name, type and size. */
export async function prepareBinaryData(data: Buffer, filePath?: string, mimeType?: string): Promise<IBinaryData> {
  const fileName = filePath?.split('/').pop();
  return {
    data: data.toString('base64'),
    mimeType: mimeType ?? 'application/octet-stream',
    fileName,
    fileSize: `${data.length} B`,
    bytes: data.length,
  } as IBinaryData;
}

/** A parameter's value: the test's, else the description's default, else the caller's fallback. */
function parameterReader(properties: INodeProperties[], parameters: Parameters) {
  return (name: string, fallback?: unknown) => {
    if (name in parameters) return parameters[name];
    const property = properties.find((p) => p.name === name);
    return property ? property.default : fallback;
  };
}

export interface FakeResponse {
  statusCode?: number;
  headers: Record<string, string>;
  body?: string;
  finished?: boolean;
  closeListeners: Array<() => void>;
  /** Plays n8n answering (`statusCode`) or the connection closing unanswered (none), then `close`. */
  finishAs(statusCode?: number): void;
}

export interface WebhookRequestInit {
  rawBody?: Buffer;
  /** For the fallback tests: a body n8n parsed, with no raw bytes kept. */
  parsedBody?: unknown;
  /** A lazy reader like n8n's `req.readRawBody()`. */
  lazyRawBody?: Buffer;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  method?: string;
  ip?: string;
}

export interface WebhookContextInit {
  nodeType: INodeType;
  parameters?: Parameters;
  credentials?: ICredentialDataDecryptedObject;
  workflowId?: string;
  nodeId?: string;
  /** n8n's mode: `webhook` for production URLs, `manual` for test URLs. */
  mode?: string;
  request: WebhookRequestInit;
  /** What the node logs goes here (n8n's logger). */
  log?: string[];
}

export function webhookContext(init: WebhookContextInit): { ctx: IWebhookFunctions; response: FakeResponse } {
  const read = parameterReader(init.nodeType.description.properties, init.parameters ?? {});
  const response: FakeResponse = { headers: {}, closeListeners: [], finishAs: () => undefined };
  const res = {
    status(code: number) {
      response.statusCode = code;
      return res;
    },
    setHeader(name: string, value: string) {
      response.headers[name.toLowerCase()] = value;
      return res;
    },
    end(body?: string) {
      response.body = body;
      return res;
    },
    /** n8n's answer at the end of an execution (the `lastNode` response mode): status, then close. */
    once(event: string, listener: () => void) {
      if (event === 'close') response.closeListeners.push(listener);
      return res;
    },
    get statusCode() {
      return response.statusCode ?? 200;
    },
    get writableFinished() {
      return response.finished === true;
    },
  };
  response.finishAs = (statusCode?: number) => {
    if (statusCode !== undefined) {
      response.statusCode = statusCode;
      response.finished = true;
    }
    for (const listener of response.closeListeners.splice(0)) listener();
  };
  const request = init.request;
  const req: Record<string, unknown> = {
    method: request.method ?? 'POST',
    ip: request.ip ?? '127.0.0.1',
    headers: request.headers ?? {},
    rawBody: request.rawBody,
    body: request.parsedBody ?? {},
  };
  if (request.lazyRawBody) {
    req.readRawBody = async () => {
      req.rawBody = request.lazyRawBody;
    };
  }
  const ctx = {
    getNodeParameter: (name: string, fallback?: unknown) => read(name, fallback),
    getCredentials: async () => init.credentials ?? {},
    getRequestObject: () => req,
    getResponseObject: () => res,
    getHeaderData: () => request.headers ?? {},
    getQueryData: () => request.query ?? {},
    getWorkflow: () => ({ id: init.workflowId ?? 'wf-1', active: true }),
    getMode: () => init.mode ?? 'webhook',
    getNode: () => node(init.nodeType, init.nodeId ?? 'node-1'),
    logger: Object.fromEntries(['error', 'warn', 'info', 'debug'].map((level) => [level, (message: string) => init.log?.push(`${level}: ${message}`)])),
    helpers: { prepareBinaryData },
  };
  return { ctx: ctx as unknown as IWebhookFunctions, response };
}

function node(nodeType: INodeType, id: string, extra: Partial<INode> = {}): INode {
  return { id, name: nodeType.description.displayName, type: nodeType.description.name, typeVersion: 1, position: [0, 0], parameters: {}, ...extra };
}

/** Replaces `={{$credentials.x}}` the way n8n resolves a generic `authenticate` block. */
function resolve(value: unknown, credentials: ICredentialDataDecryptedObject): string {
  const match = /^=\{\{\s*\$credentials\.(\w+)\s*\}\}$/.exec(String(value));
  return match ? String(credentials[match[1]] ?? '') : String(value);
}

export interface HookContextInit {
  nodeType: INodeType;
  credentialType: ICredentialType;
  credentials: ICredentialDataDecryptedObject;
  parameters?: Parameters;
  webhookUrl: string;
  staticData?: IDataObject;
}

export function hookContext(init: HookContextInit): { ctx: IHookFunctions; staticData: IDataObject; requests: Array<{ method: string; url: string }> } {
  const read = parameterReader(init.nodeType.description.properties, init.parameters ?? {});
  const staticData = init.staticData ?? {};
  const requests: Array<{ method: string; url: string }> = [];
  async function httpRequestWithAuthentication(_credentialName: string, options: IHttpRequestOptions) {
    const auth = (init.credentialType.authenticate as { properties: { headers?: IDataObject; qs?: IDataObject } } | undefined)?.properties ?? {};
    const url = new URL(options.url);
    for (const [key, value] of Object.entries({ ...auth.qs, ...options.qs })) url.searchParams.set(key, resolve(value, init.credentials));
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    for (const [key, value] of Object.entries(auth.headers ?? {})) headers[key] = resolve(value, init.credentials);
    const method = options.method ?? 'GET';
    requests.push({ method, url: url.toString() });
    const answer = await fetch(url, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await answer.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    if (!options.returnFullResponse) return body;
    return { statusCode: answer.status, body, headers: Object.fromEntries(answer.headers) };
  }
  const ctx = {
    getNodeParameter: (name: string, fallback?: unknown) => read(name, fallback),
    getCredentials: async () => init.credentials,
    getNodeWebhookUrl: () => init.webhookUrl,
    getWorkflowStaticData: () => staticData,
    getNode: () => node(init.nodeType, 'node-1'),
    helpers: { httpRequestWithAuthentication },
  };
  return { ctx: ctx as unknown as IHookFunctions, staticData, requests };
}

export interface ExecuteContextInit {
  nodeType: INodeType;
  /** As n8n stores them: a string starting with `=` is an expression, evaluated per item. */
  parameters?: Parameters;
  items: INodeExecutionData[];
  continueOnFail?: boolean;
  onError?: INode['onError'];
  credentials?: ICredentialDataDecryptedObject;
  /** Which credential types the node asked for. */
  credentialRequests?: string[];
  signal?: AbortSignal;
  /** The workflow the node runs in (its conversation state is the workflow's). */
  workflowId?: string;
}

/**
 * Expressions are evaluated by n8n-workflow's own engine over the input items (`$json` is the
 * item's), as n8n does in `getNodeParameter` and `evaluateExpression` (which adds the `=`).
 */
export function executeContext(init: ExecuteContextInit): IExecuteFunctions {
  const read = parameterReader(init.nodeType.description.properties, init.parameters ?? {});
  const self = node(init.nodeType, 'node-1', { onError: init.onError, parameters: (init.parameters ?? {}) as INode['parameters'] });
  const nodeTypes = { getByName: () => init.nodeType, getByNameAndVersion: () => init.nodeType, getKnownTypes: () => ({}) } as unknown as INodeTypes;
  const workflow = new Workflow({ nodes: [self], connections: {}, active: false, nodeTypes });
  const evaluate = (value: unknown, itemIndex: number) =>
    typeof value === 'string' && value.startsWith('=')
      ? workflow.expression.getParameterValue(value, { resultData: { runData: {} } } as IRunExecutionData, 0, itemIndex, self.name, init.items, 'manual', {})
      : value;
  const ctx = {
    getInputData: () => init.items,
    getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => evaluate(read(name, fallback), itemIndex),
    evaluateExpression: (expression: string, itemIndex: number) => evaluate(`=${expression}`, itemIndex),
    getNode: () => self,
    getCredentials: async (type: string) => {
      init.credentialRequests?.push(type);
      return init.credentials ?? {};
    },
    getExecutionCancelSignal: () => init.signal,
    getWorkflow: () => ({ id: init.workflowId ?? 'wf-1', active: true }),
    continueOnFail: () => init.continueOnFail === true,
    // n8n's binary helpers over the items' in-memory binary data (base64 `data`), with n8n's own error.
    helpers: {
      prepareBinaryData,
      assertBinaryData: (itemIndex: number, property: string) => {
        const binary = init.items[itemIndex]?.binary?.[property];
        if (!binary)
          throw new Error(`This operation expects the node's input data to contain a binary file '${property}', but none was found [item ${itemIndex}]`);
        return binary;
      },
      getBinaryDataBuffer: async (itemIndex: number, property: string) => Buffer.from(init.items[itemIndex].binary![property].data, 'base64'),
    },
  };
  return ctx as unknown as IExecuteFunctions;
}
