import type { ICredentialType } from 'n8n-workflow';
import { wawpProvider as provider } from '../core/providers/wawp';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/shared/credentials';

/** Wawp API: the fields come from the provider's declaration (core/providers/wawp). */
export class WawpApi implements ICredentialType {
  name = provider.n8n.credential;

  displayName = `${provider.displayName} API`;

  icon = { light: 'file:wawp.svg', dark: 'file:wawp.dark.svg' } as const;

  documentationUrl = provider.setup.docsUrl;

  properties = credentialProperties(provider);

  authenticate = credentialAuthenticate(provider);

  test = credentialTest(provider);
}
