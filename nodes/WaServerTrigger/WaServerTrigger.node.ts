import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { waserverProvider as provider } from '../../core/providers/waserver';
import { webhookMethodsOf } from '../shared/registration';
import { triggerDescription } from '../shared/trigger-description';
import { receiveWebhook } from '../shared/trigger-webhook';

export class WaServerTrigger implements INodeType {
  description = triggerDescription(provider, {
    displayName: 'wa-server Trigger',
    icon: { light: 'file:waserver.svg', dark: 'file:waserver.dark.svg' },
    description: 'Starts the workflow when wa-server sends a WhatsApp event',
    defaults: { name: 'wa-server Trigger' },
  });

  webhookMethods = webhookMethodsOf(provider);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, provider);
  }
}
