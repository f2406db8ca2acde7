/**
 * `whatsapp in` with a `whatsapp-store` (Redis) picked, without any Redis running: the failure
 * semantics (events go through, a warning once per outage, the status counts the failures) and the
 * store's settings refused at deploy. The real Redis, two runtimes and an outage mid-run are in
 * npm run test:scale.
 */
import request from 'supertest';
import { freePort } from '../../demo/ports';
import { callsOf, helper, lastStatus, ourNodes, runtime, sample, sentBy, signed } from './helper';

const SECRET = 'store-test-secret';
const REDIS_PASSWORD = 'redis-pass-never-shown';
const PATH = '/whatsapp/waha';

const gateway = { id: 'g1', type: 'whatsapp-gateway', name: 'gw', provider: 'waha' };
const inNode = (extra: object = {}) => ({ id: 'in1', type: 'whatsapp in', gateway: 'g1', store: 's1', path: '', wires: [['out']], ...extra });
const OUT = { id: 'out', type: 'helper' };
const store = (extra: object = {}) => ({ id: 's1', type: 'whatsapp-store', host: '127.0.0.1', port: '6379', db: '0', keyPrefix: 'waflow', ...extra });

function post(body: { bytes: Buffer; headers: Record<string, string>; query: Record<string, string> }) {
  return request(runtime.RED.httpNode).post(PATH).query(body.query).set(body.headers).send(body.bytes.toString('utf8'));
}

beforeAll(() => helper.startServer());
afterEach(() => helper.unload());
afterAll(() => helper.stopServer());

describe('whatsapp in with a shared store', () => {
  it('Redis unreachable: the event and its redelivery both go through, one warning, the status counts the failures', async () => {
    const port = await freePort(); // nothing listens there
    await helper.load(ourNodes, [gateway, store({ port: String(port) }), inNode(), OUT], { g1: { secret: SECRET }, s1: { password: REDIS_PASSWORD } });
    const node = helper.getNode('in1');
    expect(lastStatus(node)?.text).toBe(`listening ${PATH} · redis 127.0.0.1:${port} db 0`);
    const body = signed('waha', sample('waha'), SECRET);
    expect((await post(body)).body).toMatchObject({ emitted: 1, duplicates: 0 });
    expect((await post(body)).body).toMatchObject({ emitted: 1, duplicates: 0 });
    expect(sentBy(node)).toHaveLength(2);
    const warnings = callsOf(node, 'warn').map((args) => String(args[0]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Redis dedupe failed \(redis 127\.0\.0\.1:\d+ db 0\).*duplicates possible/);
    // Per event, its dedupe and its conversation state read (the gateway's state is on the store too).
    expect(lastStatus(node)).toMatchObject({ fill: 'yellow', text: '2 events · last: message · store failed 4×' });
    const [first] = sentBy(node) as Array<{ payload: { issues?: Array<{ path: string; message: string }> } }>;
    expect(first.payload.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'conversation' })]));
    expect(JSON.stringify([warnings, callsOf(node, 'status')])).not.toContain(REDIS_PASSWORD);
  }, 20_000);

  it('a store without a host: the in node refuses to start, with the reason', async () => {
    await helper.load(ourNodes, [gateway, store({ host: ' ' }), inNode()], { g1: { secret: SECRET } });
    const node = helper.getNode('in1');
    expect(lastStatus(node)).toMatchObject({ fill: 'red', text: 'The WhatsApp store has no Redis host' });
    expect((await post(signed('waha', sample('waha'), SECRET))).status).toBe(404);
  });

  it('a store that is missing (deleted config node): refused, not silently memory', async () => {
    await helper.load(ourNodes, [gateway, inNode({ store: 'gone' })], { g1: { secret: SECRET } });
    expect(lastStatus(helper.getNode('in1'))).toMatchObject({ fill: 'red', text: expect.stringMatching(/^The WhatsApp store this node names is missing/) });
  });

  it('a bad port number: refused with the setting', async () => {
    await helper.load(ourNodes, [gateway, store({ port: 'abc' }), inNode()], { g1: { secret: SECRET } });
    expect(lastStatus(helper.getNode('in1'))).toMatchObject({ fill: 'red', text: 'Redis port must be a whole number, got "abc"' });
  });
});
