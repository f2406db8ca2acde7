/**
 * The fields several gateways declare alike: the webhook secret, the API URL and the API key. Each
 * provider gives what differs (label, help, which operations need it); the rest, including the
 * names saved flows and workflows already store them under, is fixed here once.
 */
import type { Operation, ProviderField } from '../types';

/** The secret a webhook is verified with: an n8n credential, stored as `webhookSecret` there. */
export function webhookSecretField(label: string, help: string): ProviderField {
  return {
    key: 'secret',
    label,
    type: 'string',
    secret: true,
    section: 'receive',
    n8n: 'credential',
    requiredFor: [],
    default: '',
    help,
    storedAs: { n8n: 'webhookSecret' },
  };
}

/** The gateway's API root, stored as `apiUrl` in Node-RED. */
export function apiUrlField(options: { requiredFor: readonly Operation[]; default: string; placeholder: string; help: string }): ProviderField {
  return { key: 'baseUrl', label: 'API URL', type: 'string', secret: false, section: 'api', n8n: 'credential', ...options, storedAs: { nodeRed: 'apiUrl' } };
}

export function apiKeyField(help: string): ProviderField {
  return {
    key: 'apiKey',
    label: 'API Key',
    type: 'string',
    secret: true,
    section: 'api',
    n8n: 'credential',
    requiredFor: [],
    default: '',
    placeholder: 'empty if the API has no key',
    help,
  };
}

/** The header a shared webhook secret travels in (open-wa, Evolution API): a per-trigger option in n8n. */
export function secretHeaderField(help: string): ProviderField {
  return {
    key: 'secretHeader',
    label: 'Secret Header Name',
    type: 'string',
    secret: false,
    section: 'receive',
    n8n: 'triggerOption',
    requiredFor: [],
    default: 'X-Webhook-Secret',
    placeholder: 'X-Webhook-Secret',
    help,
  };
}
