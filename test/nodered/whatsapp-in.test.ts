/**
 * `whatsapp in` inside Node-RED (test helper, compiled node from dist/): real HTTP requests to the
 * route it registers on RED.httpNode, the answers, the messages it sends, its status, and its routes.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { PROVIDERS, type ProviderName } from '../../core/event/schema';
import { readRawBody } from '../../nodered/shared/raw-body';
import { countRoutes, routerStack } from '../../nodered/shared/routes';
import { SandboxGateway } from '../../sandbox/gateway';
import { fixtureBytes } from '../helpers/fixtures';
import { KNOWN_LID, KNOWN_PHONE, wahaMessageFromLid } from '../helpers/lid';
import { callsOf, eventually, helper, lastStatus, ourNodes, ourNodesWithHooks, runtime, sample, sentBy, signed } from './helper';

// Node-RED's own Express (no @types/express here): only its body parsers are used, as middleware.
const express: Record<'raw' | 'text' | 'json', (options?: object) => any> = require('express');

const SECRET = 'hmac-k3y-do-not-leak';
const PATH = '/whatsapp/waha';

function gateway(provider: ProviderName = 'waha', extra: object = {}) {
  return { id: 'g1', type: 'whatsapp-gateway', name: 'gw', provider, ...extra };
}

function inNode(extra: object = {}) {
  return { id: 'in1', type: 'whatsapp in', gateway: 'g1', path: '', wires: [['out']], ...extra };
}

const OUT = { id: 'out', type: 'helper' };
const CREDENTIALS = { g1: { secret: SECRET } };

async function load(flow: object[], credentials: Record<string, object> = CREDENTIALS) {
  await helper.load(ourNodes, flow, credentials);
}

function post(path: string, body: { bytes: Buffer; headers: Record<string, string>; query: Record<string, string> }) {
  // As a string: superagent does not recognise a Buffer made inside jest's sandbox and would send it
  // JSON-encoded. Our bodies are UTF-8 JSON, so the bytes on the wire are the same.
  return request(runtime.RED.httpNode).post(path).query(body.query).set(body.headers).send(body.bytes.toString('utf8'));
}

const node = (id = 'in1') => helper.getNode(id);

beforeAll(() => helper.startServer());
afterEach(() => helper.unload());
afterAll(() => helper.stopServer());

describe('whatsapp in: accepted requests', () => {
  it('a signed request gets 200 at once, then one message with the event as payload and its name as topic', async () => {
    await load([gateway(), inNode(), OUT]);
    const received: Record<string, unknown>[] = [];
    helper.getNode('out').on('input', (msg) => received.push(msg));

    const res = await post(PATH, signed('waha', sample('waha'), SECRET));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 });

    const [msg] = await eventually(() => {
      expect(received).toHaveLength(1);
      return received;
    });
    expect(msg.topic).toBe('message');
    expect(typeof msg._msgid).toBe('string');
    expect(msg.payload).toMatchObject({ version: 1, provider: 'waha', event: 'message', message: { type: 'text' } });
    expect((msg.payload as { raw: unknown }).raw).toBeDefined();
    // The same object, not a copy: a flow that replaces msg.payload keeps the event in msg.event.
    expect(msg.event).toBe(msg.payload);
    expect(lastStatus(node())).toEqual({ fill: 'green', shape: 'dot', text: '1 event · last: message' });
  });

  it.each(PROVIDERS)('%s: listens on /whatsapp/<provider> by default and accepts its signed requests', async (provider) => {
    await load([gateway(provider), inNode(), OUT]);
    const path = `/whatsapp/${provider}`;
    expect(lastStatus(node())).toEqual({ fill: 'green', shape: 'dot', text: `listening ${path}` });
    const res = await post(path, signed(provider, sample(provider), SECRET));
    expect(res.status).toBe(200);
    expect(sentBy(node()).map((m) => [m.topic, m.payload.provider])).toEqual([['message', provider]]);
  });

  it('a redelivered body produces one message; the second answer counts the duplicate', async () => {
    await load([gateway(), inNode(), OUT]);
    const body = signed('waha', sample('waha'), SECRET);
    expect((await post(PATH, body)).body.emitted).toBe(1);
    expect((await post(PATH, body)).body).toMatchObject({ emitted: 0, duplicates: 1 });
    expect(sentBy(node())).toHaveLength(1);
  });

  it('dedupe off lets the redelivery through', async () => {
    await load([gateway(), inNode({ dedupe: false }), OUT]);
    const body = signed('waha', sample('waha'), SECRET);
    await post(PATH, body);
    await post(PATH, body);
    expect(sentBy(node())).toHaveLength(2);
  });

  it('applies the event and chat filters before the flow', async () => {
    await load([gateway(), inNode({ events: ['message.ack'] }), OUT]);
    expect((await post(PATH, signed('waha', sample('waha'), SECRET))).body).toMatchObject({ emitted: 0, filtered: 1 });
    expect((await post(PATH, signed('waha', sample('waha', 'message.ack'), SECRET))).body).toMatchObject({ emitted: 1 });
    expect(sentBy(node()).map((m) => m.topic)).toEqual(['message.ack']);

    await helper.unload();
    await load([gateway(), inNode({ ignoreGroups: true }), OUT]);
    const group = fixtureBytes('waha', 'spec-message-group.json');
    expect((await post(PATH, signed('waha', group, SECRET))).body).toMatchObject({ emitted: 0, filtered: 1 });
    expect(sentBy(node())).toHaveLength(0);
  });

  it('include raw off: the payload has no raw body', async () => {
    await load([gateway(), inNode({ includeRaw: false }), OUT]);
    await post(PATH, signed('waha', sample('waha'), SECRET));
    const [msg] = sentBy(node());
    expect(msg.payload.event).toBe('message');
    expect('raw' in msg.payload).toBe(false);
    expect(msg.event).toBe(msg.payload);
  });

  it('body parsers in httpNodeMiddleware do not get the body first', async () => {
    try {
      for (const parser of [express.json(), express.text({ type: '*/*' }), express.raw({ type: '*/*' })]) {
        helper.settings({ httpNodeMiddleware: parser });
        await load([gateway(), inNode(), OUT]);
        expect((await post(PATH, signed('waha', sample('waha'), SECRET))).status).toBe(200);
        await helper.unload();
      }
    } finally {
      helper.settings({});
    }
  });

  it.each([
    ['/', ''],
    ['/red/', '/red'],
  ])(
    'as in a stock Node-RED (httpNodeRoot %s), httpNode mounted behind an app whose JSON parser sees every request first: the raw body is still captured',
    async (httpNodeRoot, prefix) => {
      // In Node-RED with httpAdminRoot and httpNodeRoot both "/", the admin app (with its JSON body
      // parser) is mounted before httpNode on the same root app.
      try {
        helper.settings({ httpNodeRoot });
        await load([OUT]);
        const root = (express as unknown as () => any)();
        root.use(express.json());
        root.use(httpNodeRoot, runtime.RED.httpNode);
        await helper.setFlows([gateway(), inNode(), OUT], 'full', CREDENTIALS);
        const body = signed('waha', sample('waha'), SECRET);
        const res = await request(root).post(`${prefix}${PATH}`).set(body.headers).send(body.bytes.toString('utf8'));
        expect(res.status).toBe(200);
        expect(sentBy(node())).toHaveLength(1);
      } finally {
        helper.settings({});
      }
    },
  );
});

describe('readRawBody', () => {
  const consumed = (body: unknown) => ({ _body: true, body, readableEnded: true }) as never;

  it('uses a Buffer or a string some middleware left, and refuses a body parsed into an object', async () => {
    expect(await readRawBody(consumed(Buffer.from('{"a":1}')), 100)).toEqual({ ok: true, body: Buffer.from('{"a":1}') });
    expect(await readRawBody(consumed('{"a":1}'), 100)).toEqual({ ok: true, body: Buffer.from('{"a":1}') });
    expect(await readRawBody(consumed('x'.repeat(101)), 100)).toEqual({ ok: false, tooLarge: true, size: 101 });
    expect(await readRawBody(consumed({ a: 1 }), 100)).toEqual({ ok: false, tooLarge: false, error: 'raw body unavailable: signature cannot be verified' });
  });
});

describe('whatsapp in: rejected requests', () => {
  it('wrong signature: 401, no message, a warning and a rejected count, and the secret nowhere', async () => {
    await load([gateway(), inNode(), OUT]);
    const res = await post(PATH, signed('waha', sample('waha'), 'not-the-key'));
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ ok: false, status: 401 });
    expect(sentBy(node())).toHaveLength(0);
    expect(lastStatus(node())).toEqual({ fill: 'yellow', shape: 'dot', text: `listening ${PATH} · 1 rejected (last 401)` });
    const warnings = callsOf(node(), 'warn').map((args) => String(args[0]));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^Rejected a webhook from .+: 401 X-Webhook-Hmac/);

    // then a good one: the status counts both
    await post(PATH, signed('waha', sample('waha'), SECRET));
    expect(lastStatus(node())?.text).toBe('1 event · last: message · 1 rejected (last 401)');

    const everything = JSON.stringify([res.body, sentBy(node()), callsOf(node(), 'status'), callsOf(node(), 'warn'), callsOf(node(), 'log')]);
    expect(everything).not.toContain(SECRET);
  });

  it('malformed JSON (correctly signed): 400', async () => {
    await load([gateway(), inNode(), OUT]);
    const res = await post(PATH, signed('waha', Buffer.from('{"event": "message", '), SECRET));
    expect(res.status).toBe(400);
    expect(sentBy(node())).toHaveLength(0);
  });

  it('a body over the max size: 413, no message', async () => {
    await load([gateway(), inNode({ maxBodyKb: 1 }), OUT]);
    const big = { ...sample('waha'), padding: 'x'.repeat(4000) };
    const res = await post(PATH, signed('waha', big, SECRET));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/limit is 1024/);
    expect(sentBy(node())).toHaveLength(0);
  });

  it('no secret anywhere with the Wawp token in the URL', async () => {
    await load([gateway('wawp'), inNode(), OUT]);
    const res = await request(runtime.RED.httpNode)
      .post('/whatsapp/wawp')
      .query({ secret: 'wrong' })
      .set('content-type', 'application/json')
      .send(JSON.stringify(sample('wawp')));
    expect(res.status).toBe(401);
    await post('/whatsapp/wawp', signed('wawp', sample('wawp'), SECRET));
    const everything = JSON.stringify([res.body, sentBy(node()), callsOf(node(), 'status'), callsOf(node(), 'warn'), callsOf(node(), 'log')]);
    expect(sentBy(node())).toHaveLength(1);
    expect(everything).not.toContain(SECRET);
  });
});

describe('whatsapp in: configuration errors', () => {
  it('a malformed allowlist: error, red status, no route', async () => {
    await load([gateway('waha', { allowedIps: '10.0.0.0/8, not-an-ip' }), inNode(), OUT]);
    expect(callsOf(node(), 'error').map((args) => String(args[0]))).toEqual([expect.stringContaining('not-an-ip')]);
    expect(lastStatus(node())).toMatchObject({ fill: 'red', shape: 'ring' });
    expect(countRoutes(runtime.RED.httpNode, PATH)).toBe(0);
  });

  it('no gateway: error, red status', async () => {
    await load([inNode({ gateway: '' }), OUT]);
    expect(callsOf(node(), 'error').map((args) => String(args[0]))).toEqual([expect.stringContaining('No WhatsApp gateway')]);
    expect(lastStatus(node())).toMatchObject({ fill: 'red' });
  });

  it('a gateway without a secret: a warning at deploy, and requests are taken unverified', async () => {
    await load([gateway(), inNode(), OUT], {});
    expect(callsOf(node(), 'warn').map((args) => String(args[0]))).toEqual(['Gateway "gw" has no secret: requests to /whatsapp/waha are not verified']);
    expect((await post(PATH, signed('waha', sample('waha'), 'anything'))).status).toBe(200);
  });

  it('an allowlist is applied to the caller address', async () => {
    await load([gateway('waha', { allowedIps: '192.0.2.0/24' }), inNode(), OUT]);
    const res = await post(PATH, signed('waha', sample('waha'), SECRET));
    expect(res.status).toBe(403);
  });
});

describe("whatsapp in: a gateway's GET subscription check (WhatsApp Cloud API)", () => {
  const CLOUD = '/whatsapp/cloudapi';
  const credentials = { g1: { secret: SECRET, verifyToken: 'verify-token-5d2e' } };
  const challenge = (token: string) =>
    request(runtime.RED.httpNode).get(CLOUD).query({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '1158201444' });

  it('serves GET on its path: the challenge for the verify token, 403 with a warning otherwise; nothing enters the flow', async () => {
    await load([gateway('cloudapi'), inNode(), OUT], credentials);
    const ok = await challenge('verify-token-5d2e');
    expect([ok.status, ok.text, ok.headers['content-type']]).toEqual([200, '1158201444', 'text/plain; charset=utf-8']);
    const refused = await challenge('guess');
    expect([refused.status, refused.body.error]).toEqual([403, 'hub.verify_token does not match the configured Verify Token']);
    expect(callsOf(node(), 'warn').map((args) => String(args[0]))).toEqual([
      expect.stringMatching(/^Rejected a webhook from .*: 403 hub\.verify_token does not match the configured Verify Token$/),
    ]);
    expect(lastStatus(node())).toMatchObject({ fill: 'yellow', text: 'listening /whatsapp/cloudapi · 1 rejected (last 403)' });
    expect(sentBy(node())).toEqual([]);
  });

  it('a wrong App Secret shows: 401, a warning naming the check, a yellow status', async () => {
    await load([gateway('cloudapi'), inNode(), OUT], credentials);
    const res = await post(CLOUD, signed('cloudapi', sample('cloudapi'), 'not-the-app-secret'));
    expect(res.status).toBe(401);
    expect(callsOf(node(), 'warn').map((args) => String(args[0]))).toEqual([expect.stringContaining('401 X-Hub-Signature-256 does not match the body')]);
    expect(lastStatus(node())).toMatchObject({ fill: 'yellow' });
  });

  it('closing removes both of its routes; a gateway without a handshake has no GET route', async () => {
    await load([gateway('cloudapi'), inNode(), OUT], credentials);
    const app = runtime.RED.httpNode;
    expect([countRoutes(app, CLOUD, 'post'), countRoutes(app, CLOUD, 'get')]).toEqual([1, 1]);
    await helper.setFlows([gateway('cloudapi'), OUT], 'full', credentials);
    expect([countRoutes(app, CLOUD, 'post'), countRoutes(app, CLOUD, 'get')]).toEqual([0, 0]);
    await helper.setFlows([gateway(), inNode(), OUT], 'full', CREDENTIALS);
    expect([countRoutes(app, PATH, 'post'), countRoutes(app, PATH, 'get')]).toEqual([1, 0]);
  });
});

describe('whatsapp in: routes', () => {
  const routes = () =>
    helper
      .request()
      .get('/waflow/routes')
      .expect(200)
      .then((res) => res.body);

  it('a second node on the same path is refused, and gets the path once the first is gone', async () => {
    const second = inNode({ id: 'in2', path: '/Whatsapp/waha/' });
    await load([gateway(), inNode(), second, OUT]);
    expect(callsOf(node('in2'), 'error').map((args) => String(args[0]))).toEqual(['path /Whatsapp/waha is already used by node in1']);
    expect(lastStatus(node('in2'))).toMatchObject({ fill: 'red', shape: 'ring' });
    expect(await routes()).toEqual([{ nodeId: 'in1', path: PATH, routes: 1 }]);

    await helper.setFlows([gateway(), second, OUT], 'full', CREDENTIALS);
    expect(await routes()).toEqual([{ nodeId: 'in2', path: '/Whatsapp/waha', routes: 1 }]);
    expect((await post(PATH, signed('waha', sample('waha'), SECRET))).status).toBe(200);
  });

  it('closing removes exactly its own route: http in routes, even on the same path, survive', async () => {
    const httpIn = require('@node-red/nodes/core/network/21-httpin.js');
    const flow = [
      gateway(),
      inNode(),
      { id: 'h1', type: 'http in', url: PATH, method: 'get', wires: [[]] },
      { id: 'h2', type: 'http in', url: '/other', method: 'post', wires: [[]] },
      OUT,
    ];
    await helper.load([...ourNodes, httpIn], flow, CREDENTIALS);
    const app = runtime.RED.httpNode;
    const layerCount = () => routerStack(app).filter((layer) => layer.route).length;
    expect(countRoutes(app, PATH, 'post')).toBe(1);
    expect(layerCount()).toBe(3);

    await helper.setFlows(
      flow.filter((n) => n.id !== 'in1'),
      'full',
      CREDENTIALS,
    );
    expect(countRoutes(app, PATH, 'post')).toBe(0);
    expect(countRoutes(app, PATH, 'get')).toBe(1);
    expect(countRoutes(app, '/other', 'post')).toBe(1);
    expect(layerCount()).toBe(2);
    expect(await routes()).toEqual([]);
  });

  it('Evolution (Webhook by Events): the node also listens on <path>/:event, keeps one such route across redeploys and removes it when gone', async () => {
    const evolution = (extra: object = {}) => inNode({ path: '/evo', ...extra });
    await load([gateway('evolution'), evolution(), OUT]);
    for (let i = 0; i < 5; i++) await helper.setFlows([gateway('evolution'), evolution({ name: `deploy ${i}` }), OUT], 'full', CREDENTIALS);
    expect(await routes()).toEqual([{ nodeId: 'in1', path: '/evo', routes: 1, subPathRoutes: 1 }]);
    const delivery = signed('evolution', sample('evolution'), SECRET);
    expect((await post('/evo/messages-upsert', delivery)).body).toMatchObject({ ok: true, emitted: 1 });
    expect((await post('/evo/messages-upsert/extra', delivery)).status).toBe(404);

    await helper.setFlows([gateway('evolution'), OUT], 'full', CREDENTIALS);
    expect(countRoutes(runtime.RED.httpNode, '/evo/:event', 'post')).toBe(0);
    expect(await routes()).toEqual([]);
  });

  it('redeploying many times leaves one route', async () => {
    await load([gateway(), inNode(), OUT]);
    for (let i = 0; i < 10; i++) {
      await helper.setFlows([gateway(), inNode({ name: `deploy ${i}` }), OUT], 'full', CREDENTIALS);
    }
    expect(await routes()).toEqual([{ nodeId: 'in1', path: PATH, routes: 1 }]);
    expect((await post(PATH, signed('waha', sample('waha'), SECRET))).status).toBe(200);
  });
});

describe('whatsapp in: Resolve LIDs to phone numbers', () => {
  const sandbox = new SandboxGateway();
  beforeAll(() => sandbox.start());
  afterAll(() => sandbox.stop());
  beforeEach(() => sandbox.reset());
  const api = () => ({ apiUrl: sandbox.baseUrlFor('waha') });
  const credentials = () => ({ g1: { secret: SECRET, apiKey: sandbox.credentialsOf('waha').apiKey } });
  const warnings = () => callsOf(node(), 'warn').map((args) => String(args[0]));

  it('on: the message reaches the flow with the phone behind the LID; an unknown LID keeps phone null with an issue', async () => {
    await load([gateway('waha', api()), inNode({ resolveLids: true }), OUT], credentials());
    expect(warnings()).toEqual([]);
    expect((await post(PATH, signed('waha', wahaMessageFromLid(KNOWN_LID), SECRET))).body).toMatchObject({ emitted: 1 });
    expect((await post(PATH, signed('waha', wahaMessageFromLid('999@lid'), SECRET))).body).toMatchObject({ emitted: 1 });
    const [known, unknown] = await eventually(() => {
      expect(sentBy(node())).toHaveLength(2);
      return sentBy(node());
    });
    expect(known.payload.message.sender).toMatchObject({ id: KNOWN_LID, phone: KNOWN_PHONE });
    expect(known.payload.message.chat.phone).toBe(KNOWN_PHONE);
    expect(unknown.payload.message.sender.phone).toBeNull();
    expect(unknown.payload.issues[0]).toEqual({ path: 'message.sender.phone', message: 'LID lookup failed: WAHA does not know the phone number of 999@lid' });
  });

  it('off (the default): no lookup', async () => {
    await load([gateway('waha', api()), inNode(), OUT], credentials());
    await post(PATH, signed('waha', wahaMessageFromLid(KNOWN_LID), SECRET));
    const [msg] = await eventually(() => {
      expect(sentBy(node())).toHaveLength(1);
      return sentBy(node());
    });
    expect(msg.payload.message.sender.phone).toBeNull();
    expect(sandbox.requests).toEqual([]);
  });

  it('on, without the API URL: a warning at deploy, and each event says what the lookup needs', async () => {
    await load([gateway('waha'), inNode({ resolveLids: true }), OUT]);
    expect(warnings()).toEqual(['To resolve LIDs to phone numbers, set the WAHA API URL in the gateway']);
    await post(PATH, signed('waha', wahaMessageFromLid(KNOWN_LID), SECRET));
    const [msg] = await eventually(() => {
      expect(sentBy(node())).toHaveLength(1);
      return sentBy(node());
    });
    expect(msg.payload.issues[0].message).toBe('LID lookup failed: To resolve LIDs to phone numbers, set the WAHA API URL');
  });

  it('on, for a gateway that cannot: a warning at deploy, and messages still flow', async () => {
    await load([gateway('wawp'), inNode({ resolveLids: true, path: PATH }), OUT]);
    expect(warnings()).toEqual(['Wawp does not support looking up the phone number behind a LID. LIDs are not resolved.']);
    expect((await post(PATH, signed('wawp', sample('wawp'), SECRET))).status).toBe(200);
    expect(sentBy(node())).toHaveLength(1);
  });
});

describe('whatsapp in: redeploys (issue 11, defects 1 and 2)', () => {
  /** As in a stock Node-RED: httpNode behind a root app whose JSON parser sees every request first, on a real port. */
  async function stockServer() {
    await load([OUT]);
    const root = (express as unknown as () => any)();
    root.use(express.json());
    root.use('/', runtime.RED.httpNode);
    await helper.setFlows([gateway(), inNode(), OUT], 'full', CREDENTIALS);
    const server: Server = await new Promise((resolve) => {
      const s = createServer(root).listen(0, '127.0.0.1', () => resolve(s));
    });
    return { server, port: (server.address() as AddressInfo).port };
  }

  /** A request whose headers and first body bytes are sent now, the rest when `finish()` is called. */
  function partialPost(port: number, body: ReturnType<typeof signed>) {
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: PATH,
      headers: { ...body.headers, 'content-length': String(body.bytes.length) },
    });
    const reply = new Promise<{ status: number; headers: Record<string, unknown>; body: any }>((resolve, rejectReply) => {
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res.headers['content-type']?.includes('json') ? JSON.parse(text) : text });
        });
      });
      req.on('error', rejectReply);
    });
    req.write(body.bytes.subarray(0, 10));
    // The server has the headers (and so has routed the request) once the first bytes are in.
    const started = new Promise((resolve) => req.on('socket', (socket) => socket.on('connect', () => setImmediate(resolve))));
    return {
      started,
      finish() {
        req.end(body.bytes.subarray(10));
        return reply;
      },
    };
  }

  it('a request whose body is still arriving when the node closes for a redeploy: 503 with Retry-After and a JSON reason, nothing sent', async () => {
    const { server, port } = await stockServer();
    try {
      const first = node();
      const pending = partialPost(port, signed('waha', sample('waha'), SECRET));
      await pending.started;
      await (first as unknown as { close(removed: boolean): Promise<void> }).close(false);
      const res = await pending.finish();
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.body).toEqual({ ok: false, status: 503, error: expect.stringMatching(/restarting .*retry/) });
      expect(sentBy(first)).toHaveLength(0);
    } finally {
      server.close();
    }
  });

  it('a request arriving between the old node closing and the new one starting is verified by the new node, never refused with a 4xx', async () => {
    const { server, port } = await stockServer();
    try {
      await (node() as unknown as { close(removed: boolean): Promise<void> }).close(false);
      const pending = partialPost(port, signed('waha', sample('waha'), SECRET));
      await pending.started;
      await helper.setFlows([gateway(), inNode(), OUT], 'full', CREDENTIALS);
      const res = await pending.finish();
      expect([res.status, res.body]).toEqual([200, { ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 }]);
      expect(sentBy(node())).toHaveLength(1);
    } finally {
      server.close();
    }
  });

  it('a deploy stopping the flow after the event was sent but before the answer: 503, so the gateway retries rather than trusting a 200', async () => {
    await load([gateway(), inNode(), OUT]);
    const first = node() as unknown as TestNodeWithClose;
    helper.getNode('out').on('input', () => void first.close(false));
    const res = await post(PATH, signed('waha', sample('waha'), SECRET));
    expect(res.status).toBe(503);
    expect(res.body.error).toMatch(/restarting/);
  });

  it('a removed node frees its path at once: no 503 for a node that is gone', async () => {
    const { server } = await stockServer();
    try {
      await (node() as unknown as TestNodeWithClose).close(true);
      expect((await post(PATH, signed('waha', sample('waha'), SECRET))).status).toBe(404);
    } finally {
      server.close();
    }
  });

  it('a body something parsed into an object before us: 503 (our failure, retry), not 400', async () => {
    await load([gateway(), inNode(), OUT]);
    // A server that parses every body before Express (and our capture) sees the request.
    const parsedFirst = (req: any, res: unknown) => ((req._body = true), (req.body = { parsed: true }), runtime.RED.httpNode(req, res));
    const res = await request(parsedFirst).post(PATH).set('content-type', 'application/json').send('{}');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body.error).toMatch(/^raw body unavailable: signature cannot be verified; retry/);
  });
});

