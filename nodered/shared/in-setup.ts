/**
 * What a `whatsapp in` node is, from its settings: its receiver, path and limits, or why it cannot
 * start. A pure function of the settings, so every refusal can be tested without a runtime; the
 * node itself only claims the route and reports.
 */
import { createReceiver, DEFAULT_MAX_BODY_BYTES, type Receiver } from '../../core/receive';
import { receiveOptionsOf, type GatewayNode, type InConfig } from './options';
import { normalizePath } from './routes';

export type InNodeSetup =
  { ok: true; receiver: Receiver; path: string; maxBodyBytes: number; includeRaw: boolean; warning: string | null } | { ok: false; error: string };

export function inNodeSetup(input: { httpNodeRoot: unknown; gateway: GatewayNode | null; config: InConfig }): InNodeSetup {
  if (input.httpNodeRoot === false) return { ok: false, error: 'HTTP nodes are disabled (httpNodeRoot is false in settings.js)' };
  const gateway = input.gateway;
  if (!gateway?.config) return { ok: false, error: 'No WhatsApp gateway configured: pick or add one in the node' };
  // Everything that can be wrong in the settings fails here, at deploy, not on the first request.
  try {
    const options = receiveOptionsOf(gateway.config, gateway.credentials ?? {}, input.config);
    const receiver = createReceiver(options);
    const path = normalizePath(input.config.path?.trim() || `/whatsapp/${receiver.provider.defaultPath}`);
    // Allowed (for trying things out), but anyone who finds the URL can then inject events.
    const warning = options.secret ? null : `Gateway "${gateway.name || gateway.id}" has no secret: requests to ${path} are not verified`;
    return { ok: true, receiver, path, maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, includeRaw: input.config.includeRaw !== false, warning };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
