import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/waflow';
import { PROVIDERS, type NormalizedEvent, type ProviderName } from '../../core/event/schema';
import { providers } from '../../core/providers';
import { createReceiver, type ReceiveOptions } from '../../core/receive';
import { sampleBody } from '../../cli/samples';

const dir = mkdtempSync(join(tmpdir(), 'waflow-cli-'));

function sampleFile(provider: ProviderName): string {
  const file = join(dir, `${provider}-message.json`);
  writeFileSync(file, JSON.stringify(sampleBody(providers[provider], 'message')));
  return file;
}

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    argv,
    (line) => out.push(line),
    (line) => err.push(line),
  );
  return {
    code,
    out,
    err: err.join('\n'),
    lines: out.map((line) => JSON.parse(line) as { file: string; status: number; events: NormalizedEvent[]; error?: string }),
  };
}

describe('waflow inspect', () => {
  it('prints one line per file, and dedupe spans the files', async () => {
    const file = sampleFile('waha');
    const { code, lines } = await run('inspect', '--provider', 'waha', file, file);
    expect(code).toBe(0);
    expect(lines.map((l) => [l.status, l.events.length])).toEqual([
      [200, 1],
      [200, 0],
    ]);
    expect(lines[0].events[0]).toMatchObject({ provider: 'waha', event: 'message' });
    expect(lines[0].file).toBe(file);
  });

  it('--no-dedupe keeps the repeat; --events filters', async () => {
    const file = sampleFile('waha');
    expect((await run('inspect', '--provider', 'waha', '--no-dedupe', file, file)).lines.map((l) => l.events.length)).toEqual([1, 1]);
    expect((await run('inspect', '--provider', 'waha', '--events', 'message.ack', file)).lines[0].events).toEqual([]);
  });

  it('reports a request rejected for its signature as a line with status and error, exit 0', async () => {
    const { code, lines } = await run('inspect', '--provider', 'waserver', '--secret', 's3cret', sampleFile('waserver'));
    expect(code).toBe(0);
    expect(lines[0].status).toBe(401);
    expect(lines[0].events).toEqual([]);
    expect(lines[0].error).toBeTruthy();
    expect(JSON.stringify(lines)).not.toContain('s3cret');
  });

  it.each(PROVIDERS)('%s: headers and query printed by `sign` make `inspect` accept the body', async (provider) => {
    const file = sampleFile(provider);
    const now = '2026-01-10T02:15:30Z';
    const signed = await run('sign', '--provider', provider, '--secret', 'k3y', '--now', now, file);
    expect(signed.code).toBe(0);
    const { headers, query } = JSON.parse(signed.out.join('\n')) as { headers: Record<string, string>; query: Record<string, string> };
    const flags = [
      ...Object.entries(headers).flatMap(([k, v]) => ['--header', `${k}: ${v}`]),
      ...Object.entries(query).flatMap(([k, v]) => ['--query', `${k}=${v}`]),
    ];
    const accepted = await run('inspect', '--provider', provider, '--secret', 'k3y', '--now', now, ...flags, file);
    expect(accepted.lines[0].status).toBe(200);
    expect(accepted.lines[0].events.length).toBeGreaterThan(0);
    const wrongKey = await run('inspect', '--provider', provider, '--secret', 'other', '--now', now, ...flags, file);
    expect(wrongKey.lines[0].status).toBe(401);
  });

  it('--sign signs each file as the gateway would', async () => {
    const { lines } = await run('inspect', '--provider', 'waserver', '--secret', 'k', '--sign', sampleFile('waserver'));
    expect(lines[0].status).toBe(200);
  });

  it('--allowed-ip with --client-ip applies the allowlist', async () => {
    const file = sampleFile('wawp');
    expect((await run('inspect', '--provider', 'wawp', '--allowed-ip', '10.0.0.0/8', '--client-ip', '10.1.2.3', file)).lines[0].status).toBe(200);
    expect((await run('inspect', '--provider', 'wawp', '--allowed-ip', '10.0.0.0/8', '--client-ip', '192.0.2.1', file)).lines[0].status).toBe(403);
  });

  it('--max-body-bytes and --method reach the receiver', async () => {
    const file = sampleFile('openwa');
    expect((await run('inspect', '--provider', 'openwa', '--max-body-bytes', '10', file)).lines[0].status).toBe(413);
    expect((await run('inspect', '--provider', 'openwa', '--method', 'PUT', file)).lines[0].status).toBe(405);
  });

  it('exit 1 for an unreadable file, the others still processed', async () => {
    const { code, lines, err } = await run('inspect', '--provider', 'waha', join(dir, 'missing.json'), sampleFile('waha'));
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(err).toContain('cannot read');
  });

  it.each([
    [['inspect', 'x.json'], '--provider is required'],
    [['inspect', '--provider', 'telegram', 'x.json'], '--provider must be one of'],
    [['inspect', '--provider', 'waha'], 'inspect needs at least one FILE'],
    [['inspect', '--provider', 'waha', '--now', 'soon', 'x.json'], '--now must be'],
    [['inspect', '--provider', 'waha', '--events', 'message,bogus', 'x.json'], '"bogus" is not a canonical event'],
    [['inspect', '--provider', 'waha', '--header', 'novalue', 'x.json'], '--header must look like'],
    [['inspect', '--provider', 'waha', '--bogus', 'x.json'], 'Unknown option'],
    [['inspect', '--provider', 'waha', '--max-depth=-3', 'x.json'], '--max-depth must be a positive number'],
    [['inspect', '--provider', 'waha', '--sign', 'x.json'], '--secret is required with --sign'],
    [['sign', '--provider', 'waha', 'x.json'], '--secret is required'],
    [['send', '--provider', 'waha', '--event', 'message'], 'send needs --url'],
    [['send', '--provider', 'waha', '--url', 'http://127.0.0.1:1/'], 'either --event KIND or one FILE'],
    [['frobnicate'], 'Unknown command'],
  ])('usage error %j → exit 2', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err).toContain(message);
    expect(err).toContain('Usage:');
  });
});

