/**
 * Webhook registration (n8n's checkExists / create / delete) against a fake WAHA and Wawp API on
 * 127.0.0.1: the session's other settings and webhooks survive, and deactivation removes exactly
 * what activation added.
 */
import type { ICredentialType, IDataObject, IHookFunctions, INodeType } from 'n8n-workflow';
import { WahaApi } from '../../credentials/WahaApi.credentials';
import { WawpApi } from '../../credentials/WawpApi.credentials';
import { WAHA_RULES } from '../../core/providers/waha/normalize';
import { GATEWAY_EVENTS, gatewayEventsFor } from '../../core/providers/waha/webhooks';
import { WahaTrigger } from '../../nodes/WahaTrigger/WahaTrigger.node';
import { WawpTrigger } from '../../nodes/WawpTrigger/WawpTrigger.node';
import { startFakeGateway, WAHA_API_KEY, WAWP_INSTANCE, WAWP_TOKEN, type FakeGateway } from './fake-gateway';
import { hookContext, type Parameters } from './fakes';

const WEBHOOK_URL = 'http://127.0.0.1:5678/webhook/9f1c/webhook';
let gateway: FakeGateway;

beforeEach(async () => {
  gateway = await startFakeGateway();
});
afterEach(() => gateway.close());

type Method = 'checkExists' | 'create' | 'delete';

function lifecycle(nodeType: INodeType, credentialType: ICredentialType, credentials: IDataObject, parameters: Parameters = {}, staticData: IDataObject = {}) {
  const hook = hookContext({
    nodeType,
    credentialType,
    credentials: { baseUrl: gateway.url, ...credentials } as never,
    parameters,
    webhookUrl: WEBHOOK_URL,
    staticData,
  });
  const call = (method: Method) => nodeType.webhookMethods!.default![method].call(hook.ctx as IHookFunctions);
  return { ...hook, call };
}

