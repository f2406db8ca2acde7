/**
 * The README's table of operations × gateways, written from the providers' declared capabilities
 * (a test keeps the README's copy equal to this: no hand-kept mirror).
 */
import { PROVIDER_LIST } from '../providers';
import { OPERATIONS, type Operation, type Provider } from '../providers/types';

const LABELS: Record<Operation, string> = {
  sendText: 'Send Text',
  sendImage: 'Send Image',
  sendVideo: 'Send Video',
  sendDocument: 'Send Document',
  sendVoice: 'Send Voice Note',
  sendAudio: 'Send Audio',
  sendLocation: 'Send Location',
  react: 'React',
  typing: 'Typing indicator',
  markRead: 'Mark as Read',
  registerWebhook: 'Register webhook',
  resolveLid: 'LID → phone',
  downloadMedia: 'Download Media',
};

/** ✓, — or the configurations that can (`v4 only`). */
function cell(provider: Provider, operation: Operation): string {
  const variants = provider.fields
    .filter((field) => field.type === 'options' && field.section === 'api')
    .flatMap((field) => field.options!.map((option) => ({ label: option.value, capabilities: provider.api.capabilities({ [field.key]: option.value }) })));
  if (variants.length === 0) return provider.api.capabilities({}).includes(operation) ? '✓' : '—';
  const able = variants.filter((variant) => variant.capabilities.includes(operation));
  if (able.length === variants.length) return '✓';
  if (able.length === 0) return '—';
  return `${able.map((variant) => variant.label).join(', ')} only`;
}

export function operationsTable(): string {
  const header = `| operation | ${PROVIDER_LIST.map((provider) => provider.displayName).join(' | ')} |`;
  const rule = `|---|${PROVIDER_LIST.map(() => '---').join('|')}|`;
  const rows = OPERATIONS.map((operation) => `| ${LABELS[operation]} | ${PROVIDER_LIST.map((provider) => cell(provider, operation)).join(' | ')} |`);
  return [header, rule, ...rows].join('\n');
}

/** The operation's label in the table and the engines' help. */
export function operationLabel(operation: Operation): string {
  return LABELS[operation];
}
