import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/** wa-server: the App's webhook_secret its deliveries are signed with, and its API. */
export class WaServerApi implements ICredentialType {
  name = 'waServerApi';

  // The gateway's name is lower-case (as n8n's rule exempts "n8n API").
  // eslint-disable-next-line n8n-nodes-base/cred-class-field-display-name-miscased
  displayName = 'wa-server API';

  icon = { light: 'file:waserver.svg', dark: 'file:waserver.dark.svg' } as const;

  documentationUrl = 'https://www.npmjs.com/package/@waflow/n8n-nodes-whatsapp-gateways';

  properties: INodeProperties[] = [
    {
      displayName: 'Webhook Secret',
      name: 'webhookSecret',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: "The App's webhook_secret: X-WA-Signature is checked with it. Empty: nothing is checked.",
    },
    {
      displayName: 'API URL',
      name: 'baseUrl',
      type: 'string',
      default: '',
      placeholder: 'e.g. http://localhost:8000',
      description: 'Where the wa-server API listens. Not needed for receiving webhooks.',
    },
    {
      displayName: 'API Key',
      name: 'apiKey',
      type: 'string',
      typeOptions: { password: true },
      default: '',
      description: 'Not needed for receiving webhooks',
    },
  ];
}
