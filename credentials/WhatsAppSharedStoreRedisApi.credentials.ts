import type { ICredentialType } from 'n8n-workflow';
import { sharedStoreCredentialProperties, SHARED_STORE_CREDENTIAL } from '../nodes/shared/store';

/** The Redis every n8n process of a queue-mode set-up shares for dedupe and LID answers (nodes/shared/store.ts). */
export class WhatsAppSharedStoreRedisApi implements ICredentialType {
  name = SHARED_STORE_CREDENTIAL;

  displayName = 'WhatsApp Shared Store (Redis)';

  icon = 'file:redis.svg' as const;

  documentationUrl = 'https://github.com/waflow/n8n-nodes-whatsapp-gateways#scaling';

  properties = sharedStoreCredentialProperties;
}
