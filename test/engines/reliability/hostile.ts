/**
 * Hostile requests for the reliability suites (issue 11), the same mix for every engine: a seeded
 * generator, so a failure names a case that can be made again. Bodies are signed where the case is
 * about the body; multipart posts and object/array query values are about the request itself.
 */
import { gzipSync } from 'node:zlib';
import { freshSample } from '../../../cli/fresh-sample';
import { sampleBody } from '../../../cli/samples';
import type { ProviderName } from '../../../core/event/schema';
import { providers } from '../../../core/providers';

export interface HostileCase {
  kind: string;
  body: Buffer;
  /** Signed by the provider's own signing code (else posted with no signature at all). */
  signed: boolean;
  headers?: Record<string, string>;
  /** Appended to the URL's query, raw (after the signature's own query, if any). */
  query?: string;
  chunked?: boolean;
}

/** A small seeded PRNG (mulberry32): the same seed, the same cases. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The provider's documented message with fresh ids, as text. */
export const genuine = (provider: ProviderName) => JSON.stringify(freshSample(sampleBody(providers[provider], 'message')!, Date.now()));

const POISON = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},';
const BAD_UTF8 = [[0xff], [0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]];
const WRONG = [null, 0, -1, 1e308, true, '', 'x', [], [1, 'a'], {}, { a: { b: null } }];

function withWrongType(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => withWrongType(item, random));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, random() < 0.25 ? WRONG[Math.floor(random() * WRONG.length)] : withWrongType(v, random)]),
    );
  }
  return value;
}

