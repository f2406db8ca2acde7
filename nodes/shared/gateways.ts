/**
 * What differs between the four gateway triggers: credential, setup steps, gateway-only options
 * and, for WAHA and Wawp, the webhook registration. Everything else is shared (trigger.ts).
 */
import type { ProviderName } from '../../core';
import { registration, wahaApi, wawpApi } from './registration';
import type { TriggerSpec } from './trigger';

const ACTIVATE =
  'Then activate the workflow: gateways must call the production URL; the test URL works only while "Listen for test event" is running.';

export const GATEWAYS: Record<ProviderName, TriggerSpec> = {
  waha: {
    provider: 'waha',
    credentialName: 'wahaApi',
    registration: registration(wahaApi),
    registrationProperties: [
      {
        displayName: 'Session',
        name: 'session',
        type: 'string',
        default: 'default',
        description: 'The WAHA session whose webhooks get this URL',
        displayOptions: { show: { registerWebhook: [true] } },
      },
    ],
    setupSteps: `Add the webhook URL above to your WAHA session: in the dashboard (session → Webhooks) or in config.webhooks of POST /api/sessions. Select the events you listen to and set the HMAC key to the webhook secret of the credential. ${ACTIVATE}`,
    providerOptions: [],
  },
  wawp: {
    provider: 'wawp',
    credentialName: 'wawpApi',
    registration: registration(wawpApi),
    setupSteps: `In the Wawp dashboard, add a webhook to your instance with the webhook URL above followed by ?secret= and the webhook secret of the credential (Wawp signs nothing: the secret in the URL is what proves a call is Wawp's). Select the events you listen to. ${ACTIVATE}`,
    providerOptions: [
      {
        displayName: 'Secret Query Parameter',
        name: 'secretQueryParam',
        // The name of a parameter, not a secret.
        // eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
        type: 'string',
        default: 'secret',
        description: 'The query parameter of the webhook URL that carries the webhook secret',
      },
    ],
  },
  openwa: {
    provider: 'openwa',
    credentialName: 'openWaApi',
    setupSteps: `open-wa has no API to register webhooks. Point its webhook at the webhook URL above and have it send the webhook secret of the credential in the X-Webhook-Secret header (or as Authorization: Bearer). If a signing proxy adds an HMAC-SHA256 of the body, put its key in the credential too. ${ACTIVATE}`,
    providerOptions: [
      {
        displayName: 'Secret Header Name',
        name: 'secretHeader',
        // The name of a header, not a secret.
        // eslint-disable-next-line n8n-nodes-base/node-param-type-options-password-missing
        type: 'string',
        default: 'X-Webhook-Secret',
        description: 'The header carrying the shared webhook secret (Authorization: Bearer is always accepted)',
      },
      {
        displayName: 'Signature Header Name',
        name: 'signatureHeader',
        type: 'string',
        default: 'X-Webhook-Signature',
        description: 'The header carrying the HMAC-SHA256 of the body, when the credential has an HMAC key',
      },
    ],
  },
  waserver: {
    provider: 'waserver',
    credentialName: 'waServerApi',
    setupSteps: `wa-server has no API to register webhooks. Set your App's webhook URL to the webhook URL above and copy the App's webhook_secret into the credential. wa-server signs every delivery with a timestamp, so keep both clocks in sync. ${ACTIVATE}`,
    providerOptions: [
      {
        displayName: 'Timestamp Tolerance (Seconds)',
        name: 'timestampTolerance',
        type: 'number',
        typeOptions: { minValue: 1 },
        default: 300,
        description: 'How far X-WA-Timestamp may be from now; older or future deliveries are refused as replays',
      },
    ],
  },
};
