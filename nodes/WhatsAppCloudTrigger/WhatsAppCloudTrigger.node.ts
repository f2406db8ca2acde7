import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { cloudapiProvider as provider } from '../../core/providers/cloudapi';
import { webhookMethodsOf } from '../shared/registration';
import { triggerDescription } from '../shared/trigger-description';
import { receiveWebhook } from '../shared/trigger-webhook';

export class WhatsAppCloudTrigger implements INodeType {
  description = triggerDescription(provider, {
    displayName: 'WhatsApp Cloud API Trigger',
    icon: { light: 'file:cloudapi.svg', dark: 'file:cloudapi.dark.svg' },
    description: "Starts the workflow when Meta's WhatsApp Cloud API sends a WhatsApp event",
    defaults: { name: 'WhatsApp Cloud API Trigger' },
  });

  webhookMethods = webhookMethodsOf(provider);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, provider);
  }
}
