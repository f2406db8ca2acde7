/** The n8n credential types built from each provider's declared API auth and test call. */
import { PROVIDER_LIST } from '../../core/providers';
import { credentialAuthenticate, credentialTest } from '../../nodes/shared/credentials';

describe('n8n credentials from the providers', () => {
  it("Cloud API's token goes out as Authorization: Bearer, and its test falls back to the Graph API root when the URL is empty", () => {
    const cloudapi = PROVIDER_LIST.find((p) => p.name === 'cloudapi')!;
    expect(credentialAuthenticate(cloudapi)).toEqual({
      type: 'generic',
      properties: { headers: { Authorization: '={{"Bearer " + $credentials.accessToken}}' } },
    });
    expect(credentialTest(cloudapi)).toEqual({
      request: { baseURL: '={{$credentials.baseUrl || "https://graph.facebook.com/v21.0"}}', url: '/me', method: 'GET' },
    });
  });

  it('a field named alone is carried as it is', () => {
    const waha = PROVIDER_LIST.find((p) => p.name === 'waha')!;
    expect(credentialAuthenticate(waha)).toEqual({ type: 'generic', properties: { headers: { 'X-Api-Key': '={{$credentials.apiKey}}' } } });
  });

  // open-wa's path and key header depend on the API version chosen in the credential (v5 REST,
  // v4 EASY API), which a static n8n test request cannot follow; wa-server's API is its media
  // endpoint alone, which needs a file's path. Their first call says what is wrong.
  it('every gateway with an API and a base URL, open-wa and wa-server aside, offers n8n a credential test', () => {
    const withApi = PROVIDER_LIST.filter((p) => p.api.anyCapabilities.length > 0 && p.fields.some((f) => f.key === 'baseUrl'));
    expect(withApi.filter((p) => !credentialTest(p)).map((p) => p.name)).toEqual(['openwa', 'waserver']);
  });
});
