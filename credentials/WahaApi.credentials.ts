import type { ICredentialType } from 'n8n-workflow';
import { wahaProvider as provider } from '../core/providers/waha';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/shared/credentials';

/** WAHA API: the fields come from the provider's declaration (core/providers/waha). */
export class WahaApi implements ICredentialType {
  name = provider.n8n.credential;

  displayName = `${provider.displayName} API`;

  icon = { light: 'file:waha.svg', dark: 'file:waha.dark.svg' } as const;

  documentationUrl = provider.setup.docsUrl;

  properties = credentialProperties(provider);

  authenticate = credentialAuthenticate(provider);

  test = credentialTest(provider);
}
