import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { wahaProvider as provider } from '../../core/providers/waha';
import { webhookMethodsOf } from '../shared/registration';
import { triggerDescription } from '../shared/trigger-description';
import { receiveWebhook } from '../shared/trigger-webhook';

export class WahaTrigger implements INodeType {
  description = triggerDescription(provider, {
    displayName: 'WAHA Trigger',
    icon: { light: 'file:waha.svg', dark: 'file:waha.dark.svg' },
    description: 'Starts the workflow when WAHA (WhatsApp HTTP API) sends a WhatsApp event',
    defaults: { name: 'WAHA Trigger' },
  });

  webhookMethods = webhookMethodsOf(provider);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, provider);
  }
}
