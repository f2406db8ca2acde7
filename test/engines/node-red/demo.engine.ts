/**
 * The README's main job, `npm run demo`, as a user runs it: the demo starts, and `waflow send` for
 * every provider (the commands it prints) gets a 200, a reply at the sandbox gateway for every
 * provider that can send, and a CSV row per event.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PROVIDERS } from '../../../core/event/schema';
import { SENDING_PROVIDERS } from '../../../core/providers';
import { CSV_COLUMNS, DEMO_SECRETS, webhookPath } from '../../../demo/flows';
import { startDemo, type RunningDemo } from '../../../demo/run';
import { freePort } from '../../../demo/ports';

const run = promisify(execFile);
const CLI = join(__dirname, '..', '..', '..', 'dist', 'cli', 'waflow.js');

async function eventually<T>(check: () => T | undefined, what: string, deadlineMs = 20_000): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('npm run demo', () => {
  let demo: RunningDemo;
  const log: string[] = [];

  beforeAll(async () => {
    demo = await startDemo({
      port: await freePort(),
      gatewayPort: await freePort(),
      dir: mkdtempSync(join(tmpdir(), 'waflow-demo-')),
      log: (l) => log.push(l),
    });
  });
  afterAll(() => demo?.stop());

  it.each(PROVIDERS)('%s: waflow send → 200, a reply where the provider can send, a CSV row', async (provider) => {
    const url = `${demo.editorUrl}${webhookPath(provider)}`;
    const { stdout } = await run(process.execPath, [
      CLI,
      'send',
      '--provider',
      provider,
      '--url',
      url,
      '--secret',
      DEMO_SECRETS[provider],
      '--event',
      'message',
    ]);
    expect(JSON.parse(stdout)).toMatchObject({ status: 200, response: { ok: true, emitted: 1 } });

    const rows = await eventually(() => {
      const lines = readFileSync(demo.csvFile, 'utf8').trim().split('\n');
      const mine = lines.filter((line) => line.split(',')[1] === provider);
      return mine.length ? lines : undefined;
    }, `a CSV row for ${provider}`);
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));

    if (SENDING_PROVIDERS.includes(provider)) {
      const delivery = await eventually(() => demo.sandbox.deliveries.find((d) => d.provider === provider), `a ${provider} reply`);
      expect(delivery.text).toMatch(/^You said: /);
      expect(log.some((line) => line.startsWith(`[sandbox ${provider}] sendText → ${delivery.chatId}`))).toBe(true);
    } else {
      expect(demo.sandbox.deliveries.some((d) => d.provider === provider)).toBe(false);
    }
  });

  it('a wrong secret is refused with 401 and logs nothing', async () => {
    const before = readFileSync(demo.csvFile, 'utf8');
    const url = `${demo.editorUrl}${webhookPath('waha')}`;
    const result = await run(process.execPath, [CLI, 'send', '--provider', 'waha', '--url', url, '--secret', 'wrong', '--event', 'message']).catch(
      (error: { stdout: string }) => error,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ status: 401, response: { ok: false } });
    expect(readFileSync(demo.csvFile, 'utf8')).toBe(before);
  });
});
