/**
 * Regenerates the Node-RED screenshots in docs/screenshots/ from the real editor: the demo is
 * started on free ports, Debian's Chromium (headless, via playwright-core: no browser download)
 * opens the editor, and the palette, an example flow and the nodes' edit dialogs are captured.
 * Run with `npm run screenshots` (n8n's: `npm run screenshots:n8n`).
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { packageRoot } from './package-root';
import { freePort } from './ports';
import { startDemo } from './run';

const OUT = join(packageRoot(), 'docs', 'screenshots');
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Opens a node's edit dialog through the editor's own API, as a double-click would; a config node
 * (the gateway) through the config-node editor, as its pencil button would.
 */
async function editNode(page: Page, nodeId: string, configType?: string): Promise<void> {
  await page.evaluate(
    ([id, type]) => {
      const red = (
        globalThis as unknown as {
          RED: { editor: { edit(node: unknown): void; editConfig(name: string, type: string, id: string): void }; nodes: { node(id: string): unknown } };
        }
      ).RED;
      if (type) red.editor.editConfig('', type, id);
      else red.editor.edit(red.nodes.node(id));
    },
    [nodeId, configType] as const,
  );
  await page.waitForSelector('.red-ui-tray .red-ui-tray-body', { state: 'visible' });
  await page.waitForTimeout(600); // the tray slides in
}

async function closeDialog(page: Page, config = false): Promise<void> {
  await page.click(config ? '#node-config-dialog-cancel' : '#node-dialog-cancel');
  await page.waitForSelector('.red-ui-tray', { state: 'detached' });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const demo = await startDemo({
    port: await freePort(),
    gatewayPort: await freePort(),
    dir: mkdtempSync(join(tmpdir(), 'waflow-shots-')),
    log: () => undefined,
  });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    // An editor script that throws (ours, or the generated resources failing to load) fails the run.
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${demo.editorUrl}/`);
    await page.waitForSelector('.red-ui-flow-node', { state: 'visible', timeout: 60_000 });
    // Show our palette category open and the others closed, so the nodes are in view.
    // Filter the palette to our category, typed key by key as the search box listens to key events.
    await page.click('#red-ui-palette-search input');
    await page.keyboard.type('whatsapp', { delay: 30 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: join(OUT, 'node-red-flow.png') });
    await page.locator('#red-ui-palette').screenshot({ path: join(OUT, 'node-red-palette.png') });

    await editNode(page, 'waha-a1c0ffee00000004');
    await page.screenshot({ path: join(OUT, 'node-red-in-node.png') });
    await closeDialog(page);
    await editNode(page, 'waha-a1c0ffee00000005');
    await page.screenshot({ path: join(OUT, 'node-red-router.png') });
    await closeDialog(page);
    await editNode(page, 'waha-a1c0ffee00000006');
    await page.screenshot({ path: join(OUT, 'node-red-send.png') });
    await closeDialog(page);
    // whatsapp send's rich replies: the media-reply example's photo (Send image, caption, typing first).
    await editNode(page, 'waha-media-reply-c3c0ffee00000007');
    await page.screenshot({ path: join(OUT, 'node-red-send-image.png') });
    await closeDialog(page);
    // The gateway config node's form is built from the generated editor data: one per kind of gateway.
    for (const provider of ['waha', 'openwa']) {
      await editNode(page, `${provider}-a1c0ffee00000003`, 'whatsapp-gateway');
      await page.screenshot({ path: join(OUT, `node-red-gateway-${provider}.png`) });
      await closeDialog(page, true);
    }
    if (pageErrors.length > 0) throw new Error(`the editor threw: ${pageErrors.join('; ')}`);
  } finally {
    await browser.close();
    await demo.stop();
  }
  process.stdout.write(`screenshots written to ${OUT}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`screenshots: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
