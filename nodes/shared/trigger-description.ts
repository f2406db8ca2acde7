/**
 * The description every gateway trigger shares, built from the provider: its set-up steps, its
 * own options (the provider's fields n8n keeps on the trigger) and, where the gateway has an API
 * for it, webhook registration. A node file adds only its identity (name, icon, texts).
 */
import type { INodeProperties, INodePropertyOptions, INodeTypeDescription } from 'n8n-workflow';
import { CANONICAL_EVENTS, EVENT_DESCRIPTIONS, LID_LOOKUP_DEFAULTS, type Provider } from '../../core';
import { n8nPropertyOf } from './credentials';
import { mediaProperties } from './media';
import { sharedStoreCredential, sharedStoreProperty } from './store';

/** What every trigger description shares; identity (name, icon, texts) stays in each node file. */
export const TRIGGER_BASE = {
  group: ['trigger'],
  version: 1,
  inputs: [],
  outputs: ['main'],
  // "Answer the Gateway": at once (the node answers), or as n8n's Webhook node "When Last Node
  // Finishes" (n8n answers when the execution ends: 500 when it failed, so the gateway retries).
  webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: '={{$parameter["respond"]}}', responseData: 'noData', path: 'webhook' }],
} satisfies Partial<INodeTypeDescription>;

