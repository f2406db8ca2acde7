/** The README's operations × gateways table is the generated one (`npm run readme:operations` rewrites it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROVIDER_LIST } from '../../core/providers';
import { createClient, operationsTable, UnsupportedOperationError } from '../../core/send';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

it('the README holds the table generated from the declared capabilities', () => {
  const start = readme.indexOf('<!-- operations-table:start');
  const end = readme.indexOf('<!-- operations-table:end -->');
  const table = readme.slice(readme.indexOf('\n', start) + 1, end).trim();
  expect(table).toBe(operationsTable());
});

it('a ✓ is a declared capability and a — an undeclared one, per gateway column', () => {
  const rows = operationsTable().split('\n').slice(2);
  const wawp = PROVIDER_LIST.findIndex((provider) => provider.name === 'wawp');
  const react = rows
    .find((row) => row.startsWith('| React |'))!
    .split('|')
    .map((cell) => cell.trim());
  expect(react[wawp + 2]).toBe('—');
  expect(PROVIDER_LIST[wawp].api.anyCapabilities).not.toContain('react');
});

it('"Wawp does not support reactions", before any request', async () => {
  const client = createClient('wawp', { instanceId: 'i', accessToken: 't', baseUrl: 'http://127.0.0.1:9' });
  const refusal = client.react({ chatId: '1@c.us', messageId: 'x', emoji: '👍' });
  await expect(refusal).rejects.toBeInstanceOf(UnsupportedOperationError);
  await expect(refusal).rejects.toThrow(/^Wawp does not support reactions: /);
});
