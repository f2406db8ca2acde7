/**
 * open-wa (wa-automate): v5's `@open-wa/integration-webhook` and v4's webhook bodies; neither signs,
 * so a shared secret header (or bearer token) authenticates, optionally with an HMAC from a proxy.
 */
import { apiKeyField, apiUrlField, secretHeaderField, webhookSecretField } from '../shared/fields';
import { OPERATIONS, type Operation, type Provider } from '../types';
import { eventNameOf } from '../shared/build';
import { normalize } from './normalize';
import { locateMedia } from './media';
import { sandbox } from './sandbox';
import { createClient } from './send';
import { sign, verify } from './verify';

/** v4's EASY API exposes every client method; v5's REST API documents sendText only. */
const V4_CAPABILITIES: readonly Operation[] = OPERATIONS.filter((operation) => operation !== 'registerWebhook' && operation !== 'resolveLid');

export const openwaProvider: Provider<'openwa'> = {
  name: 'openwa',
  displayName: 'open-wa',
  defaultPath: 'openwa',
  eventNameOf,
  verify,
  sign,
  normalize,
  fields: [
    webhookSecretField(
      'Webhook Secret',
      'The shared secret open-wa sends in the secret header (X-Webhook-Secret unless set otherwise) or as Authorization: Bearer. Empty: nothing is checked.',
    ),
    secretHeaderField('The header carrying the shared webhook secret (Authorization: Bearer is always accepted)'),
    {
      key: 'hmacSecret',
      label: 'Webhook HMAC Key',
      type: 'string',
      secret: true,
      section: 'receive',
      n8n: 'credential',
      requiredFor: [],
      default: '',
      placeholder: 'optional',
      help: 'Only when a signing proxy adds an HMAC-SHA256 of the body (X-Webhook-Signature); empty otherwise',
    },
    {
      key: 'signatureHeader',
      label: 'Signature Header Name',
      type: 'string',
      secret: false,
      section: 'receive',
      n8n: 'triggerOption',
      requiredFor: [],
      default: 'X-Webhook-Signature',
      placeholder: 'X-Webhook-Signature',
      help: 'The header carrying the HMAC-SHA256 of the body, when an HMAC key is set',
    },
    apiUrlField({
      requiredFor: ['sendText', 'markRead'],
      default: '',
      placeholder: 'e.g. http://127.0.0.1:8002',
      help: 'Where the open-wa API listens, for sending. Not needed for receiving webhooks.',
    }),
    apiKeyField('The key open-wa was started with (--api-key). Not needed for receiving webhooks.'),
    {
      key: 'apiVersion',
      label: 'API Version',
      type: 'options',
      secret: false,
      section: 'api',
      n8n: 'credential',
      requiredFor: [],
      default: 'v5',
      options: [
        { value: 'v5', label: 'v5 (REST API, /api/sendText)', help: 'POST /api/sendText with X-API-Key; replies go out unquoted' },
        { value: 'v4', label: 'v4 (EASY API, /sendText, /reply)', help: 'POST /sendText, /reply, /sendSeen with {args}; key in the api_key header' },
      ],
      help: 'Which open-wa API sending talks to. Only v4 documents quoted replies and marking messages as read.',
    },
  ],
  setup: {
    steps:
      'open-wa has no API to register webhooks. Point its webhook at the webhook URL and have it send the webhook secret configured here in the X-Webhook-Secret header (or as Authorization: Bearer). If a signing proxy adds an HMAC-SHA256 of the body, set its key too.',
    docsUrl: 'https://docs.openwa.dev/',
  },
  api: {
    capabilities: (config) => (config.apiVersion === 'v4' ? V4_CAPABILITIES : ['sendText', 'downloadMedia']),
    anyCapabilities: V4_CAPABILITIES,
    createClient,
    media: locateMedia,
    whyNot: (operation) =>
      operation === 'markRead'
        ? 'the v5 REST API documents no call for it (v4 has one: set API Version to v4)'
        : V4_CAPABILITIES.includes(operation)
          ? 'this package sends it through the v4 EASY API only (set API Version to v4)'
          : operation === 'registerWebhook'
            ? 'it has no API for it'
            : null,
  },
  sandbox,
  samples: {
    folder: 'openwa',
    files: {
      message: 'doc-message.json',
      'message.ack': 'spec-v5-ack-changed.json',
      'message.revoked': 'spec-v5-message-deleted.json',
      'message.reaction': 'spec-v5-reaction-added.json',
      'chat.presence': 'spec-v5-chat-state.json',
      'group.participants': 'doc-group-participants.json',
      'group.update': 'spec-v5-group-changed.json',
      call: 'spec-v5-call-incoming.json',
      'poll.vote': 'spec-v5-poll-vote.json',
      'session.status': 'doc-session-state.json',
      unknown: 'spec-v5-label-changed.json',
    },
  },
  n8n: { credential: 'openWaApi', trigger: 'openWaTrigger' },
};
