/**
 * Property tests: whatever a caller sends, the receive step answers with a status and never throws,
 * and every event it emits satisfies the v1 contract.
 */
import fc from 'fast-check';
import { normalizedEventSchema, PROVIDERS, type ProviderName } from '../../core/event/schema';
import { providers } from '../../core/providers';
import { createReceiver } from '../../core/receive';
import { fixtureBytes, fixtureFiles } from '../helpers/fixtures';

const STATUSES = new Set([200, 400, 401, 413]);
const RUNS = { numRuns: 300 };

/**
 * Event names each provider knows, taken from its fixtures, so random payloads hit the real rules,
 * and the key they travel in (`event`; the Cloud API's `object`).
 */
function knownEventNames(provider: ProviderName): { key: string; names: string[] } {
  const names = new Set<string>();
  let key = 'event';
  for (const file of fixtureFiles(provider)) {
    const body = JSON.parse(fixtureBytes(provider, file).toString('utf8')) as { event?: unknown; object?: unknown };
    if (typeof body.event === 'string') names.add(body.event);
    else if (typeof body.object === 'string') {
      key = 'object';
      names.add(body.object);
    }
  }
  return { key, names: [...names] };
}

/** A Cloud API style batch with arbitrary changes: the fields and values of a known shape, or anything. */
const entries = (anything: fc.Arbitrary<unknown>) =>
  fc.oneof(
    anything,
    fc.array(
      fc.record({
        id: fc.oneof(fc.string(), anything),
        changes: fc.oneof(anything, fc.array(fc.record({ field: fc.constantFrom('messages', 'smb_message_echoes', 'other'), value: anything }))),
      }),
      { maxLength: 3 },
    ),
  );

async function receiveChecked(provider: ProviderName, rawBody: Buffer | string) {
  const result = await createReceiver({ provider, dedupe: false }).receive({ method: 'POST', headers: {}, rawBody });
  expect(STATUSES.has(result.status)).toBe(true);
  for (const event of result.events) normalizedEventSchema.parse(event);
  return result;
}

describe.each(PROVIDERS)('%s', (provider) => {
  const { key: nameKey, names } = knownEventNames(provider);

  it('arbitrary bytes never throw', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 512 }), async (bytes) => {
        await receiveChecked(provider, Buffer.from(bytes));
      }),
      RUNS,
    );
  });

  it('arbitrary JSON never throws', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        await receiveChecked(provider, JSON.stringify(value));
      }),
      RUNS,
    );
  });

  it('known event names with arbitrary envelopes and payloads never throw, and are never dropped', async () => {
    const anything = fc.anything({ maxDepth: 4, withNullPrototype: false });
    const body = fc.record(
      {
        [nameKey]: fc.constantFrom(...names),
        entry: entries(anything),
        session: fc.oneof(fc.string(), anything),
        sessionId: fc.oneof(fc.string(), anything),
        device_id: fc.oneof(fc.string(), anything),
        timestamp: fc.oneof(fc.integer(), fc.double(), fc.string(), anything),
        ts: fc.oneof(fc.integer(), anything),
        id: fc.oneof(fc.string(), anything),
        payload: anything,
        data: anything,
        me: anything,
      },
      { requiredKeys: [nameKey] },
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const result = await receiveChecked(provider, JSON.stringify(value));
        if (result.status === 200) expect(result.events.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('documented payloads with fields removed or retyped never throw', async () => {
    const samples = fixtureFiles(provider).map((file) => JSON.parse(fixtureBytes(provider, file).toString('utf8')) as Record<string, unknown>);
    const mutation = fc.record({
      sample: fc.constantFrom(...samples),
      key: fc.string({ maxLength: 12 }),
      value: fc.anything({ maxDepth: 2 }),
      drop: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(mutation, async ({ sample, key, value, drop }) => {
        const payloadKey = 'payload' in sample ? 'payload' : 'data';
        const payload = sample[payloadKey];
        const target = payload && typeof payload === 'object' && !Array.isArray(payload) ? ({ ...(payload as object) } as Record<string, unknown>) : {};
        const victim = drop ? Object.keys(target)[Math.abs(key.length) % Math.max(1, Object.keys(target).length)] : key;
        if (drop && victim) delete target[victim];
        else target[key] = value;
        await receiveChecked(provider, JSON.stringify({ ...sample, [payloadKey]: target }));
      }),
      RUNS,
    );
  });
});

it('every provider adapter is exercised', () => {
  expect(Object.keys(providers).sort()).toEqual([...PROVIDERS].sort());
});
