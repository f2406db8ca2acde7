/**
 * A fake WAHA and Wawp API on 127.0.0.1: just the endpoints the triggers' webhook registration
 * uses, with the gateways' own semantics (WAHA's PUT replaces the whole session config; Wawp's POST
 * replaces the webhook list; Wawp's free tier refuses with 403 subscription_required).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const WAHA_API_KEY = 'waha-api-key';
export const WAWP_INSTANCE = 'ABCDEF123456';
export const WAWP_TOKEN = 'wawp-access-token';

export interface FakeGateway {
  url: string;
  /** WAHA sessions by name, as GET /api/sessions/{name} returns them. */
  waha: Record<string, { name: string; status: string; config: Record<string, unknown> }>;
  wawp: { webhooks: Array<Record<string, unknown>>; paid: boolean };
  /** Every call, e.g. `PUT /api/sessions/default`. */
  calls: string[];
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : undefined;
}

export async function startFakeGateway(): Promise<FakeGateway> {
  const gateway = {
    waha: {
      default: {
        name: 'default',
        status: 'WORKING',
        config: { proxy: null, debug: false, metadata: { team: 'sales' }, webhooks: [{ url: 'https://crm.example/hook', events: ['message'] }] },
      },
    },
    wawp: { webhooks: [{ url: 'https://crm.example/wawp', events: ['message'], is_active: 1 }], paid: true },
    calls: [] as string[],
  } as Omit<FakeGateway, 'url' | 'close'>;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    gateway.calls.push(`${req.method} ${url.pathname}`);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };

    const session = /^\/api\/sessions\/([^/]+)$/.exec(url.pathname);
    if (session || url.pathname === '/api/sessions') {
      if (req.headers['x-api-key'] !== WAHA_API_KEY) return send(401, { message: 'Unauthorized' });
      if (!session) return send(200, Object.values(gateway.waha));
      const name = decodeURIComponent(session[1]);
      const existing = gateway.waha[name];
      if (!existing) return send(404, { message: 'Session not found' });
      if (req.method === 'GET') return send(200, existing);
      if (req.method === 'PUT') {
        const body = (await bodyOf(req)) as { config?: Record<string, unknown> };
        existing.config = body.config ?? {};
        return send(200, existing);
      }
      return send(405, {});
    }

    if (url.pathname.startsWith('/v2/')) {
      if (url.searchParams.get('instance_id') !== WAWP_INSTANCE || url.searchParams.get('access_token') !== WAWP_TOKEN) {
        return send(401, { code: 'unauthorized', message: 'Invalid access token' });
      }
      if (url.pathname === '/v2/session/info') return send(200, { name: 'wawp-1', status: 'WORKING' });
      if (url.pathname === '/v2/session/webhook') {
        if (!gateway.wawp.paid) return send(403, { code: 'subscription_required', message: 'This endpoint is only available for paid subscriptions' });
        if (req.method === 'GET') return send(200, { webhooks: gateway.wawp.webhooks, systemConfig: { enabled: true } });
        if (req.method === 'POST') {
          gateway.wawp.webhooks = ((await bodyOf(req)) as { webhooks: Array<Record<string, unknown>> }).webhooks;
          return send(200, { success: true, webhooks: gateway.wawp.webhooks });
        }
      }
    }
    send(404, { message: 'Not found' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(gateway, {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
