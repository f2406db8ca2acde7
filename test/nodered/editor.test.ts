/**
 * The Node-RED editor files: the browser cannot import the core, so each node's .html carries a copy
 * of the few core facts it needs (between `<waflow-core-mirror>` markers). These tests keep the
 * copies equal to the core, including the output-label function; and check that the package wires
 * up what Node-RED loads: node files, editor HTML beside them, help, icons and every i18n key used.
 */
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { CANONICAL_EVENTS, CHAT_TYPES, MESSAGE_TYPES, PROVIDERS } from '../../core/event/schema';
import { providers } from '../../core/providers';
import { RULE_KINDS, ruleLabel, type RouterRule } from '../../core/router/rules';
import { SENDING_PROVIDERS } from '../../core/send';
import { canMarkRead, REPLY_MODES } from '../../nodered/shared/send';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Runs the mirrored block of an editor file and returns the named values it defines. */
function mirror(file: string, names: string[]): Record<string, any> {
  const html = read(`nodered/${file}`);
  const match = /\/\/ <waflow-core-mirror>[^\n]*\n([\s\S]*?)\/\/ <\/waflow-core-mirror>/.exec(html);
  if (!match) throw new Error(`${file} has no <waflow-core-mirror> block`);
  return runInNewContext(`${match[1]}\n;({${names.join(',')}})`);
}

// Values made in another realm (the vm) compare by structure only after a JSON round trip.
const plain = (value: unknown) => JSON.parse(JSON.stringify(value));

const router = mirror('whatsapp-router.html', ['RULE_KINDS', 'CHOICES', 'ruleLabel']);

describe('editor copies of core facts', () => {
  it('whatsapp-gateway: providers, their names and default paths', () => {
    const { PROVIDERS: copy } = mirror('whatsapp-gateway.html', ['PROVIDERS']);
    expect(plain(copy)).toEqual(PROVIDERS.map((name) => ({ value: name, label: providers[name].displayName, defaultPath: providers[name].defaultPath })));
  });

  it('whatsapp in: default paths and canonical events', () => {
    const { DEFAULT_PATHS, EVENTS } = mirror('whatsapp-in.html', ['DEFAULT_PATHS', 'EVENTS']);
    expect(plain(DEFAULT_PATHS)).toEqual(Object.fromEntries(PROVIDERS.map((name) => [name, providers[name].defaultPath])));
    expect(plain(EVENTS)).toEqual([...CANONICAL_EVENTS]);
  });

  it('whatsapp router: rule kinds and the values of the choice rules', () => {
    expect(plain(router.RULE_KINDS)).toEqual([...RULE_KINDS]);
    expect(plain(router.CHOICES)).toEqual({
      event: [...CANONICAL_EVENTS],
      messageType: [...MESSAGE_TYPES],
      direction: ['inbound', 'outbound'],
      chatType: [...CHAT_TYPES],
      hasMedia: ['true', 'false'],
      provider: [...PROVIDERS],
    });
  });

  it('whatsapp router: the editor output labels are the runtime labels (msg.route.label)', () => {
    const value = fc.oneof(
      fc.string(),
      fc.array(fc.constantFrom('start', '/help', '!menu', 'price', ' harga ', '', 'a\nb', 'x,y', 'FALSE', 'true'), { maxLength: 6 }).map((parts) => parts.join(',')),
    );
    fc.assert(
      fc.property(fc.constantFrom(...RULE_KINDS), value, (kind, text) => {
        const rule: RouterRule = { kind, value: text };
        expect(router.ruleLabel(rule)).toBe(ruleLabel(rule));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('editor copies of the send node\'s facts', () => {
  const send = mirror('whatsapp-send.html', ['SENDING_PROVIDERS', 'REPLY_MODES', 'canMarkRead']);

  it('whatsapp send: providers that can send, reply modes, who can mark messages read', () => {
    expect(plain(send.SENDING_PROVIDERS)).toEqual([...SENDING_PROVIDERS]);
    expect(plain(send.REPLY_MODES)).toEqual([...REPLY_MODES]);
    for (const provider of PROVIDERS) {
      for (const version of ['v5', 'v4'] as const) {
        expect([provider, version, send.canMarkRead(provider, version)]).toEqual([provider, version, canMarkRead(provider, version)]);
      }
    }
  });
});

describe('package wiring for Node-RED', () => {
  const pkg = JSON.parse(read('package.json'));
  const nodes: Record<string, string> = pkg['node-red'].nodes;

  it('declares the four nodes, built to dist/ with their editor HTML beside them', () => {
    expect(Object.keys(nodes).sort()).toEqual(['whatsapp-gateway', 'whatsapp-in', 'whatsapp-router', 'whatsapp-send']);
    for (const file of Object.values(nodes)) {
      expect(existsSync(join(root, file))).toBe(true);
      expect(existsSync(join(root, file.replace(/\.js$/, '.html')))).toBe(true);
    }
    expect(pkg['node-red'].version).toBe('>=3.0.0');
    expect(pkg.keywords).toContain('node-red');
  });

  const types: Record<string, string> = { 'whatsapp-gateway': 'whatsapp-gateway', 'whatsapp-in': 'whatsapp in', 'whatsapp-router': 'whatsapp router', 'whatsapp-send': 'whatsapp send' };

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
      if (!(kind in router.CHOICES)) expect([kind, typeof catalog.placeholder[kind]]).toEqual([kind, 'string']);
    }
  });

  it('gateway editor: a secret hint and an API URL placeholder for every provider', () => {
    const catalog = JSON.parse(read('nodered/locales/en-US/whatsapp-gateway.json'))['whatsapp-gateway'];
    for (const provider of PROVIDERS) {
      expect([provider, typeof catalog.hint[provider], typeof catalog.apiUrlPlaceholder[provider]]).toEqual([provider, 'string', 'string']);
    }
  });

  it('gateway: every credential is declared both at runtime and in the editor, and none is in the editor defaults', () => {
    const html = read('nodered/whatsapp-gateway.html');
    const block = (name: string) => new RegExp(`${name}: \\{([\\s\\S]*?)\\n        \\}`).exec(html)?.[1] ?? '';
    const fields = (text: string) => [...text.matchAll(/^\s*(\w+): \{/gm)].map((m) => m[1]).sort();
    const editorCredentials = fields(block('credentials'));
    expect(editorCredentials).toEqual(['accessToken', 'apiKey', 'hmacSecret', 'secret']);
    expect(fields(block('defaults')).filter((name) => editorCredentials.includes(name))).toEqual([]);
    const runtime = read('nodered/whatsapp-gateway.ts');
    for (const name of editorCredentials) expect([name, runtime.includes(`${name}: { type: 'password' }`)]).toEqual([name, true]);
  });

  it('send editor: a text for every reply mode', () => {
    const catalog = JSON.parse(read('nodered/locales/en-US/whatsapp-send.json'))['whatsapp-send'];
    for (const mode of REPLY_MODES) expect([mode, typeof catalog.replyTo[mode]]).toEqual([mode, 'string']);
  });
});
