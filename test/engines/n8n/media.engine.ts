/**
 * "Download Media" in a real n8n (1.123 and 2.40, binary data in filesystem mode): per gateway, a
 * workflow "trigger (Download Media on) → Crypto (SHA256 of the binary)" receives a real signed
 * voice note and a document on its production URL; the sandbox gateway serves the files with the
 * gateway's auth. n8n's own Crypto node hashes the file n8n stored: it must be the sha256 of the
 * bytes the sandbox served, and the document's name must be the item's file name. Then WhatsApp
 * Send's Download Media operation does the same for a flow that decides later.
 *
 * n8n lines: WAFLOW_N8N_LINES=1,2 (default both). WAFLOW_N8N_LOG=1 prints n8n's log at the end.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { providers, type ProviderName } from '../../../core';
import { activate, createCredential, installN8n, PACKAGE, startN8n, until, type N8nInstance, type N8nLine } from '../../../demo/n8n/instance';
import { forGateway, TRIGGERS, webhookUrlOf } from '../../../demo/n8n/workflows';
import { SandboxGateway } from '../../../sandbox/gateway';
import { fixtureBytes } from '../../helpers/fixtures';
import { MEDIA_FILES, pick } from '../../helpers/media';
import { withSignedTimeNow } from '../../helpers/signed-time';

const SECRET = 'engine-media-secret';
const LINES = (process.env.WAFLOW_N8N_LINES ?? '1,2').split(',').map((line) => Number(line.trim()) as N8nLine);
const KEYS = { waha: 'engine-media-waha-key', waserver: 'engine-media-waserver-key', evolution: 'engine-media-evo-key', cloudapi: 'engine-media-cloud-token' };

type Gateway = keyof typeof KEYS;
const FILES = pick(MEDIA_FILES, ['waha', 'waserver', 'evolution', 'cloudapi']);

const sandbox = new SandboxGateway({
  credentials: {
    waha: { apiKey: KEYS.waha },
    waserver: { apiKey: KEYS.waserver },
    evolution: { apiKey: KEYS.evolution },
    cloudapi: { accessToken: KEYS.cloudapi, phoneNumberId: '106540352242922' },
  },
});

function credentialOf(provider: Gateway): Record<string, unknown> {
  const baseUrl = sandbox.baseUrlFor(provider);
  if (provider === 'cloudapi') return { webhookSecret: SECRET, verifyToken: 'engine-verify', accessToken: KEYS.cloudapi, baseUrl };
  return { webhookSecret: SECRET, baseUrl, apiKey: KEYS[provider] };
}

/** The fixture as its gateway would post it, signed now. */
async function deliver(url: string, provider: ProviderName, file: string): Promise<{ status: number; body: unknown }> {
  const nowMs = Date.now();
  const body = Buffer.from(JSON.stringify(withSignedTimeNow(providers[provider], JSON.parse(fixtureBytes(provider, file).toString('utf8')), nowMs)));
  const { headers, query } = providers[provider].sign({ body, secret: SECRET, nowMs });
  const target = new URL(url);
  for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
  const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: await res.json() };
}

interface Item {
  json: Record<string, any>;
  binary?: Record<string, { fileName?: string; mimeType?: string; fileSize?: string }>;
}
interface Execution {
  id: string;
  status: string;
  data: { resultData: { runData: Record<string, Array<{ data: { main: Array<Item[] | null> } }>> } };
}
const itemsOf = (execution: Execution, node: string): Item[] => execution.data.resultData.runData[node]?.[0]?.data.main[0] ?? [];

/** The sha256 the sandbox recorded for each file it served, by the key it served it under. */
const servedHashes = () => sandbox.deliveries.filter((d) => d.operation === 'downloadMedia').map((d) => (d.body as { sha256: string }).sha256);

