/**
 * Rich replies (issue 12, out) in a real n8n, 1.123 on Node 22 and 2.40 on Node 24: one signed
 * message starts a workflow whose trigger fans out to WhatsApp Send nodes: an image from a URL with
 * a caption (quoted), a reaction, a text after "typing…", and, through n8n's HTTP Request node
 * (a file response: binary data), an image and a voice note from binary data. Checked at the
 * sandbox gateway: the bytes it received (sha256 equal), caption, quote, reaction, and that the
 * typing indicator came before the message and at least the configured time earlier. WAHA,
 * Evolution API and open-wa v4.
 *
 * WAFLOW_N8N_LINES=1,2 (default both); WAFLOW_N8N_LOG=1 prints n8n's log at the end.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshSample } from '../../../cli/fresh-sample';
import { sampleBody } from '../../../cli/samples';
import { providers, type ProviderName } from '../../../core';
import { activate, createCredential, installN8n, PACKAGE, startN8n, until, type N8nInstance, type N8nLine } from '../../../demo/n8n/instance';
import { forGateway, TRIGGERS, webhookUrlOf } from '../../../demo/n8n/workflows';
import { SandboxGateway } from '../../../sandbox/gateway';

const SECRET = 'media-engine-secret';
const LINES = (process.env.WAFLOW_N8N_LINES ?? '1,2').split(',').map((line) => Number(line.trim()) as N8nLine);
const TYPING_MS = 400;
const IMAGE = randomBytes(40_000);
const VOICE = randomBytes(15_000);
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

const GATEWAYS: Array<{ name: string; provider: ProviderName; apiVersion: 'v4' | 'v5'; typing: RegExp }> = [
  { name: 'WAHA', provider: 'waha', apiVersion: 'v5', typing: /^startTyping$/ },
  { name: 'Evolution API', provider: 'evolution', apiVersion: 'v5', typing: /^sendPresence:composing$/ },
  { name: 'open-wa v4', provider: 'openwa', apiVersion: 'v4', typing: /^simulateTyping:on$/ },
];

const files = createServer((req, res) => {
  const voice = req.url === '/voice.ogg';
  res.writeHead(200, { 'content-type': voice ? 'audio/ogg' : 'image/jpeg' }).end(voice ? VOICE : IMAGE);
});
let filesUrl = '';
const sandbox = new SandboxGateway();

beforeAll(async () => {
  await sandbox.start();
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  filesUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await sandbox.stop();
  await new Promise((resolve) => files.close(resolve));
});

const SEND = `${PACKAGE}.whatsAppSend`;

/** trigger → five WhatsApp Send branches, two of them after an HTTP Request that downloads the file as binary data. */
function workflowFor(provider: ProviderName, webhookId: string, credential: { id: string; name: string }) {
  const credentialType = TRIGGERS[provider].credential;
  const node = (name: string, type: string, parameters: Record<string, unknown>, y: number, x = 400) => ({
    id: randomUUID(),
    name,
    type,
    typeVersion: type === SEND || type === TRIGGERS[provider].type ? 1 : 4.2,
    position: [x, y],
    parameters,
    ...(type === SEND || type === TRIGGERS[provider].type ? { credentials: { [credentialType]: credential } } : {}),
  });
  const send = (name: string, parameters: Record<string, unknown>, y: number, x = 400) => node(name, SEND, { provider, ...parameters }, y, x);
  const download = (name: string, path: string, y: number) =>
    node(
      name,
      'n8n-nodes-base.httpRequest',
      { url: `${filesUrl}${path}`, options: { response: { response: { responseFormat: 'file', outputPropertyName: 'data' } } } },
      y,
    );
  // After HTTP Request the item is the file: the chat comes from the trigger's item (paired), by expression.
  const toTriggerChat = { replyTo: 'chatId', chatId: "={{ $('Trigger').item.json.message.chat.id }}" };
  const nodes = [
    { ...node('Trigger', TRIGGERS[provider].type, provider === 'evolution' || provider === 'waha' ? { registerWebhook: false } : {}, 0, 0), webhookId },
    send('Image URL', { operation: 'sendImage', mediaSource: 'url', mediaUrl: `${filesUrl}/photo.jpg`, caption: 'For {{name}}' }, 0),
    send('React', { operation: 'react', emoji: '❤️' }, 150),
    send('Typed', { operation: 'sendText', text: 'typed for you', typing: 'fixed', typingMs: TYPING_MS }, 300),
    download('Download Image', '/photo.jpg', 450),
    send('Image Binary', { operation: 'sendImage', mediaSource: 'binary', binaryPropertyName: 'data', caption: 'from binary', ...toTriggerChat }, 450, 700),
    download('Download Voice', '/voice.ogg', 600),
    send('Voice Binary', { operation: 'sendVoice', mediaSource: 'binary', binaryPropertyName: 'data', ...toTriggerChat }, 600, 700),
  ];
  const to = (...targets: string[]) => ({ main: [targets.map((target) => ({ node: target, type: 'main', index: 0 }))] });
  return {
    name: `rich replies ${provider}`,
    settings: { saveDataSuccessExecution: 'all', executionOrder: 'v1' },
    nodes,
    connections: {
      Trigger: to('Image URL', 'React', 'Typed', 'Download Image', 'Download Voice'),
      'Download Image': to('Image Binary'),
      'Download Voice': to('Voice Binary'),
    },
  };
}

