/**
 * Issue 11, defect 3: a malformed header, query or body value (as Express's `qs` makes of
 * `?secret[a]=x` or `?secret=a&secret=b`, or an engine passing odd types) is a 4xx with a reason,
 * never a throw (which the engines answer with 500 and log as a TypeError).
 */
import fc from 'fast-check';
import type { ProviderName } from '../../core/event/schema';
import { readHeader, readQuery } from '../../core/http/request';
import { createReceiver } from '../../core/receive';
import { messageBody, PROVIDERS, SECRET, signedRequest, verifyingOptions } from './signed';

/** Where each provider's credentials travel: the fields a hostile caller would bend. */
const CREDENTIAL_FIELDS: Record<ProviderName, { headers: string[]; query: string[] }> = {
  waha: { headers: ['x-webhook-hmac', 'x-webhook-hmac-algorithm'], query: [] },
  wawp: { headers: [], query: ['secret'] },
  openwa: { headers: ['x-webhook-secret', 'authorization', 'x-webhook-signature'], query: [] },
  waserver: { headers: ['x-wa-signature', 'x-wa-timestamp', 'x-wa-signature-alg'], query: [] },
  evolution: { headers: ['authorization', 'x-webhook-secret'], query: [] },
  cloudapi: { headers: ['x-hub-signature-256'], query: [] },
};

const MALFORMED: [string, unknown][] = [
  ['an object (?secret[a]=x)', { a: 'x' }],
  ['an array of different values (?secret=a&secret=b)', ['a', 'b']],
  ['an array holding an object', [{ a: 'x' }]],
  ['a number', 42],
  ['a boolean', true],
  ['a function', () => SECRET],
];

const cases = PROVIDERS.flatMap((provider) => [
  ...CREDENTIAL_FIELDS[provider].headers.map((name) => ({ provider, where: 'headers' as const, name })),
  ...CREDENTIAL_FIELDS[provider].query.map((name) => ({ provider, where: 'query' as const, name })),
]);

function bent(provider: ProviderName, where: 'headers' | 'query', name: string, value: unknown) {
  const request = signedRequest(provider, messageBody(provider));
  return { ...request, [where]: { ...request[where], [name]: value } };
}

describe.each(cases)('$provider: $where $name', ({ provider, where, name }) => {
  it.each(MALFORMED)('%s is a 401 naming the field, not a throw', async (_label, value) => {
    const result = await createReceiver(verifyingOptions(provider)).receive(bent(provider, where, name, value));
    expect(result.status).toBe(401);
    expect(result.body).toEqual({ ok: false, status: 401, error: expect.stringMatching(new RegExp(name, 'i')) });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it('the genuine value sent twice is still accepted', async () => {
    const request = signedRequest(provider, messageBody(provider));
    const genuine = (request[where] as Record<string, string | undefined>)[name];
    if (genuine === undefined) return; // e.g. open-wa's Authorization, which sign() does not set
    const result = await createReceiver(verifyingOptions(provider)).receive(bent(provider, where, name, [genuine, genuine]));
    expect(result.status).toBe(200);
  });
});

describe.each(PROVIDERS)('%s: any value in any credential field', (provider) => {
  it('never throws; with a secret configured it is a 401 with a reason', async () => {
    const fields = [...CREDENTIAL_FIELDS[provider].headers.map((n) => ['headers', n]), ...CREDENTIAL_FIELDS[provider].query.map((n) => ['query', n])];
    const receiver = createReceiver(verifyingOptions(provider, { dedupe: false }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), fc.anything({ maxDepth: 2 }), async ([where, name], value) => {
        const result = await receiver.receive(bent(provider, where as 'headers' | 'query', name, value));
        if (result.status !== 200) {
          expect(result.status).toBe(401);
          expect(typeof result.error).toBe('string');
          expect(result.error!.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('request shapes an engine might hand over', () => {
  it('a body that is not bytes or text is a 503 (our side failed to keep it; the gateway should retry)', async () => {
    const request = { ...signedRequest('waha', messageBody('waha')), rawBody: { event: 'message' } as unknown as Buffer };
    const result = await createReceiver(verifyingOptions('waha')).receive(request);
    expect(result.status).toBe(503);
    expect(result.error).toMatch(/^Raw body unavailable/);
  });

  it('a Uint8Array body is read as bytes', async () => {
    const request = signedRequest('waha', messageBody('waha'));
    const bytes = new Uint8Array(request.rawBody as Buffer);
    expect((await createReceiver(verifyingOptions('waha')).receive({ ...request, rawBody: bytes as unknown as Buffer })).status).toBe(200);
  });

  it('no method, no headers or no query is refused with a reason', async () => {
    const request = signedRequest('wawp', messageBody('wawp'));
    const noMethod = await createReceiver(verifyingOptions('wawp')).receive({ ...request, method: undefined as unknown as string });
    expect(noMethod).toMatchObject({ status: 405, error: expect.stringMatching(/^Method \(none\) is not allowed/) });
    const noQuery = await createReceiver(verifyingOptions('wawp')).receive({ ...request, query: undefined });
    expect(noQuery).toMatchObject({ status: 401, error: 'Missing ?secret= token in the webhook URL' });
    const waha = signedRequest('waha', messageBody('waha'));
    const noHeaders = await createReceiver(verifyingOptions('waha')).receive({ ...waha, headers: undefined as unknown as Record<string, string> });
    expect(noHeaders).toMatchObject({ status: 401, error: 'Missing X-Webhook-Hmac header' });
  });

  it('a query parameter named like an Object property is read from the query only', async () => {
    const request = { ...signedRequest('wawp', messageBody('wawp')), query: {} };
    const result = await createReceiver(verifyingOptions('wawp', { secretQueryParam: 'constructor' })).receive(request);
    expect(result).toMatchObject({ status: 401, error: 'Missing ?constructor= token in the webhook URL' });
  });
});

describe('readHeader / readQuery', () => {
  it('find a header in any case, and prefer the lower-case name engines use', () => {
    expect(readHeader({ 'X-Webhook-Hmac': 'a' }, 'x-webhook-hmac')).toEqual({ ok: true, value: 'a' });
    expect(readHeader({ 'x-webhook-hmac': 'b', 'X-WEBHOOK-HMAC': 'a' }, 'X-Webhook-Hmac')).toEqual({ ok: true, value: 'b' });
    expect(readHeader({}, 'x')).toEqual({ ok: true, value: undefined });
  });
  it('describe a malformed value without quoting it', () => {
    const field = readQuery({ secret: { [SECRET]: SECRET } }, 'secret');
    expect(field).toEqual({ ok: false, error: 'The ?secret= parameter is an object (e.g. from name[key]=… in the URL); expected one string' });
    expect(readQuery({ secret: ['a', SECRET] }, 'secret')).toEqual({
      ok: false,
      error: 'The ?secret= parameter is sent 2 times with different values or types; send it once',
    });
  });
});
