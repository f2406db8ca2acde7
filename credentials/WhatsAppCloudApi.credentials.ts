import type { ICredentialType } from 'n8n-workflow';
import { cloudapiProvider as provider } from '../core/providers/cloudapi';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/shared/credentials';

/** WhatsApp Cloud API: the fields come from the provider's declaration (core/providers/cloudapi). */
export class WhatsAppCloudApi implements ICredentialType {
  name = provider.n8n.credential;

  displayName = provider.displayName;

  icon = { light: 'file:cloudapi.svg', dark: 'file:cloudapi.dark.svg' } as const;

  documentationUrl = provider.setup.docsUrl;

  properties = credentialProperties(provider);

  authenticate = credentialAuthenticate(provider);

  test = credentialTest(provider);
}
