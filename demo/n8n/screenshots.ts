/**
 * `npm run screenshots:n8n`: starts the n8n demo (on free ports, a throw-away user folder), posts
 * one message to the WAHA auto-reply bot with `waflow send` (so the router's panel shows the event's
 * fields), then photographs n8n's editor in headless Chromium (playwright-core, Debian's
 * /usr/bin/chromium or CHROMIUM_PATH) into docs/screenshots/:
 *
 *   n8n-workflow.png            the auto-reply workflow: trigger → router → WhatsApp Send
 *   n8n-trigger-parameters.png  the WAHA Trigger's panel
 *   n8n-router.png              the router's rules
 *   n8n-send.png                a WhatsApp Send node's panel
 *
 * Options: --n8n 1|2 (default 1: n8n 1.123 on Node 22).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { main as waflow } from '../../cli/waflow';
import { DEMO_SECRETS } from '../flows';
import { freePort } from '../ports';
import { OWNER, REPO, until } from './instance';
import { startN8nDemo } from './run';

const OUT = join(REPO, 'docs', 'screenshots');
const VIEWPORT = { width: 1400, height: 900 };
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function signIn(page: Page, baseUrl: string): Promise<void> {
  await page.goto(`${baseUrl}/signin`);
  await page.fill('input[name="emailOrLdapLoginId"]', OWNER.email);
  await page.fill('input[name="password"]', OWNER.password);
  await page.click('[data-test-id="form-submit-button"]');
  await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Lets transitions finish, and parks the mouse where it highlights nothing. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(VIEWPORT.width - 5, VIEWPORT.height - 5);
  await page.waitForTimeout(1000);
}

async function shoot(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: join(OUT, file) });
  process.stdout.write(`  docs/screenshots/${file}\n`);
}

/** Opens the workflow, then a node's panel (n8n's NDV), and shoots it. */
async function shootNode(page: Page, workflowUrl: string, nodeName: string, file: string, prepare?: () => Promise<void>): Promise<void> {
  // A fresh load per node: closing the panel differs between n8n 1.x and 2.x.
  await openWorkflow(page, workflowUrl, nodeName);
  await page.locator('[data-test-id="canvas-node"]', { hasText: nodeName }).dblclick();
  await page.locator('[data-test-id="node-parameters"]').waitFor();
  await settle(page);
  if (prepare) {
    await prepare();
    await settle(page);
  }
  await shoot(page, file);
}

/** Opens a workflow and waits for one of its nodes (`landmark`) to be drawn. */
async function openWorkflow(page: Page, workflowUrl: string, landmark = 'Echo'): Promise<void> {
  await page.goto(workflowUrl);
  await page.locator('[data-test-id="canvas-node"]', { hasText: landmark }).waitFor();
  await settle(page);
}

async function run(): Promise<void> {
  const { values } = parseArgs({ options: { n8n: { type: 'string' } } });
  mkdirSync(OUT, { recursive: true });
  const demo = await startN8nDemo({ port: await freePort(), line: values.n8n === '2' ? 2 : 1, log: () => undefined });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const bot = demo.workflows.find((workflow) => workflow.provider === 'waha' && workflow.name.startsWith('WhatsApp auto-reply bot'))!;
    const sent = await waflow(['send', '--provider', 'waha', '--url', bot.webhookUrl!, '--secret', DEMO_SECRETS.waha, '--event', 'message'], () => undefined);
    if (sent !== 0) throw new Error('waflow send: the demo did not accept the message');
    await until('the reply', 30_000, async () => (demo.sandbox.deliveries.length > 0 ? true : undefined));

    const page = await browser.newPage({ viewport: VIEWPORT });
    await signIn(page, demo.n8n.baseUrl);
    const workflowUrl = `${demo.n8n.baseUrl}/workflow/${bot.id}`;
    process.stdout.write(`n8n ${demo.n8n.version}, workflow "${bot.name}":\n`);
    await openWorkflow(page, workflowUrl);
    await shoot(page, 'n8n-workflow.png');
    // With its production URL showing: what a user gives the gateway.
    await shootNode(page, workflowUrl, 'WAHA Trigger', 'n8n-trigger-parameters.png', async () => {
      await page.getByText('Webhook URLs').click();
      await page.locator('[data-test-id="radio-button-production"]').click();
    });
    await shootNode(page, workflowUrl, 'WhatsApp Router', 'n8n-router.png');
    await shootNode(page, workflowUrl, 'Price List', 'n8n-send.png');
    // WhatsApp Send's rich replies: the media-reply example's photo (Send Image, caption, Typing First).
    const media = demo.workflows.find((workflow) => workflow.name.toLowerCase().includes('media'))!;
    await shootNode(page, `${demo.n8n.baseUrl}/workflow/${media.id}`, 'Photo Reply', 'n8n-send-image.png');
  } finally {
    await browser.close();
    await demo.stop();
  }
}

run().catch((error: Error) => {
  process.stderr.write(`screenshots: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
