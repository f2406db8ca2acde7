import type { ICredentialType } from 'n8n-workflow';
import { evolutionProvider as provider } from '../core/providers/evolution';
import { credentialAuthenticate, credentialProperties, credentialTest } from '../nodes/shared/credentials';

/** Evolution API: the fields come from the provider's declaration (core/providers/evolution). */
export class EvolutionApi implements ICredentialType {
  name = provider.n8n.credential;

  displayName = `${provider.displayName} API`;

  icon = { light: 'file:evolution.svg', dark: 'file:evolution.dark.svg' } as const;

  documentationUrl = provider.setup.docsUrl;

  properties = credentialProperties(provider);

  authenticate = credentialAuthenticate(provider);

  test = credentialTest(provider);
}
