import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { GATEWAYS } from '../shared/gateways';
import { receiveWebhook, TRIGGER_BASE, triggerProperties, webhookMethodsOf } from '../shared/trigger';

const gateway = GATEWAYS.waserver;

export class WaServerTrigger implements INodeType {
  description: INodeTypeDescription = {
    ...TRIGGER_BASE,
    displayName: 'wa-server Trigger',
    name: 'waServerTrigger',
    icon: { light: 'file:waserver.svg', dark: 'file:waserver.dark.svg' },
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: 'Starts the workflow when wa-server sends a WhatsApp event',
    defaults: { name: 'wa-server Trigger' },
    credentials: [{ name: 'waServerApi', required: true }],
    properties: triggerProperties(gateway),
  };

  webhookMethods = webhookMethodsOf(gateway);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, gateway);
  }
}
