/**
 * A real redis-server for the scale suite: Debian's package (installed by scripts/services/redis.sh
 * when missing), started on a free loopback port with no persistence and a password, stopped after.
 * `stop()` and `start()` again on the same port stand for an outage.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../demo/ports';
import { REPO } from '../../../demo/n8n/instance';

export const REDIS_PASSWORD = 'scale-suite-redis-password';

export interface RedisServer {
  host: string;
  port: number;
  password: string;
  /** Starts it again on the same port (after `stop`). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Stops it and removes its folder. */
  dispose(): Promise<void>;
}

function installed(): string {
  return execFileSync('bash', [join(REPO, 'scripts', 'services', 'redis.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 10 * 60_000 })
    .trim()
    .split('\n')
    .pop()!;
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function startRedis(): Promise<RedisServer> {
  const binary = installed();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'waflow-redis-'));
  let child: ChildProcess | null = null;

  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--requirepass', REDIS_PASSWORD], {
      stdio: 'ignore',
    });
    const deadline = Date.now() + 10_000;
    while (!(await answers(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode})`);
      if (Date.now() > deadline) throw new Error('redis-server did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    host: '127.0.0.1',
    port,
    password: REDIS_PASSWORD,
    start,
    stop,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
