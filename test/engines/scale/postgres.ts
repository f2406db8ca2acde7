/**
 * A real PostgreSQL for n8n in queue mode (n8n's processes share one database): Debian's server
 * (installed by scripts/services/postgres.sh when missing), a fresh cluster in a temporary folder
 * on a free loopback port, run as the `postgres` user when the suite runs as root (PostgreSQL
 * refuses root), removed after.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../../../demo/n8n/instance';
import { freePort } from '../../../demo/ports';

export interface Postgres {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  stop(): Promise<void>;
}

const USER = 'n8n';
const PASSWORD = 'scale-suite-pg-password';
const DATABASE = 'n8n';

export async function startPostgres(): Promise<Postgres> {
  const bin = execFileSync('bash', [join(REPO, 'scripts', 'services', 'postgres.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 10 * 60_000,
  })
    .trim()
    .split('\n')
    .pop()!;
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'waflow-pg-'));
  const data = join(dir, 'data');
  const port = await freePort();
  const owner = (path: string) => {
    if (root)
      chownSync(
        path,
        Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
        Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
      );
  };
  owner(dir);
  const as = (command: string, args: string[], input?: string) =>
    execFileSync(root ? 'runuser' : command, root ? ['-u', 'postgres', '--', command, ...args] : args, {
      encoding: 'utf8',
      input,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      cwd: dir,
      env: { ...process.env, PGPASSWORD: PASSWORD },
      timeout: 120_000,
    });
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, PASSWORD, { mode: 0o600 });
  owner(pwfile);
  as(join(bin, 'initdb'), ['-D', data, '-U', USER, '--pwfile', pwfile, '-A', 'scram-sha-256', '--no-sync']);
  as(join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    'start',
  ]);
  as(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', USER, DATABASE]);
  return {
    host: '127.0.0.1',
    port,
    database: DATABASE,
    user: USER,
    password: PASSWORD,
    stop: async () => {
      try {
        as(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
