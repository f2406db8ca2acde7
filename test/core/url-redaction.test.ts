/**
 * Issue 11, defect 6 (core half): with an API URL such as `http://user:pw@host/`, errors carried the
 * password. User-info is found, cut out of every GatewayError, and refused before any request.
 */
import { apiUrlProblem, hasUserInfo, redactUrl, redactUrls } from '../../core/security/url';
import { createClient, GatewayError } from '../../core/send';
import type { ProviderName } from '../../core/event/schema';

const PASSWORD = 'pw-Secr3t';

describe('hasUserInfo / redactUrls', () => {
  it.each([
    ['http://user:pw-Secr3t@host/', true, 'http://***@host/'],
    ['HTTPS://U:pw-Secr3t@H:8443/api', true, 'HTTPS://***@H:8443/api'],
    ['http://user:p@pw-Secr3t@host/x', true, 'http://***@host/x'], // an unescaped @ in the password: the last @ ends it
    ['http://:pw-Secr3t@host', true, 'http://***@host'],
    ['http://host:3000/api/123@c.us/messages', false, 'http://host:3000/api/123@c.us/messages'], // @ in a path is not user-info
    ['http://host/?to=a@b', false, 'http://host/?to=a@b'],
    ['http://host#a@b', false, 'http://host#a@b'],
  ])('%s', (url, expected, redacted) => {
    expect(hasUserInfo(url)).toBe(expected);
    expect(redactUrl(url)).toBe(redacted);
  });

  it('redacts every URL in a message, keeping the rest', () => {
    const message = `Request cannot be constructed from a URL that includes credentials: http://u:${PASSWORD}@a/x, then https://v:${PASSWORD}@b/y`;
    expect(redactUrls(message)).toBe('Request cannot be constructed from a URL that includes credentials: http://***@a/x, then https://***@b/y');
  });
});

describe('apiUrlProblem', () => {
  it.each(['http://127.0.0.1:3000', 'https://api.wawp.net/', 'http://waha:3000/base/path', '', undefined])('%s is fine', (url) => {
    expect(apiUrlProblem(url)).toBeNull();
  });
  it('refuses user-info, saying where the password goes, without quoting it', () => {
    const problem = apiUrlProblem(`http://admin:${PASSWORD}@waha:3000/`);
    expect(problem).toMatch(/user name or password/);
    expect(problem).toMatch(/credential's API key \/ password field/);
    expect(problem).not.toContain(PASSWORD);
  });
  it.each([
    ['waha:3000', /must start with http:\/\/ or https:\/\//],
    ['ftp://host/', /must start with http:\/\/ or https:\/\/, not ftp:\/\//],
    ['http://user:pa/ss@host', /not a valid URL/],
    ['not a url', /not a valid URL/],
  ])('%s', (url, message) => {
    expect(apiUrlProblem(url)).toMatch(message);
  });
});

describe('send clients never carry user-info in an error', () => {
  async function rejection(promise: Promise<unknown>): Promise<GatewayError> {
    const error = await promise.then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(GatewayError);
    return error as GatewayError;
  }

  it.each<ProviderName>(['waha', 'wawp', 'openwa'])('%s: an API URL with a password is refused before any request', async (provider) => {
    let calls = 0;
    const fetch = (async () => {
      calls++;
      return new Response('{}');
    }) as typeof globalThis.fetch;
    const client = createClient(provider, {
      baseUrl: `http://admin:${PASSWORD}@127.0.0.1:9`,
      apiKey: 'k',
      instanceId: 'i',
      accessToken: 't',
      http: { fetch, retries: 0 },
    });
    const error = await rejection(client.sendText({ chatId: '1@c.us', text: 'x' }));
    expect(error.status).toBeNull();
    expect(error.message).toMatch(/password field/);
    expect(JSON.stringify({ message: error.message, stack: error.stack, error })).not.toContain(PASSWORD);
    expect(calls).toBe(0);
  });

  it('a gateway answer quoting a URL with user-info is redacted too', async () => {
    const fetch = (async () =>
      new Response(JSON.stringify({ message: `upstream http://svc:${PASSWORD}@10.0.0.5/ refused` }), { status: 400 })) as typeof globalThis.fetch;
    const client = createClient('waha', { baseUrl: 'http://127.0.0.1:9', apiKey: 'k', http: { fetch, retries: 0 } });
    const error = await rejection(client.sendText({ chatId: '1@c.us', text: 'x' }));
    expect(error.message).toBe('WAHA answered POST http://127.0.0.1:9/api/sendText with 400: upstream http://***@10.0.0.5/ refused');
  });

  it('GatewayError redacts whatever message it is given', () => {
    expect(new GatewayError('waha', null, `failed at http://u:${PASSWORD}@h/`).message).toBe('failed at http://***@h/');
  });
});
