/**
 * Issue 11, defect 6: a secret an older flow saved in plain text in the gateway node's settings is
 * moved into the node's credentials on load, used, and named (never quoted) in the log.
 */
import request from 'supertest';
import { GATEWAY_SECRETS } from '../../nodered/shared/options';
import { plaintextSecretsNotice, plaintextSecretsOf } from '../../nodered/shared/plaintext-secrets';
import { callsOf, helper, ourNodes, runtime, sample, signed } from './helper';

const OLD_SECRET = 'plain-old-hmac-key-8c1d';

const gateway = (extra: object) => ({ id: 'g1', type: 'whatsapp-gateway', name: 'gw', provider: 'waha', ...extra });
const inNode = { id: 'in1', type: 'whatsapp in', gateway: 'g1', path: '/old', wires: [['out']] };
const OUT = { id: 'out', type: 'helper' };

function post(body: { bytes: Buffer; headers: Record<string, string>; query: Record<string, string> }) {
  return request(runtime.RED.httpNode).post('/old').query(body.query).set(body.headers).send(body.bytes.toString('utf8'));
}

const warnings = () => callsOf(helper.getNode('g1'), 'warn').map((args) => String(args[0]));

beforeAll(() => helper.startServer());
afterEach(() => helper.unload());
afterAll(() => helper.stopServer());

describe('plaintextSecretsOf', () => {
  it('moves a plain-text secret into empty credentials, keeps a set credential, and skips empty and non-string values', () => {
    expect(plaintextSecretsOf({ secret: 'a', apiKey: 'b', accessToken: '' }, { apiKey: 'kept' }, ['secret', 'apiKey', 'accessToken'])).toEqual({
      credentials: { secret: 'a', apiKey: 'kept' },
      moved: ['secret'],
      ignored: ['apiKey'],
    });
    expect(plaintextSecretsOf({ secret: { a: 1 }, apiKey: '  ' }, undefined, ['secret', 'apiKey'])).toEqual({ credentials: {}, moved: [], ignored: [] });
    // Only the node's own keys: never one inherited from a polluted prototype.
    expect(plaintextSecretsOf(Object.create({ secret: 'inherited' }), {}, ['secret']).moved).toEqual([]);
  });

  it('says what moved and what to do, naming fields only', () => {
    expect(plaintextSecretsNotice({ credentials: {}, moved: [], ignored: [] })).toBeNull();
    const notice = plaintextSecretsNotice({ credentials: { secret: OLD_SECRET }, moved: ['secret'], ignored: [] })!;
    expect(notice).toMatch(/^moved secret from this node's plain-text settings into its encrypted credentials\. .*deploy it once from the editor/);
    expect(notice).not.toContain(OLD_SECRET);
  });
});

describe('whatsapp-gateway: a flow saved with the secret in plain text', () => {
  it('verifies with the moved secret (a forgery 401, the genuine 200), keeps it in the credential store, and warns without the value', async () => {
    expect(GATEWAY_SECRETS).toContain('secret');
    await helper.load(ourNodes, [gateway({ secret: OLD_SECRET }), inNode, OUT], {});
    expect((await post(signed('waha', sample('waha'), 'not-the-secret'))).status).toBe(401);
    expect((await post(signed('waha', sample('waha'), OLD_SECRET))).status).toBe(200);
    expect(helper.getNode('g1')).toMatchObject({ credentials: { secret: OLD_SECRET } });
    expect(runtime.RED.nodes.getCredentials('g1')).toMatchObject({ secret: OLD_SECRET });
    expect(warnings()).toEqual([expect.stringMatching(/^moved secret from this node's plain-text settings/)]);
    expect(warnings().join('\n')).not.toContain(OLD_SECRET);
  });

  it('a credential already set wins over a stale plain-text copy, which is reported as ignored', async () => {
    await helper.load(ourNodes, [gateway({ secret: 'stale-copy' }), inNode, OUT], { g1: { secret: OLD_SECRET } });
    expect((await post(signed('waha', sample('waha'), 'stale-copy'))).status).toBe(401);
    expect((await post(signed('waha', sample('waha'), OLD_SECRET))).status).toBe(200);
    expect(warnings()).toEqual([expect.stringMatching(/^ignored the plain-text secret in this node's settings/)]);
    expect(warnings().join('\n')).not.toMatch(/stale-copy|plain-old/);
  });

  it('a flow without plain-text secrets logs nothing about them', async () => {
    await helper.load(ourNodes, [gateway({}), inNode, OUT], { g1: { secret: OLD_SECRET } });
    expect(warnings()).toEqual([]);
  });
});
