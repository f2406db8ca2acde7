/** The installed binary (dist/, built by `pretest`) runs as a real process with its shebang and exit codes. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const bin = join(__dirname, '..', '..', 'dist', 'cli', 'waflow.js');
const fixture = join(__dirname, '..', '..', 'core', 'providers', 'waha', 'fixtures', 'doc-message.json');

describe('dist/cli/waflow.js', () => {
  beforeAll(() => {
    if (!existsSync(bin)) throw new Error('dist/ is missing: `npm test` builds it first, or run `npm run build`');
  });

  it('prints usage and exits 2 without arguments', () => {
    const result = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage:');
  });

  it('inspects a fixture and prints a JSON line', () => {
    const result = spawnSync(process.execPath, [bin, 'inspect', '--provider', 'waha', fixture], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    const line = JSON.parse(result.stdout) as { status: number; events: { event: string }[] };
    expect(line.status).toBe(200);
    expect(line.events[0].event).toBe('message');
  });

  it('finds the provider samples copied beside the compiled code', () => {
    const result = spawnSync(process.execPath, [bin, 'send', '--provider', 'waha', '--url', 'http://127.0.0.1:9/', '--event', 'message'], { encoding: 'utf8' });
    expect(result.stderr).toContain('POST http://127.0.0.1:9/ failed');
  });
});

describe('waflow sandbox', () => {
  it('runs the sandbox gateway until stopped, printing the base URLs and each delivery', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, [bin, 'sandbox', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const urlLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /WAHA: API URL (\S+)/.exec(output);
        if (match) resolve(match[1]);
      });
      child.once('exit', () => reject(new Error(`sandbox exited early: ${output}`)));
    });
    const response = await fetch(`${urlLine}/api/sendText`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'sandbox-waha-key' },
      body: JSON.stringify({ session: 'default', chatId: '1@c.us', text: 'hello' }),
    });
    expect(response.status).toBe(201);
    await new Promise<void>((resolve) => {
      const check = () => (output.includes('[sandbox waha] sendText → 1@c.us: "hello"') ? resolve() : setTimeout(check, 20));
      check();
    });
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
  });
});
