/**
 * WAHA's API, as far as this package calls it, authenticated with `X-Api-Key`:
 * - `POST /api/sendText {session, chatId, text, reply_to}`, `POST /api/sendSeen {session, chatId, messageIds}`;
 * - webhooks live in the session's config: `GET /api/sessions/{name}`, then `PUT` with the whole
 *   config back (a PUT replaces it), so the session's other settings and webhooks are kept;
 * - `GET /api/{session}/lids/{lid}` answers `{lid, pn}`, `pn` the phone JID or null when the session
 *   does not know it (WAHA's LidsController; every engine implements it since 2025.5).
 * Wawp's bodies are WAHA's, but its API is not: see ../wawp/send.ts.
 */
import { callGateway, GatewayError } from '../../send/http';
import { phoneOf } from '../../jid';
import { endpoint, explainedFailure, sentMessageId } from '../../send/shared';
import type { ClientConfig, GatewayClient, GatewayWebhook } from '../../send/types';
import { gatewayEventsFor } from './webhooks';

export function createClient(config: ClientConfig): GatewayClient {
  const headers = config.apiKey ? { 'X-Api-Key': config.apiKey } : undefined;
  const call = (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, retries?: number) =>
    callGateway(
      { provider: 'waha', method, url: endpoint('waha', config.baseUrl, path), headers, body },
      { ...config.http, ...(retries === undefined ? {} : { retries }) },
    );
  return {
    provider: 'waha',
    async sendText({ chatId, text, replyTo, session }) {
      const body = { session: session || 'default', chatId, text, ...(replyTo ? { reply_to: replyTo } : {}) };
      const response = await call('POST', '/api/sendText', body);
      return { provider: 'waha', chatId, messageId: sentMessageId(response), quoted: !!replyTo, response };
    },
    async markRead({ chatId, messageIds, session }) {
      await call('POST', '/api/sendSeen', { session: session || 'default', chatId, messageIds });
    },
    async webhooks(session) {
      const name = session || 'default';
      const path = `/api/sessions/${encodeURIComponent(name)}`;
      let answer: Record<string, unknown>;
      try {
        answer = ((await call('GET', path, undefined, 0)) ?? {}) as Record<string, unknown>;
      } catch (error) {
        if (error instanceof GatewayError && error.status === 404) {
          throw new GatewayError(
            'waha',
            404,
            `WAHA has no session named "${name}": create and start it in WAHA first, or set the session to an existing one`,
            error.response,
          );
        }
        throw explainedFailure(error, `reading session "${name}"`);
      }
      const sessionConfig = (answer.config && typeof answer.config === 'object' ? answer.config : {}) as Record<string, unknown>;
      return {
        webhooks: (Array.isArray(sessionConfig.webhooks) ? sessionConfig.webhooks : []) as GatewayWebhook[],
        async write(webhooks) {
          // PUT replaces the whole config: everything else goes back as it was.
          await call('PUT', path, { name, config: { ...sessionConfig, webhooks } }, 0).catch((error: unknown) => {
            throw explainedFailure(error, `updating the webhooks of session "${name}"`);
          });
        },
      };
    },
    webhookEntry({ url, events, includeOwnMessages, secret }) {
      return { url, events: gatewayEventsFor(events, includeOwnMessages), hmac: secret ? { key: secret } : null };
    },
    async resolveLid({ lid, session }) {
      // A lookup is worth little late: one attempt, no retries.
      const answer = await call('GET', `/api/${encodeURIComponent(session || 'default')}/lids/${encodeURIComponent(lid)}`, undefined, 0);
      const pn = (answer as { pn?: unknown } | null)?.pn;
      return typeof pn === 'string' ? phoneOf(pn) : null;
    },
  };
}