describe.each(LINES)('n8n line %s: Download Media', (line) => {
  let n8n: N8nInstance;
  /** Where n8n may write files (Read/Write Files from Disk): the save-documents example writes there. */
  const filesDir = mkdtempSync(join(tmpdir(), 'waflow-n8n-files-'));

  beforeAll(async () => {
    await sandbox.start();
    n8n = await startN8n(installN8n(line), { env: { N8N_DEFAULT_BINARY_DATA_MODE: 'filesystem', N8N_RESTRICT_FILE_ACCESS_TO: filesDir } });
  }, 25 * 60_000);

  afterAll(async () => {
    if (process.env.WAFLOW_N8N_LOG && n8n) process.stdout.write(n8n.log());
    await n8n?.stop();
    await sandbox.stop();
    rmSync(filesDir, { recursive: true, force: true });
  });

  async function executionsOf(workflowId: string, count: number): Promise<Execution[]> {
    return until(`${count} executions`, 60_000, async () => {
      const page = await n8n.api<{ data: Execution[] }>('GET', `/executions?workflowId=${workflowId}&includeData=true&limit=100`);
      const done = page.data.filter((execution) => execution.status !== 'running' && execution.status !== 'new');
      return done.length >= count ? done.sort((a, b) => Number(a.id) - Number(b.id)) : undefined;
    });
  }

  const hashNode = (x: number) => ({
    id: randomUUID(),
    name: 'Hash',
    type: 'n8n-nodes-base.crypto',
    typeVersion: 1,
    position: [x, 0],
    parameters: { action: 'hash', type: 'SHA256', binaryData: true, binaryPropertyName: 'data', dataPropertyName: 'sha256', encoding: 'hex' },
  });

  async function workflowOf(provider: Gateway, triggerParameters: Record<string, unknown>, middle: Record<string, unknown>[] = []) {
    const trigger = TRIGGERS[provider];
    const credential = await createCredential(n8n, trigger.credential, `${provider} media ${randomUUID()}`, credentialOf(provider));
    const webhookId = randomUUID();
    const register = providers[provider].api.anyCapabilities.includes('registerWebhook') ? { registerWebhook: false } : {};
    const nodes = [
      {
        id: randomUUID(),
        name: 'Trigger',
        type: trigger.type,
        typeVersion: 1,
        position: [0, 0],
        webhookId,
        parameters: { ...register, ...triggerParameters },
        credentials: { [trigger.credential]: credential },
      },
      ...middle,
      hashNode(500),
    ];
    const names = nodes.map((node) => node.name as string);
    const connections = Object.fromEntries(names.slice(0, -1).map((name, i) => [name, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));
    const workflow = await n8n.api('POST', '/workflows', {
      name: `waflow media ${provider}`,
      settings: { saveDataSuccessExecution: 'all' },
      nodes,
      connections,
    });
    const url = `${n8n.baseUrl}/webhook/${webhookId}/webhook`;
    await activate(n8n, workflow.id as string, url);
    return { id: workflow.id as string, url, credential };
  }

  it.each(Object.keys(FILES) as Gateway[])(
    '%s: voice note in → the binary n8n stored hashes as the bytes the sandbox served; document in → its file name',
    async (provider) => {
      sandbox.reset();
      const workflow = await workflowOf(provider, { downloadMedia: true });
      expect(await deliver(workflow.url, provider, FILES[provider].voice)).toMatchObject({ status: 200, body: { ok: true, emitted: 1 } });
      const [voice] = await executionsOf(workflow.id, 1);
      expect(voice.status).toBe('success');
      const [hash] = itemsOf(voice, 'Hash');
      expect(servedHashes()).toHaveLength(1);
      expect(hash.json.sha256).toBe(servedHashes()[0]);
      expect(hash.json.message.media.error).toBeUndefined();

      expect((await deliver(workflow.url, provider, FILES[provider].document)).status).toBe(200);
      const [, document] = await executionsOf(workflow.id, 2);
      const [item] = itemsOf(document, 'Trigger');
      expect(item.json.message.media.fileName).toBeTruthy();
      expect(item.binary!.data.fileName).toBe(item.json.message.media.fileName);
      expect(itemsOf(document, 'Hash')[0].json.sha256).toBe(servedHashes()[1]);
      await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
    },
  );

  it('WAHA: a file that is gone still starts the workflow, with media.error and no binary', async () => {
    sandbox.reset();
    sandbox.mediaOf('waha')['false_6289876543210@c.us_3A5F9C0E1D2B4A6C8E0F.oga'] = null;
    const noOp = { id: randomUUID(), name: 'Seen', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [250, 0], parameters: {} };
    const workflow = await workflowOf('waha', { downloadMedia: true }, [noOp]);
    expect(await deliver(workflow.url, 'waha', FILES.waha.voice)).toMatchObject({ status: 200, body: { emitted: 1 } });
    const [execution] = await executionsOf(workflow.id, 1);
    const [item] = itemsOf(execution, 'Seen');
    expect(item.json.message.media.error).toMatch(/no longer has the file .*\(404\)/);
    expect(item.binary).toBeUndefined();
    expect(JSON.stringify(execution)).not.toContain(KEYS.waha);
    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
  });

  it("WhatsApp Send's Download Media: the trigger without it, the operation later, the same bytes", async () => {
    sandbox.reset();
    const trigger = TRIGGERS.waha;
    const download = {
      id: randomUUID(),
      name: 'Download',
      type: `${PACKAGE}.whatsAppSend`,
      typeVersion: 1,
      position: [250, 0],
      parameters: { provider: 'waha', operation: 'downloadMedia' },
      credentials: {} as Record<string, unknown>,
    };
    // The Send node uses the same credential as the trigger.
    const credential = await createCredential(n8n, trigger.credential, `waha send media ${randomUUID()}`, credentialOf('waha'));
    download.credentials = { [trigger.credential]: credential };
    const workflow = await workflowOf('waha', {}, [download]);
    expect((await deliver(workflow.url, 'waha', FILES.waha.voice)).status).toBe(200);
    const [execution] = await executionsOf(workflow.id, 1);
    expect(execution.status).toBe('success');
    expect(itemsOf(execution, 'Trigger')[0].binary).toBeUndefined();
    expect(itemsOf(execution, 'Hash')[0].json.sha256).toBe(servedHashes()[0]);
    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
  });

  /** A shipped example moved to WAHA on the sandbox, activated. */
  async function example(file: string, change: (workflow: ReturnType<typeof forGateway>) => void = () => undefined) {
    const credential = await createCredential(n8n, TRIGGERS.waha.credential, `waha example ${randomUUID()}`, credentialOf('waha'));
    const workflow = forGateway(file, 'waha', credential, randomUUID());
    change(workflow);
    const created = await n8n.api('POST', '/workflows', { ...workflow, settings: { ...workflow.settings, saveDataSuccessExecution: 'all' } });
    const url = webhookUrlOf(n8n.baseUrl, workflow);
    await activate(n8n, created.id as string, url);
    return { id: created.id as string, url };
  }

  it('the voice-note example: a voice note reaches "Transcribe Here" with its file as binary data "data"', async () => {
    sandbox.reset();
    const workflow = await example('voice-note-to-file.json');
    expect((await deliver(workflow.url, 'waha', FILES.waha.voice)).status).toBe(200);
    const [execution] = await executionsOf(workflow.id, 1);
    const [item] = itemsOf(execution, 'Transcribe Here');
    expect(item.binary!.data).toMatchObject({ mimeType: 'audio/ogg; codecs=opus', fileName: expect.stringMatching(/^voice-.*\.ogg$/) });
    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
  });

  it('the save-documents example: the document is written to the folder under its name, the bytes the sandbox served', async () => {
    sandbox.reset();
    // As the example's note says: n8n writes into an existing folder.
    mkdirSync(join(filesDir, 'whatsapp-documents'), { recursive: true });
    const workflow = await example('save-documents-to-folder.json', (w) => {
      const write = w.nodes.find((node) => node.name === 'Write Document')!;
      write.parameters = { ...write.parameters, fileName: `=${filesDir}/whatsapp-documents/{{ $binary.data.fileName }}` };
    });
    expect((await deliver(workflow.url, 'waha', FILES.waha.document)).status).toBe(200);
    const [execution] = await executionsOf(workflow.id, 1);
    const error = (execution.data.resultData as { error?: { message?: string; description?: string } }).error;
    expect([execution.status, error?.message ?? null, error?.description ?? null]).toEqual(['success', null, null]);
    const saved = join(filesDir, 'whatsapp-documents', 'invoice-januari.pdf');
    expect(existsSync(saved)).toBe(true);
    expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(servedHashes()[0]);
    await n8n.api('POST', `/workflows/${workflow.id}/deactivate`);
  });
});
