import type { IAuthenticateGeneric, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

/** Wawp: the token its webhook URL carries, and the instance credentials of its API. */
export class WawpApi implements ICredentialType {
  name = 'wawpApi';

  displayName = 'Wawp API';

  icon = { light: 'file:wawp.svg', dark: 'file:wawp.dark.svg' } as const;

  documentationUrl = 'https://api.wawp.net/en/docs/v2/session/webhook';

  properties: INodeProperties[] = [
    {
      displayName: 'Webhook Secret',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'A token of your choice, added to the webhook URL as ?secret=…; requests without it are refused. Empty: nothing is checked.',
    },
    {
      displayName: 'Instance ID',
      name: 'instanceId',
      type: 'string',
      default: '',
      description: 'The 12-character ID of the Wawp instance',
    },
    {
      displayName: 'Access Token',
      name: 'accessToken',
      type: 'string',
      typeOptions: { password: true },
      default: '',
    },
    {
      displayName: 'API URL',
      name: 'baseUrl',
      type: 'string',
      default: 'https://api.wawp.net',
      placeholder: 'e.g. https://api.wawp.net',
    },
  ];

  authenticate: IAuthenticateGeneric = {
    type: 'generic',
    properties: { qs: { instance_id: '={{$credentials.instanceId}}', access_token: '={{$credentials.accessToken}}' } },
  };

  test: ICredentialTestRequest = {
    request: { baseURL: '={{$credentials.baseUrl}}', url: '/v2/session/info', method: 'POST' },
  };
}
