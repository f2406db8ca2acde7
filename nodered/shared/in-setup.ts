/**
 * What a `whatsapp in` node is, from its settings: its receiver, path and limits, or why it cannot
 * start. A pure function of the settings, so every refusal can be tested without a runtime; the
 * node itself only claims the route and reports.
 */
import { burstOptionsOf, type BurstOptions } from '../../core/burst';
import { createLidResolver, type LidResolver } from '../../core/lid/resolve';
import { createMediaDownloader, type MediaDownloader } from '../../core/media/download';
import { createReceiver, DEFAULT_MAX_BODY_BYTES, type Receiver } from '../../core/receive';
import { withSharedDedupe } from '../../core/store/open';
import type { Stores } from '../../core/store/types';
import { UnsupportedOperationError } from '../../core/send/capabilities';
import { clientConfigOf, clientConfigProblem, optionalPositiveNumber, settingsOf } from '../../core/send/config';
import { DEFAULT_FLOW_TIMEOUT_SECONDS, gatewayProviderOf, receiveOptionsOf, type GatewayNode, type InConfig } from './options';
import { normalizePath } from './routes';

export type InNodeSetup =
  | {
      ok: true;
      receiver: Receiver;
      path: string;
      maxBodyBytes: number;
      includeRaw: boolean;
      /** "Answer the gateway after the flow has taken the event": how long to wait (ms); null answers at once. */
      flowTimeoutMs: number | null;
      /** Set when "Resolve LIDs to phone numbers" is on and the gateway can. */
      resolveLids: LidResolver | null;
      /** "Combine messages sent in quick succession": the burst bounds; null when off. */
      burst: BurstOptions | null;
      /** Set when "Download media" is on and the gateway can; `property` is where the file goes. */
      media: { download: MediaDownloader; property: string } | null;
      warnings: string[];
    }
  | { ok: false; error: string };

/** The resolver, or why there is none (a gateway without the operation), or what it still needs. */
function lidResolverOf(gateway: GatewayNode, warnings: string[], stores: Stores | null): LidResolver | null {
  const provider = gatewayProviderOf(gateway.config);
  const config = clientConfigOf(settingsOf(provider, 'nodeRed', { ...gateway.config, ...gateway.credentials }));
  if (!provider.api.capabilities(config).includes('resolveLid')) {
    warnings.push(`${new UnsupportedOperationError(provider, 'resolveLid', config).message}. LIDs are not resolved.`);
    return null;
  }
  // Still resolving: each event then says in its issues what the lookup needs.
  const problem = clientConfigProblem(provider, config, 'resolveLid', 'the gateway');
  if (problem) warnings.push(problem);
  return createLidResolver(provider, config, stores ? { cache: stores.lid } : {});
}

/** The downloader, or why there is none; what it still needs is said at deploy, and again in each event's media.error. */
function mediaOf(gateway: GatewayNode, config: InConfig, warnings: string[]): { download: MediaDownloader; property: string } {
  const provider = gatewayProviderOf(gateway.config);
  const client = clientConfigOf(settingsOf(provider, 'nodeRed', { ...gateway.config, ...gateway.credentials }));
  if (!provider.api.capabilities(client).includes('downloadMedia')) {
    warnings.push(`${new UnsupportedOperationError(provider, 'downloadMedia', client).message}. Files are not downloaded.`);
  } else {
    const problem = clientConfigProblem(provider, client, 'downloadMedia', 'the gateway');
    if (problem) warnings.push(problem);
  }
  const maxMb = optionalPositiveNumber(config.maxMediaMb, 'Max media size (MB)');
  const property = typeof config.mediaProperty === 'string' && config.mediaProperty.trim() !== '' ? config.mediaProperty.trim() : 'media';
  if (!/^[A-Za-z_$][\w$]*$/.test(property)) throw new Error(`Media property must be a plain message property name such as "media", got "${property}"`);
  return { download: createMediaDownloader(provider, client, maxMb ? { maxBytes: Math.round(maxMb * 1024 * 1024) } : {}), property };
}

/** `stores`: the shared store's (Redis), or null for this runtime's memory. */
export function inNodeSetup(input: { httpNodeRoot: unknown; gateway: GatewayNode | null; config: InConfig; stores?: Stores | null }): InNodeSetup {
  if (input.httpNodeRoot === false) return { ok: false, error: 'HTTP nodes are disabled (httpNodeRoot is false in settings.js)' };
  const gateway = input.gateway;
  if (!gateway?.config) return { ok: false, error: 'No WhatsApp gateway configured: pick or add one in the node' };
  // Everything that can be wrong in the settings fails here, at deploy, not on the first request.
  try {
    const options = receiveOptionsOf(gateway.config, gateway.credentials ?? {}, input.config);
    const stores = input.stores ?? null;
    const receiver = createReceiver(withSharedDedupe(options, stores));
    const path = normalizePath(input.config.path?.trim() || `/whatsapp/${receiver.provider.defaultPath}`);
    const warnings: string[] = [];
    // Allowed (for trying things out), but anyone who finds the URL can then inject events.
    if (!options.secret) warnings.push(`Gateway "${gateway.name || gateway.id}" has no secret: requests to ${path} are not verified`);
    const resolveLids = input.config.resolveLids === true ? lidResolverOf(gateway, warnings, stores) : null;
    const media = input.config.downloadMedia === true ? mediaOf(gateway, input.config, warnings) : null;
    const flowTimeout = optionalPositiveNumber(input.config.flowTimeout, 'Flow timeout (seconds)') ?? DEFAULT_FLOW_TIMEOUT_SECONDS;
    const burst =
      input.config.combine === true
        ? burstOptionsOf({ quietSeconds: input.config.combineQuiet, maxWaitSeconds: input.config.combineMaxWait, maxCount: input.config.combineMaxCount })
        : null;
    if (burst && input.config.respond === 'flowDone') {
      warnings.push('Combining messages answers the gateway at once: "answer after the flow" does not apply while it is on');
    }
    return {
      ok: true,
      receiver,
      path,
      maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
      includeRaw: input.config.includeRaw !== false,
      resolveLids,
      burst,
      media,
      flowTimeoutMs: options.delivery === 'afterFlow' ? flowTimeout * 1000 : null,
      warnings,
    };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
