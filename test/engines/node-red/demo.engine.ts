/**
 * The README's main job, `npm run demo`, as a user runs it: the demo starts, and `waflow send` for
 * every provider (the commands it prints) gets a 200, a reply at the sandbox gateway for every
 * provider that can send, and a CSV row per event. The other examples run there too, on WAHA: a
 * media reply, the AI-agent-ready bot (bursts combined) and the multi-step lead capture.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PROVIDERS } from '../../../core/event/schema';
import { providers, SENDING_PROVIDERS } from '../../../core/providers';
import { freshSample } from '../../../cli/fresh-sample';
import { sampleBody } from '../../../cli/samples';
import { SAMPLE_PHOTO } from '../../../sandbox/gateway';
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

  /** A WAHA message saying `text`, signed with the demo secret, posted to one of the demo's paths. */
  let said = 0;
  async function say(path: string, text: string): Promise<number> {
    const body = freshSample(sampleBody(providers.waha, 'message')!, Date.now()) as { payload: Record<string, unknown> };
    body.payload = { ...body.payload, id: `false_6289876543210@c.us_DEMO${++said}`, body: text };
    const bytes = Buffer.from(JSON.stringify(body));
    const { headers } = providers.waha.sign({ body: bytes, secret: DEMO_SECRETS.waha, nowMs: Date.now() });
    const res = await fetch(`${demo.editorUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: bytes });
    return res.status;
  }

  it('the media-reply example: a 👍, then after typing the photo (the sandbox sample file) as a quoted reply with its caption, printed by the sandbox', async () => {
    demo.sandbox.reset();
    expect(await say('/whatsapp/media', 'a photo please')).toBe(200);
    const image = await eventually(() => demo.sandbox.deliveries.find((d) => d.operation === 'sendImage'), 'the photo at the sandbox');
    expect(demo.sandbox.deliveries.map((d) => d.operation)).toEqual(['reaction', 'startTyping', 'stopTyping', 'sendImage']);
    expect(image.media?.sha256).toBe(createHash('sha256').update(SAMPLE_PHOTO).digest('hex'));
    expect(image.replyTo).toBe(`false_6289876543210@c.us_DEMO${said}`);
    expect(log.some((line) => line.startsWith('[sandbox waha] sendImage'))).toBe(true);
  });

  it('the AI-agent-ready bot: three quick messages get one answer with the joined text', async () => {
    demo.sandbox.reset();
    for (const text of ['hi', 'I need', 'the price of the blue one']) expect(await say('/whatsapp/ai', text)).toBe(200);
    const reply = await eventually(() => demo.sandbox.deliveries.find((d) => d.operation === 'sendText'), 'the combined answer', 30_000);
    expect(reply.text).toBe('You sent 3 message(s): hi\nI need\nthe price of the blue one');
    expect(demo.sandbox.deliveries.filter((d) => d.operation === 'sendText')).toHaveLength(1);
  });

  it('the multi-step lead capture: name, email, yes, one row in leads.csv beside the event log', async () => {
    demo.sandbox.reset();
    const steps: Array<[string, string]> = [
      ['hello', 'Hi! What is your name?'],
      ['Budi', 'Thanks Budi! Your email?'],
      ['budi@example.com', 'Send budi@example.com to our sales team? (yes/no)'],
      ['yes', 'Thanks, Budi! We will be in touch.'],
    ];
    for (const [i, [text, reply]] of steps.entries()) {
      expect(await say('/whatsapp/leads', text)).toBe(200);
      const answer = await eventually(() => demo.sandbox.deliveries.filter((d) => d.operation === 'sendText')[i], `reply ${i + 1}`);
      expect(answer.text).toBe(reply);
    }
    const leads = join(dirname(demo.csvFile), 'leads.csv');
    await eventually(() => (existsSync(leads) && readFileSync(leads, 'utf8') === 'Budi,budi@example.com,6289876543210\n' ? true : undefined), 'the lead row');
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
