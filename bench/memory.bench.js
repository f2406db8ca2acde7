#!/usr/bin/env node
/**
 * Memory (issue 11, Benchmarks), in one process (run with --expose-gc, as `npm run bench:memory` does):
 *
 * 1. The default in-memory dedupe store at its bound: filled past its entry limit with WAHA-sized
 *    message ids, and past its byte limit with 4 MiB ids. Reported: what the store counts itself as
 *    (`bytes`) and the heap it really retains (heapUsed after a full GC, less the empty store's).
 * 2. BENCH_EVENTS (default 1 000 000) signed WAHA messages, each with ids of its own, through one
 *    receiver (verification and the default dedupe on): heapUsed after a full GC every tenth of the
 *    run. Flat means the last sample is within a few MB of the one taken once the store was full.
 */
const { cpus } = require('node:os');
const { createReceiver, MemoryDedupeStore, DEFAULT_DEDUPE_MAX_ENTRIES, DEFAULT_DEDUPE_MAX_BYTES } = require('../dist/core');
const { SECRET, wahaDeliveries } = require('./waha-deliveries');

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const MB = 1024 * 1024;

if (typeof global.gc !== 'function') {
  console.error('Run with node --expose-gc (npm run bench:memory)');
  process.exit(1);
}

function heapAfterGc() {
  global.gc();
  global.gc();
  return process.memoryUsage().heapUsed;
}

function storeAtBound(label, count, idOf) {
  const before = heapAfterGc();
  const store = new MemoryDedupeStore();
  for (let i = 0; i < count; i++) store.firstSeen(idOf(i));
  const retained = heapAfterGc() - before;
  return { label, entries: store.size, counted: store.bytes, retained, keep: store };
}

async function throughOneReceiver() {
  const receiver = createReceiver({ provider: 'waha', secret: SECRET });
  const next = wahaDeliveries();
  const samples = [];
  const started = Date.now();
  for (let i = 1; i <= EVENTS; i++) {
    const { body, headers } = next();
    const lower = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
    const result = await receiver.receive({ method: 'POST', headers: lower, query: {}, rawBody: body });
    if (result.status !== 200 || result.events.length !== 1) throw new Error(`event ${i}: ${result.status} ${JSON.stringify(result.body)}`);
    if (i % (EVENTS / 10) === 0) samples.push({ events: i, heap: heapAfterGc() });
  }
  return { samples, seconds: (Date.now() - started) / 1000 };
}

async function main() {
  const mib = (bytes) => (bytes / MB).toFixed(2);
  const stores = [
    storeAtBound(
      '20 000 WAHA message ids (≈ 60 chars)',
      2 * DEFAULT_DEDUPE_MAX_ENTRIES,
      (i) => `false_6289876543210@c.us_3EB0C431C26A1916E07E${String(i).padStart(10, '0')}`,
    ),
    // Two counts: what the heap keeps beyond the store's count does not grow with the ids offered.
    storeAtBound('200 ids of 4 MiB', 200, (i) => `${i}_`.padEnd(4 * MB, 'x')),
    storeAtBound('400 ids of 4 MiB', 400, (i) => `${i}_`.padEnd(4 * MB, 'x')),
  ];
  const lines = [
    `Dedupe store at its bound (defaults: ${DEFAULT_DEDUPE_MAX_ENTRIES} entries, ${mib(DEFAULT_DEDUPE_MAX_BYTES)} MiB), ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
    '',
    '| ids offered | entries kept | counted (`bytes`) MiB | heap retained MiB |',
    '|---|---|---|---|',
    ...stores.map((s) => `| ${s.label} | ${s.entries} | ${mib(s.counted)} | ${mib(s.retained)} |`),
  ];
  stores.length = 0;

  const { samples, seconds } = await throughOneReceiver();
  const full = samples[0].heap;
  const last = samples[samples.length - 1].heap;
  const peak = Math.max(...samples.map((s) => s.heap));
  lines.push(
    '',
    `${EVENTS} signed WAHA messages (distinct ids) through one receiver, ${seconds.toFixed(1)} s: heapUsed after GC (MiB) every ${EVENTS / 10} events`,
    '',
    samples.map((s) => mib(s.heap)).join(' · '),
    '',
    `first sample ${mib(full)} MiB, last ${mib(last)} MiB (${last >= full ? '+' : ''}${mib(last - full)}), peak ${mib(peak)} MiB`,
  );
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
