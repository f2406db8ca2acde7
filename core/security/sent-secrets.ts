/**
 * The secrets a call to a gateway's API carries (an API key header, a bearer token, a token in the
 * query) and their removal from anything made of the gateway's answer: a gateway that quotes the
 * key back ("API key abc123 is not valid") would otherwise put it in msg.error, logs and n8n
 * execution data.
 */

/** Headers that carry no secret. */
const PLAIN_HEADERS = new Set(['accept', 'content-type', 'content-length', 'user-agent']);
/** Shorter values are not worth hiding and would blank out ordinary words. */
const MIN_SECRET_LENGTH = 6;

export const REDACTED_SECRET = '***';

/** The secret values in a call's headers and URL query (each whole value and, for `Scheme token`, the token), and those it names in its body. */
export function sentSecretsOf(headers: Record<string, string> | undefined, url: string, inBody: readonly (string | undefined)[] = []): string[] {
  const values: string[] = inBody.filter((value): value is string => typeof value === 'string');
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (PLAIN_HEADERS.has(name.toLowerCase()) || typeof value !== 'string') continue;
    values.push(value, value.replace(/^[A-Za-z-]+ +/, ''));
  }
  try {
    for (const value of new URL(url).searchParams.values()) values.push(value);
  } catch {
    // Not a URL: nothing in a query.
  }
  // Longest first, so a value containing another is replaced whole.
  return [...new Set(values.map((value) => value.trim()).filter((value) => value.length >= MIN_SECRET_LENGTH))].sort((a, b) => b.length - a.length);
}

/** The text with every secret replaced by `***`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.split(secret).join(REDACTED_SECRET), text);
}

/** A parsed JSON answer with every secret in its strings (values and keys) replaced by `***`. */
export function redactSecretsDeep(value: unknown, secrets: readonly string[]): unknown {
  if (secrets.length === 0) return value;
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactSecretsDeep(item, secrets));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [redactSecrets(key, secrets), redactSecretsDeep(item, secrets)]));
  }
  return value;
}
