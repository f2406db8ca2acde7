/**
 * Asset build: tsc compiles the TypeScript; this copies everything else the engines load from dist/
 * (provider fixtures used as `waflow send` samples, n8n icons and codex files, Node-RED editor HTML,
 * icons and locales) to the same relative place under dist/.
 */
const { src, dest, task } = require('gulp');

const ASSETS = [
  'core/providers/*/fixtures/**/*.json',
  'nodes/**/*.{svg,png,json}',
  'credentials/**/*.{svg,png}',
  'nodered/**/*.{html,svg,png}',
  'nodered/**/locales/**/*.{json,html}',
];

task('assets', () => src(ASSETS, { base: '.', allowEmpty: true, encoding: false }).pipe(dest('dist')));
