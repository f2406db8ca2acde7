/**
 * The provider-independent half of normalization. A provider reads its envelope into an `Envelope`
 * and describes each of its event names with an `EventRule` (a zod schema of the payload and a
 * function from the parsed payload to the event's blocks); `normalizeWithRules` does the rest the
 * same way for every provider: schema failures become `unknown` events carrying the issues, ids and
 * timestamps are formed one way.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import type { CanonicalEvent, ContactRef, NormalizedEvent, ProviderName, SchemaIssue } from '../../event/schema';
import { boundedKey } from '../../dedupe/key';
import { firstIso } from '../../time';
import type { NormalizeContext } from '../types';

/** Ids come from the sender's body: longer ones end in a digest, so no stored id retains megabytes. */
export const MAX_EVENT_ID_LENGTH = 256;

export interface Envelope {
  provider: ProviderName;
  providerEvent: string;
  session: string | null;
  account: ContactRef | null;
  /**
   * The gateway's per-event id (WAHA `id`, open-wa v4 `id`, wa-server `request_id`), only where it
   * names one event: open-wa v5's `ctx.correlationId` is a constant per event type and is never one.
   */
  eventId: string | null;
  /** The envelope's own time, used when the event carries none. */
  timestamp: unknown;
  raw: unknown;
}

type Blocks = Pick<NormalizedEvent, 'message' | 'ack' | 'reaction' | 'revoked' | 'presence' | 'group' | 'call' | 'poll' | 'state'>;

export interface EventParts extends Blocks {
  /** Overrides the rule's canonical event, for payloads that carry either kind (WAHA presence: online vs typing). */
  event?: Exclude<CanonicalEvent, 'unknown'>;
  /** What makes this event itself, e.g. `msg:<message id>`; redeliveries must give the same key. */
  key: string;
  /** The event's own time (a message's send time) when it has one; the envelope's otherwise. */
  timestamp?: unknown;
  /** When the payload knows the connected account better than the envelope. */
  account?: ContactRef | null;
}

export interface EventRule<S extends z.ZodType = z.ZodType> {
  canonical: Exclude<CanonicalEvent, 'unknown'>;
  schema: S;
  build(payload: z.output<S>, envelope: Envelope, context: NormalizeContext): EventParts | EventParts[];
}

/** Keeps a rule's payload type tied to its schema. */
export function rule<S extends z.ZodType>(definition: EventRule<S>): EventRule {
  return definition as unknown as EventRule;
}

/**
 * A short digest of some content, for keys where the gateway's own id does not change although the
 * event does (a second edit of a message, a changed vote): the id stays stable across redeliveries,
 * which carry the same content, and differs when the content does.
 */
export function contentDigest(...parts: unknown[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
}

export function eventKeyFallback(envelope: Envelope, context: NormalizeContext): string {
  return `${envelope.providerEvent}:${envelope.eventId ?? context.bodyDigest}`;
}

export function normalizeWithRules(rules: Record<string, EventRule>, envelope: Envelope, payload: unknown, context: NormalizeContext): NormalizedEvent[] {
  const eventRule = Object.prototype.hasOwnProperty.call(rules, envelope.providerEvent) ? rules[envelope.providerEvent] : undefined;
  if (!eventRule) return [unknownEvent(envelope, context)];
  const parsed = eventRule.schema.safeParse(payload);
  if (!parsed.success) return [unknownEvent(envelope, context, issuesOf(parsed.error))];
  const parts = eventRule.build(parsed.data, envelope, context);
  return (Array.isArray(parts) ? parts : [parts]).map((part) => assemble(part.event ?? eventRule.canonical, envelope, part, context));
}

export function unknownEvent(envelope: Envelope, context: NormalizeContext, issues?: SchemaIssue[]): NormalizedEvent {
  const event = assemble('unknown', envelope, { key: eventKeyFallback(envelope, context) }, context);
  if (issues) event.issues = issues;
  return event;
}

function assemble(canonical: CanonicalEvent, envelope: Envelope, parts: EventParts, context: NormalizeContext): NormalizedEvent {
  const { key, timestamp, account, event: _override, ...blocks } = parts;
  return {
    version: 1,
    provider: envelope.provider,
    event: canonical,
    providerEvent: envelope.providerEvent,
    id: boundedKey(`${envelope.provider}:${envelope.session ?? '-'}:${key}`, MAX_EVENT_ID_LENGTH),
    session: envelope.session,
    account: account === undefined ? envelope.account : account,
    timestamp: firstIso([timestamp, envelope.timestamp], context.receivedAtMs),
    ...blocks,
    raw: envelope.raw,
  };
}

/**
 * For a body whose envelope itself is malformed (or whose normalizer failed): reported as one
 * `unknown` event with the issues, keeping whatever event name and session can still be read.
 */
export function malformedEnvelopeEvent(
  provider: ProviderName,
  body: Record<string, unknown>,
  known: { providerEvent: string | null; session: unknown },
  context: NormalizeContext,
  issues: SchemaIssue[],
): NormalizedEvent[] {
  const envelope: Envelope = {
    provider,
    providerEvent: known.providerEvent || '(none)',
    session: typeof known.session === 'string' && known.session !== '' ? known.session : null,
    account: null,
    eventId: null,
    timestamp: null,
    raw: body,
  };
  return [unknownEvent(envelope, context, issues)];
}

export function issuesOf(error: z.ZodError): SchemaIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.length ? issue.path.map(String).join('.') : '(payload)',
    message: issue.message,
  }));
}

/** The provider's own event name: every envelope here carries it in `event`; null when absent (a 400). */
export function eventNameOf(body: Record<string, unknown>): string | null {
  return typeof body.event === 'string' && body.event !== '' ? body.event : null;
}
