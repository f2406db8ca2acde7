import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizedEventJsonSchema } from '../../core/event/json-schema';

describe('normalized event JSON Schema', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schema', 'normalized-event.v1.json'), 'utf8')) as unknown;

  it('the committed schema/normalized-event.v1.json is the one the zod schema generates (run `npm run schema` after changing it)', () => {
    expect(committed).toEqual(normalizedEventJsonSchema());
  });

  it('lists the contract fields and the canonical events', () => {
    const schema = normalizedEventJsonSchema() as { required: string[]; properties: Record<string, { enum?: string[] }> };
    expect(schema.required).toEqual(expect.arrayContaining(['provider', 'event', 'providerEvent', 'id', 'session', 'account', 'timestamp', 'raw']));
    expect(schema.properties.event.enum).toContain('message.reaction');
    expect(schema.properties.provider.enum).toEqual(['waha', 'wawp', 'openwa', 'waserver', 'evolution', 'cloudapi']);
  });
});
