// The screenshot of the compare page in docs/searching.md: the server with the fixture corpus loaded, the
// page for three queries in Debian's Chromium (playwright-core, no downloaded browser) at
// 1100×760 and device scale factor 1, saved as a full-page PNG once the fonts are in.
//
//   npx tsc -p tsconfig.json && node dist/test/browser/screenshot.js views/assets/screenshots/compare.png
//
// Node 20's test runner runs every .js file under a directory named `test` (not only *.test.js),
// so `npm test` runs this file too: under the runner (NODE_TEST_CONTEXT set) it does nothing.
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../helpers/browser.js';
import { loadedApp } from '../helpers/loaded-app.js';

export const COMPARE_PATH = `/trends?${['香港', '台湾', '北京'].map((q) => `q=${encodeURIComponent(q)}`).join('&')}`;

export interface ScreenshotOptions {
  /** Page to shoot, a path on the app. */
  path?: string;
  viewport?: { width: number; height: number };
}

/** Starts the loaded app, shoots `options.path` (the compare page) to `out` as a full-page PNG, stops everything. */
export async function screenshotCompare(out: string, options: ScreenshotOptions = {}): Promise<{ bytes: number }> {
  const viewport = options.viewport ?? { width: 1100, height: 760 };
  const ctx = await loadedApp();
  let server: Server | undefined;
  const browser = await launchChromium().catch(async (err: unknown) => {
    await ctx.cleanup();
    throw err;
  });
  try {
    server = await new Promise<Server>((resolve) => {
      const s = ctx.app.listen(0, '127.0.0.1', () => resolve(s));
    });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const res = await page.goto(`${base}${options.path ?? COMPARE_PATH}`, { waitUntil: 'load' });
    if (!res?.ok()) throw new Error(`${options.path ?? COMPARE_PATH} answered ${res?.status()}`);
    await page.locator('svg.chart').first().waitFor();
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
    await page.screenshot({ path: out, type: 'png', fullPage: true, animations: 'disabled', caret: 'hide' });
    await context.close();
    return { bytes: fs.statSync(out).size };
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await ctx.cleanup();
  }
}

const runDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (runDirectly && !process.env.NODE_TEST_CONTEXT) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: node dist/test/browser/screenshot.js <out.png>');
    process.exit(2);
  }
  const { bytes } = await screenshotCompare(out);
  console.log(`${out}: ${bytes.toLocaleString('en-US')} bytes`);
}
