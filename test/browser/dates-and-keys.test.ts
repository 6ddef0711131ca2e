// The search page's date controls and its keyboard and phone paths in a real browser (Debian's
// Chromium through playwright-core) against the server with the fixture corpus loaded: a from/to
// range by a plain form, years as one choice at a time, the stories without a date, the 筛选 link
// on a phone, the skip link to the results, and the chart as one Tab stop walked by arrow keys.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type BrowserApp, DESKTOP, PHONE, startBrowserApp } from '../helpers/browser.js';
import { chinaDay, type LoadedApp } from '../helpers/loaded-app.js';

const HK = '香港';

let ctx: LoadedApp;
let base: string;
let browser: Browser;
let started: BrowserApp | undefined;

before(async () => {
  started = await startBrowserApp();
  ({ ctx, base, browser } = started);
});
after(async () => started?.close());

/** A page in a context of its own; `done` closes it and fails on any script error it had. */
async function newPage(viewport = DESKTOP, javaScriptEnabled = true): Promise<Page & { errors: string[] }> {
  const context = await browser.newContext({ viewport, javaScriptEnabled });
  const page = Object.assign(await context.newPage(), { errors: [] as string[] });
  page.on('pageerror', (err) => page.errors.push(err.message));
  return page;
}
async function done(page: Page & { errors: string[] }): Promise<void> {
  await page.context().close();
  assert.deepEqual(page.errors, [], 'no script errors on the page');
}

const summaryTotal = async (page: Page) => Number((await page.locator('#summary strong').textContent())!.replace(/,/g, ''));
const yearLink = (page: Page, year: string) => page.locator('#f-date ~ ul.dates > li > a.facet', { hasText: year });
const focused = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? '');
/** Stories of the fixture corpus published from `from` to `to` (UTC+8 days, inclusive). */
const storiesIn = (from: string, to: string) =>
  ctx.articles.filter((a) => a.publishedAt && chinaDay(a.publishedAt) >= from && chinaDay(a.publishedAt) <= to);

describe('dates: a from/to range, years as one choice, the stories without a date', () => {
  it('a range spanning years is chosen with the from/to form without JavaScript, and shown as such', async () => {
    const page = await newPage(DESKTOP, false);
    await page.goto(`${base}/`);
    await page.fill('#date-from', '2019-01-01');
    await page.fill('#date-to', '2020-12-31');
    await page.locator('form.date-range button').click();
    await page.waitForURL((u) => u.searchParams.get('from') === '2019-01-01' && u.searchParams.get('to') === '2020-12-31');
    assert.equal(await summaryTotal(page), storiesIn('2019-01-01', '2020-12-31').length);
    assert.equal(await page.inputValue('#date-from'), '2019-01-01', 'the form shows the range');
    assert.equal(await page.inputValue('#date-to'), '2020-12-31');
    assert.deepEqual(await page.locator('.chip').allTextContents(), ['日期：2019年–2020年×移除']);
    // Both years are marked as within the range; none is the one year chosen.
    for (const y of ['2019', '2020']) assert.match((await yearLink(page, y).getAttribute('class'))!, /\bwithin\b/);
    assert.doesNotMatch((await yearLink(page, '2021').getAttribute('class'))!, /\bwithin\b/);
    assert.equal(await page.locator('#f-date ~ ul.dates a[aria-current]').count(), 0);
    await done(page);
  });

  it('the form keeps the query and the other filters, and a range of days within a year opens its months', async () => {
    const page = await newPage(DESKTOP, false);
    await page.goto(`${base}/?q=${encodeURIComponent(HK)}&outlet=hkcnews&sort=oldest`);
    await page.fill('#date-from', '2021-03-01');
    await page.fill('#date-to', '2021-09-30');
    await page.locator('form.date-range button').click();
    await page.waitForURL((u) => u.searchParams.get('from') === '2021-03-01');
    const url = new URL(page.url());
    assert.equal(url.searchParams.get('q'), HK);
    assert.deepEqual(url.searchParams.getAll('outlet'), ['hkcnews']);
    assert.equal(url.searchParams.get('sort'), 'oldest');
    for (const d of await page.locator('.hit time').allTextContents()) assert.ok(d >= '2021-03-01' && d <= '2021-09-30', d);
    assert.ok((await page.locator('.months a').count()) > 0, 'the months of 2021 are listed');
    await done(page);
  });

  it('years behave as they look: one at a time, picking another replaces it', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await yearLink(page, '2021').click();
    await page.waitForURL(/from=2021-01-01&to=2021-12-31/);
    await page.locator('.months a').first().waitFor();
    assert.match((await yearLink(page, '2021').getAttribute('class'))!, /\bradio\b/, 'a year looks like a radio button, not a checkbox');
    const radioLook = await yearLink(page, '2021')
      .locator('.box')
      .evaluate((b) => getComputedStyle(b).borderRadius);
    assert.equal(radioLook, '50%');
    await yearLink(page, '2020').click();
    await page.waitForURL(/from=2020-01-01&to=2020-12-31/);
    await page.waitForFunction(() => document.querySelectorAll('#f-date ~ ul.dates > li > a[aria-current]').length === 1);
    assert.equal((await page.locator('#f-date ~ ul.dates > li > a[aria-current] .label').textContent())!.trim(), '2020');
    assert.equal(await page.inputValue('#date-from'), '2020-01-01', 'the range form follows a picked year');
    assert.equal(await page.inputValue('#date-to'), '2020-12-31');
    assert.equal(await summaryTotal(page), storiesIn('2020-01-01', '2020-12-31').length);
    await done(page);
  });

  it('the stories without a date are one link away, with their count', async () => {
    const undated = ctx.articles.filter((a) => !a.publishedAt);
    assert.ok(undated.length > 0);
    const page = await newPage(DESKTOP, false);
    await page.goto(`${base}/?from=2021-01-01&to=2021-12-31`);
    const link = page.locator('#f-date ~ ul.dates a.undated');
    assert.equal((await link.locator('.label').textContent())!.trim(), '日期不详');
    assert.equal(Number(await link.locator('.count').textContent()), undated.length);
    await link.click();
    await page.waitForURL((u) => u.searchParams.get('undated') === 'only' && !u.searchParams.has('from'));
    assert.equal(await summaryTotal(page), undated.length);
    assert.deepEqual(
      await page.locator('.hit time').allTextContents(),
      undated.map(() => '日期不详'),
    );
    assert.equal(await page.locator('#f-date ~ ul.dates a.undated').getAttribute('aria-current'), 'true');
    assert.equal(await page.inputValue('#date-from'), '');
    await done(page);
  });
});

