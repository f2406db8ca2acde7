import type { INodeType, INodeTypeDescription, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { GATEWAYS } from '../shared/gateways';
import { receiveWebhook, TRIGGER_BASE, triggerProperties, webhookMethodsOf } from '../shared/trigger';

const gateway = GATEWAYS.wawp;

export class WawpTrigger implements INodeType {
  description: INodeTypeDescription = {
    ...TRIGGER_BASE,
    displayName: 'Wawp Trigger',
    name: 'wawpTrigger',
    icon: { light: 'file:wawp.svg', dark: 'file:wawp.dark.svg' },
    subtitle: '={{$parameter["events"].join(", ")}}',
    description: 'Starts the workflow when Wawp sends a WhatsApp event',
    defaults: { name: 'Wawp Trigger' },
    credentials: [{ name: 'wawpApi', required: true }],
    properties: triggerProperties(gateway),
  };

  webhookMethods = webhookMethodsOf(gateway);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, gateway);
  }
}
