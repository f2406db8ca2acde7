import type { ICredentialType } from 'n8n-workflow';
import { waserverProvider as provider } from '../core/providers/waserver';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/shared/credentials';

/** wa-server API: the fields come from the provider's declaration (core/providers/waserver). */
export class WaServerApi implements ICredentialType {
  name = provider.n8n.credential;

  displayName = `${provider.displayName} API`;

  icon = { light: 'file:waserver.svg', dark: 'file:waserver.dark.svg' } as const;

  documentationUrl = provider.setup.docsUrl;

  properties = credentialProperties(provider);

  authenticate = credentialAuthenticate(provider);

  test = credentialTest(provider);
}
