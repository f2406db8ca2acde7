/**
 * `whatsapp media`: the file of the event in the message (`msg.event`, else `msg.payload`), fetched
 * through the gateway's API (core/media/download.ts) into a Buffer at `msg.media` (configurable),
 * with `msg.mimeType` and `msg.fileName` beside it: for flows that decide later which files they
 * want. Output 1 gets the file, output 2 the messages whose file could not be had (`msg.error`
 * says why); when output 2 is not wired, failures are raised with `done(error)` instead.
 */
import { downloadMedia, MediaDownloadError } from '../core/media/download';
import type { Provider } from '../core/providers/types';
import { clientConfigOf, clientConfigProblem, settingsOf } from '../core/send/config';
import { Limiter } from '../core/send/limiter';
import { sendErrorOf } from '../core/send/plan';
import type { ClientConfig } from '../core/send/types';
import { eventOf } from './shared/event';
import type { DoneFunction, Node, NodeAPI, NodeMessage, SendFunction } from './shared/node-red';
import { gatewayProviderOf, type GatewayNode } from './shared/options';

/** Downloads in flight per node; the rest wait their turn. */
const MAX_IN_FLIGHT = 2;

interface MediaConfig {
  gateway?: string;
  /** MB; empty for the core's default (16 MB). */
  maxMediaMb?: string | number;
  /** The message property the file goes to (default `media`). */
  mediaProperty?: string;
  wires?: string[][];
}

const short = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

export = function register(RED: NodeAPI): void {
  function WhatsappMediaNode(this: Node, config: MediaConfig & { id: string; name?: string }) {
    RED.nodes.createNode(this, config);
    const node = this;
    const failureWired = (config.wires?.[1]?.length ?? 0) > 0;
    const limiter = new Limiter(MAX_IN_FLIGHT);
    const stopping = new AbortController();
    const property = typeof config.mediaProperty === 'string' && /^[A-Za-z_$][\w$]*$/.test(config.mediaProperty.trim()) ? config.mediaProperty.trim() : 'media';
    const maxMb = Number(config.maxMediaMb);
    const maxBytes = Number.isFinite(maxMb) && maxMb > 0 ? Math.round(maxMb * 1024 * 1024) : undefined;
    let counts = { downloaded: 0, failed: 0 };

    let provider: Provider | null = null;
    let client: ClientConfig = {};
    let unusable: string | null = null;
    const gateway = config.gateway ? (RED.nodes.getNode(config.gateway) as GatewayNode | null) : null;
    try {
      if (!gateway?.config) throw new Error('No WhatsApp gateway configured: pick or add one in the node');
      provider = gatewayProviderOf(gateway.config);
      client = clientConfigOf(settingsOf(provider, 'nodeRed', { ...gateway.config, ...gateway.credentials }));
      const problem = clientConfigProblem(provider, client, 'downloadMedia', 'the gateway');
      if (problem) throw new Error(problem);
      node.status({});
    } catch (error) {
      unusable = (error as Error).message;
      node.error(unusable);
      node.status({ fill: 'red', shape: 'ring', text: short(unusable) });
    }

    function showStatus(lastError: string | null): void {
      const text = `${counts.downloaded} downloaded${counts.failed ? ` · ${counts.failed} failed` : ''}${lastError ? ` · ${lastError}` : ''}`;
      node.status({ fill: lastError ? 'red' : 'green', shape: lastError ? 'ring' : 'dot', text: short(text) });
    }

    function fail(msg: NodeMessage, error: Error, send: SendFunction, done: DoneFunction): void {
      counts = { ...counts, failed: counts.failed + 1 };
      msg.error = sendErrorOf(error, provider?.name ?? null);
      showStatus(error instanceof MediaDownloadError && error.status ? `last: HTTP ${error.status}` : 'last failed');
      send([null, msg]);
      done(failureWired ? undefined : error);
    }

    async function download(msg: NodeMessage, send: SendFunction, done: DoneFunction): Promise<void> {
      const event = eventOf(msg);
      if (!event)
        return fail(
          msg,
          new Error('The message carries no normalized WhatsApp event (msg.event or msg.payload): connect this node after a whatsapp in node'),
          send,
          done,
        );
      try {
        const file = await downloadMedia(provider!, { ...client, http: { signal: stopping.signal } }, event, { maxBytes, signal: stopping.signal });
        Object.assign(msg, { [property]: file.data, mimeType: file.mimeType, fileName: file.fileName });
      } catch (error) {
        return fail(msg, error as Error, send, done);
      }
      counts = { ...counts, downloaded: counts.downloaded + 1 };
      showStatus(null);
      send([msg, null]);
      done();
    }

    node.on('input', (msg, send, done) => {
      if (unusable) return fail(msg, new Error(unusable), send, done);
      limiter.add(
        () => download(msg, send, done),
        () => done(new Error('Not downloaded: the node was stopped (redeploy or shutdown) first')),
      );
    });

    node.on('close', (_removed, done) => {
      const closed = limiter.close();
      stopping.abort();
      closed.then(done);
    });
  }

  RED.nodes.registerType('whatsapp media', WhatsappMediaNode);
};
