import type { ICredentialType } from 'n8n-workflow';
import { openwaProvider as provider } from '../core/providers/openwa';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/shared/credentials';

/** open-wa API: the fields come from the provider's declaration (core/providers/openwa). */
export class OpenWaApi implements ICredentialType {
  name = provider.n8n.credential;

  displayName = `${provider.displayName} API`;

  icon = { light: 'file:openwa.svg', dark: 'file:openwa.dark.svg' } as const;

  documentationUrl = provider.setup.docsUrl;

  properties = credentialProperties(provider);

  authenticate = credentialAuthenticate(provider);

  test = credentialTest(provider);
}
