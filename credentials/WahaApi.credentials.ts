import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** WAHA: the HMAC key its webhooks are signed with, and the API used to register the webhook. */
export class WahaApi implements ICredentialType {
  name = 'wahaApi';

  displayName = 'WAHA API';

  icon = { light: 'file:waha.svg', dark: 'file:waha.dark.svg' } as const;

  documentationUrl = 'https://waha.devlike.pro/docs/how-to/events/';

  properties: INodeProperties[] = [
    {
      displayName: 'Webhook HMAC Key',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'The key WAHA signs webhooks with (X-Webhook-Hmac). Requests without a valid signature are refused. Empty: nothing is checked.',
    },
    {
      displayName: 'API URL',
      name: 'baseUrl',
      type: 'string',
      default: 'http://localhost:3000',
      placeholder: 'e.g. http://localhost:3000',
      description: 'Where WAHA listens: for registering the webhook and for sending (WhatsApp Send)',
    },
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'WAHA_API_KEY, sent as X-Api-Key',
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } },
  };

  test: ICredentialTestRequest = {
    request: { baseURL: '={{$credentials.baseUrl}}', url: '/api/sessions' },
  };
}
