/**
 * Issue 11, defect 6 (the stored half): a real Node-RED started on an old flows.json whose gateway
 * node carries its secret in plain text (saved before the field was a credential) moves the secret
 * into the node's credentials on load, verifies with it, logs the move without the value, and once
 * the flow is deployed as the editor deploys it (settings the node declares, no credentials sent)
 * flows.json and GET /flows no longer carry it, while the credential survives a restart.
 * Node-RED 4.1 on Node 20 and Node-RED 5 on Node 22.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { linkPackage } from '../../../demo/node-red/instance';
import { GATEWAY_SECRETS } from '../../../nodered/shared/options';
import { genuine } from './hostile';
import { installEngines, NodeRed, postSigned, until } from '../node-red/runtime';

const OLD_SECRET = 'plain-text-hmac-key-from-2024-b7e1';

const OLD_FLOWS = [
  { id: 'tab-old', type: 'tab', label: 'saved long ago' },
  // The secret beside the settings, as a flow saved before it was a credential has it.
  { id: 'gw-old', type: 'whatsapp-gateway', name: 'old gateway', provider: 'waha', secret: OLD_SECRET },
  { id: 'in-old', type: 'whatsapp in', z: 'tab-old', gateway: 'gw-old', path: '/old', events: [], dedupe: true, wires: [[]] },
];

/** What the editor deploys for a flow it loaded: each node's declared settings (the plain secret is no setting) and no credentials. */
const asTheEditorDeploys = (flows: Array<Record<string, unknown>>) =>
  flows.map((node) => (node.type === 'whatsapp-gateway' ? Object.fromEntries(Object.entries(node).filter(([key]) => !GATEWAY_SECRETS.includes(key))) : node));

let installed: ReturnType<typeof installEngines>;
beforeAll(() => {
  installed = installEngines();
}, 600_000);

describe.each([
  ['Node-RED 4', () => ({ node: process.execPath, redJs: require.resolve('node-red/red.js') })],
  ['Node-RED 5', () => ({ node: installed.node22, redJs: installed.nodeRed5 })],
])('%s started on a flows.json with a plain-text secret', (label, engine) => {
  let red: NodeRed;
  let userDir = '';

  beforeAll(async () => {
    userDir = mkdtempSync(join(tmpdir(), 'waflow-plaintext-'));
    linkPackage(userDir);
    writeFileSync(join(userDir, 'flows.json'), JSON.stringify(OLD_FLOWS, null, 2));
    const { node, redJs } = engine();
    red = new NodeRed(node, redJs, userDir);
    await red.start();
    await until('the in node to listen', async () => ((await red.routes()).length === 1 ? true : undefined));
  }, 120_000);

  afterAll(async () => {
    await red?.stop();
    if (process.env.WAFLOW_ENGINE_LOG) console.log(`${label} log:\n${red?.log}`);
    if (userDir) rmSync(userDir, { recursive: true, force: true });
  });

  const deliver = (secret: string) => postSigned(red, 'waha', Buffer.from(genuine('waha')), secret, '/old');

  it('moves it into the credentials on load: verifies with it, says so in the log without the value', async () => {
    expect((await deliver('a-forger-guess')).status).toBe(401);
    expect((await deliver(OLD_SECRET)).status).toBe(200);
    expect((await red.get('/credentials/whatsapp-gateway/gw-old')).json()).toMatchObject({ has_secret: true });
    expect(red.log).toMatch(/\[whatsapp-gateway:old gateway\] moved secret from this node's plain-text settings into its encrypted credentials/);
    expect(red.log).not.toContain(OLD_SECRET);
  });

  it('deployed as the editor deploys it, neither flows.json nor GET /flows carries it, the credentials file has it encrypted, and it still verifies after a restart', async () => {
    const loaded = (await red.get('/flows', { accept: 'application/json' })).json() as Array<Record<string, unknown>>;
    await red.deploy(asTheEditorDeploys(loaded));
    await until('the redeployed in node', async () => ((await red.routes()).length === 1 ? true : undefined));
    const stored = () => ['flows.json', 'flows_cred.json'].map((file) => readFileSync(join(userDir, file), 'utf8'));
    expect(stored()[1]).toMatch(/"\$":/); // encrypted
    expect(stored().join('\n')).not.toContain(OLD_SECRET);
    expect((await red.get('/flows', { accept: 'application/json' })).text).not.toContain(OLD_SECRET);

    await red.stop();
    red.log = '';
    await red.start();
    await until('the in node to listen again', async () => ((await red.routes()).length === 1 ? true : undefined));
    expect((await deliver('a-forger-guess')).status).toBe(401);
    expect((await deliver(OLD_SECRET)).status).toBe(200);
    // Nothing left to move.
    expect(red.log).not.toMatch(/plain-text/);
    expect(red.log).not.toContain(OLD_SECRET);
  });
});
