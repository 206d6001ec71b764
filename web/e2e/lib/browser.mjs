// Debian's chromium through playwright-core, axe-core injected from node_modules, and the
// per-page checks every visited page must pass: axe 0 violations, no horizontal scroll at
// 360 px, no CSP violations or script errors, screenshots at 360 and 1280 px.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { RESULTS_DIR } from './server.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
export const SCREENSHOT_DIR = join(RESULTS_DIR, 'screenshots');

export const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 360, height: 740 },
];

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * A page that records CSP violations and uncaught errors, for `checkPage` to assert on.
 * `options` go to the browser context (e.g. locale, timezoneId).
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: WIDTHS[0], colorScheme: 'light', reducedMotion: 'reduce', ...options });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.problems = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (/Content[- ]Security[- ]Policy/i.test(text)) page.problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  return { context, page };
}

async function runAxe(page, label) {
  const has = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!has) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(
    async (tags) => {
      const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
      return r.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(0, 3).join(' ')}`),
      }));
    },
    AXE_TAGS,
  );
  const msg = result.map((v) => `  [${v.impact}] ${v.id}: ${v.help}\n${v.nodes.map((n) => `      ${n}`).join('\n')}`).join('\n');
  assert.equal(result.length, 0, `axe found ${result.length} violation(s) on ${label}:\n${msg}`);
}

/** Waits until nothing is loading and fonts/layout are settled. */
async function settle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/**
 * The checks for one page state, named `name`: at 1280 px and at 360 px (light), and at 360 px
 * in dark mode: axe, no horizontal scroll, a screenshot each. Leaves the page at 1280 px, light.
 */
export async function checkPage(page, name) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const runs = [
    { ...WIDTHS[0], scheme: 'light', file: `${name}-1280.png` },
    { ...WIDTHS[1], scheme: 'light', file: `${name}-360.png` },
    { ...WIDTHS[1], scheme: 'dark', file: `${name}-360-dark.png` },
  ];
  try {
    for (const r of runs) {
      await page.emulateMedia({ colorScheme: r.scheme });
      await page.setViewportSize({ width: r.width, height: r.height });
      await settle(page);
      const sw = await page.evaluate(() => document.scrollingElement.scrollWidth);
      assert.ok(sw <= r.width, `${name} at ${r.width} px (${r.scheme}) scrolls sideways: scrollWidth ${sw}`);
      await runAxe(page, `${name} at ${r.width} px (${r.scheme})`);
      await page.screenshot({ path: join(SCREENSHOT_DIR, r.file), fullPage: true });
    }
  } finally {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize(WIDTHS[0]);
  }
  assert.deepEqual(page.problems, [], `${name}: CSP violations or script errors`);
}

export async function failureScreenshot(page, name) {
  try {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOT_DIR, `FAILED-${name}.png`), fullPage: true });
  } catch {
    // best effort
  }
}
