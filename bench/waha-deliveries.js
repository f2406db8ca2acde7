/**
 * Signed WAHA `message` deliveries, each with ids of its own, as the benches post them: the
 * documented example made fresh once, then only its id suffix changed per delivery (same length,
 * so every body has the same size) and the body signed with WAHA's HMAC-SHA512.
 */
const { randomBytes } = require('node:crypto');
const { providers } = require('../dist/core');
const { sampleBody } = require('../dist/cli/samples');
const { freshSample } = require('../dist/cli/fresh-sample');

const SECRET = 'bench-waha-secret';

/** A function giving the next delivery: `{ body, headers }` (header names as WAHA sends them). */
function wahaDeliveries(secret = SECRET) {
  const template = JSON.stringify(freshSample(sampleBody(providers.waha, 'message'), Date.now()));
  // freshSample appends one 8-hex-digit suffix to every own id of the example.
  const suffix = /_[0-9A-F]{24}([0-9A-F]{8})"/.exec(template)?.[1] ?? /"evt_[0-9a-z]+([0-9A-F]{8})"/.exec(template)?.[1];
  if (!suffix) throw new Error('no id suffix in the WAHA sample');
  const parts = template.split(suffix);
  const run = randomBytes(1).toString('hex').toUpperCase();
  let n = 0;
  return () => {
    const body = Buffer.from(parts.join(`${run}${(n++ & 0xffffff).toString(16).toUpperCase().padStart(6, '0')}`));
    const { headers } = providers.waha.sign({ body, secret, nowMs: Date.now() });
    return { body, headers: { 'content-type': 'application/json', ...headers } };
  };
}

module.exports = { SECRET, wahaDeliveries };
