/**
 * Wawp (wawp.net): its webhook body is a copy of WAHA's current envelope (same event names and
 * payloads, `me.lid` included), so it reuses WAHA's schema and normalizer; the authentication (a
 * secret token in the URL: Wawp signs nothing) and the API differ.
 */
import { apiUrlField, webhookSecretField } from '../shared/fields';
import type { Operation, Provider } from '../types';
import { WAHA_SAMPLES } from '../waha';
import { eventNameOf } from '../shared/build';
import { normalizeEnvelope } from '../waha/normalize';
import { locateMedia } from './media';
import { sandbox } from './sandbox';
import { createClient, WAWP_DEFAULT_BASE_URL } from './send';
import { sign, verify } from './verify';

const WAWP_CAPABILITIES = ['sendText', 'sendImage', 'sendVideo', 'sendDocument', 'sendVoice', 'sendLocation', 'registerWebhook', 'downloadMedia'] as const;

const WAWP_WHY_NOT: Partial<Record<Operation, string>> = {
  markRead: 'its API documents no call for it',
  sendAudio: 'Wawp sends audio as a voice note (Send Voice Note) or as a file (Send Document)',
  react: 'its reaction call is not part of the API this package has verified (use an HTTP Request node)',
  typing: 'its typing calls are not part of the API this package has verified',
};

export const wawpProvider: Provider<'wawp'> = {
  name: 'wawp',
  displayName: 'Wawp',
  defaultPath: 'wawp',
  eventNameOf,
  verify,
  sign,
  normalize: (body, context) => normalizeEnvelope('wawp', body, context),
  fields: [
    webhookSecretField(
      'Webhook Secret',
      'A token of your choice that Wawp must send as ?secret=… in the webhook URL (Wawp does not sign requests): give Wawp the URL with ?secret=<this token> appended. Requests without it are refused. Empty: nothing is checked.',
    ),
    {
      key: 'secretQueryParam',
      label: 'Secret Query Parameter',
      type: 'string',
      secret: false,
      section: 'receive',
      n8n: 'triggerOption',
      requiredFor: [],
      default: 'secret',
      placeholder: 'secret',
      help: 'The query parameter of the webhook URL that carries the webhook secret',
    },
    {
      key: 'instanceId',
      label: 'Instance ID',
      type: 'string',
      secret: false,
      section: 'api',
      n8n: 'credential',
      requiredFor: ['sendText', 'registerWebhook'],
      default: '',
      placeholder: 'your Wawp instance_id',
      help: 'The 12-character ID of the Wawp instance',
    },
    {
      key: 'accessToken',
      label: 'Access Token',
      type: 'string',
      secret: true,
      section: 'api',
      n8n: 'credential',
      requiredFor: ['sendText', 'registerWebhook'],
      default: '',
      placeholder: 'your Wawp access_token',
      help: 'The access token of the Wawp instance',
    },
    apiUrlField({
      requiredFor: [],
      default: WAWP_DEFAULT_BASE_URL,
      placeholder: `${WAWP_DEFAULT_BASE_URL} (empty: this)`,
      help: `Wawp's API root; empty means ${WAWP_DEFAULT_BASE_URL}`,
    }),
  ],
  setup: {
    steps:
      "In the Wawp dashboard, add a webhook to your instance with the webhook URL followed by ?secret= and the webhook secret configured here (Wawp signs nothing: the secret in the URL is what proves a call is Wawp's). Select the events you listen to.",
    docsUrl: 'https://api.wawp.net/en/docs/v2/session/webhook',
  },
  api: {
    capabilities: () => WAWP_CAPABILITIES,
    anyCapabilities: WAWP_CAPABILITIES,
    createClient,
    media: locateMedia,
    whyNot: (operation) => WAWP_WHY_NOT[operation] ?? null,
    credentialAuth: { query: { instance_id: 'instanceId', access_token: 'accessToken' } },
    credentialTest: { method: 'POST', path: '/v2/session/info' },
  },
  sandbox,
  samples: WAHA_SAMPLES,
  n8n: { credential: 'wawpApi', trigger: 'wawpTrigger' },
};
