import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { openwaProvider as provider } from '../../core/providers/openwa';
import { webhookMethodsOf } from '../shared/registration';
import { triggerDescription } from '../shared/trigger-description';
import { receiveWebhook } from '../shared/trigger-webhook';

export class OpenWaTrigger implements INodeType {
  description = triggerDescription(provider, {
    displayName: 'open-wa Trigger',
    icon: { light: 'file:openwa.svg', dark: 'file:openwa.dark.svg' },
    description: 'Starts the workflow when open-wa sends a WhatsApp event',
    defaults: { name: 'open-wa Trigger' },
  });

  webhookMethods = webhookMethodsOf(provider);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, provider);
  }
}
