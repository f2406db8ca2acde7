#!/usr/bin/env node
/**
 * How much the core receive step costs on top of the least any webhook handler must do.
 *
 * The floor, measured in the same run on the same bytes: `JSON.parse` of the raw body plus the
 * provider's own verification primitive (WAHA: one HMAC-SHA512 of the body; wa-server: one
 * HMAC-SHA256 of timestamp + "." + body; open-wa: one HMAC-SHA256 of the body and one constant-time
 * token compare; Wawp: one constant-time token compare). The receive step runs with verification on
 * and the default in-memory dedupe. Each figure is the median, over several alternating rounds, of
 * receive time / floor time, so it compares across machines and is not skewed by a noisy neighbour.
 *
 * Bodies: the provider's documented `message`, padded to ~1 KB / 100 KB / 1 MB, half with one long
 * base64 string (a media thumbnail) and half with an array of message-like objects (non-ASCII text,
 * numbers, booleans), so that both string-heavy and structure-heavy bytes are measured.
 *
 * `npm run bench`; `node bench/receive.bench.js --write` also rewrites the table in bench/RESULTS.md.
 * BENCH_SECONDS (default 0.4) is the time budget per provider and size.
 */
const { createHash, createHmac, timingSafeEqual } = require('node:crypto');
const { readFileSync, writeFileSync } = require('node:fs');
const { cpus } = require('node:os');
const { join } = require('node:path');
const { createReceiver, providers } = require('../dist/core');
const { sampleBody } = require('../dist/cli/samples');

const SECRET = 'bench-secret';
const NOW = Date.parse('2026-01-10T02:15:00Z');
const SIZES = [
  ['1 KB', 1024],
  ['100 KB', 100 * 1024],
  ['1 MB', 1024 * 1024],
];
const BUDGET_MS = Number(process.env.BENCH_SECONDS ?? 0.4) * 1000;
const ROUNDS = 21;
const TARGET = 1.5;

function paddedBody(provider, bytes) {
  // Half the padding is one long base64 string (a media thumbnail), half message-like objects.
  const sample = sampleBody(providers[provider], 'message');
  const base = Buffer.byteLength(JSON.stringify(sample));
  const thumbnail = Buffer.alloc(Math.max(0, Math.floor(((bytes - base) * 3) / 8)), 'thumbnail').toString('base64');
  const body = { ...sample, thumbnail, padding: [] };
  let size = Buffer.byteLength(JSON.stringify(body));
  for (let n = 0; size < bytes; n++) {
    const item = { id: `pad_${n}`, from: '6289876543210@c.us', text: `Halo, apakah stok masih ada? é 😀 #${n}`, ts: 1768900000 + n, fromMe: false };
    body.padding.push(item);
    size += Buffer.byteLength(JSON.stringify(item)) + 1;
  }
  return Buffer.from(JSON.stringify(body));
}

/** What the provider's own check costs at the least, written plainly with node:crypto. */
function floorFor(provider, signed) {
  const tokenEqual = (a, b) => timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
  switch (provider) {
    case 'waha':
      return (raw) => createHmac('sha512', SECRET).update(raw).digest();
    case 'waserver':
      return (raw) => createHmac('sha256', SECRET).update(signed.headers['X-WA-Timestamp']).update('.').update(raw).digest();
    case 'openwa':
      return (raw) => {
        tokenEqual(signed.headers['X-Webhook-Secret'], SECRET);
        return createHmac('sha256', SECRET).update(raw).digest();
      };
    case 'wawp':
      return () => tokenEqual(signed.query.secret, SECRET);
    default:
      throw new Error(`no floor for ${provider}`);
  }
}

