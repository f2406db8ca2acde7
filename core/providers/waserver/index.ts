/** wa-server (App/Device gateway): HMAC-signed webhooks, envelope `{event, device_id, app_id, payload, timestamp, request_id}`. Receive-only. */
import { apiKeyField, apiUrlField, webhookSecretField } from '../shared/fields';
import type { Provider } from '../types';
import { eventNameOf } from '../shared/build';
import { locateMedia } from './media';
import { normalize } from './normalize';
import { sandbox } from './sandbox';
import { createClient, RECEIVE_ONLY } from './send';
import { DEFAULT_TOLERANCE_SECONDS, sign, verify } from './verify';

export const waserverProvider: Provider<'waserver'> = {
  name: 'waserver',
  displayName: 'wa-server',
  defaultPath: 'waserver',
  eventNameOf,
  verify,
  sign,
  normalize,
  fields: [
    webhookSecretField(
      'Webhook Secret',
      'The App\'s webhook_secret. wa-server signs X-WA-Timestamp + "." + body in X-WA-Signature; requests outside the time window are refused. Empty: nothing is checked.',
    ),
    {
      key: 'timestampToleranceSeconds',
      label: 'Timestamp Tolerance (Seconds)',
      type: 'number',
      secret: false,
      section: 'receive',
      n8n: 'triggerOption',
      requiredFor: [],
      default: DEFAULT_TOLERANCE_SECONDS,
      placeholder: String(DEFAULT_TOLERANCE_SECONDS),
      help: 'How far X-WA-Timestamp may be from now; older or future deliveries are refused as replays',
      storedAs: { n8n: 'timestampTolerance', nodeRed: 'timestampTolerance' },
    },
    apiUrlField({
      requiredFor: ['downloadMedia'],
      default: '',
      placeholder: 'e.g. http://127.0.0.1:8080',
      help: 'Where the wa-server API listens, for downloading media (GET /media). Not needed for receiving webhooks.',
    }),
    apiKeyField('The wa-server API key, sent as X-API-Key when downloading media. Not needed for receiving webhooks.'),
  ],
  setup: {
    steps:
      "wa-server has no API to register webhooks. Set your App's webhook URL to the webhook URL and copy the App's webhook_secret into the secret configured here. wa-server signs every delivery with a timestamp, so keep both clocks in sync.",
    docsUrl: 'https://www.npmjs.com/package/@waflow/n8n-nodes-whatsapp-gateways',
  },
  api: {
    capabilities: () => ['downloadMedia'],
    anyCapabilities: ['downloadMedia'],
    createClient,
    media: locateMedia,
    whyNot: () => RECEIVE_ONLY,
  },
  sandbox,
  samples: {
    folder: 'waserver',
    files: {
      message: 'doc-message-text-individual-inbound.json',
      'message.ack': 'doc-receipt-read.json',
      'message.revoked': 'doc-message_revoked.json',
      presence: 'doc-presence.json',
      'chat.presence': 'doc-chat_presence-composing.json',
      'session.status': 'doc-device_connected.json',
      unknown: 'spec-unknown-event.json',
    },
  },
  n8n: { credential: 'waServerApi', trigger: 'waServerTrigger' },
};
