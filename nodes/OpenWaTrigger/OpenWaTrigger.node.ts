import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { GATEWAYS } from '../shared/gateways';
import { receiveWebhook, TRIGGER_BASE, triggerProperties, webhookMethodsOf } from '../shared/trigger';

const gateway = GATEWAYS.openwa;

export class OpenWaTrigger implements INodeType {
  description: INodeTypeDescription = {
    ...TRIGGER_BASE,
    displayName: 'open-wa Trigger',
    name: 'openWaTrigger',
    icon: { light: 'file:openwa.svg', dark: 'file:openwa.dark.svg' },
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: 'Starts the workflow when open-wa sends a WhatsApp event',
    defaults: { name: 'open-wa Trigger' },
    credentials: [{ name: 'openWaApi', required: true }],
    properties: triggerProperties(gateway),
  };

  webhookMethods = webhookMethodsOf(gateway);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, gateway);
  }
}
