/**
 * The phone number behind a LID, asked of the gateway (WAHA `GET /api/{session}/lids/{lid}`) for
 * the LID senders and direct LID chats whose phone the webhook did not carry. The engines call it
 * after the gateway has had its answer, so a slow lookup delays only the flow, and only by the
 * timeout: one attempt per LID, no retries, a few at a time, each distinct LID once per request.
 * Answers are cached (bounded, with a TTL) in the node's cache store: memory, or the shared store
 * so that every process asks the gateway once per LID. A lookup that fails leaves `phone: null` and
 * says why in the event's `issues`; a cache that fails is skipped (the gateway is asked). It never
 * throws.
 */
import type { ContactRef, NormalizedEvent } from '../event/schema';
import { canonical, isLid } from '../jid';
import type { Provider } from '../providers/types';
import { MemoryCacheStore } from '../store/memory';
import type { CacheStore } from '../store/types';
import { guardedClient } from '../send/capabilities';
import { clientConfigProblem } from '../send/config';
import { Limiter } from '../send/limiter';
import type { ClientConfig } from '../send/types';

export interface LidLookupOptions {
  /** Answers kept at most (least recently used go first). */
  maxEntries: number;
  /** How long a phone number found is kept, ms. */
  ttlMs: number;
  /** How long "the gateway does not know it" is kept, ms: shorter, as the gateway may learn it. */
  unknownTtlMs: number;
  /** Per lookup, ms. */
  timeoutMs: number;
  /** Lookups under way at once. */
  concurrency: number;
}

export const LID_LOOKUP_DEFAULTS: LidLookupOptions = {
  maxEntries: 10_000,
  ttlMs: 60 * 60_000,
  unknownTtlMs: 5 * 60_000,
  timeoutMs: 3_000,
  concurrency: 4,
};

/** Fills what it can in place; resolves when every lookup has answered or timed out. */
export type LidResolver = (events: readonly NormalizedEvent[]) => Promise<void>;

/** A contact or chat whose phone is unknown behind a LID, and where that is in the event. */
interface Target {
  event: NormalizedEvent;
  holder: { phone?: string | null };
  lid: string;
  path: string;
}

function lidOf(ref: { id: string; lid: string | null }): string | null {
  const lid = ref.lid ?? (isLid(ref.id) ? ref.id : null);
  return lid ? canonical(lid) : null;
}

function targetsOf(event: NormalizedEvent): Target[] {
  const targets: Target[] = [];
  const add = (holder: ContactRef | NonNullable<NormalizedEvent['message']>['chat'], path: string) => {
    const lid = lidOf(holder);
    if (lid && !holder.phone) targets.push({ event, holder, lid, path });
  };
  const message = event.message;
  if (message) {
    add(message.sender, 'message.sender.phone');
    if (message.chat.type === 'direct') add(message.chat, 'message.chat.phone');
  }
  if (event.reaction?.sender) add(event.reaction.sender, 'reaction.sender.phone');
  return targets;
}

type Answer = { phone: string | null } | { error: string };

/** How "the gateway does not know this LID" is cached: a phone number is never empty. */
const UNKNOWN = '';

export function createLidResolver(provider: Provider, config: ClientConfig, options: Partial<LidLookupOptions> & { cache?: CacheStore } = {}): LidResolver {
  const { cache: given, ...lookup } = options;
  const settings = { ...LID_LOOKUP_DEFAULTS, ...lookup };
  const client = guardedClient(provider, { ...config, http: { ...config.http, timeoutMs: settings.timeoutMs, retries: 0 } });
  const problem = provider.api.capabilities(config).includes('resolveLid') ? clientConfigProblem(provider, config, 'resolveLid') : null;
  const cache = given ?? new MemoryCacheStore(Date.now, settings.maxEntries);

  async function answerFor(session: string | null, lid: string): Promise<Answer> {
    const key = `${session ?? ''}\n${lid}`;
    const cached = await cache.get(key).catch(() => undefined);
    if (cached !== undefined) return { phone: cached === UNKNOWN ? null : cached };
    if (problem) return { error: problem };
    try {
      const phone = await client.resolveLid({ lid, session });
      await cache.set(key, phone ?? UNKNOWN, phone ? settings.ttlMs : settings.unknownTtlMs).catch(() => undefined);
      return { phone };
    } catch (error) {
      // Not cached: a timeout or a wrong key is not an answer about the LID.
      return { error: (error as Error).message };
    }
  }

  return async (events) => {
    const targets = events.flatMap(targetsOf);
    if (targets.length === 0) return;
    const keyOf = (target: Target) => `${target.event.session ?? ''}\n${target.lid}`;
    const distinct = [...new Map(targets.map((target) => [keyOf(target), target])).values()];
    const answers = new Map<string, Answer>();
    await Limiter.map(distinct, settings.concurrency, async (target) => {
      answers.set(keyOf(target), await answerFor(target.event.session, target.lid));
    });
    for (const target of targets) {
      const answer = answers.get(keyOf(target))!;
      if ('phone' in answer && answer.phone) {
        target.holder.phone = answer.phone;
        continue;
      }
      const why = 'error' in answer ? answer.error : `${provider.displayName} does not know the phone number of ${target.lid}`;
      target.event.issues = [...(target.event.issues ?? []), { path: target.path, message: `LID lookup failed: ${why}` }];
    }
  };
}
