/**
 * The Node-RED editor files. The browser cannot import the core, so the build generates
 * resources/waflow-editor.js from it (nodered/editor/resources.ts) and every node's .html loads
 * that: no provider fact is typed by hand in an .html or locale file. These tests run the
 * generated script and the gateway node's editor code against the core, and check that the package
 * wires up what Node-RED loads: node files, editor HTML beside them, help, icons, i18n keys.
 */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { CANONICAL_EVENTS, CHAT_TYPES, MESSAGE_TYPES, PROVIDERS } from '../../core/event/schema';
import { PROVIDER_LIST } from '../../core/providers';
import { OPERATIONS } from '../../core/providers/types';
import { ruleLabel } from '../../core/router/label';
import { RULE_KINDS, type RouterRule } from '../../core/router/rules';
import { storedNameOf } from '../../core/send/config';
import { apiUrlProblem } from '../../core/security/url';
import { editorScript } from '../../nodered/editor/resources';
import { REPLY_MODES } from '../../nodered/shared/send';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** The generated editor script, run as the browser runs it: `window.WAFLOW`. */
function editorData(): any {
  const window: Record<string, unknown> = {};
  runInNewContext(editorScript(), { window });
  return window.WAFLOW;
}

// Values made in another realm (the vm) compare by structure only after a JSON round trip.
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));
const W = editorData();

describe('the generated editor script (resources/waflow-editor.js)', () => {
  it('is what the build wrote', () => {
    expect(read('resources/waflow-editor.js')).toBe(editorScript());
  });

  it('lists every provider with its name, default path and fields under their Node-RED names', () => {
    expect(plain(W.providers.map((p: any) => [p.name, p.displayName, p.defaultPath]))).toEqual(
      PROVIDER_LIST.map((p) => [p.name, p.displayName, p.defaultPath]),
    );
    for (const provider of PROVIDER_LIST) {
      expect(plain(W.provider(provider.name).fields.map((f: any) => [f.name, f.label, f.secret]))).toEqual(
        provider.fields.map((f) => [storedNameOf(f, 'nodeRed'), f.label, f.secret]),
      );
    }
  });

  it("events, rule kinds and choices are the core's", () => {
    expect(plain(W.events.map((e: any) => e.value))).toEqual([...CANONICAL_EVENTS]);
    expect(plain(W.rules.kinds)).toEqual([...RULE_KINDS]);
    expect(plain(W.rules.choices)).toEqual({
      event: [...CANONICAL_EVENTS],
      messageType: [...MESSAGE_TYPES],
      direction: ['inbound', 'outbound'],
      chatType: [...CHAT_TYPES],
      hasMedia: ['true', 'false'],
      provider: [...PROVIDERS],
    });
    expect(plain(W.replyModes)).toEqual([...REPLY_MODES]);
  });

  it("can() answers as the providers' declared capabilities, per API version", () => {
    for (const provider of PROVIDER_LIST) {
      for (const apiVersion of ['', 'v5', 'v4'] as const) {
        for (const operation of OPERATIONS) {
          const expected = provider.api.capabilities(apiVersion ? { apiVersion } : {}).includes(operation);
          expect([provider.name, apiVersion, operation, W.can({ provider: provider.name, apiVersion }, operation)]).toEqual([
            provider.name,
            apiVersion,
            operation,
            expected,
          ]);
        }
      }
    }
  });

  it("ruleLabel is the core's own function: the same output name for any rule", () => {
    const value = fc.oneof(
      fc.string(),
      fc
        .array(fc.constantFrom('start', '/help', '!menu', 'price', ' harga ', '', 'a\nb', 'x,y', 'FALSE', 'true'), { maxLength: 6 })
        .map((parts) => parts.join(',')),
    );
    fc.assert(
      fc.property(fc.constantFrom(...RULE_KINDS), value, fc.option(fc.string(), { nil: undefined }), (kind, text, label) => {
        const rule: RouterRule = { kind, value: text, label };
        expect(W.ruleLabel(rule)).toBe(ruleLabel(rule));
      }),
      { numRuns: 2000 },
    );
  });

  it('the editor files load it and name no provider themselves', () => {
    const names = PROVIDER_LIST.flatMap((p) => [p.name, p.displayName]);
    for (const base of ['whatsapp-gateway', 'whatsapp-in', 'whatsapp-router', 'whatsapp-send', 'whatsapp-media']) {
      const html = read(`nodered/${base}.html`);
      expect(html).toContain('src="resources/@waflow/n8n-nodes-whatsapp-gateways/waflow-editor.js"');
      const texts = [html, read(`nodered/locales/en-US/${base}.html`), read(`nodered/locales/en-US/${base}.json`)];
      for (const name of names) expect([base, name, texts.some((text) => new RegExp(`\\b${name}\\b`).test(text))]).toEqual([base, name, false]);
    }
  });
});