/** The cheap kinds, drawn at random for the bulk of the requests. */
const KINDS: Array<(provider: ProviderName, random: () => number) => HostileCase> = [
  (_p, random) => ({
    kind: 'random bytes',
    signed: true,
    body: Buffer.from(Array.from({ length: Math.floor(random() * 2048) }, () => Math.floor(random() * 256))),
  }),
  (p, random) => {
    const original = Buffer.from(genuine(p));
    const at = Math.floor(random() * original.length);
    const bad = Buffer.from(BAD_UTF8[Math.floor(random() * BAD_UTF8.length)]);
    return { kind: 'invalid UTF-8', signed: true, body: Buffer.concat([original.subarray(0, at), bad, original.subarray(at)]) };
  },
  (p, random) => {
    const original = genuine(p);
    return { kind: 'truncated JSON', signed: true, body: Buffer.from(original.slice(0, Math.floor(random() * original.length))) };
  },
  (p, random) => ({ kind: 'wrong types', signed: true, body: Buffer.from(JSON.stringify(withWrongType(JSON.parse(genuine(p)), random))) }),
  (p, random) => {
    let body = genuine(p);
    const openings = [...body.matchAll(/\{/g)].map((match) => match.index!).filter(() => random() < 0.5);
    for (const at of openings.reverse()) body = `${body.slice(0, at + 1)}${POISON}${body.slice(at + 1)}`;
    return { kind: '__proto__ keys', signed: true, body: Buffer.from(body) };
  },
  (p, random) => ({ kind: 'top-level array', signed: true, body: Buffer.from(random() < 0.5 ? `[${genuine(p)}]` : '[]') }),
  (p) => ({ kind: 'duplicate keys', signed: true, body: Buffer.from(genuine(p).replace(/^\{/, '{"event":"nonsense","payload":null,')) }),
  (p) => ({ kind: 'BOM', signed: true, body: Buffer.from(`\uFEFF${genuine(p)}`) }),
  (p, random) => {
    const plain = random() < 0.5;
    return { kind: 'gzip label', signed: true, body: plain ? Buffer.from(genuine(p)) : gzipSync(genuine(p)), headers: { 'content-encoding': 'gzip' } };
  },
  (p) => {
    const boundary = 'waflowBoundary7';
    const body = `--${boundary}\r\ncontent-disposition: form-data; name="payload"\r\n\r\n${genuine(p)}\r\n--${boundary}--\r\n`;
    return { kind: 'multipart', signed: false, body: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  },
  (p) => ({ kind: 'chunked', signed: true, body: Buffer.from(genuine(p)), chunked: true }),
  (p, random) => {
    const queries = ['secret[a]=x', 'secret[]=1&secret[]=2', 'token[a][b]=1', 'x[y]=1&x[z]=2', 'secret[__proto__][polluted]=yes'];
    return { kind: 'object/array query values', signed: true, body: Buffer.from(genuine(p)), query: queries[Math.floor(random() * queries.length)] };
  },
  (p) => ({ kind: 'genuine', signed: true, body: Buffer.from(genuine(p)) }),
];

/** The expensive kinds, a fixed few per provider. */
export function heavyCases(provider: ProviderName): HostileCase[] {
  const big = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":${i}`).join(',')}}`;
  return [
    ...Array.from({ length: 3 }, () => ({
      kind: '4 MB string',
      signed: true,
      body: Buffer.from(genuine(provider).replace(/^\{/, `{"big":"${'x'.repeat(4 * 1024 * 1024)}",`)),
    })),
    ...[true, false].flatMap((objects) =>
      Array.from({ length: 5 }, () => ({
        kind: '10 000-deep nesting',
        signed: true,
        body: Buffer.from(
          genuine(provider).replace(
            /^\{/,
            `{"deep":${objects ? `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}` : `${'['.repeat(10_000)}${']'.repeat(10_000)}`},`,
          ),
        ),
      })),
    ),
    ...Array.from({ length: 10 }, () => ({
      kind: '10 000-key object',
      signed: true,
      body: Buffer.from(genuine(provider).replace(/^\{/, `{"many":${big(10_000)},`)),
    })),
    { kind: '10 000-key object', signed: true, body: Buffer.from(big(10_000)) },
  ];
}

/** The i-th cheap case of a seeded run. */
export function hostileCase(provider: ProviderName, random: () => number): HostileCase {
  return KINDS[Math.floor(random() * KINDS.length)](provider, random);
}

/** What every answer must be: not a 5xx, JSON with a reason (`error`) or the counts. The problem, or null. */
export function answerProblem(status: number, text: string): string | null {
  if (status >= 500) return `${status} ${text.slice(0, 200)}`;
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text);
  } catch {
    return `${status}, not JSON: ${text.slice(0, 200)}`;
  }
  if (status >= 200 && status < 300) return body.ok === true && typeof body.emitted === 'number' ? null : `${status} without counts: ${text.slice(0, 200)}`;
  return body.ok === false && typeof body.error === 'string' && /\S/.test(body.error) ? null : `${status} without a reason: ${text.slice(0, 200)}`;
}

/**
 * Runs `task(i)` for i < count on `concurrency` workers; stops at `count` or when `deadlineMs` has
 * passed, whichever comes first. Resolves to how many ran.
 */
export async function boundedPool(count: number, concurrency: number, deadlineMs: number, task: (i: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + deadlineMs;
  let next = 0;
  const worker = async () => {
    while (next < count && Date.now() < deadline) await task(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return next;
}

/**
 * The i-th delivery of a load run: a fresh genuine WAHA message, its id added to `ids`, posted once,
 * or redelivered: 15 % while the first copy is in flight, 15 % after it was answered.
 */
export async function deliverWithRedeliveries(i: number, ids: Set<string>, post: (body: Buffer) => Promise<void>): Promise<void> {
  const body = Buffer.from(genuine('waha'));
  ids.add(providers.waha.normalize(JSON.parse(body.toString()), { receivedAtMs: 0, bodyDigest: '-' })[0].id);
  if (i % 20 < 3) await Promise.all([post(body), post(body)]);
  else if (i % 20 < 6) await post(body).then(() => post(body));
  else await post(body);
}
