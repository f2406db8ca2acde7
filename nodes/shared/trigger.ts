/**
 * The one implementation behind the four gateway triggers: parameters, the webhook handler and
 * the webhook lifecycle. A node file only names its gateway; everything that decides whether a
 * request is authentic and what it means is the core's `createReceiver`.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type {
  ICredentialDataDecryptedObject,
  IDataObject,
  INodeExecutionData,
  INodeProperties,
  INodePropertyOptions,
  INodeTypeDescription,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';
import {
  CANONICAL_EVENTS,
  flattenEvent,
  listOf,
  providers,
  type NormalizedEvent,
  type ProviderName,
  type ReceiveOptions,
  type ReceiveResult,
} from '../../core';
import { receiverFor } from './receivers';
import type { Registration } from './registration';

export interface TriggerSpec {
  provider: ProviderName;
  /** The credential type's `name`, e.g. `wahaApi`. */
  credentialName: string;
  /** Only for gateways with a webhook API (WAHA, Wawp). */
  registration?: Registration;
  /** Setup steps shown in the node, for pasting the URL by hand. */
  setupSteps: string;
  /** Parameters only this gateway has, shown under Options. */
  providerOptions: INodeProperties[];
  /** Extra top-level parameters for registration (WAHA's session). */
  registrationProperties?: INodeProperties[];
}

/** What every trigger description shares; identity (name, icon, texts) stays in each node file. */
export const TRIGGER_BASE = {
  group: ['trigger'],
  version: 1,
  inputs: [],
  outputs: ['main'],
  webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
} satisfies Partial<INodeTypeDescription>;

const EVENT_NAMES: Record<(typeof CANONICAL_EVENTS)[number], [string, string]> = {
  message: ['Message', 'A message received (or sent, when own messages are kept)'],
  'message.edited': ['Message Edited', 'A message was edited'],
  'message.ack': ['Message Ack', 'Delivery status changed: sent, delivered, read, played'],
  'message.reaction': ['Message Reaction', 'A reaction was added or removed'],
  'message.revoked': ['Message Revoked', 'A message was deleted for everyone'],
  presence: ['Presence', 'A contact went online or offline'],
  'chat.presence': ['Chat Presence', 'Typing, recording or paused in a chat'],
  'group.participants': ['Group Participants', 'Members joined, left, were added, removed, promoted or demoted'],
  'group.update': ['Group Update', 'Group subject, description or settings changed'],
  call: ['Call', 'An incoming call was offered, accepted or rejected'],
  'poll.vote': ['Poll Vote', 'A vote on a poll'],
  'session.status': ['Session Status', 'The WhatsApp session connected, disconnected, needs a QR scan…'],
  unknown: ['Unknown', 'Any event this package does not recognise, with its raw body'],
};

export const EVENT_OPTIONS: INodePropertyOptions[] = CANONICAL_EVENTS.map((value) => ({
  name: EVENT_NAMES[value][0],
  value,
  description: EVENT_NAMES[value][1],
})).sort((a, b) => a.name.localeCompare(b.name));

const byDisplayName = (a: INodeProperties, b: INodeProperties) => a.displayName.localeCompare(b.displayName);

/** Options every gateway has; each gateway adds its own (TriggerSpec.providerOptions). */
const COMMON_OPTIONS: INodeProperties[] = [
  {
    displayName: 'Allowed IP Addresses',
    name: 'allowedIps',
    type: 'string',
    default: '',
    placeholder: 'e.g. 203.0.113.7, 10.0.0.0/8',
    description: 'Comma-separated addresses or CIDR ranges the gateway calls from; others get 403. Empty allows all.',
  },
  {
    displayName: 'Max Body Size (MB)',
    name: 'maxBodyMb',
    type: 'number',
    typeOptions: { minValue: 0.001 },
    default: 5,
    description: 'Larger requests are refused with 413',
  },
];

