// The search page as Chinese readers use it, in a real browser (Debian's Chromium through
// playwright-core) against the server with the fixture corpus loaded: typing with an input method
// (a real composition through the Chrome DevTools Protocol), and every link of the page carrying
// the search shown, after live updates and without JavaScript.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type BrowserApp, DESKTOP, startBrowserApp } from '../helpers/browser.js';

/** Longer than the page script's typing debounce: running the page's clock this far fires it. */
const PAST_DEBOUNCE_MS = 2_000;

let base: string;
let browser: Browser;
let started: BrowserApp | undefined;

before(async () => {
  started = await startBrowserApp();
  ({ base, browser } = started);
});
after(async () => started?.close());

async function newPage(javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  return page;
}

/** The `q` of every live-update request the page makes, in order. */
function fragmentQueries(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (url.pathname === '/fragments/search') seen.push(url.searchParams.get('q') ?? '');
  });
  return seen;
}

describe('typing with an input method', () => {
  it('never searches a pinyin composition in progress; the committed characters are searched', async () => {
    const page = await newPage();
    // The page's timers run only when the test says, so "no request" means none was scheduled.
    await page.clock.install();
    await page.goto(`${base}/`);
    const asked = fragmentQueries(page);
    const ime = await page.context().newCDPSession(page);
    await page.focus('#q');
    for (const text of ['x', 'xiang', 'xiang g', 'xiang gang']) {
      await ime.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      assert.equal(await page.inputValue('#q'), text, 'the composition is in the box');
      await page.clock.runFor(PAST_DEBOUNCE_MS);
    }
    assert.deepEqual(asked, [], 'no search while composing');
    const searched = page.waitForRequest((r) => new URL(r.url()).pathname === '/fragments/search');
    await ime.send('Input.insertText', { text: '香港' });
    await page.clock.runFor(PAST_DEBOUNCE_MS);
    await searched;
    await page.waitForURL(/q=%E9%A6%99%E6%B8%AF/);
    assert.deepEqual(asked, ['香港']);
    await page.context().close();
  });

  it('a composition after committed text does not search the mixed text until it is committed', async () => {
    const page = await newPage();
    await page.clock.install();
    await page.goto(`${base}/`);
    const asked = fragmentQueries(page);
    const ime = await page.context().newCDPSession(page);
    await page.focus('#q');
    await page.keyboard.type('香港 ');
    await page.clock.runFor(PAST_DEBOUNCE_MS);
    await page.waitForURL(/q=/);
    await ime.send('Input.imeSetComposition', { text: 'jing', selectionStart: 4, selectionEnd: 4 });
    await page.clock.runFor(PAST_DEBOUNCE_MS);
    await ime.send('Input.imeSetComposition', { text: 'jingcha', selectionStart: 7, selectionEnd: 7 });
    await page.clock.runFor(PAST_DEBOUNCE_MS);
    assert.deepEqual(asked, ['香港 ']);
    await ime.send('Input.insertText', { text: '警察' });
    await page.clock.runFor(PAST_DEBOUNCE_MS);
    await page.waitForURL(/q=%E9%A6%99%E6%B8%AF\+%E8%AD%A6%E5%AF%9F/);
    assert.deepEqual(asked, ['香港 ', '香港 警察']);
    await page.context().close();
  });
});

/** Parameters of a URL, sorted, leaving out `omit`. */
function paramsOf(href: string, omit: string[] = []): string[] {
  return [...new URL(href, 'http://x').searchParams]
    .filter(([k]) => !omit.includes(k))
    .map(([k, v]) => `${k}=${v}`)
    .sort();
}

/**
 * Checks that every link of the search page carries the search in the address bar: the script
 * switch all of it (page included); sort links all but the page; page links all but the page;
 * export, feed and compare links the selection (query, filters, script); chart bars the query and
 * filters but their own dates. Returns how many links it checked.
 */
