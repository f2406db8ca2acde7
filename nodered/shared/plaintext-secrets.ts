/**
 * Secrets saved in plain text by an older flow (issue 11, defect 6): a flow saved before a field was
 * a credential keeps it in the node's settings in flows.json, which Node-RED exports and shows. The
 * gateway config node moves such a value into its credentials on load (encrypted, never exported)
 * and says so, naming the field and never the value. This module decides what moves; the node
 * applies it.
 */
import type { GatewayCredentials } from './options';

export interface PlaintextSecrets {
  /** The credentials with every plain-text secret moved in (where the credential was empty). */
  credentials: GatewayCredentials;
  /** Fields moved from the settings into the credentials. */
  moved: string[];
  /** Fields found in the settings while the credential already has a value: that value wins. */
  ignored: string[];
}

const isSet = (value: unknown): value is string => typeof value === 'string' && value.trim() !== '';

/** The secret fields among `names` that `settings` carries in plain text, and the credentials once they are moved. */
export function plaintextSecretsOf(settings: Record<string, unknown>, credentials: GatewayCredentials | undefined, names: readonly string[]): PlaintextSecrets {
  const result: PlaintextSecrets = { credentials: { ...credentials }, moved: [], ignored: [] };
  for (const name of names) {
    if (!Object.prototype.hasOwnProperty.call(settings, name) || !isSet(settings[name])) continue;
    if (isSet(result.credentials[name])) result.ignored.push(name);
    else {
      result.credentials[name] = settings[name];
      result.moved.push(name);
    }
  }
  return result;
}

/** The log line for a node that carried plain-text secrets; null when it carried none. Names fields, never values. */
export function plaintextSecretsNotice({ moved, ignored }: PlaintextSecrets): string | null {
  const parts: string[] = [];
  if (moved.length > 0) parts.push(`moved ${moved.join(', ')} from this node's plain-text settings into its encrypted credentials`);
  if (ignored.length > 0) parts.push(`ignored the plain-text ${ignored.join(', ')} in this node's settings (the credential is set and is used)`);
  if (parts.length === 0) return null;
  return (
    `${parts.join('; ')}. The flow was saved before ${moved.length + ignored.length > 1 ? 'these were credentials' : 'this was a credential'}: ` +
    'deploy it once from the editor, which keeps only the credential, to remove the plain-text copy from flows.json and exports.'
  );
}
