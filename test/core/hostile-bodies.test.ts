/**
 * Issue 11, hostile bodies, at the core: authentic (correctly signed) requests whose bodies are
 * random bytes, invalid UTF-8, truncated JSON, deep nesting, `__proto__` keys, top-level arrays,
 * 10 000-key objects, duplicate keys or a BOM. The receive step never throws, every answer is JSON
 * with a reason, emitted events keep the v1 contract, and nothing reaches Object.prototype.
 */
import fc from 'fast-check';
import { normalizedEventSchema, type ProviderName } from '../../core/event/schema';
import { createReceiver, type ReceiveResult } from '../../core/receive';
import { messageBody, PROVIDERS, signedRequest, verifyingOptions } from './signed';

const RUNS = { numRuns: 120 };
const ANSWERS = new Set([200, 400]);

async function answer(provider: ProviderName, body: Buffer | string): Promise<ReceiveResult> {
  const result = await createReceiver(verifyingOptions(provider, { dedupe: false })).receive(signedRequest(provider, body));
  expect(ANSWERS.has(result.status)).toBe(true);
  const wire = JSON.parse(JSON.stringify(result.body)) as Record<string, unknown>;
  expect(wire).toEqual(result.body);
  if (result.status === 200) {
    expect(wire).toMatchObject({ ok: true, received: expect.any(Number) });
    for (const event of result.events) normalizedEventSchema.parse(event);
  } else {
    expect(wire).toEqual({ ok: false, status: result.status, error: expect.stringMatching(/\S/) });
  }
  return result;
}

const text = (provider: ProviderName) => JSON.stringify(messageBody(provider));

afterAll(() => {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
});

describe.each(PROVIDERS)('%s', (provider) => {
  it('random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2048 }), async (bytes) => {
        await answer(provider, Buffer.from(bytes));
      }),
      RUNS,
    );
  });

  it('invalid UTF-8 anywhere in a genuine body', async () => {
    const bad = fc.constantFrom([0xff], [0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]);
    const original = Buffer.from(text(provider));
    await fc.assert(
      fc.asyncProperty(fc.nat(original.length), bad, async (at, bytes) => {
        await answer(provider, Buffer.concat([original.subarray(0, at), Buffer.from(bytes), original.subarray(at)]));
      }),
      RUNS,
    );
  });

  it('truncated JSON', async () => {
    const original = text(provider);
    await fc.assert(
      fc.asyncProperty(fc.nat(original.length - 1), async (at) => {
        expect((await answer(provider, original.slice(0, at))).status).toBe(400);
      }),
      RUNS,
    );
  });

  it('deep nesting, up to 10 000 levels, in any field', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 10_000 }), fc.boolean(), async (depth, objects) => {
        const deep = objects ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`;
        const result = await answer(provider, text(provider).replace(/^\{/, `{"deep":${deep},`));
        if (depth + 1 > 64) expect(result.error).toMatch(/levels deep; the limit is 64$/);
      }),
      { numRuns: 40 },
    );
  });

  it('__proto__ and constructor keys at every level pollute nothing', async () => {
    const poison = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},';
    const original = text(provider);
    const openings = [...original.matchAll(/\{/g)].map((match) => match.index!);
    await fc.assert(
      fc.asyncProperty(fc.subarray(openings, { minLength: 1 }), async (where) => {
        let body = original;
        for (const at of [...where].sort((a, b) => b - a)) body = `${body.slice(0, at + 1)}${poison}${body.slice(at + 1)}`;
        await answer(provider, body);
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 60 },
    );
    // Poisoned at every level, the message still comes out as a message.
    let everywhere = original;
    for (const at of [...openings].reverse()) everywhere = `${everywhere.slice(0, at + 1)}${poison}${everywhere.slice(at + 1)}`;
    const result = await answer(provider, everywhere);
    expect(result.events.map((event) => event.event)).toEqual(['message']);
  });

  it.each<[string, (original: string) => string, number]>([
    ['a top-level array', (original) => `[${original}]`, 400],
    ['an empty array', () => '[]', 400],
    ['a double BOM', (original) => `\uFEFF\uFEFF${original}`, 400],
    ['a BOM (legal)', (original) => `\uFEFF${original}`, 200],
    ['duplicate keys (the last wins, as in JSON.parse)', (original) => original.replace(/^\{/, '{"event":"nonsense",'), 200],
    ['10 000 extra keys at the top', (original) => original.replace(/^\{/, `{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":${i}`).join(',')},`), 200],
    [
      '10 000 keys in the payload',
      (original) => original.replace(/"payload":\{/, `"payload":{${Array.from({ length: 10_000 }, (_, i) => `"k${i}":"v"`).join(',')},`),
      200,
    ],
  ])('%s', async (_label, bend, status) => {
    expect((await answer(provider, bend(text(provider)))).status).toBe(status);
  });

  it('a 4 MB string field', async () => {
    const result = await answer(provider, text(provider).replace(/^\{/, `{"big":"${'x'.repeat(4 * 1024 * 1024)}",`));
    expect(result.status).toBe(200);
  });
});