async function assertLinksCarrySearch(page: Page, where: string): Promise<number> {
  const here = page.url();
  const links = await page.evaluate(() => {
    const hrefs = (sel: string) => [...document.querySelectorAll(sel)].map((a) => a.getAttribute('href')!);
    return {
      script: hrefs('.script-switch a'),
      sort: hrefs('.sort a'),
      pager: hrefs('.pages a'),
      perPage: hrefs('.per-page a'),
      tools: hrefs('.tools a'),
      feed: hrefs('link[rel="alternate"][type="application/atom+xml"]'),
      chart: hrefs('.coverage a.bar'),
    };
  });
  const selection = ['q', 'outlet', 'topic', 'from', 'to', 'script'];
  const only = (href: string, keep: string[]) => paramsOf(href).filter((p) => keep.includes(p.split('=')[0]!));
  let checked = 0;
  const expect = (got: string[], want: string[], what: string) => {
    assert.deepEqual(got, want, `${where}: ${what} (on ${here})`);
    checked++;
  };
  for (const h of links.script) expect(paramsOf(h, ['script']), paramsOf(here, ['script']), `script switch ${h}`);
  for (const h of links.sort) expect(paramsOf(h, ['sort']), paramsOf(here, ['sort', 'page']), `sort ${h}`);
  for (const h of links.pager) expect(paramsOf(h, ['page']), paramsOf(here, ['page']), `pager ${h}`);
  for (const h of links.perPage) expect(paramsOf(h, ['page', 'perPage']), paramsOf(here, ['page', 'perPage']), `per page ${h}`);
  for (const h of [...links.tools, ...links.feed]) expect(only(h, selection), only(here, selection), `export/feed/compare ${h}`);
  for (const h of links.chart)
    expect(only(h, ['q', 'outlet', 'topic', 'script']), only(here, ['q', 'outlet', 'topic', 'script']), `chart ${h}`);
  assert.ok(
    links.script.length === 3 && links.sort.length >= 2 && links.tools.length >= 3 && links.feed.length === 1,
    `${where}: the links are there`,
  );
  return checked;
}

const summaryTotal = async (page: Page) => Number((await page.locator('#summary strong').textContent())!.replace(/,/g, ''));
/** Waits for a live update to finish (the page script marks the results while loading). */
const settled = (page: Page) => page.waitForFunction(() => !document.querySelector('.results.loading'));

