/**
 * "Download Media" in n8n, against the sandbox gateway: the trigger option (binary data on the
 * item, the gateway answered before the download, a file that cannot be had still starts the
 * workflow with media.error) and WhatsApp Send's Download Media operation.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INodeExecutionData, INodeType, IWebhookResponseData } from 'n8n-workflow';
import { providers, type NormalizedEvent, type ProviderName } from '../../core';
import { sandboxMediaBytes } from '../../core/providers/shared/sandbox-media';
import { clearReceivers } from '../../nodes/shared/receivers';
import { WahaTrigger } from '../../nodes/WahaTrigger/WahaTrigger.node';
import { WaServerTrigger } from '../../nodes/WaServerTrigger/WaServerTrigger.node';
import { WhatsAppCloudTrigger } from '../../nodes/WhatsAppCloudTrigger/WhatsAppCloudTrigger.node';
import { WhatsAppSend } from '../../nodes/WhatsAppSend/WhatsAppSend.node';
import { SandboxGateway } from '../../sandbox/gateway';
import { fixtureBytes } from '../helpers/fixtures';
import { MEDIA_FILES, mediaFixture, mediaKeyOf, pick } from '../helpers/media';
import { withSignedTimeNow } from '../helpers/signed-time';
import { executeContext, webhookContext, type Parameters, type WebhookRequestInit } from './fakes';

const SECRET = 'n8n-media-secret';
const KEYS = { waha: 'n8n-media-waha-key-Q1', waserver: 'n8n-media-waserver-key-Q1', cloudapi: 'n8n-media-cloud-token-Q1' };
const sandbox = new SandboxGateway({
  credentials: { waha: { apiKey: KEYS.waha }, waserver: { apiKey: KEYS.waserver }, cloudapi: { accessToken: KEYS.cloudapi, phoneNumberId: '106540352242922' } },
});
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => {
  sandbox.reset();
  clearReceivers();
});

const TRIGGERS: Partial<Record<ProviderName, INodeType>> = { waha: new WahaTrigger(), waserver: new WaServerTrigger(), cloudapi: new WhatsAppCloudTrigger() };
const FILES = pick(MEDIA_FILES, ['waha', 'waserver', 'cloudapi']);

function credentialsOf(provider: ProviderName, baseUrl = sandbox.baseUrlFor(provider)): Record<string, string> {
  if (provider === 'cloudapi') return { webhookSecret: SECRET, baseUrl, accessToken: KEYS.cloudapi, verifyToken: 'v' };
  return { webhookSecret: SECRET, baseUrl, apiKey: KEYS[provider as 'waha' | 'waserver'] };
}

/** A fixture as its gateway would deliver it, signed. */
function delivery(provider: ProviderName, file: string): WebhookRequestInit {
  const nowMs = Date.now();
  const body = withSignedTimeNow(providers[provider], JSON.parse(fixtureBytes(provider, file).toString('utf8')), nowMs);
  const rawBody = Buffer.from(JSON.stringify(body));
  const { headers, query } = providers[provider].sign({ body: rawBody, secret: SECRET, nowMs });
  const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
  return { rawBody, headers: { 'content-type': 'application/json', ...lower }, query };
}

async function trigger(provider: ProviderName, file: string, parameters: Parameters, credentials = credentialsOf(provider)) {
  const { ctx, response } = webhookContext({ nodeType: TRIGGERS[provider]!, parameters, credentials, request: delivery(provider, file) });
  const result = (await TRIGGERS[provider]!.webhook!.call(ctx)) as IWebhookResponseData;
  return { response, answer: JSON.parse(response.body ?? 'null'), items: (result.workflowData?.[0] ?? []) as INodeExecutionData[] };
}

const bytesOf = (item: INodeExecutionData, property = 'data') => Buffer.from(item.binary![property].data, 'base64');

