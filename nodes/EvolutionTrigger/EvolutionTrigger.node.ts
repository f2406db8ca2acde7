import type { INodeType, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { evolutionProvider as provider } from '../../core/providers/evolution';
import { webhookMethodsOf } from '../shared/registration';
import { triggerDescription } from '../shared/trigger-description';
import { receiveWebhook } from '../shared/trigger-webhook';

export class EvolutionTrigger implements INodeType {
  description = triggerDescription(provider, {
    displayName: 'Evolution API Trigger',
    icon: { light: 'file:evolution.svg', dark: 'file:evolution.dark.svg' },
    description: 'Starts the workflow when Evolution API sends a WhatsApp event',
    defaults: { name: 'Evolution API Trigger' },
  });

  webhookMethods = webhookMethodsOf(provider);

  async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
    return receiveWebhook(this, provider);
  }
}
