import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { wawpProvider as provider } from '../../core/providers/wawp';
import { webhookMethodsOf } from '../shared/registration';
import { triggerDescription } from '../shared/trigger-description';
import { receiveWebhook } from '../shared/trigger-webhook';

export class WawpTrigger implements INodeType {
  description = triggerDescription(provider, {
    displayName: 'Wawp Trigger',
    icon: { light: 'file:wawp.svg', dark: 'file:wawp.dark.svg' },
    description: 'Starts the workflow when Wawp sends a WhatsApp event',
    defaults: { name: 'Wawp Trigger' },
  });

  webhookMethods = webhookMethodsOf(provider);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, provider);
  }
}
