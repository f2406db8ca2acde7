/**
 * Real-engine suites: a real Node-RED runtime and a real n8n instance receiving real HTTP requests on
 * loopback. Slow (engines are installed into a cache outside the repository on first use), so they
 * run apart from `npm test`: `npm run test:node-red`, `npm run test:n8n`, or all with `npm run test:all`.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/engines'],
  testMatch: ['**/*.engine.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testTimeout: 300_000,
  maxWorkers: 1,
};
