/** WAHA (WhatsApp HTTP API, devlikeapro/waha): HMAC-SHA512-signed webhooks, a session-based REST API. */
import { apiKeyField, apiUrlField, webhookSecretField } from '../shared/fields';
import { OPERATIONS, type Provider } from '../types';
import { eventNameOf } from '../shared/build';
import { locateMedia } from './media';
import { normalizeEnvelope } from './normalize';
import { sandbox } from './sandbox';
import { createClient } from './send';
import { sign, verify } from './verify';

/** One fixture per canonical event WAHA emits (the presence fixture holds an online and a typing entry). Wawp's too. */
/** Everything but a separate audio send: WAHA's audio is a voice note or a file. */
const WAHA_CAPABILITIES = OPERATIONS.filter((operation) => operation !== 'sendAudio');

export const WAHA_SAMPLES: Provider['samples'] = {
  folder: 'waha',
  files: {
    message: 'spec-message-text.json',
    'message.reaction': 'spec-message-reaction.json',
    'message.ack': 'spec-message-ack.json',
    'message.revoked': 'spec-message-revoked.json',
    'message.edited': 'spec-message-edited.json',
    presence: 'spec-presence-update.json',
    'chat.presence': 'spec-presence-update.json',
    'group.participants': 'spec-group-v2-participants.json',
    'group.update': 'spec-group-v2-update.json',
    call: 'spec-call-received.json',
    'poll.vote': 'spec-poll-vote.json',
    'session.status': 'spec-session-status.json',
    unknown: 'spec-engine-event.json',
  },
};

/** A finite epoch time in ms; seconds (below 1e11) are taken as seconds. */
function epochMsOf(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return null;
  return value < 1e11 ? value * 1000 : value;
}

export const wahaProvider: Provider<'waha'> = {
  name: 'waha',
  displayName: 'WAHA',
  defaultPath: 'waha',
  eventNameOf,
  verify,
  sign,
  // The envelope's `timestamp` (ms) is inside the HMAC-signed body.
  signedTimeOf: (body) => epochMsOf(body.timestamp),
  normalize: (body, context) => normalizeEnvelope('waha', body, context),
  fields: [
    webhookSecretField(
      'Webhook HMAC Key',
      'The HMAC key set on the WAHA webhook (hmac.key). WAHA signs every body with it in X-Webhook-Hmac (SHA-512 by default); requests without a valid signature are refused. Empty: nothing is checked.',
    ),
    apiUrlField({
      requiredFor: ['sendText', 'markRead', 'registerWebhook', 'resolveLid', 'downloadMedia'],
      default: 'http://localhost:3000',
      placeholder: 'e.g. http://127.0.0.1:3000',
      help: 'Where WAHA listens: for sending, for registering the webhook and for resolving LIDs to phone numbers',
    }),
    apiKeyField('WAHA_API_KEY, sent as X-Api-Key'),
  ],
  setup: {
    steps:
      'Add the webhook URL to your WAHA session: in the dashboard (session → Webhooks) or in config.webhooks of POST /api/sessions. Select the events you listen to and set the HMAC key to the webhook secret configured here.',
    docsUrl: 'https://waha.devlike.pro/docs/how-to/events/',
  },
  api: {
    capabilities: () => WAHA_CAPABILITIES,
    anyCapabilities: WAHA_CAPABILITIES,
    whyNot: (operation) => (operation === 'sendAudio' ? 'WAHA sends audio as a voice note (Send Voice Note) or as a file (Send Document)' : null),
    createClient,
    media: locateMedia,
    credentialAuth: { headers: { 'X-Api-Key': 'apiKey' } },
    credentialTest: { method: 'GET', path: '/api/sessions' },
    sessions: { default: 'default', help: 'The WAHA session to use. Empty: the session the event came from, else "default".' },
  },
  sandbox,
  samples: WAHA_SAMPLES,
  n8n: { credential: 'wahaApi', trigger: 'wahaTrigger' },
};