describe('every link carries the search shown', () => {
  it('the script switch keeps a query typed live (网络安全 → 简)', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.locator('#q').pressSequentially('网络安全');
    await page.waitForURL(/q=%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8/);
    await settled(page);
    const total = await summaryTotal(page);
    await assertLinksCarrySearch(page, 'typed live');
    await page.locator('.script-switch a', { hasText: '简' }).click();
    await page.waitForURL(/script=hans/);
    assert.match(page.url(), /q=%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8/);
    assert.equal(await page.inputValue('#q'), '网络安全');
    assert.equal(await summaryTotal(page), total);
    await page.context().close();
  });

  it('the script switch, sort, pages, export, feed, compare and chart keep filters clicked live (two outlets, a year, page 2 → 繁)', async () => {
    const page = await newPage();
    await page.goto(`${base}/?perPage=2`);
    await page.evaluate(() => Object.assign(window, { stillHere: true }));
    const steps: Array<[string, () => Promise<unknown>]> = [
      ['q', () => page.locator('#q').pressSequentially('香港')],
      ['first outlet', () => page.locator('#f-outlet ~ ul a.facet:not(.on)').first().click()],
      ['second outlet', () => page.locator('#f-outlet ~ ul a.facet:not(.on)').first().click()],
      ['year', () => page.locator('#f-date ~ ul > li > a.facet', { hasText: '2021' }).click()],
      ['sort', () => page.locator('.sort a:not([aria-current])').first().click()],
      ['page 2', () => page.locator('.pages a[rel="next"]').click()],
    ];
    let checked = 0;
    for (const [name, act] of steps) {
      const before = page.url();
      await act();
      await page.waitForURL((u) => u.href !== before);
      await settled(page);
      checked += await assertLinksCarrySearch(page, `after ${name}`);
    }
    assert.equal(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere), true, 'every step was a live update');
    const shown = new URL(page.url());
    assert.equal(shown.searchParams.getAll('outlet').length, 2);
    assert.equal(shown.searchParams.get('page'), '2');
    const total = await summaryTotal(page);
    await page.locator('.script-switch a', { hasText: '繁' }).click();
    await page.waitForURL(/script=hant/);
    assert.deepEqual(paramsOf(page.url(), ['script']), paramsOf(shown.href, ['script']), 'the same search, page 2 included');
    assert.equal(await summaryTotal(page), total);
    await assertLinksCarrySearch(page, 'in 繁');
    assert.ok(checked > 40, `${checked} links checked`);
    await page.context().close();
  });

  it('without JavaScript the same links carry the search', async () => {
    const page = await newPage(false);
    await page.goto(`${base}/?perPage=2`);
    await page.fill('#q', '香港');
    await page.press('#q', 'Enter');
    await page.waitForURL(/q=/);
    for (const next of [
      '#f-outlet ~ ul a.facet:not(.on)',
      '#f-outlet ~ ul a.facet:not(.on)',
      '#f-date ~ ul > li > a.facet >> text=2021',
      '.pages a[rel="next"]',
    ]) {
      await assertLinksCarrySearch(page, page.url());
      await page.locator(next).first().click();
      await page.waitForLoadState();
    }
    assert.equal(new URL(page.url()).searchParams.get('page'), '2');
    await assertLinksCarrySearch(page, page.url());
    await page.context().close();
  });

  it('a query typed but not yet searched goes with the link the reader clicks (script switch, sort)', async () => {
    const page = await newPage();
    // The typing pause never ends: only the click can carry the typed query.
    await page.clock.install();
    await page.goto(`${base}/?q=${encodeURIComponent('香港')}`);
    await page.fill('#q', '网络安全');
    await page.locator('.sort a', { hasText: '最新' }).click();
    await page.waitForURL(/sort=newest/);
    assert.match(page.url(), /q=%E7%BD%91%E7%BB%9C%E5%AE%89%E5%85%A8/);
    await page.fill('#q', '警察');
    await page.locator('.script-switch a', { hasText: '繁' }).click();
    await page.waitForURL(/script=hant/);
    assert.deepEqual(paramsOf(page.url()), ['q=警察', 'script=hant', 'sort=newest']);
    await page.context().close();
  });
});

describe("the results' edges, live", () => {
  it('the archive line gives way to the range shown; no results hide empty filters and the export links; the page size is a link', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.evaluate(() => Object.assign(window, { stillHere: true }));
    assert.match((await page.locator('#summary').textContent())!, /^第 1–20 篇，共 \d+ 篇报道可供搜索/);
    await page.locator('#q').pressSequentially('香港');
    await page.waitForURL(/q=/);
    await page.waitForFunction(() => !/可供搜索/.test(document.querySelector('#summary')!.textContent!));
    assert.match((await page.locator('#summary').textContent())!, /^第 1–20 篇，共 \d+ 篇报道 · /);
    assert.equal(await page.getByText('可供搜索').count(), 0, 'the archive line is gone');

    await page.locator('.per-page a', { hasText: '50' }).click();
    await page.waitForURL(/perPage=50/);
    await settled(page);
    assert.match((await page.locator('#summary').textContent())!, /^第 1–\d+ 篇/);
    assert.ok((await page.locator('li.hit').count()) > 20);

    await page.fill('#q', 'zqxjvwkpyfz');
    await page.locator('#none-title').waitFor();
    assert.equal(await page.locator('.facets h2, .sort, .tools, .per-page').count(), 0);
    await page.fill('#q', '香港');
    await page.locator('li.hit').first().waitFor();
    // Outlet, topic and date, then people, places and organizations.
    assert.equal(await page.locator('.facets h2').count(), 6);
    assert.equal(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere), true, 'all of it live');
    await page.context().close();
  });
});
