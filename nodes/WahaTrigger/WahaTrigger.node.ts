import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { GATEWAYS } from '../shared/gateways';
import { receiveWebhook, TRIGGER_BASE, triggerProperties, webhookMethodsOf } from '../shared/trigger';

const gateway = GATEWAYS.waha;

export class WahaTrigger implements INodeType {
  description: INodeTypeDescription = {
    ...TRIGGER_BASE,
    displayName: 'WAHA Trigger',
    name: 'wahaTrigger',
    icon: { light: 'file:waha.svg', dark: 'file:waha.dark.svg' },
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: 'Starts the workflow when WAHA (WhatsApp HTTP API) sends a WhatsApp event',
    defaults: { name: 'WAHA Trigger' },
    credentials: [{ name: 'wahaApi', required: true }],
    properties: triggerProperties(gateway),
  };

  webhookMethods = webhookMethodsOf(gateway);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, gateway);
  }
}