describe('the triggers: Download Media', () => {
  it('is a trigger setting of every gateway whose API can give files, off by default, 16 MB, into "data"', () => {
    for (const nodeType of Object.values(TRIGGERS)) {
      const byName = Object.fromEntries(nodeType.description.properties.map((p) => [p.name, p.default]));
      expect([byName.downloadMedia, byName.maxMediaMb, byName.binaryProperty]).toEqual([false, 16, 'data']);
    }
  });

  describe.each(Object.keys(FILES) as (keyof typeof FILES)[])('%s', (provider) => {
    it("on: the voice note's bytes are the item's binary data, with its type, name and size", async () => {
      const { answer, items } = await trigger(provider, FILES[provider].voice, { downloadMedia: true });
      expect(answer).toMatchObject({ ok: true, emitted: 1 });
      const event = items[0].json as unknown as NormalizedEvent;
      const served = sandbox.deliveries.find((d) => d.operation === 'downloadMedia')!;
      expect(bytesOf(items[0]).equals(sandboxMediaBytes(served.messageId!))).toBe(true);
      expect(items[0].binary!.data).toMatchObject({ mimeType: event.message!.media!.mimeType, bytes: bytesOf(items[0]).length });
      expect(items[0].binary!.data.fileName).toMatch(/\.\w+$/);
      expect(event.message!.media!.error).toBeUndefined();
    });

    it('a document keeps its file name; another binary property can be named', async () => {
      const { items } = await trigger(provider, FILES[provider].document, { downloadMedia: true, binaryProperty: 'file' });
      const event = items[0].json as unknown as NormalizedEvent;
      expect(items[0].binary!.file.fileName).toBe(event.message!.media!.fileName);
      expect(items[0].binary!.data).toBeUndefined();
    });

    it('a file that is gone still starts the workflow, media.error saying why, no key anywhere', async () => {
      const key = mediaKeyOf(provider, mediaFixture(provider, FILES[provider].voice));
      sandbox.mediaOf(provider)[key] = null;
      const { answer, items } = await trigger(provider, FILES[provider].voice, { downloadMedia: true });
      expect(answer).toMatchObject({ ok: true, emitted: 1 });
      expect(items).toHaveLength(1);
      expect(items[0].binary).toBeUndefined();
      expect((items[0].json as unknown as NormalizedEvent).message!.media!.error).toEqual(expect.any(String));
      for (const secret of Object.values(KEYS)) expect(JSON.stringify(items)).not.toContain(secret);
    });
  });

  it('a file above the maximum size: the event comes without it, media.error saying so', async () => {
    sandbox.mediaOf('waha')[mediaKeyOf('waha', mediaFixture('waha', FILES.waha.voice))] = { data: Buffer.alloc(3 * 1024 * 1024), mimeType: 'audio/ogg' };
    const { items } = await trigger('waha', FILES.waha.voice, { downloadMedia: true, maxMediaMb: 1 });
    expect((items[0].json as unknown as NormalizedEvent).message!.media!.error).toMatch(/limit of 1 MB|the limit is 1 MB/);
  });

  it('a wrong API key: the event comes, media.error says the gateway refused, without the key', async () => {
    const { items } = await trigger('waha', FILES.waha.voice, { downloadMedia: true }, { ...credentialsOf('waha'), apiKey: 'wrong-key-n8n-7' });
    const error = (items[0].json as unknown as NormalizedEvent).message!.media!.error!;
    expect(error).toMatch(/refused the download .* \(401\)/);
    expect(JSON.stringify(items)).not.toContain('wrong-key-n8n-7');
  });

  it('off (the default): no download, no binary', async () => {
    const { items } = await trigger('waha', FILES.waha.voice, {});
    expect(items[0].binary).toBeUndefined();
    expect(sandbox.requests).toEqual([]);
  });

  it('the gateway has its answer before the download starts', async () => {
    let answeredFirst: boolean | null = null;
    let response: { body?: string } = {};
    const server = createServer((_req, res) => {
      answeredFirst = response.body !== undefined;
      res.writeHead(200, { 'content-type': 'audio/ogg' }).end(Buffer.from('voice'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const context = webhookContext({
        nodeType: TRIGGERS.waha!,
        parameters: { downloadMedia: true },
        credentials: credentialsOf('waha', url),
        request: delivery('waha', FILES.waha.voice),
      });
      response = context.response;
      const result = (await TRIGGERS.waha!.webhook!.call(context.ctx)) as IWebhookResponseData;
      expect(answeredFirst).toBe(true);
      expect(bytesOf(result.workflowData![0][0]).toString()).toBe('voice');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('WhatsApp Send: Download Media', () => {
  const node = new WhatsAppSend();
  const run = (
    provider: ProviderName,
    items: INodeExecutionData[],
    more: { continueOnFail?: boolean; credentialRequests?: string[]; parameters?: Parameters } = {},
  ) =>
    node.execute.call(
      executeContext({
        nodeType: node,
        parameters: { provider, operation: 'downloadMedia', ...more.parameters },
        items,
        credentials: credentialsOf(provider),
        continueOnFail: more.continueOnFail,
        credentialRequests: more.credentialRequests,
      }),
    );

  it('attaches the file of the event in the item as binary data; the JSON goes on unchanged', async () => {
    const event = mediaFixture('waha', FILES.waha.document);
    const [[item]] = await run('waha', [{ json: event as never }]);
    expect(item.json).toEqual(event);
    expect(item.binary!.data.fileName).toBe('invoice-januari.pdf');
    expect(bytesOf(item).equals(sandboxMediaBytes(mediaKeyOf('waha', event)))).toBe(true);
  });

  it('wa-server (which cannot send) asks for its credential for downloads', async () => {
    const requests: string[] = [];
    const event = mediaFixture('waserver', FILES.waserver.voice);
    const [[item]] = await run('waserver', [{ json: event as never }], { credentialRequests: requests });
    expect(requests).toEqual(['waServerApi']);
    expect(bytesOf(item).length).toBeGreaterThan(0);
  });

  it('an item that is not an event, or a message without media, fails with a clear error', async () => {
    await expect(run('waha', [{ json: { hello: 'world' } }])).rejects.toThrow('is not a normalized WhatsApp event');
    const text = mediaFixture('waha', FILES.waha.voice);
    delete text.message!.media;
    await expect(run('waha', [{ json: text as never }])).rejects.toThrow('There is no media to download');
  });

  it('continueOnFail: a file that is gone is an error item with the status, no key', async () => {
    const event = mediaFixture('waha', FILES.waha.voice);
    sandbox.mediaOf('waha')[mediaKeyOf('waha', event)] = null;
    const [[item]] = await run('waha', [{ json: event as never }], { continueOnFail: true });
    expect(item.json.error).toMatchObject({ provider: 'waha', status: 404 });
    expect(JSON.stringify(item.json)).not.toContain(KEYS.waha);
  });
});