describe('phone and keyboard paths', () => {
  it('on a phone the filters are one tap from the top (筛选), without JavaScript', async () => {
    const page = await newPage(PHONE, false);
    await page.goto(`${base}/?q=${encodeURIComponent(HK)}`);
    const link = page.locator('.jumps a.to-filters');
    assert.equal(await link.isVisible(), true);
    assert.ok((await link.boundingBox())!.y < PHONE.height, 'in the first screen');
    const facetsTop = async () => page.locator('#filters').evaluate((e) => e.getBoundingClientRect().top);
    assert.ok((await facetsTop()) > PHONE.height, 'the filters start below the first screen');
    await link.click();
    await page.waitForFunction(() => Math.abs(document.getElementById('filters')!.getBoundingClientRect().top) < 40);
    assert.equal(await page.locator('#f-outlet').isVisible(), true);
    await done(page);
  });

  it('on a desktop the 筛选 link is not shown (the filters are beside the results)', async () => {
    const page = await newPage();
    await page.goto(`${base}/?q=${encodeURIComponent(HK)}`);
    assert.equal(await page.locator('.jumps a.to-filters').isVisible(), false);
    await done(page);
  });

  for (const [name, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`the first result is a few Tabs from the search box: the skip link to the results (${name})`, async () => {
      const page = await newPage(viewport);
      await page.goto(`${base}/?q=${encodeURIComponent(HK)}`);
      const first = (await page.locator('.hit h3 a').first().textContent())!.trim();
      await page.locator('#q').focus();
      let presses = 0;
      for (; presses < 4; presses++) {
        await page.keyboard.press('Tab');
        if ((await page.evaluate(() => document.activeElement?.className)) === 'skip-results') break;
      }
      assert.equal(await page.evaluate(() => document.activeElement?.textContent), '跳到结果');
      assert.equal(await page.locator('.skip-results').isVisible(), true, 'the skip link shows when it has the focus');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => u.hash === '#hits');
      await page.waitForFunction(() => document.activeElement?.id === 'hits', undefined, { timeout: 10_000 });
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), first, 'the next Tab is the first result');
      assert.ok(presses + 3 <= 6, `${presses + 3} key presses from the search box to the first result`);
      await done(page);
    });
  }

  it('the chart is one Tab stop: arrow keys, Home and End move between its bars, the next Tab leaves it', async () => {
    const page = await newPage();
    await page.goto(`${base}/?q=${encodeURIComponent(HK)}`);
    const bars = page.locator('#coverage-slot svg.chart a.bar');
    const labels = await bars.evaluateAll((as) => as.map((a) => a.getAttribute('aria-label')!));
    assert.ok(labels.length > 3);
    assert.deepEqual(
      await bars.evaluateAll((as) => as.map((a) => a.getAttribute('tabindex'))),
      labels.map((_, i) => (i === 0 ? '0' : '-1')),
      'only the first bar is in the Tab order',
    );
    await bars.first().focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(page), labels[1]);
    await page.keyboard.press('End');
    assert.equal(await focused(page), labels[labels.length - 1]);
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(page), labels[labels.length - 1], 'the last bar stays');
    await page.keyboard.press('ArrowLeft');
    assert.equal(await focused(page), labels[labels.length - 2]);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('svg') === null), true, 'one Tab leaves the chart');
    await page.keyboard.press('Shift+Tab');
    assert.equal(await focused(page), labels[labels.length - 2], 'Shift+Tab comes back to the bar last visited');
    await page.keyboard.press('Home');
    assert.equal(await focused(page), labels[0]);
    // Enter on a bar narrows the search to its month, and the from/to form shows it.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.waitForURL((u) => u.searchParams.has('from'));
    const url = new URL(page.url());
    await page.waitForFunction(
      (from) => (document.getElementById('date-from') as HTMLInputElement).value === from,
      url.searchParams.get('from'),
    );
    assert.equal(await page.inputValue('#date-to'), url.searchParams.get('to'));
    await done(page);
  });

  it('the compare chart is one Tab stop too, walked by the arrow keys', async () => {
    const page = await newPage();
    await page.goto(`${base}/trends?q=${encodeURIComponent(HK)}&q=${encodeURIComponent('台湾')}`);
    const columns = page.locator('svg.chart g.column');
    const labels = await columns.evaluateAll((gs) => gs.map((g) => g.getAttribute('aria-label')!));
    assert.equal(await page.locator('svg.chart g.column[tabindex="0"]').count(), 1);
    await columns.first().focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await focused(page), labels[1]);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('svg') === null), true);
    await done(page);
  });
});
