import { SANDBOX_PHONE_NUMBER_ID } from '../../core/providers/cloudapi/sandbox';
import type { SandboxOptions } from '../../sandbox/gateway';

/** A suite's own sandbox credentials, distinctive so that a leak is found by a plain search. */
export interface SuiteCredentials {
  wahaApiKey: string;
  wawpInstanceId: string;
  wawpAccessToken: string;
  openwaApiKey: string;
  evolutionApiKey?: string;
  cloudapiAccessToken?: string;
}

export function sandboxCredentials(creds: SuiteCredentials): SandboxOptions['credentials'] {
  return {
    waha: { apiKey: creds.wahaApiKey },
    wawp: { instanceId: creds.wawpInstanceId, accessToken: creds.wawpAccessToken },
    openwa: { apiKey: creds.openwaApiKey },
    ...(creds.evolutionApiKey ? { evolution: { apiKey: creds.evolutionApiKey } } : {}),
    ...(creds.cloudapiAccessToken ? { cloudapi: { accessToken: creds.cloudapiAccessToken, phoneNumberId: SANDBOX_PHONE_NUMBER_ID } } : {}),
  };
}