describe('waflow send', () => {
  let server: Server;
  let url: string;
  let options: ReceiveOptions;
  let receiver: ReturnType<typeof createReceiver>;
  const received: NormalizedEvent[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const query = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
        void receiver.receive({ method: req.method ?? 'POST', headers: req.headers, query, rawBody: Buffer.concat(chunks) }).then((result) => {
          received.push(...result.events);
          res.writeHead(result.status, result.headers).end(JSON.stringify(result.body));
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  function useReceiver(provider: ProviderName, secret: string) {
    options = { provider, secret, hmacSecret: provider === 'openwa' ? `${secret}-hmac` : undefined };
    receiver = createReceiver(options);
    received.length = 0;
  }

  it.each(PROVIDERS)('%s: --event message posts a signed request that is accepted, fresh each time', async (provider) => {
    useReceiver(provider, 'shh');
    const hmacFlags = provider === 'openwa' ? ['--hmac-secret', 'shh-hmac'] : [];
    const first = await run('send', '--provider', provider, '--url', url, '--secret', 'shh', ...hmacFlags, '--event', 'message');
    const second = await run('send', '--provider', provider, '--url', url, '--secret', 'shh', ...hmacFlags, '--event', 'message');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.out[0])).toMatchObject({ status: 200, response: { ok: true, emitted: 1 } });
    expect(JSON.parse(second.out[0])).toMatchObject({ status: 200, response: { ok: true, emitted: 1 } });
    expect(received.map((e) => e.event)).toEqual(['message', 'message']);
    expect(received[0].id).not.toBe(received[1].id);
  });

  it('a wrong secret is answered 401 and exits 1', async () => {
    useReceiver('waha', 'right');
    const { code, out } = await run('send', '--provider', 'waha', '--url', url, '--secret', 'wrong', '--event', 'message');
    expect(code).toBe(1);
    expect(JSON.parse(out[0])).toMatchObject({ status: 401, response: { ok: false } });
  });

  it('FILE is posted as is, so a second send is a duplicate', async () => {
    useReceiver('waserver', 'k');
    const file = sampleFile('waserver');
    await run('send', '--provider', 'waserver', '--url', url, '--secret', 'k', file);
    const again = await run('send', '--provider', 'waserver', '--url', url, '--secret', 'k', file);
    expect(JSON.parse(again.out[0])).toMatchObject({ status: 200, response: { emitted: 0, duplicates: 1 } });
  });

  it('an event the provider does not have is a usage error', async () => {
    useReceiver('waserver', 'k');
    const { code, err } = await run('send', '--provider', 'waserver', '--url', url, '--event', 'poll.vote');
    expect(code).toBe(2);
    expect(err).toContain('has no "poll.vote" event');
  });

  it('an unreachable gateway URL exits 1 without printing the query secret', async () => {
    const { code, err } = await run('send', '--provider', 'wawp', '--url', 'http://127.0.0.1:9/hook', '--secret', 'tok3n', '--event', 'message');
    expect(code).toBe(1);
    expect(err).toContain('POST http://127.0.0.1:9/hook failed');
    expect(err).not.toContain('tok3n');
  });
});