describe.each(LINES)('n8n line %s: rich replies at the sandbox', (line) => {
  let n8n: N8nInstance;

  beforeAll(async () => {
    n8n = await startN8n(installN8n(line));
  }, 25 * 60_000);

  afterAll(async () => {
    if (process.env.WAFLOW_N8N_LOG && n8n) process.stdout.write(n8n.log());
    await n8n?.stop();
  });

  beforeEach(() => sandbox.reset());

  it.each(GATEWAYS.map((g) => [g.name, g] as const))('%s: image (URL and binary), voice (binary), reaction and typing', async (_name, gateway) => {
    const { provider, apiVersion } = gateway;
    const credential = await createCredential(n8n, TRIGGERS[provider].credential, `${provider} media`, {
      webhookSecret: SECRET,
      baseUrl: sandbox.baseUrlFor(provider, apiVersion),
      ...sandbox.credentialsOf(provider),
      ...(provider === 'openwa' ? { apiVersion: 'v4' } : {}),
    });
    const webhookId = randomUUID();
    const { id } = await n8n.api<{ id: string }>('POST', '/workflows', workflowFor(provider, webhookId, credential));
    const url = `${n8n.baseUrl}/webhook/${webhookId}/webhook`;
    await activate(n8n, id, url);

    const source =
      provider === 'openwa'
        ? JSON.parse(
            require('node:fs').readFileSync(
              require('node:path').join(__dirname, '..', '..', '..', 'core', 'providers', 'openwa', 'fixtures', 'spec-v4-onMessage-text.json'),
              'utf8',
            ),
          )
        : sampleBody(providers[provider], 'message')!;
    const body = Buffer.from(JSON.stringify(freshSample(source, Date.now())));
    const [event] = providers[provider].normalize(JSON.parse(body.toString()), { receivedAtMs: Date.now(), bodyDigest: '-' });
    const { headers, query } = providers[provider].sign({ body, secret: SECRET, nowMs: Date.now() });
    const target = new URL(url);
    for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
    const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect(res.status).toBe(200);

    const mine = () => sandbox.deliveries.filter((d) => d.provider === provider);
    await until('five deliveries (and the typing calls)', 90_000, async () =>
      mine().filter((d) => d.media || d.reaction || d.text === 'typed for you').length >= 5 ? true : undefined,
    ).catch(async (error: Error) => {
      // What n8n says went wrong, node by node, so a failure here says why.
      const page = await n8n.api<{
        data: Array<{
          status: string;
          data?: { resultData?: { error?: { message?: string }; runData?: Record<string, Array<{ error?: { message?: string; description?: string } }>> } };
        }>;
      }>('GET', `/executions?workflowId=${id}&includeData=true&limit=5`);
      const why = page.data.map((execution) => ({
        status: execution.status,
        error: execution.data?.resultData?.error?.message,
        nodes: Object.fromEntries(Object.entries(execution.data?.resultData?.runData ?? {}).map(([name, runs]) => [name, runs[0]?.error?.message ?? 'ok'])),
      }));
      throw new Error(`${error.message}\nexecutions: ${JSON.stringify(why)}\nsandbox: ${JSON.stringify(mine().map((d) => d.operation))}`);
    });
    const deliveries = mine();
    const media = deliveries.filter((d) => d.media);
    const fromUrl = media.find((d) => d.media!.url);
    expect(fromUrl).toEqual(expect.objectContaining({ text: expect.stringMatching(/^For /), replyTo: event.message!.id }));
    expect(fromUrl!.media!.sha256).toBe(sha256(IMAGE));
    const binaryImage = media.find((d) => d.text === 'from binary');
    expect(binaryImage?.media).toEqual(expect.objectContaining({ sha256: sha256(IMAGE), url: null }));
    expect(binaryImage?.chatId.replace(/@.*/, '')).toBe(event.message!.chat.id.replace(/@.*/, ''));
    expect(media.filter((d) => d.media!.sha256 === sha256(VOICE))).toHaveLength(1);

    const reaction = deliveries.find((d) => d.reaction);
    expect([reaction?.reaction, reaction?.replyTo]).toEqual(['❤️', event.message!.id]);

    const typed = deliveries.find((d) => d.text === 'typed for you')!;
    const typing = deliveries.find((d) => gateway.typing.test(d.operation));
    expect(typing).toBeDefined();
    expect(deliveries.indexOf(typing!)).toBeLessThan(deliveries.indexOf(typed));
    expect(typed.at! - typing!.at!).toBeGreaterThanOrEqual(TYPING_MS);
    await n8n.api('POST', `/workflows/${id}/deactivate`);
  });

  it('the shipped media-reply example (WAHA): a 👍 reaction, then the photo with its caption after typing, quoting the message', async () => {
    const credential = await createCredential(n8n, TRIGGERS.waha.credential, 'waha media example', {
      webhookSecret: SECRET,
      baseUrl: sandbox.baseUrlFor('waha'),
      ...sandbox.credentialsOf('waha'),
    });
    const workflow = forGateway('media-reply.json', 'waha', credential, randomUUID());
    // The photo from the test's server instead of the internet; the rest as shipped.
    workflow.nodes.find((node) => node.name === 'Photo Reply')!.parameters.mediaUrl = `${filesUrl}/photo.jpg`;
    const { id } = await n8n.api<{ id: string }>('POST', '/workflows', workflow);
    const url = webhookUrlOf(n8n.baseUrl, workflow);
    await activate(n8n, id, url);
    const body = Buffer.from(JSON.stringify(freshSample(sampleBody(providers.waha, 'message')!, Date.now())));
    const [event] = providers.waha.normalize(JSON.parse(body.toString()), { receivedAtMs: Date.now(), bodyDigest: '-' });
    const { headers } = providers.waha.sign({ body, secret: SECRET, nowMs: Date.now() });
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })).status).toBe(200);
    await until('the photo at the sandbox', 60_000, async () => (sandbox.deliveries.some((d) => d.operation === 'sendImage') ? true : undefined));
    const operations = sandbox.deliveries.map((d) => d.operation);
    expect(operations).toEqual(['reaction', 'startTyping', 'stopTyping', 'sendImage']);
    const [reaction, typing, , image] = sandbox.deliveries;
    expect([reaction.reaction, reaction.replyTo]).toEqual(['👍', event.message!.id]);
    expect(image).toMatchObject({ replyTo: event.message!.id, text: expect.stringMatching(/^Here is a photo for you, /) });
    expect(image.media?.sha256).toBe(sha256(IMAGE));
    expect(image.at! - typing.at!).toBeGreaterThanOrEqual(1500);
    await n8n.api('POST', `/workflows/${id}/deactivate`);
  });
});
