#!/usr/bin/env node
// Writes resources/waflow-editor.js (the Node-RED editor's view of the core) from the compiled core.
const { mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { editorScript, gatewayHelp } = require('../dist/nodered/editor/resources');

const dir = join(__dirname, '..', 'resources');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'waflow-editor.js'), editorScript());

// The gateway node's help, per provider, into the copy gulp put in dist/.
const help = join(__dirname, '..', 'dist', 'nodered', 'locales', 'en-US', 'whatsapp-gateway.html');
writeFileSync(help, readFileSync(help, 'utf8').replace('<!-- waflow:provider-help -->', gatewayHelp()));