describe('the gateway node in the editor', () => {
  /** Runs whatsapp-gateway.html's script with just enough of RED and jQuery to see what it registers. */
  function gatewayEditor() {
    const html = read('nodered/whatsapp-gateway.html');
    const script = /<script type="text\/javascript">([\s\S]*?)<\/script>/.exec(html)![1];
    let template = /<script type="text\/html" data-template-name="whatsapp-gateway">([\s\S]*?)<\/script>/.exec(html)![1];
    let definition: any = null;
    const $ = () => ({ html: (value?: string) => (value === undefined ? template : ((template = value), undefined)) });
    const RED = { nodes: { registerType: (_type: string, def: unknown) => (definition = def) }, validators: { number: () => () => true } };
    runInNewContext(script, { window: { WAFLOW: W }, $, RED });
    return { definition, template: () => template };
  }

  it('declares every secret field as a credential and every other field as a setting, never both', () => {
    const { definition } = gatewayEditor();
    const secrets = [...new Set(PROVIDER_LIST.flatMap((p) => p.fields.filter((f) => f.secret).map((f) => storedNameOf(f, 'nodeRed'))))].sort();
    const settings = [...new Set(PROVIDER_LIST.flatMap((p) => p.fields.filter((f) => !f.secret).map((f) => storedNameOf(f, 'nodeRed'))))];
    expect(Object.keys(definition.credentials).sort()).toEqual(secrets);
    expect(Object.keys(definition.defaults).sort()).toEqual(['allowedIps', 'name', 'provider', ...settings].sort());
    const runtime = require('../../nodered/shared/options');
    expect([...runtime.GATEWAY_SECRETS].sort()).toEqual(secrets);
  });

  it('refuses an API URL with a user:password in it, as the runtime does (issue 11, defect 6)', () => {
    const { definition } = gatewayEditor();
    const validate =
      definition.defaults[
        storedNameOf(
          PROVIDER_LIST[0].fields.find((f) => f.key === 'baseUrl')!,
          'nodeRed',
        )
      ].validate;
    const urls = ['', 'http://127.0.0.1:3000', 'https://api.wawp.net/', 'http://admin:pw@waha:3000/', 'https://user@host/', 'HTTP://U:P@H', 'ftp://host/'];
    expect(urls.map((url) => [url, validate(url)])).toEqual(urls.map((url) => [url, url === '' || apiUrlProblem(url) === null]));
  });

  it('puts an input for every field into its edit form, shown for the providers that have it', () => {
    const { template } = gatewayEditor();
    for (const provider of PROVIDER_LIST) {
      for (const field of provider.fields) {
        const name = storedNameOf(field, 'nodeRed');
        const row = new RegExp(`<div class="form-row waflow-only[^"]*waflow-only-${provider.name}[^"]*"><label for="node-config-input-${name}"`);
        expect([provider.name, name, row.test(template())]).toEqual([provider.name, name, true]);
        expect(template()).toContain(
          `<${field.type === 'options' ? 'select' : 'input'} ${field.type === 'options' ? '' : `type="${field.secret ? 'password' : 'text'}" `}id="node-config-input-${name}"`,
        );
      }
    }
  });
});

describe('package wiring for Node-RED', () => {
  const pkg = JSON.parse(read('package.json'));
  const nodes: Record<string, string> = pkg['node-red'].nodes;

  it('declares the seven nodes, built to dist/ with their editor HTML beside them', () => {
    expect(Object.keys(nodes).sort()).toEqual([
      'whatsapp-conversation',
      'whatsapp-gateway',
      'whatsapp-in',
      'whatsapp-media',
      'whatsapp-router',
      'whatsapp-send',
      'whatsapp-store',
    ]);
    for (const file of Object.values(nodes)) {
      expect(existsSync(join(root, file))).toBe(true);
      expect(existsSync(join(root, file.replace(/\.js$/, '.html')))).toBe(true);
    }
    expect(pkg['node-red'].version).toBe('>=3.0.0');
    expect(pkg.keywords).toContain('node-red');
  });

  const types: Record<string, string> = {
    'whatsapp-gateway': 'whatsapp-gateway',
    'whatsapp-in': 'whatsapp in',
    'whatsapp-router': 'whatsapp router',
    'whatsapp-send': 'whatsapp send',
    'whatsapp-conversation': 'whatsapp conversation',
    'whatsapp-media': 'whatsapp media',
  };

  it.each(Object.entries(types))('%s: registers "%s" in the editor, with help, icon and every i18n key it uses', (base, type) => {
    const html = read(`nodered/${base}.html`);
    expect(html).toContain(`RED.nodes.registerType('${type}'`);
    expect(html).toContain(`data-template-name="${type}"`);
    expect(read(`nodered/locales/en-US/${base}.html`)).toContain(`data-help-name="${type}"`);
    const icon = /icon: '([^']+)'/.exec(html)?.[1];
    if (icon) expect(existsSync(join(root, 'nodered', 'icons', icon))).toBe(true);

    const catalog = JSON.parse(read(`nodered/locales/en-US/${base}.json`));
    const lookup = (key: string) => key.split('.').reduce<any>((node, part) => node?.[part], catalog);
    const keys = [
      ...[...html.matchAll(/data-i18n="(?:\[[a-z]+\])?([^"]+)"/g)].map((m) => m[1]),
      ...[...html.matchAll(/node\._\('([^']+)'\)/g)].map((m) => m[1]),
    ];
    expect(keys.length).toBeGreaterThan(3);
    for (const key of keys) expect([key, typeof lookup(key)]).toEqual([key, 'string']);
    // keys built at run time: `<prefix>.' + kind` and the like
    for (const [, prefix] of html.matchAll(/node\._\('([^']+\.)' \+/g)) {
      expect(typeof lookup(prefix.slice(0, -1))).toBe('object');
    }
  });

  it('router editor: a text for every rule kind and its hint; a placeholder for every free-text kind', () => {
    const catalog = JSON.parse(read('nodered/locales/en-US/whatsapp-router.json'))['whatsapp-router'];
    for (const kind of RULE_KINDS) {
      expect([kind, typeof catalog.kind[kind], typeof catalog.hint[kind]]).toEqual([kind, 'string', 'string']);
      if (!(kind in W.rules.choices)) expect([kind, typeof catalog.placeholder[kind]]).toEqual([kind, 'string']);
    }
  });

  it('send editor: a text for every reply mode', () => {
    const catalog = JSON.parse(read('nodered/locales/en-US/whatsapp-send.json'))['whatsapp-send'];
    for (const mode of REPLY_MODES) expect([mode, typeof catalog.replyTo[mode]]).toEqual([mode, 'string']);
  });
});
