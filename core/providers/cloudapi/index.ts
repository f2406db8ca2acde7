/** Meta's WhatsApp Cloud API: batched, HMAC-signed deliveries, a GET subscription handshake, the Graph API to send. */
import { apiUrlField, webhookSecretField } from '../shared/fields';
import type { Provider } from '../types';
import { eventNameOf, normalize } from './normalize';
import { locateMedia } from './media';
import { sandbox } from './sandbox';
import { GRAPH_API_URL, createClient } from './send';
import { handshake, sign, verify } from './verify';

const CLOUD_CAPABILITIES = [
  'sendText',
  'sendImage',
  'sendVideo',
  'sendDocument',
  'sendVoice',
  'sendLocation',
  'react',
  'typing',
  'markRead',
  'downloadMedia',
] as const;

export const cloudapiProvider: Provider<'cloudapi'> = {
  name: 'cloudapi',
  displayName: 'WhatsApp Cloud API',
  defaultPath: 'cloudapi',
  eventNameOf,
  verify,
  sign,
  handshake,
  normalize,
  fields: [
    webhookSecretField(
      'App Secret',
      "The Meta app's App Secret (App settings → Basic): every delivery's X-Hub-Signature-256 is checked with it. Empty: nothing is checked.",
    ),
    {
      key: 'verifyToken',
      label: 'Verify Token',
      type: 'string',
      secret: true,
      section: 'receive',
      n8n: 'credential',
      requiredFor: [],
      default: '',
      help: "Any string you choose, typed here and in the app dashboard (WhatsApp → Configuration → Verify token): Meta's GET check of the callback URL must carry it. Empty: the check is refused.",
    },
    {
      key: 'accessToken',
      label: 'Access Token',
      type: 'string',
      secret: true,
      section: 'api',
      n8n: 'credential',
      requiredFor: ['sendText', 'markRead'],
      default: '',
      placeholder: 'a system user access token',
      help: 'Sent as Authorization: Bearer to the Graph API (a system user token with whatsapp_business_messaging)',
    },
    {
      key: 'phoneNumberId',
      label: 'Phone Number ID',
      type: 'string',
      secret: false,
      section: 'api',
      n8n: 'credential',
      requiredFor: [],
      default: '',
      placeholder: '106540352242922',
      help: 'The business number to send from when the message does not come from an event (WhatsApp → API Setup). Replies go from the number the event came to.',
    },
    {
      ...apiUrlField({
        requiredFor: [],
        default: GRAPH_API_URL,
        placeholder: `${GRAPH_API_URL} (empty: this)`,
        help: `The Graph API root with its version; empty means ${GRAPH_API_URL}`,
      }),
      label: 'Graph API URL',
    },
  ],
  setup: {
    steps:
      'In the Meta app dashboard, WhatsApp → Configuration → Webhook: Callback URL = the webhook URL, Verify token = the Verify Token here, then "Verify and save" (Meta calls the URL with GET, so the workflow or flow must be running) and subscribe to the "messages" field. Put the App Secret (App settings → Basic) here too.',
    docsUrl: 'https://developers.facebook.com/documentation/business-messaging/whatsapp/webhooks/overview',
  },
  api: {
    capabilities: () => CLOUD_CAPABILITIES,
    anyCapabilities: CLOUD_CAPABILITIES,
    createClient,
    credentialAuth: { headers: { Authorization: { field: 'accessToken', prefix: 'Bearer ' } } },
    // The token's own user: proves the token without knowing a phone number id.
    credentialTest: { method: 'GET', path: '/me' },
    media: locateMedia,
    whyNot: (operation) =>
      operation === 'sendAudio'
        ? 'every audio is an "audio" message there: use Send Voice Note'
        : operation === 'registerWebhook'
          ? 'the callback URL is set in the Meta app dashboard (WhatsApp → Configuration)'
          : operation === 'resolveLid'
            ? 'Cloud API ids are phone numbers or business-scoped user ids, never LIDs'
            : null,
  },
  sandbox,
  samples: {
    folder: 'cloudapi',
    files: {
      message: 'meta-ref-messages-text.json',
      'message.reaction': 'meta-ref-messages-reaction.json',
      'message.ack': 'meta-ref-messages-status-read.json',
      unknown: 'meta-ref-account_update.json',
    },
  },
  n8n: { credential: 'whatsAppCloudApi', trigger: 'whatsAppCloudTrigger' },
};
