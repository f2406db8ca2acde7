/** Evolution API v2 (EvolutionAPI/evolution-api): Baileys events in one envelope, no body signature, an instance-based REST API. */
import { apiKeyField, apiUrlField, secretHeaderField, webhookSecretField } from '../shared/fields';
import { OPERATIONS, type Provider } from '../types';
import { eventNameOf, normalize } from './normalize';
import { locateMedia } from './media';
import { sandbox } from './sandbox';
import { DEFAULT_INSTANCE, createClient } from './send';
import { sign, verify } from './verify';

/** Everything but LID lookups, which its API has no call for. */
const EVOLUTION_CAPABILITIES = OPERATIONS.filter((operation) => operation !== 'resolveLid');

export const evolutionProvider: Provider<'evolution'> = {
  name: 'evolution',
  displayName: 'Evolution API',
  defaultPath: 'evolution',
  eventNameOf,
  // Webhook by Events (`byEvents`) posts to `<url>/messages-upsert`, `<url>/connection-update`…
  eventSubPaths: true,
  verify,
  sign,
  normalize,
  fields: [
    webhookSecretField(
      'Webhook Secret',
      "Accepted when it matches any of: Authorization: Bearer <secret>, a Bearer HS256 JWT signed with it (webhook header jwt_key, Evolution 2.3+), the secret header (X-Webhook-Secret unless set otherwise), or the body's apikey (the instance token, when Evolution exposes it). Empty: nothing is checked.",
    ),
    secretHeaderField("The custom webhook header carrying the secret (Authorization: Bearer and the body's apikey are always accepted)"),
    apiUrlField({
      requiredFor: ['sendText', 'markRead', 'registerWebhook'],
      default: 'http://localhost:8080',
      placeholder: 'e.g. http://127.0.0.1:8080',
      help: 'Where Evolution API listens (SERVER_URL): for sending and for registering the webhook',
    }),
    {
      ...apiKeyField('The global AUTHENTICATION_API_KEY or the instance token, sent as the apikey header'),
      requiredFor: ['sendText', 'markRead', 'registerWebhook'],
    },
  ],
  setup: {
    steps:
      'Set the instance webhook to the webhook URL: in the Manager (instance → Events → Webhook) or with POST /webhook/set/{instance} {"webhook": {"enabled": true, "url": …, "headers": {"authorization": "Bearer <secret>"}, "events": […]}}. "Webhook by Events" may be on: its sub-paths (<url>/messages-upsert…) are listened on too. Put the same secret here (or use headers {"jwt_key": <secret>} on 2.3+).',
    docsUrl: 'https://doc.evolution-api.com/v2/en/configuration/webhooks',
  },
  api: {
    capabilities: () => EVOLUTION_CAPABILITIES,
    anyCapabilities: EVOLUTION_CAPABILITIES,
    createClient,
    media: locateMedia,
    credentialAuth: { headers: { apikey: 'apiKey' } },
    credentialTest: { method: 'GET', path: '/instance/fetchInstances' },
    sessions: {
      default: DEFAULT_INSTANCE,
      help: `The Evolution instance name. Empty: the instance the event came from, else "${DEFAULT_INSTANCE}".`,
    },
  },
  sandbox,
  samples: {
    folder: 'evolution',
    files: {
      message: 'src-2.3.6-messages-upsert-conversation.json',
      'message.reaction': 'src-2.3.6-messages-upsert-reactionMessage.json',
      'message.ack': 'src-2.3.6-messages-update-READ.json',
      'message.revoked': 'src-2.3.6-messages-delete.json',
      'message.edited': 'src-2.3.6-messages-edited-MESSAGE_EDIT.json',
      presence: 'src-2.3.6-presence-update.json',
      'chat.presence': 'src-2.3.6-presence-update.json',
      'group.participants': 'src-2.3.6-group-participants-update.json',
      call: 'src-2.3.6-call-offer.json',
      'session.status': 'src-2.3.6-connection-update-open.json',
      unknown: 'src-2.3.6-labels-association.json',
    },
  },
  n8n: { credential: 'evolutionApi', trigger: 'evolutionTrigger' },
};
