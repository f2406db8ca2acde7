/**
 * n8n's community-node lint (eslint-plugin-n8n-nodes-base) over the n8n nodes, credentials and the
 * package.json fields n8n reads, with typescript-eslint's recommended rules over all TypeScript. `npm run lint`; part of `npm test`.
 *
 * Turned off, and why (single-line exceptions are disabled where they occur, with their reason):
 * - node-class-description-outputs-wrong: it expects one output (two for If, four for Switch); the
 *   router's outputs are computed from its rules, as the Switch node's are.
 * - cred-class-field-documentation-url-miscased: for n8n's own repository (camel-cased doc slugs);
 *   community credentials must link a full URL, which cred-class-field-documentation-url-not-http-url checks.
 * - community-package-json-author-missing, community-package-json-repository-url-still-default:
 *   package metadata (author, repository) is not set yet; it belongs in package.json before publishing.
 */
const n8nNodesBase = require('eslint-plugin-n8n-nodes-base');
const tsParser = require('@typescript-eslint/parser');
const tseslint = require('typescript-eslint');

const plugins = { 'n8n-nodes-base': n8nNodesBase };

module.exports = [
  { ignores: ['dist/**', 'resources/**', 'node_modules/**', 'coverage/**'] },
  // typescript-eslint's recommended rules over every TypeScript source, the tests included.
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    rules: {
      // `_name` marks a parameter or binding kept for its position (a callback's signature, a rest split).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // Node-RED's own convention: a node constructor keeps `const node = this` for its callbacks.
    files: ['nodered/**/*.ts'],
    rules: { '@typescript-eslint/no-this-alias': 'off' },
  },
  {
    // Tests drive untyped JavaScript (node-red-node-test-helper, Node-RED's runtime, flows as JSON):
    // `require` and `any` are how they reach it.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
    languageOptions: { parser: tsParser, sourceType: 'module' },
    plugins,
    rules: {
      ...n8nNodesBase.configs.nodes.rules,
      'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
    },
  },
  {
    files: ['credentials/**/*.ts'],
    languageOptions: { parser: tsParser, sourceType: 'module' },
    plugins,
    rules: {
      ...n8nNodesBase.configs.credentials.rules,
      'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
    },
  },
  {
    // typescript-estree parses .json files as JSON: the community rules read package.json this way.
    files: ['package.json'],
    languageOptions: { parser: tsParser, parserOptions: { extraFileExtensions: ['.json'] } },
    plugins,
    rules: {
      ...n8nNodesBase.configs.community.rules,
      'n8n-nodes-base/community-package-json-author-missing': 'off',
      'n8n-nodes-base/community-package-json-repository-url-still-default': 'off',
    },
  },
];
