/**
 * The trigger's Shared Store setting: memory by default, the Redis credential or n8n's queue-mode
 * Redis; and the failure semantics without any Redis running: a store that cannot be reached lets
 * the event through, and n8n's log says so with the count. (The real Redis runs in npm run test:scale.)
 */
import type { IWebhookResponseData } from 'n8n-workflow';
import { freePort } from '../../demo/ports';
import { providers } from '../../core';
import { WhatsAppSharedStoreRedisApi } from '../../credentials/WhatsAppSharedStoreRedisApi.credentials';
import { openRedisConnections } from '../../core/store/redis';
import { clearReceivers } from '../../nodes/shared/receivers';
import { queueRedisSettings, redisSettingsOfCredential, storeConfigOf } from '../../nodes/shared/store';
import { WahaTrigger } from '../../nodes/WahaTrigger/WahaTrigger.node';
import { sampleBody } from '../../cli/samples';
import { withSignedTimeNow } from '../helpers/signed-time';
import { webhookContext, type Parameters } from './fakes';

const SECRET = 'shared-store-secret';
const REDIS_PASSWORD = 'redis-password-never-logged';

function signedMessage() {
  const nowMs = Date.now();
  const rawBody = Buffer.from(JSON.stringify(withSignedTimeNow(providers.waha, sampleBody(providers.waha, 'message'), nowMs)));
  const { headers } = providers.waha.sign({ body: rawBody, secret: SECRET, nowMs });
  return { rawBody, headers: { 'content-type': 'application/json', ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) } };
}

async function deliver(parameters: Parameters, credentials: Record<string, unknown>, log: string[]) {
  const nodeType = new WahaTrigger();
  const { ctx, response } = webhookContext({ nodeType, parameters, credentials: credentials as never, request: signedMessage(), log });
  const result = (await nodeType.webhook!.call(ctx)) as IWebhookResponseData;
  return { status: response.statusCode, body: response.body ? JSON.parse(response.body) : undefined, items: result.workflowData?.[0] ?? [] };
}

afterEach(() => clearReceivers());

describe('Shared Store setting', () => {
  it('is on every trigger, memory by default; the credential is asked for only with the credential choice', () => {
    const property = new WahaTrigger().description.properties.find((p) => p.name === 'sharedStore')!;
    expect(property).toMatchObject({ type: 'options', default: 'memory' });
    expect((property.options as Array<{ value: string }>).map((o) => o.value)).toEqual(['memory', 'credential', 'queueRedis']);
  });

  it('the credential: host, port, user, password (hidden), TLS, database and key prefix', async () => {
    const credential = new WhatsAppSharedStoreRedisApi();
    expect(credential.displayName).toBe('WhatsApp Shared Store (Redis)');
    expect(credential.properties.map((p) => p.name)).toEqual(['host', 'port', 'user', 'password', 'tls', 'database', 'keyPrefix']);
    expect(credential.properties.find((p) => p.name === 'password')?.typeOptions).toEqual({ password: true });
    const config = await storeConfigOf('credential', async () => ({
      host: ' redis.internal ',
      port: 6380,
      user: 'bot',
      password: 'pw',
      tls: true,
      database: 2,
      keyPrefix: '',
    }));
    expect(config).toEqual({
      kind: 'redis',
      redis: { host: 'redis.internal', port: 6380, username: 'bot', password: 'pw', tls: true, db: 2, keyPrefix: 'waflow' },
    });
    expect(redisSettingsOfCredential({ host: 'h' })).toMatchObject({ port: 6379, db: 0, tls: false, username: undefined, password: undefined });
  });

  it("n8n's queue-mode Redis comes from the process's QUEUE_BULL_REDIS_* settings", () => {
    expect(
      queueRedisSettings({
        EXECUTIONS_MODE: 'queue',
        QUEUE_BULL_REDIS_HOST: 'queue-redis',
        QUEUE_BULL_REDIS_PORT: '6390',
        QUEUE_BULL_REDIS_DB: '3',
        QUEUE_BULL_REDIS_USERNAME: 'n8n',
        QUEUE_BULL_REDIS_PASSWORD: 'pw',
        QUEUE_BULL_REDIS_TLS: 'true',
      }),
    ).toEqual({ host: 'queue-redis', port: 6390, db: 3, username: 'n8n', password: 'pw', tls: true, keyPrefix: 'waflow' });
    expect(queueRedisSettings({ EXECUTIONS_MODE: 'queue' })).toMatchObject({ host: 'localhost', port: 6379, db: 0, tls: false });
    expect(() => queueRedisSettings({})).toThrow('this n8n process is not in queue mode');
  });

  it('queue-mode Redis chosen in a process that has none: 500 with the reason, no execution', async () => {
    const saved = { mode: process.env.EXECUTIONS_MODE, host: process.env.QUEUE_BULL_REDIS_HOST };
    delete process.env.EXECUTIONS_MODE;
    delete process.env.QUEUE_BULL_REDIS_HOST;
    try {
      const { status, body, items } = await deliver({ sharedStore: 'queueRedis' }, { webhookSecret: SECRET }, []);
      expect(status).toBe(500);
      expect(body.error).toMatch(/misconfigured: Shared store: this n8n process is not in queue mode/);
      expect(items).toHaveLength(0);
    } finally {
      if (saved.mode !== undefined) process.env.EXECUTIONS_MODE = saved.mode;
      if (saved.host !== undefined) process.env.QUEUE_BULL_REDIS_HOST = saved.host;
    }
  });

  it('Redis unreachable: the event and its redelivery both go through (a duplicate beats a loss), logged once with the count, no password', async () => {
    const port = await freePort(); // nothing listens there
    const log: string[] = [];
    const credentials = { webhookSecret: SECRET, host: '127.0.0.1', port, password: REDIS_PASSWORD };
    const first = await deliver({ sharedStore: 'credential' }, credentials, log);
    const again = await deliver({ sharedStore: 'credential' }, credentials, log);
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(first.items).toHaveLength(1);
    expect(again.items).toHaveLength(1);
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/^warn: WAHA Trigger: Redis dedupe failed \(redis 127\.0\.0\.1:\d+ db 0\).*duplicates possible.*1 failed so far/);
    expect(log.join()).not.toContain(REDIS_PASSWORD);
  }, 20_000);

  it("a changed credential (another server) gives back the node's previous connection: one per node, not one per change", async () => {
    const log: string[] = [];
    for (const port of [await freePort(), await freePort(), await freePort()]) {
      await deliver({ sharedStore: 'credential' }, { webhookSecret: SECRET, host: '127.0.0.1', port }, log);
      expect(openRedisConnections()).toBe(1);
    }
  }, 20_000);
});
