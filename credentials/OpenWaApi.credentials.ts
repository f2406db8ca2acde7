import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * open-wa: the shared secret its webhook deliveries carry, an optional HMAC key (signing proxy),
 * and its API. open-wa documents no endpoint that checks a key, so there is no credential test.
 */
export class OpenWaApi implements ICredentialType {
  name = 'openWaApi';

  // The gateway's name is lower-case (as n8n's rule exempts "n8n API").
  // eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-miscased
  displayName = 'open-wa API';

  icon = { light: 'file:openwa.svg', dark: 'file:openwa.dark.svg' } as const;

  documentationUrl = 'https://docs.openwa.dev/';

  properties: INodeProperties[] = [
    {
      displayName: 'Webhook Secret',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'Expected in the X-Webhook-Secret header (name configurable in the trigger) or as Authorization: Bearer. Empty: nothing is checked.',
    },
    {
      displayName: 'Webhook HMAC Key',
      name: 'hmacSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'Only when a signing proxy adds an HMAC-SHA256 of the body (X-Webhook-Signature); empty otherwise',
    },
    {
      displayName: 'API URL',
      name: 'baseUrl',
      type: 'string',
      default: '',
      placeholder: 'e.g. http://localhost:8080',
      description: 'Where the open-wa API listens, for sending (WhatsApp Send). Not needed for receiving webhooks.',
    },
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'The key open-wa was started with (--api-key). Not needed for receiving webhooks.',
    },
    {
      displayName: 'API Version',
      name: 'apiVersion',
      type: 'options',
      options: [
        { name: 'V4 (EASY API)', value: 'v4', description: 'POST /sendText, /reply, /sendSeen with {args}; key in the api_key header' },
        { name: 'V5', value: 'v5', description: 'POST /api/sendText with X-API-Key; replies go out unquoted' },
      ],
      default: 'v5',
      description: 'Which open-wa API the WhatsApp Send node talks to. Only v4 documents quoted replies and marking messages as read.',
    },
  ];
}
