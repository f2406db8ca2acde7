/**
 * User-info in a URL (`http://user:password@host/`) is a secret: a URL is shown in node settings,
 * logs, error messages and exported flows, a credential field is not. These helpers find it, cut it
 * out of any text, and tell an engine why to refuse such an API URL.
 */

// scheme://<user-info>@ — the authority ends at the first / ? # \ (as WHATWG URL parsing has it), and
// user-info runs to its last @, so `http://u:p@ss@host/` loses `u:p@ss`, and `/chats/1@c.us` is a path.
const USER_INFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#\\@]*(?:@[^\s/?#\\@]*)*@/gi;

export const REDACTED_USER_INFO = '***';

export function hasUserInfo(url: string): boolean {
  USER_INFO.lastIndex = 0;
  return USER_INFO.test(url);
}

/** The text with the user-info of every URL in it replaced by `***`; the rest (host, path) kept for diagnosis. */
export function redactUrls(text: string): string {
  return text.replace(USER_INFO, `$1${REDACTED_USER_INFO}@`);
}

/** One URL with its user-info replaced by `***`. */
export function redactUrl(url: string): string {
  return redactUrls(url);
}

/**
 * Why a configured gateway API URL cannot be used, or null when it can (or when none is set: a
 * missing URL is reported by the send call that needs one). Never quotes the URL.
 */
export function apiUrlProblem(url: string | undefined | null): string | null {
  if (url === undefined || url === null || url.trim() === '') return null;
  if (hasUserInfo(url)) {
    return (
      'The API URL contains a user name or password (user:password@host). Remove them from the URL and put the password ' +
      "in the credential's API key / password field: a URL shows in settings, logs and exported flows, a credential does not."
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return 'The API URL is not a valid URL; expected e.g. http://127.0.0.1:3000';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `The API URL must start with http:// or https://, not ${parsed.protocol.slice(0, 20)}//`;
  }
  return null;
}