export function triggerProperties(spec: TriggerSpec): INodeProperties[] {
  const registers = spec.registration !== undefined;
  const manualOnly = registers ? { displayOptions: { show: { registerWebhook: [false] } } } : {};
  const registrationProperties: INodeProperties[] = registers
    ? [
        {
          displayName: 'Register Webhook at the Gateway Automatically',
          name: 'registerWebhook',
          type: 'boolean',
          default: true,
          description:
            "Whether to add this trigger's webhook URL to the gateway when the workflow is activated, and remove it when it is deactivated. Needs the API URL and key in the credential.",
        },
        ...(spec.registrationProperties ?? []),
      ]
    : [];

  return [
    { displayName: spec.setupSteps, name: 'setupNotice', type: 'notice', default: '', ...manualOnly },
    ...registrationProperties,
    {
      displayName: 'Events',
      name: 'events',
      type: 'multiOptions',
      options: EVENT_OPTIONS,
      default: ['message'],
      description: 'The events that start the workflow. Others are answered and dropped without an execution.',
    },
    {
      displayName: 'Ignore Own Messages',
      name: 'ignoreOwnMessages',
      type: 'boolean',
      default: true,
      description: 'Whether to drop messages, edits and reactions sent by the connected account itself (stops a bot from answering itself)',
    },
    { displayName: 'Ignore Groups', name: 'ignoreGroups', type: 'boolean', default: false, description: 'Whether to drop events from group chats' },
    { displayName: 'Ignore Channels', name: 'ignoreChannels', type: 'boolean', default: false, description: 'Whether to drop events from channels (newsletters)' },
    {
      displayName: 'Ignore Status Broadcasts',
      name: 'ignoreStatus',
      type: 'boolean',
      default: true,
      description: 'Whether to drop status updates (status@broadcast) and broadcast lists',
    },
    {
      displayName: 'Output',
      name: 'output',
      type: 'options',
      options: [
        { name: 'Flat Row', value: 'flat', description: 'One row with the same columns for every event, for Sheets or a CRM' },
        { name: 'Normalized Event', value: 'event', description: 'The full normalized event (v1)' },
      ],
      default: 'event',
    },
    {
      displayName: 'Include Raw Body',
      name: 'includeRaw',
      type: 'boolean',
      default: true,
      description: "Whether to keep the gateway's original JSON body in the event's raw field",
      displayOptions: { show: { output: ['event'] } },
    },
    {
      displayName: 'Drop Duplicates',
      name: 'dedupe',
      type: 'boolean',
      default: true,
      description: 'Whether to ignore an event already received (gateways redeliver on timeouts and send some messages twice)',
    },
    {
      displayName: 'Remember Events For (Seconds)',
      name: 'dedupeTtl',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: 600,
      description: 'How long an event ID counts as already received',
      displayOptions: { show: { dedupe: [true] } },
    },
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add option',
      default: {},
      options: [...COMMON_OPTIONS, ...spec.providerOptions].sort(byDisplayName),
    },
  ];
}

interface TriggerOptions {
  allowedIps?: string;
  maxBodyMb?: number;
  secretHeader?: string;
  signatureHeader?: string;
  secretQueryParam?: string;
  timestampTolerance?: number;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The node's settings, in the core's terms. */
export function receiveOptionsOf(ctx: IWebhookFunctions, spec: TriggerSpec, credentials: ICredentialDataDecryptedObject): ReceiveOptions {
  const options = ctx.getNodeParameter('options', {}) as TriggerOptions;
  const dedupe = ctx.getNodeParameter('dedupe', true) as boolean;
  return {
    provider: spec.provider,
    secret: text(credentials.webhookSecret),
    hmacSecret: text(credentials.hmacSecret),
    secretHeader: text(options.secretHeader),
    signatureHeader: text(options.signatureHeader),
    secretQueryParam: text(options.secretQueryParam),
    timestampToleranceSeconds: options.timestampTolerance,
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
  };
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
function answer(ctx: IWebhookFunctions, result: Pick<ReceiveResult, 'status' | 'headers' | 'body'>): void {
  const res = ctx.getResponseObject();
  res.status(result.status);
  for (const [name, value] of Object.entries(result.headers)) res.setHeader(name, value);
  res.end(JSON.stringify(result.body));
}

export async function receiveWebhook(ctx: IWebhookFunctions, spec: TriggerSpec): Promise<IWebhookResponseData> {
  const req = ctx.getRequestObject() as unknown as WebhookRequest;
  let options: ReceiveOptions;
  let receiver;
  try {
    const credentials = await ctx.getCredentials(spec.credentialName);
    options = receiveOptionsOf(ctx, spec, credentials);
    receiver = receiverFor({ workflowId: String(ctx.getWorkflow().id ?? ''), nodeId: ctx.getNode().id, mode: ctx.getMode() }, options);
  } catch (error) {
    // Bad settings (an unparsable IP range, a missing credential): tell the caller, create no
    // execution. Thrown errors would become a failed execution on every delivery.
    const message = `${providers[spec.provider].displayName} trigger is misconfigured: ${(error as Error).message}`;
    answer(ctx, { status: 500, headers: { 'content-type': 'application/json; charset=utf-8' }, body: { ok: false, status: 500, error: message } });
    return { noWebhookResponse: true };
  }

  const result = await receiver.receive({
    method: req.method,
    headers: ctx.getHeaderData() as IncomingHttpHeaders,
    query: ctx.getQueryData() as Record<string, string | string[] | undefined>,
    rawBody: await rawBodyOf(req),
    clientIp: req.ip ?? req.socket?.remoteAddress,
  });

  answer(ctx, result);
  // Refused, filtered out or duplicate: no workflowData, so n8n starts no execution.
  if (result.events.length === 0) return { noWebhookResponse: true };

  const output = ctx.getNodeParameter('output', 'event') as string;
  const includeRaw = ctx.getNodeParameter('includeRaw', true) as boolean;
  // Several events from one request are several items of one execution.
  return { noWebhookResponse: true, workflowData: [result.events.map((event) => toItem(event, output, includeRaw))] };
}

/** `webhookMethods` for a node: the gateway's registration, or none (n8n then registers nothing). */
export function webhookMethodsOf(spec: TriggerSpec) {
  return spec.registration ? { default: { ...spec.registration } } : undefined;
}
