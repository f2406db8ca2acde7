/**
 * Every provider in the registry, checked the same way: a new provider passes this or fails loudly.
 * - its fixtures normalize to valid events, and every sample it names exists and normalizes to its event;
 * - verification accepts what its own `sign` produces and refuses a tampered body;
 * - every declared capability works against the sandbox; every undeclared one is refused with
 *   "<Gateway> does not support <operation>" before any request;
 * - every field it declares appears in both engines' UI (n8n credential or trigger options, the
 *   Node-RED gateway editor's data);
 * - adding it took its folder, one registry line and the thin n8n trigger and credential files.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { sampleBody } from '../../cli/samples';
import { normalizedEventSchema, type CanonicalEvent } from '../../core/event/schema';
import { PROVIDER_LIST } from '../../core/providers';
import { OPERATIONS, type Operation, type Provider } from '../../core/providers/types';
import { createClient, MEDIA_KINDS, mediaOperationOf, storedNameOf, type ClientConfig } from '../../core/send';
import { isRegistered, registerWebhook } from '../../core/send/registration';
import { editorData } from '../../nodered/editor/resources';
import { credentialProperties } from '../../nodes/shared/credentials';
import { triggerProperties } from '../../nodes/shared/trigger-description';
import { SandboxGateway } from '../../sandbox/gateway';
import { downloadMedia } from '../../core/media/download';
import { fixtureFiles, normalizeFixture } from '../helpers/fixtures';
import { mediaFixtures } from '../helpers/media';

const root = join(__dirname, '..', '..');
const sandbox = new SandboxGateway();
/** A file the gateways download for URL media sends (every provider takes URLs). */
const FILE = randomBytes(2048);
const FILE_SHA256 = createHash('sha256').update(FILE).digest('hex');
const files = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(FILE));
let fileUrl = '';
beforeAll(async () => {
  await sandbox.start();
  await new Promise<void>((resolve) => files.listen(0, '127.0.0.1', resolve));
  fileUrl = `http://127.0.0.1:${(files.address() as AddressInfo).port}/file.png`;
});
afterAll(async () => {
  await sandbox.stop();
  await new Promise((resolve) => files.close(resolve));
});
beforeEach(() => sandbox.reset());

const noRetry = { retries: 0, timeoutMs: 5000 };
const MESSAGE = { chatId: '6281234567890@c.us', messageIds: ['false_6281234567890@c.us_AAA'] };

/** Each configuration the sandbox plays for a provider (open-wa: v5 and v4). */
function configurations(provider: Provider): ClientConfig[] {
  return provider.sandbox.variants.map((variant) => ({ ...sandbox.configFor(provider.name as never, variant.config.apiVersion ?? 'v5'), http: noRetry }));
}

/** Performs one operation against the sandbox, the way the engines do. */
async function perform(provider: Provider, config: ClientConfig, operation: Operation): Promise<void> {
  const client = createClient(provider.name, config);
  if (operation === 'sendText') await client.sendText({ chatId: MESSAGE.chatId, text: 'conformance', replyTo: MESSAGE.messageIds[0] });
  if (operation === 'markRead') await client.markRead(MESSAGE);
  const kind = MEDIA_KINDS.find((candidate) => mediaOperationOf(candidate) === operation);
  if (kind) {
    await client.sendMedia({
      chatId: MESSAGE.chatId,
      kind,
      file: { url: fileUrl, mimetype: 'image/png' },
      caption: 'a caption',
      replyTo: MESSAGE.messageIds[0],
    });
    expect(sandbox.deliveries.at(-1)?.media?.sha256).toBe(FILE_SHA256);
  }
  if (operation === 'sendLocation') await client.sendLocation({ chatId: MESSAGE.chatId, latitude: -6.1754, longitude: 106.8272, name: 'Monas' });
  if (operation === 'react') {
    await client.react({ chatId: MESSAGE.chatId, messageId: MESSAGE.messageIds[0], emoji: '👍' });
    expect(sandbox.deliveries.at(-1)?.reaction).toBe('👍');
  }
  if (operation === 'typing') {
    const input = { chatId: MESSAGE.chatId, kind: 'typing' as const, durationMs: 5, messageId: MESSAGE.messageIds[0] };
    await client.startTyping(input);
    await client.stopTyping(input);
  }
  if (operation === 'registerWebhook') {
    const url = 'http://127.0.0.1:5678/webhook/conformance';
    await registerWebhook(client, { url, events: ['message'], includeOwnMessages: false, secret: 's3cret' }, null);
    expect(await isRegistered(client, url, null)).toBe(true);
  }
  if (operation === 'resolveLid') {
    // The sandbox's state holds the LIDs it knows (LID → phone JID).
    const [lid, pn] = Object.entries((sandbox.stateOf(provider.name as never).lids ?? {}) as Record<string, string>)[0] ?? ['1@lid', ''];
    expect(await client.resolveLid({ lid })).toBe(pn.split('@')[0]);
    expect(await client.resolveLid({ lid: '1@lid' })).toBeNull();
  }
  if (operation === 'downloadMedia') {
    const [fixture] = mediaFixtures(provider.name as never, sandbox);
    expect(fixture).toBeDefined();
    const file = await downloadMedia(provider, config, fixture.event);
    expect(file.size).toBeGreaterThan(0);
  }
}