async function timeFor(fn, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function measure(provider, bytes) {
  const body = paddedBody(provider, bytes);
  const hmacSecret = provider === 'openwa' ? SECRET : undefined;
  const signed = providers[provider].sign({ body, secret: SECRET, nowMs: NOW, options: { hmacSecret } });
  // Header names in lower case, as Node (and so both engines) hands them over.
  const headers = Object.fromEntries(Object.entries(signed.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const request = { method: 'POST', headers, query: signed.query, rawBody: body };
  const verify = floorFor(provider, signed);
  const receiver = createReceiver({ provider, secret: SECRET, hmacSecret, clock: () => NOW });
  const first = await receiver.receive(request);
  if (first.status !== 200) throw new Error(`${provider} ${bytes}: receive answered ${first.status} ${first.error}`);
  const parsed = JSON.parse(body.toString('utf8'));
  const context = { receivedAtMs: NOW, bodyDigest: '-' };
  const steps = {
    floor: () => {
      verify(body);
      return JSON.parse(body.toString('utf8'));
    },
    receive: () => receiver.receive(request),
    // The provider's normalizer alone, on the parsed body: part of the receive step, not of the floor.
    normalize: () => providers[provider].normalize(parsed, context),
  };

  // Warm up the JIT (optimizing compilers kick in after thousands of calls) for a quarter of the
  // budget; then many short rounds, each step in turn, so a noisy neighbour hits all steps alike.
  const samples = [];
  for (const started = Date.now(); Date.now() - started < BUDGET_MS / 4;) {
    let total = 0;
    for (const step of Object.values(steps)) total += await timeFor(step, 5);
    samples.push(total);
  }
  const iterations = Math.max(2, Math.floor((BUDGET_MS * 0.75 * 1e6) / ROUNDS / median(samples)));
  const rounds = { floor: [], receive: [], normalize: [] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, step] of Object.entries(steps)) rounds[name].push(await timeFor(step, iterations));
  }
  const ratio = (name) => median(rounds[name].map((ns, i) => ns / rounds.floor[i]));
  return { provider, size: body.length, floorUs: median(rounds.floor) / 1000, ratio: ratio('receive'), normalize: ratio('normalize') };
}

function markdown(rows) {
  const lines = ['| provider | body | floor µs | receive / floor | normalizer alone / floor | receive − normalizer, / floor |', '|---|---|---|---|---|---|'];
  for (const row of rows) {
    lines.push(
      `| ${row.provider} | ${row.label} | ${row.floorUs.toFixed(row.floorUs < 100 ? 1 : 0)} | **${row.ratio.toFixed(2)}×**${row.ratio > TARGET ? ' ⚠' : ''} | ${row.normalize.toFixed(2)}× | ${(row.ratio - row.normalize).toFixed(2)}× |`,
    );
  }
  return lines.join('\n');
}

function environment() {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

async function main() {
  const rows = [];
  // Evolution API signs nothing (a bearer token or the body's apikey): no verification floor written for it yet.
  const measured = Object.keys(providers).filter((provider) => provider !== 'evolution');
  for (const provider of measured) {
    for (const [label, bytes] of SIZES) {
      const started = Date.now();
      rows.push({ label, ...(await measure(provider, bytes)) });
      if (process.env.BENCH_DEBUG) console.log(provider, label, Date.now() - started, 'ms');
    }
  }
  const table = markdown(rows);
  console.log(`Core receive step / floor (target ≤ ${TARGET}×), ${environment()}\n\n${table}`);
  if (process.argv.includes('--write')) {
    const file = join(__dirname, 'RESULTS.md');
    const text = readFileSync(file, 'utf8');
    const section = `<!-- receive:begin -->\n${environment()}\n\n${table}\n<!-- receive:end -->`;
    writeFileSync(file, text.replace(/<!-- receive:begin -->[\s\S]*<!-- receive:end -->/, section));
  }
  const over = rows.filter((row) => row.ratio > TARGET);
  if (over.length) console.log(`\n${over.length} cell(s) over the ${TARGET}× target (⚠); see bench/RESULTS.md for the known causes.`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
