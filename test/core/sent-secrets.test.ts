/**
 * Issue 11 (secrets in editor messages): a gateway that quotes the API key or token it was sent back
 * in its error answer put it in msg.error, the debug sidebar and n8n's execution data. The send
 * call removes every secret it sent from what it makes of the answer.
 */
import { redactSecrets, redactSecretsDeep, sentSecretsOf } from '../../core/security/sent-secrets';
import { createClient, GatewayError } from '../../core/send';
import type { ProviderName } from '../../core/event/schema';

const KEY = 'api-key-quoted-back-71c0';

describe('sentSecretsOf / redactSecrets', () => {
  it('takes header values (and the token of "Scheme token") and query values, not content headers or short values', () => {
    expect(
      sentSecretsOf(
        { 'X-Api-Key': KEY, Authorization: 'Bearer tok-123456', Accept: 'application/json', 'X-Short': 'abc' },
        'http://h/x?access_token=qtok-9876&n=1',
      ),
    ).toEqual([KEY, 'Bearer tok-123456', 'tok-123456', 'qtok-9876']);
    expect(sentSecretsOf(undefined, 'not a url')).toEqual([]);
    expect(sentSecretsOf(undefined, 'http://h/', ['body-token-1', undefined])).toEqual(['body-token-1']);
  });

  it('replaces each, in text and in every string of a parsed answer', () => {
    expect(redactSecrets(`bad ${KEY}; again ${KEY}`, [KEY])).toBe('bad ***; again ***');
    expect(redactSecretsDeep({ error: { message: `key ${KEY}` }, list: [KEY, 1, null], [KEY]: true }, [KEY])).toEqual({
      error: { message: 'key ***' },
      list: ['***', 1, null],
      '***': true,
    });
  });
});

describe('a gateway quoting the secret back', () => {
  const cases: Array<[ProviderName, Record<string, string>, string]> = [
    ['waha', { apiKey: KEY }, KEY],
    ['wawp', { instanceId: 'inst-1', accessToken: KEY }, KEY],
    ['openwa', { apiKey: KEY }, KEY],
    ['evolution', { apiKey: KEY, instanceId: 'inst-1' }, KEY],
    ['cloudapi', { accessToken: KEY, phoneNumberId: '123456' }, KEY],
  ];
  it.each(cases)('%s: the error message and the kept answer say *** instead', async (provider, config, secret) => {
    const seen: string[] = [];
    const fetch = (async (url: string, init: RequestInit) => {
      seen.push(`${url} ${JSON.stringify(init.headers)} ${String(init.body)}`);
      return new Response(JSON.stringify({ message: `credential ${secret} refused`, echo: { headers: init.headers, url } }), { status: 401 });
    }) as unknown as typeof globalThis.fetch;
    const client = createClient(provider, { baseUrl: 'http://127.0.0.1:9', ...config, http: { fetch, retries: 0 } });
    const error = (await client.sendText({ chatId: '1@c.us', text: 'x' }).catch((caught: unknown) => caught)) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    // The secret was sent, so the test is about something that could leak.
    expect(seen.join('\n')).toContain(secret);
    expect(error.message).toMatch(/credential \*\*\* refused$/);
    expect(JSON.stringify({ message: error.message, response: error.response, stack: error.stack })).not.toContain(secret);
  });
});
