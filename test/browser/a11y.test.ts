// Accessibility of every page, checked by an engine (axe-core, run inside Chromium through
// playwright-core) against the server with the fixture corpus loaded: no serious or critical
// violation on the search page (home, a search, filtered ones, no results), an article, the help
// page, the compare page and the error pages, in simplified and traditional, desktop and phone.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type BrowserApp, DESKTOP, PHONE, startBrowserApp } from '../helpers/browser.js';
import type { LoadedApp } from '../helpers/loaded-app.js';

/** The engine's source, evaluated in the page: the pages' CSP forbids inline script tags. */
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let ctx: LoadedApp;
let base: string;
let browser: Browser;
let started: BrowserApp | undefined;

before(async () => {
  started = await startBrowserApp();
  ({ ctx, base, browser } = started);
});
after(async () => started?.close());

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** axe-core's serious and critical violations on the page, each as one readable line. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} at ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}${v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : ''}`,
    );
}

/** The serious violations of the page at `path`, after `planted` has run in it (the self-check's fault). */
async function check(path: string, viewport = DESKTOP, planted?: () => void): Promise<string[]> {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    const res = await page.goto(`${base}${path}`);
    assert.ok(res, `no answer for ${path}`);
    if (planted) await page.evaluate(planted);
    return (await seriousViolations(page)).map((v) => `${path} ${viewport.width}px: ${v}`);
  } finally {
    await context.close();
  }
}

const SCRIPTS = ['hans', 'hant'] as const;

describe('accessibility (axe-core): no serious or critical violations', () => {
  it('the check finds faults planted in a page (an image without a text, text too faint to read)', async () => {
    const found = await check('/', DESKTOP, () => {
      document.querySelector('main')!.append(Object.assign(document.createElement('img'), { src: 'data:,' }));
      document.querySelector<HTMLElement>('.tagline')!.style.color = '#eeeeee';
    });
    assert.ok(
      found.some((v) => v.includes('image-alt (critical)')),
      found.join('\n'),
    );
    assert.ok(
      found.some((v) => v.includes('color-contrast (serious)')),
      found.join('\n'),
    );
  });

  const pages: Array<[string, () => string]> = [
    ['the home page', () => '/'],
    ['a search with its chart', () => `/?q=${encodeURIComponent('香港')}`],
    ['a filtered search with a year open', () => `/?q=${encodeURIComponent('香港')}&outlet=hkcnews&from=2021-01-01&to=2021-12-31`],
    ['a date range across years', () => `/?q=${encodeURIComponent('香港')}&from=2019-01-01&to=2020-12-31`],
    ['the stories without a date', () => '/?undated=only'],
    ['a search without results', () => `/?q=${encodeURIComponent('没有这个词组合')}`],
    ['an article', () => `/article/${encodeURIComponent(ctx.articles[0]!.id)}?q=${encodeURIComponent('香港')}`],
    ['the help page', () => '/help'],
    ['the compare page', () => `/trends?q=${encodeURIComponent('香港')}&q=${encodeURIComponent('台湾')}`],
    ['a bad parameter (400)', () => `/?q=${encodeURIComponent('香港')}&perPage=500`],
    ['an unknown article (404)', () => '/article/no-such-story'],
  ];
  for (const [name, path] of pages) {
    it(`${name}, in simplified and traditional, desktop and phone`, async () => {
      const found: string[] = [];
      for (const script of SCRIPTS) {
        const p = path();
        const withScript = `${p}${p.includes('?') ? '&' : '?'}script=${script}`;
        for (const viewport of [DESKTOP, PHONE]) found.push(...(await check(withScript, viewport)));
      }
      assert.deepEqual(found, []);
    });
  }
});
