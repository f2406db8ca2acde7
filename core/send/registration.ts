/**
 * Registering an engine's webhook URL at a gateway that has an API for it, over the client's
 * webhook list. The APIs replace the whole list on write, so every write is read-modify-write: the
 * gateway's other webhooks and settings are kept, and removing ours leaves the list as it was
 * before, including changes someone else made meanwhile. An entry is recognised by its URL without
 * the query (which may carry a secret that has since changed).
 */
import type { GatewayClient, WebhookTarget } from './types';

function sameTarget(a: string, b: string): boolean {
  return a.split('?')[0] === b.split('?')[0];
}

export async function isRegistered(client: GatewayClient, url: string, session: string | null): Promise<boolean> {
  const { webhooks } = await client.webhooks(session);
  return webhooks.some((webhook) => typeof webhook.url === 'string' && sameTarget(webhook.url, url));
}

/** Adds (or replaces) our entry; the others stay as they are. */
export async function registerWebhook(client: GatewayClient, target: WebhookTarget, session: string | null): Promise<void> {
  const { webhooks, write } = await client.webhooks(session);
  const others = webhooks.filter((webhook) => !sameTarget(String(webhook.url), target.url));
  await write([...others, client.webhookEntry(target)]);
}

/** Removes exactly the entries for these URLs; writes nothing when there are none. */
export async function unregisterWebhooks(client: GatewayClient, urls: readonly string[], session: string | null): Promise<void> {
  if (urls.length === 0) return;
  const { webhooks, write } = await client.webhooks(session);
  const kept = webhooks.filter((webhook) => !urls.some((url) => sameTarget(String(webhook.url), url)));
  if (kept.length !== webhooks.length) await write(kept);
}