describe.each(PROVIDER_LIST.map((provider) => [provider.name, provider] as const))('%s', (_name, provider) => {
  it('fixtures normalize to valid events; each sample normalizes to its event', () => {
    const files = fixtureFiles(provider.samples.folder as never);
    expect(files.length).toBeGreaterThan(0);
    for (const [event, file] of Object.entries(provider.samples.files)) {
      expect([event, files.includes(file!)]).toEqual([event, true]);
      const events = provider.normalize(sampleBody(provider, event as CanonicalEvent)!, { receivedAtMs: Date.now(), bodyDigest: 'x' });
      expect([event, events.some((e) => e.event === event)]).toEqual([event, true]);
    }
    if (provider.samples.folder === provider.name) {
      for (const file of files) for (const event of normalizeFixture(provider as never, file)) normalizedEventSchema.parse(event);
    }
  });

  it('verification accepts a request its gateway signs and refuses a tampered one', () => {
    const body = Buffer.from(JSON.stringify(sampleBody(provider, 'message') ?? sampleBody(provider, 'session.status')));
    const secret = 'conformance-secret';
    const nowMs = Date.now();
    const signed = provider.sign({ body, secret, nowMs });
    const request = (raw: Buffer) => ({
      method: 'POST',
      headers: Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v])),
      query: signed.query,
      rawBody: raw,
    });
    expect(provider.verify({ request: request(body), rawBody: body, nowMs, options: { secret } })).toEqual({ ok: true });
    const wrongSecret = provider.verify({ request: request(body), rawBody: body, nowMs, options: { secret: 'another-secret' } });
    expect(wrongSecret.ok).toBe(false);
    if (!wrongSecret.ok) expect(wrongSecret.error).not.toContain(secret);
  });

  it('every declared capability works against the sandbox; every other one is refused by name, before any request', async () => {
    for (const config of configurations(provider)) {
      const declared = provider.api.capabilities(config);
      for (const operation of OPERATIONS) {
        sandbox.reset();
        if (declared.includes(operation)) {
          await perform(provider, config, operation);
          expect([operation, sandbox.deliveries.length > 0]).toEqual([operation, true]);
        } else {
          await expect(perform(provider, config, operation)).rejects.toThrow(`${provider.displayName} does not support `);
          expect([operation, sandbox.requests]).toEqual([operation, []]);
        }
      }
    }
    // A gateway with no API at all is refused the same way.
    if (provider.sandbox.variants.length === 0) {
      for (const operation of OPERATIONS) await expect(perform(provider, {}, operation)).rejects.toThrow(`${provider.displayName} does not support `);
    }
  });

  it('every declared capability is offered somewhere: anyCapabilities is the union of its configurations', () => {
    const union = new Set([...configurations(provider), {}].flatMap((config) => provider.api.capabilities(config)));
    expect([...union].sort()).toEqual([...provider.api.anyCapabilities].sort());
  });

  it("every field appears in both engines' UI", () => {
    const n8n = [...credentialProperties(provider), ...(triggerProperties(provider).find((p) => p.name === 'options')?.options ?? [])].map((p) => p.name);
    const nodeRed = editorData()
      .providers.find((p) => p.name === provider.name)!
      .fields.map((f) => f.name);
    for (const field of provider.fields) {
      expect([field.key, n8n.includes(storedNameOf(field, 'n8n'))]).toEqual([field.key, true]);
      expect([field.key, nodeRed.includes(storedNameOf(field, 'nodeRed'))]).toEqual([field.key, true]);
    }
  });

  it('needs only its folder, one registry line and the thin n8n trigger and credential files', () => {
    expect(existsSync(join(root, 'core', 'providers', provider.name, 'index.ts'))).toBe(true);
    const registry = readFileSync(join(root, 'core', 'providers', 'index.ts'), 'utf8');
    expect(registry.match(new RegExp(`\\b${provider.name}Provider\\b`, 'g'))?.length).toBe(2); // its import and its place in the list
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const trigger = pkg.n8n.nodes.find((path: string) =>
      readFileSync(join(root, path.replace(/^dist\//, '').replace(/\.js$/, '.ts')), 'utf8').includes(`core/providers/${provider.name}'`),
    );
    const credential = pkg.n8n.credentials.find((path: string) =>
      readFileSync(join(root, path.replace(/^dist\//, '').replace(/\.js$/, '.ts')), 'utf8').includes(`core/providers/${provider.name}'`),
    );
    expect([trigger !== undefined, credential !== undefined]).toEqual([true, true]);
    // Nothing outside the provider's folder, its two n8n files and the registry names it.
    const engineFiles = [
      'nodes/shared/trigger-webhook.ts',
      'nodes/shared/trigger-description.ts',
      'nodes/shared/registration.ts',
      'nodes/shared/credentials.ts',
      'nodes/WhatsAppSend/WhatsAppSend.node.ts',
      'nodes/WhatsAppRouter/WhatsAppRouter.node.ts',
      'nodered/whatsapp-in.ts',
      'nodered/whatsapp-send.ts',
      'nodered/whatsapp-gateway.ts',
      'nodered/shared/options.ts',
      'nodered/editor/resources.ts',
      'sandbox/gateway.ts',
      'cli/waflow.ts',
      'cli/samples.ts',
      'core/send/index.ts',
      'core/event/schema.ts',
    ];
    for (const file of engineFiles) {
      const text = readFileSync(join(root, file), 'utf8');
      expect([file, new RegExp(`['"\`]${provider.name}['"\`]`).test(text)]).toEqual([file, false]);
    }
  });
});
