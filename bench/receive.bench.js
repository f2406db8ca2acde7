#!/usr/bin/env node
/**
 * How much the receive step costs on top of the least any webhook handler must do.
 *
 * Baseline, measured in the same run on the same bodies: `JSON.parse` of the raw body. Each row is the
 * receive step for one provider's documented message: once with verification on and no dedupe, once
 * unsigned with dedupe on (after the first, every delivery takes the duplicate path),
 * reported as a ratio to that baseline, so the figures compare across machines. Run `npm run bench`.
 */
const { createReceiver, providers } = require('../dist/core');

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 5000);
const SECRET = 'bench-secret';
const NOW = Date.parse('2026-01-10T02:15:00Z');

function bodyFor(provider) {
  return Buffer.from(JSON.stringify(providers[provider].sampleBody('message')));
}

async function timeIt(label, fn) {
  for (let i = 0; i < Math.min(500, ITERATIONS); i++) await fn(i); // warm up the JIT
  const start = process.hrtime.bigint();
  for (let i = 0; i < ITERATIONS; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / ITERATIONS;
}

async function main() {
  const rows = [];
  for (const provider of Object.keys(providers)) {
    const body = bodyFor(provider);
    const signed = providers[provider].sign({ body, secret: SECRET, nowMs: NOW, options: { hmacSecret: provider === 'openwa' ? SECRET : undefined } });
    const request = { method: 'POST', headers: signed.headers, query: signed.query, rawBody: body };
    const baselineNs = await timeIt('JSON.parse', () => JSON.parse(body.toString('utf8')));
    const verified = createReceiver({ provider, secret: SECRET, hmacSecret: provider === 'openwa' ? SECRET : undefined, dedupe: false, clock: () => NOW });
    const verifiedNs = await timeIt('receive', () => verified.receive(request));
    const deduped = createReceiver({ provider, dedupe: true, clock: () => NOW });
    const dedupeNs = await timeIt('receive+dedupe', () => deduped.receive({ ...request, headers: {} }));
    rows.push({
      provider,
      bodyBytes: body.length,
      'JSON.parse µs': (baselineNs / 1000).toFixed(2),
      'receive (verify) µs': (verifiedNs / 1000).toFixed(2),
      'ratio verify/parse': (verifiedNs / baselineNs).toFixed(1),
      'ratio dedupe/parse': (dedupeNs / baselineNs).toFixed(1),
    });
  }
  console.table(rows);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