export const EVENT_OPTIONS: INodePropertyOptions[] = CANONICAL_EVENTS.map((value) => ({
  name: EVENT_DESCRIPTIONS[value].label,
  value,
  description: EVENT_DESCRIPTIONS[value].help,
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

const combining = { displayOptions: { show: { combine: [true] } } };

/** "Combine messages sent in quick succession" (core/burst); the defaults are the core's BURST_DEFAULTS (test/n8n holds them equal). */
const BURST_PROPERTIES: INodeProperties[] = [
  {
    displayName: 'Combine Messages Sent in Quick Succession',
    name: 'combine',
    type: 'boolean',
    default: false,
    description:
      'Whether to hold the messages of a chat until it has been quiet for a while and start one execution for them: message.text joins the texts with newlines, messages lists each message in order (media included), a reply goes to the last one. The gateway is answered at once for every delivery. For AI agents, which would otherwise answer each fragment.',
  },
  {
    displayName: 'Quiet Window (Seconds)',
    name: 'combineQuiet',
    type: 'number',
    typeOptions: { minValue: 0.1 },
    default: 5,
    description: 'A burst ends when the chat has sent nothing for this long; each new message restarts the window',
    ...combining,
  },
  {
    displayName: 'Maximum Wait (Seconds)',
    name: 'combineMaxWait',
    type: 'number',
    typeOptions: { minValue: 0.1 },
    default: 30,
    description: 'A burst ends this long after its first message, however the chat keeps typing',
    ...combining,
  },
  {
    displayName: 'Maximum Messages',
    name: 'combineMaxCount',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: 20,
    description: 'A burst ends at once when it holds this many messages',
    ...combining,
  },
];

/** Where the signed body carries the delivery's time (`Provider.signedTimeOf`). */
function replayOptions(provider: Provider): INodeProperties[] {
  if (typeof provider.signedTimeOf !== 'function') return [];
  return [
    {
      displayName: 'Refuse Replays Older Than (Seconds)',
      name: 'replayWindow',
      type: 'number',
      typeOptions: { minValue: 0 },
      default: 600,
      description: `Deliveries whose signed ${provider.displayName} timestamp is older are refused with 401, so a captured request replayed after the dedupe memory has forgotten it is still refused. 0 turns it off. Without the option: the "Remember Events For" time. Only checked when the credential has a secret.`,
    },
  ];
}

/** Where the gateway's API can say which phone number is behind a LID (the `resolveLid` capability). */
function lidOptions(provider: Provider): INodeProperties[] {
  if (!provider.api.anyCapabilities.includes('resolveLid')) return [];
  const { timeoutMs, maxEntries, ttlMs } = LID_LOOKUP_DEFAULTS;
  return [
    {
      displayName: 'Resolve LIDs to Phone Numbers',
      name: 'resolveLids',
      type: 'boolean',
      default: false,
      description: `Whether to ask ${provider.displayName}'s API for the phone number behind a @lid sender or chat when the webhook did not carry it. Needs the API settings in the credential. Asked after the gateway has its answer, at most ${timeoutMs / 1000} s per lookup; answers are cached (${maxEntries} LIDs, ${ttlMs / 60_000} min). A failed lookup leaves the phone empty and says why in the event's issues.`,
    },
  ];
}

const ACTIVATE = 'Then activate the workflow: gateways must call the production URL; the test URL works only while "Listen for test event" is running.';

/** Where the gateway's API gives a message's file (the `downloadMedia` capability). */
function mediaDownloadProperties(provider: Provider): INodeProperties[] {
  if (!provider.api.anyCapabilities.includes('downloadMedia')) return [];
  return [
    {
      displayName: 'Download Media',
      name: 'downloadMedia',
      type: 'boolean',
      default: false,
      description: `Whether to fetch the file of an image, voice note, video or document through ${provider.displayName}'s API (the credential's API settings) and attach it as binary data. Fetched after the gateway has its answer; a file that cannot be had still starts the workflow, with message.media.error saying why.`,
    },
    ...mediaProperties({ downloadMedia: [true] }),
  ];
}

/** Whether the trigger registers its URL at the gateway on activation (the gateway has an API for it). */
export function registersWebhook(provider: Provider): boolean {
  return provider.api.anyCapabilities.includes('registerWebhook');
}

export function triggerProperties(provider: Provider): INodeProperties[] {
  const registers = registersWebhook(provider);
  const sessions = provider.api.sessions;
  const manualOnly = registers ? { displayOptions: { show: { registerWebhook: [false] } } } : {};
  const registrationProperties: INodeProperties[] = registers
    ? [
        {
          displayName: 'Register Webhook at the Gateway Automatically',
          name: 'registerWebhook',
          type: 'boolean',
          default: true,
          description:
            "Whether to add this trigger's webhook URL to the gateway when the workflow is activated, and remove it when it is deactivated. Needs the API settings in the credential.",
        },
        ...(sessions
          ? [
              // The default is the provider's own session name, which the rule cannot read.
              // eslint-disable-next-line n8n-nodes-base/node-param-default-missing
              {
                displayName: 'Session',
                name: 'session',
                type: 'string',
                default: sessions.default,
                description: `The ${provider.displayName} session whose webhooks get this URL`,
                displayOptions: { show: { registerWebhook: [true] } },
              } satisfies INodeProperties,
            ]
          : []),
      ]
    : [];

  return [
    { displayName: `${provider.setup.steps} ${ACTIVATE}`, name: 'setupNotice', type: 'notice', default: '', ...manualOnly },
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
    {
      displayName: 'Ignore Channels',
      name: 'ignoreChannels',
      type: 'boolean',
      default: false,
      description: 'Whether to drop events from channels (newsletters)',
    },
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
    ...mediaDownloadProperties(provider),
    {
      displayName: 'Answer the Gateway',
      name: 'respond',
      type: 'options',
      options: [
        {
          name: 'At Once',
          value: 'onReceived',
          description: 'Answer 200 before the workflow runs. A crash or a failed execution loses the event (the gateway does not retry).',
        },
        {
          name: 'After the Workflow Has Taken the Event',
          value: 'lastNode',
          description:
            'Answer when the execution has finished: 200, or 500 when it failed, so the gateway retries. Event IDs are remembered only after a successful execution; a copy arriving meanwhile gets 503.',
        },
      ],
      default: 'onReceived',
    },
    ...BURST_PROPERTIES,
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
    sharedStoreProperty,
    {
      displayName: 'Options',
      name: 'options',
      type: 'collection',
      placeholder: 'Add option',
      default: {},
      options: [
        ...COMMON_OPTIONS,
        ...lidOptions(provider),
        ...replayOptions(provider),
        ...provider.fields.filter((field) => field.n8n === 'triggerOption').map(n8nPropertyOf),
      ].sort(byDisplayName),
    },
  ];
}

/** What a trigger node file says about itself; the rest comes from its provider. */
export interface TriggerIdentity {
  displayName: string;
  icon: INodeTypeDescription['icon'];
  description: string;
  defaults: INodeTypeDescription['defaults'];
}

/**
 * A gateway that checks the URL with a GET first (the provider's `handshake`) gets a second webhook
 * on the same path, as n8n's own WhatsApp Trigger has: the handler answers it and starts nothing.
 * One that may post below the URL (`eventSubPaths`) gets a webhook on each of those sub-paths too,
 * hidden in the editor: static paths, because n8n keys a dynamic path (`webhook/:event`) by the path
 * alone, so a second active trigger with it would be refused as "already taken".
 */
export function triggerWebhooks(provider: Provider): INodeTypeDescription['webhooks'] {
  const [post] = TRIGGER_BASE.webhooks;
  return [
    post,
    // The URL check is answered by the node itself, whatever the delivery mode.
    ...(provider.handshake ? [{ ...post, name: 'setup' as const, httpMethod: 'GET', responseMode: 'onReceived' }] : []),
    // `<url>/<sub-path>`: the same handler, the body names the event.
    ...(provider.eventSubPaths ?? []).map((subPath) => ({ ...post, path: `${post.path}/${subPath}`, ndvHideUrl: true })),
  ];
}

export function triggerDescription(provider: Provider, identity: TriggerIdentity): INodeTypeDescription {
  return {
    ...TRIGGER_BASE,
    ...identity,
    webhooks: triggerWebhooks(provider),
    name: provider.n8n.trigger,
    subtitle: '={{$parameter["events"].join(", ")}}',
    credentials: [{ name: provider.n8n.credential, required: true }, sharedStoreCredential],
    properties: triggerProperties(provider),
  };
}