type TestNodeWithClose = ReturnType<typeof node> & { close(removed: boolean): Promise<void> };

describe('whatsapp in: answer after the flow has taken the event (message-completion tracking)', () => {
  /** Test nodes: `fails` calls done(error), `holds` never calls done, `legacy` has no done (forwards). */
  function testNodes(RED: any) {
    function Fails(this: any, config: object) {
      RED.nodes.createNode(this, config);
      this.on('input', (_msg: unknown, _send: unknown, done: (error?: Error) => void) => setTimeout(() => done(new Error('downstream failed')), 5));
    }
    function Holds(this: any, config: object) {
      RED.nodes.createNode(this, config);
      this.on('input', (_msg: unknown, _send: unknown, _done: unknown) => undefined);
    }
    function Legacy(this: any, config: object) {
      RED.nodes.createNode(this, config);
      this.on('input', function (this: any, msg: unknown) {
        this.send(msg);
      });
    }
    RED.nodes.registerType('fails', Fails);
    RED.nodes.registerType('holds', Holds);
    RED.nodes.registerType('legacy', Legacy);
  }
  const afterFlow = (wires: string[], extra: object = {}) => inNode({ respond: 'flowDone', flowTimeout: '0.3', wires: [wires], ...extra });
  const body = (id: string) => signed('waha', { ...sample('waha'), payload: { ...(sample('waha').payload as object), id } }, SECRET);
  const loadWith = (flow: object[]) => helper.load([...ourNodesWithHooks, testNodes], flow, CREDENTIALS);

  it('200 once the flow is done, through a node without done() fanning out to two; the retry is then a duplicate', async () => {
    await loadWith([gateway(), afterFlow(['legacy1']), { id: 'legacy1', type: 'legacy', wires: [['out', 'h2']] }, OUT, { id: 'h2', type: 'helper' }]);
    const reached: unknown[] = [];
    helper.getNode('out').on('input', (msg) => reached.push(msg));
    const res = await post(PATH, body('done-1'));
    expect([res.status, res.body]).toEqual([200, { ok: true, received: 1, emitted: 1, duplicates: 0, filtered: 0 }]);
    expect(reached).toHaveLength(1);
    expect((await post(PATH, body('done-1'))).body).toMatchObject({ emitted: 0, duplicates: 1 });
  });

  it('done(error) downstream: 500 with the node, and the retry is accepted again', async () => {
    await loadWith([gateway(), afterFlow(['f1']), { id: 'f1', type: 'fails', wires: [] }]);
    const res = await post(PATH, body('fail-1'));
    expect([res.status, res.body]).toEqual([500, { ok: false, status: 500, error: 'The flow reported an error on the event (node f1); retry' }]);
    expect((await post(PATH, body('fail-1'))).status).toBe(500);
    expect(lastStatus(node())).toMatchObject({ fill: 'yellow', text: expect.stringMatching(/2 rejected \(last 500\)$/) });
  });

  it('a node that never calls done: 503 at the timeout; a copy arriving meanwhile, 503 at once', async () => {
    await loadWith([gateway(), afterFlow(['h1']), { id: 'h1', type: 'holds', wires: [] }]);
    const first = post(PATH, body('hold-1')).then((res) => res);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const copy = await post(PATH, body('hold-1'));
    expect([copy.status, copy.body.error, copy.headers['retry-after']]).toEqual([503, 'An earlier copy of this event is still being handled; retry', '5']);
    const res = await first;
    expect([res.status, res.body.error]).toEqual([503, 'The flow did not finish with the event within 0.3 s; retry']);
  });

  it('no wires: 200 at once', async () => {
    await loadWith([gateway(), afterFlow([])]);
    expect((await post(PATH, body('nowhere-1'))).status).toBe(200);
  });

  it('a runtime without message hooks (before Node-RED 2) refuses the mode at deploy', async () => {
    await load([gateway(), afterFlow([])]);
    expect(lastStatus(node())).toMatchObject({ fill: 'red', text: expect.stringMatching(/^Answering the gateway after the flow needs Node-RED 2/) });
    expect((await post(PATH, body('nohooks-1'))).status).toBe(404);
  });
});
