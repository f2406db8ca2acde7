/**
 * n8n credentials built from a provider's declared fields: n8n needs one class file per credential
 * type, and each stays a thin shell over this (name, display name and icon, which n8n's lint reads
 * from the file itself).
 */
import type { IAuthenticateGeneric, ICredentialTestRequest, INodeProperties } from 'n8n-workflow';
import { storedNameOf, type CredentialValue, type Provider, type ProviderField } from '../../core';

/** An n8n parameter for a provider field (credential field or trigger option). */
export function n8nPropertyOf(field: ProviderField): INodeProperties {
  return {
    displayName: field.label,
    name: storedNameOf(field, 'n8n'),
    type: field.type,
    ...(field.secret ? { typeOptions: { password: true } } : field.type === 'number' ? { typeOptions: { minValue: 1 } } : {}),
    ...(field.options ? { options: field.options.map((option) => ({ name: option.label, value: option.value, description: option.help })) } : {}),
    default: field.default,
    ...(field.placeholder ? { placeholder: `e.g. ${field.placeholder.replace(/^e\.g\. /, '')}` } : {}),
    description: field.help,
  } as INodeProperties;
}

export function credentialProperties(provider: Provider): INodeProperties[] {
  return provider.fields.filter((field) => field.n8n === 'credential').map(n8nPropertyOf);
}

/** `{{$credentials.<field>}}` for each header or query parameter the gateway's API authenticates with. */
export function credentialAuthenticate(provider: Provider): IAuthenticateGeneric | undefined {
  const auth = provider.api.credentialAuth;
  if (!auth) return undefined;
  const field = (key: string) => provider.fields.find((f) => f.key === key)!;
  const expression = (value: CredentialValue) => {
    const { field: key, prefix } = typeof value === 'string' ? { field: value, prefix: '' } : value;
    const stored = `$credentials.${storedNameOf(field(key), 'n8n')}`;
    return prefix ? `={{${JSON.stringify(prefix)} + ${stored}}}` : `={{${stored}}}`;
  };
  const expressions = (map: Record<string, CredentialValue> | undefined) =>
    map && Object.fromEntries(Object.entries(map).map(([name, value]) => [name, expression(value)]));
  return {
    type: 'generic',
    properties: { ...(auth.headers ? { headers: expressions(auth.headers) } : {}), ...(auth.query ? { qs: expressions(auth.query) } : {}) },
  };
}

export function credentialTest(provider: Provider): ICredentialTestRequest | undefined {
  const test = provider.api.credentialTest;
  const baseUrl = provider.fields.find((f) => f.key === 'baseUrl');
  if (!test || !baseUrl) return undefined;
  // An empty API URL means the field's default (the Graph API root), as the client reads it.
  const stored = `$credentials.${storedNameOf(baseUrl, 'n8n')}`;
  const base = typeof baseUrl.default === 'string' && baseUrl.default ? `${stored} || ${JSON.stringify(baseUrl.default)}` : stored;
  return { request: { baseURL: `={{${base}}}`, url: test.path, method: test.method } };
}
