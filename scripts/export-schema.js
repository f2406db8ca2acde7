#!/usr/bin/env node
// Writes schema/normalized-event.v1.json from the zod schema in core/event/schema.ts (run after `npm run build`).
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { normalizedEventJsonSchema } = require('../dist/core/event/json-schema');

const target = join(__dirname, '..', 'schema', 'normalized-event.v1.json');
writeFileSync(target, `${JSON.stringify(normalizedEventJsonSchema(), null, 2)}\n`);
console.log(`wrote ${target}`);