describe('WAHA webhook registration', () => {
  const waha = (parameters: Parameters = {}, staticData: IDataObject = {}) =>
    lifecycle(new WahaTrigger(), new WahaApi(), { apiKey: WAHA_API_KEY, webhookSecret: 'hmac-key' }, parameters, staticData);

  it('adds the URL with the HMAC key and the selected events, keeping the rest of the session config', async () => {
    const { call, staticData } = waha({ events: ['message', 'message.ack'] });
    expect(await call('checkExists')).toBe(false);
    expect(await call('create')).toBe(true);

    const config = gateway.waha.default.config;
    expect(config).toMatchObject({ proxy: null, debug: false, metadata: { team: 'sales' } });
    expect(config.webhooks).toEqual([
      { url: 'https://crm.example/hook', events: ['message'] },
      { url: WEBHOOK_URL, events: ['message', 'message.ack', 'message.ack.group'], hmac: { key: 'hmac-key' } },
    ]);
    expect(staticData).toEqual({ registeredUrl: WEBHOOK_URL });
    expect(await call('checkExists')).toBe(true);
  });

  it('restores the previous webhook list on delete, keeping webhooks added meanwhile', async () => {
    const { call } = waha();
    await call('create');
    (gateway.waha.default.config.webhooks as unknown[]).push({ url: 'https://later.example/hook', events: ['*'] });
    expect(await call('delete')).toBe(true);
    expect(gateway.waha.default.config.webhooks).toEqual([
      { url: 'https://crm.example/hook', events: ['message'] },
      { url: 'https://later.example/hook', events: ['*'] },
    ]);
    expect(gateway.waha.default.config.metadata).toEqual({ team: 'sales' });
  });

  it('replaces an entry for the same URL instead of adding a second one', async () => {
    (gateway.waha.default.config.webhooks as unknown[]).push({ url: WEBHOOK_URL, events: ['session.status'] });
    const { call } = waha();
    await call('create');
    const ours = (gateway.waha.default.config.webhooks as Array<{ url: string }>).filter((w) => w.url === WEBHOOK_URL);
    expect(ours).toEqual([{ url: WEBHOOK_URL, events: ['message'], hmac: { key: 'hmac-key' } }]);
  });

  it('subscribes to message.any when own messages are kept, and to everything for unknown events', () => {
    expect(gatewayEventsFor(['message'], true)).toEqual(['message.any']);
    expect(gatewayEventsFor(['message'], false)).toEqual(['message']);
    expect(gatewayEventsFor(['message', 'unknown'], false)).toEqual(['*']);
    expect(gatewayEventsFor([], false)).toEqual(['*']);
    expect(gatewayEventsFor(['presence', 'chat.presence'], false)).toEqual(['presence.update']);
  });

  it('only subscribes to event names the core normalizes', () => {
    for (const names of Object.values(GATEWAY_EVENTS) as string[][]) {
      for (const name of names) expect(Object.keys(WAHA_RULES)).toContain(name);
    }
  });

  it('uses the session parameter and explains a missing session', async () => {
    const { call } = waha({ session: 'sales' });
    await expect(call('create')).rejects.toThrow('WAHA has no session named "sales"');
  });

  it('refuses an API URL with a user:password at activation, calling nothing and quoting no password (issue 11, defect 6)', async () => {
    const { call, requests } = lifecycle(new WahaTrigger(), new WahaApi(), { apiKey: WAHA_API_KEY, baseUrl: 'http://admin:pw-3c9e@127.0.0.1:9/' });
    const error = await call('create').catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^WAHA: The API URL contains a user name or password/);
    expect(JSON.stringify(error, Object.getOwnPropertyNames(error))).not.toContain('pw-3c9e');
    expect(requests).toEqual([]);
  });

  it('explains a refused API key', async () => {
    const { call } = lifecycle(new WahaTrigger(), new WahaApi(), { apiKey: 'wrong' });
    await expect(call('checkExists')).rejects.toThrow(/WAHA answered 401 when reading session "default"/);
  });

  it('registers nothing and calls nothing when registration is off', async () => {
    const { call, requests } = waha({ registerWebhook: false });
    expect(await call('checkExists')).toBe(true);
    expect(await call('create')).toBe(true);
    expect(await call('delete')).toBe(true);
    expect(requests).toEqual([]);
  });

  it('still removes a URL it registered after registration was turned off', async () => {
    const staticData: IDataObject = {};
    await waha({}, staticData).call('create');
    await waha({ registerWebhook: false }, staticData).call('delete');
    expect((gateway.waha.default.config.webhooks as Array<{ url: string }>).map((w) => w.url)).toEqual(['https://crm.example/hook']);
    expect(staticData).toEqual({});
  });
});

describe('Wawp webhook registration', () => {
  const wawp = (parameters: Parameters = {}, credentials: IDataObject = {}) =>
    lifecycle(new WawpTrigger(), new WawpApi(), { instanceId: WAWP_INSTANCE, accessToken: WAWP_TOKEN, webhookSecret: 's3cret', ...credentials }, parameters);

  it('adds the URL with its ?secret= token, and removes exactly that on delete', async () => {
    const { call } = wawp({ events: ['message', 'call'] });
    expect(await call('checkExists')).toBe(false);
    await call('create');
    expect(gateway.wawp.webhooks).toEqual([
      { url: 'https://crm.example/wawp', events: ['message'], is_active: 1 },
      { url: `${WEBHOOK_URL}?secret=s3cret`, events: ['message', 'call.received', 'call.accepted', 'call.rejected'], is_active: 1 },
    ]);
    expect(await call('checkExists')).toBe(true);
    await call('delete');
    expect(gateway.wawp.webhooks).toEqual([{ url: 'https://crm.example/wawp', events: ['message'], is_active: 1 }]);
  });

  it('uses the configured query parameter for the token', async () => {
    await wawp({ options: { secretQueryParam: 'token' } }).call('create');
    expect(gateway.wawp.webhooks[1].url).toBe(`${WEBHOOK_URL}?token=s3cret`);
  });

  it('tells free-tier users to paste the URL by hand', async () => {
    gateway.wawp.paid = false;
    const { call } = wawp();
    await expect(call('checkExists')).rejects.toThrow(/Wawp answered 403 .*paid plans.*turn automatic registration off.*paste the webhook URL/);
  });
});
