// The web UI in a real browser (Debian's Chromium through playwright-core) against the server
// with the fixture corpus loaded. Screenshots (desktop and phone) go to test/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Meilisearch } from 'meilisearch';
import type { Browser, Page } from 'playwright-core';
import { createLogger } from '../../core/log.js';
import { projectRoot } from '../../core/paths.js';
import { createApp } from '../../server/app.js';
import { DESKTOP, launchChromium, listen, PHONE } from '../helpers/browser.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { singleBackend } from '../../server/search/backend.js';
import { inScript } from '../../server/search/display.js';

const SHOTS = path.join(projectRoot, 'test', 'screenshots');

let ctx: LoadedApp;
let server: Server;
let downServer: Server;
let base: string;
let downBase: string;
let browser: Browser;

before(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  ctx = await loadedApp();
  ({ server, base } = await listen(ctx.app));
  const dead = createApp({
    backend: singleBackend(new Meilisearch({ host: 'http://127.0.0.1:9', timeout: 2_000 }), 'articles'),
    log: createLogger('silent'),
  });
  ({ server: downServer, base: downBase } = await listen(dead));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
  downServer?.close();
  await ctx?.cleanup();
});

async function newPage(viewport = DESKTOP, javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport, javaScriptEnabled });
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  return page;
}
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}
const hitCount = (page: Page) => page.locator('.hit').count();
const summaryTotal = async (page: Page) => Number((await page.locator('#summary strong').textContent())!.replace(/,/g, ''));

describe('web UI', () => {
  it('searches as the reader types, keeping the URL in step; "/" focuses the search box', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await shot(page, 'desktop-home');
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');
    await page.keyboard.type('網絡安全');
    await page.waitForURL(/q=%E7%B6%B2%E7%B5%A1%E5%AE%89%E5%85%A8/);
    await page.waitForFunction(() => !document.querySelector('#summary')?.textContent?.includes('可供搜索'));
    assert.ok((await summaryTotal(page)) > 0);
    assert.ok((await page.locator('.hit mark').count()) > 0, 'matches are marked');
    await shot(page, 'desktop-search');
    await page.context().close();
  });

  it('filters by outlet and by year (months open), sorts, paginates, and the back button walks back', async () => {
    const page = await newPage();
    // Five to a page, so that one outlet in one year of the fixture corpus still has two pages.
    await page.goto(`${base}/?q=${encodeURIComponent('香港')}&perPage=5`);
    const all = await summaryTotal(page);
    await page.locator('.facets a.facet', { hasText: '眾新聞' }).first().click();
    await page.waitForURL(/outlet=hkcnews/);
    await page.locator('.chip').first().waitFor();
    const hk = await summaryTotal(page);
    assert.ok(hk > 0 && hk < all);
    for (const name of await page.locator('.hit .outlet').allTextContents()) assert.equal(name, '眾新聞');

    await page.locator('#f-date ~ ul > li > a.facet', { hasText: '2021' }).click();
    await page.waitForURL(/from=2021-01-01&to=2021-12-31/);
    await page.locator('.months a').first().waitFor();
    for (const t of await page.locator('.hit time').allTextContents()) assert.match(t, /^2021-/);

    await page.locator('.sort a', { hasText: '最早' }).click();
    await page.waitForURL(/sort=oldest/);
    const dates = await page.locator('.hit time').allTextContents();
    assert.deepEqual(dates, [...dates].sort());
    const firstPage = await page.locator('.hit h3').allTextContents();
    await page.locator('.pages a', { hasText: '2' }).first().click();
    await page.waitForURL(/page=2/);
    await page.waitForFunction((first) => document.querySelector('.hit h3')?.textContent !== first, firstPage[0]);
    assert.notDeepEqual(await page.locator('.hit h3').allTextContents(), firstPage);
    await shot(page, 'desktop-filtered');

    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('page=2'));
    await page.waitForFunction((first) => document.querySelector('.hit h3')?.textContent === first, firstPage[0]);
    await page.goBack();
    await page.waitForURL((u) => !u.search.includes('sort=oldest'));
    await page.context().close();
  });

  it('says how an unspaced query was read as the reader types, with a link to the exact string and to the search tips', async () => {
    const page = await newPage();
    await page.goto(`${base}/`);
    await page.fill('#q', '林鄭月娥辭職');
    await page.locator('.reading').waitFor();
    assert.equal((await page.locator('.reading b').allTextContents()).join('+'), '林鄭月娥+辭職');
    const total = await summaryTotal(page);
    await page.locator('.reading a').click();
    await page.waitForURL(/q=%22/);
    await page.waitForFunction(() => !document.querySelector('.reading'));
    assert.equal(await page.inputValue('#q'), '"林鄭月娥辭職"', 'the search box shows the query the link chose');
    assert.ok((await summaryTotal(page)) <= total, 'the exact string finds no more than its words');
    await page.locator('.tips a').click();
    await page.waitForURL(/\/help/);
    assert.ok((await page.locator('.tips-table tbody tr').count()) >= 6);
    await shot(page, 'desktop-help');
    await page.context().close();
  });

  it('removes a filter chip and clears all', async () => {
    const page = await newPage();
    await page.goto(`${base}/?outlet=hkcnews&outlet=cdt&topic=${encodeURIComponent('评论')}`);
    assert.equal(await page.locator('.chip').count(), 3);
    await page.locator('.chips .clear').click();
    await page.waitForURL((u) => !u.search.includes('outlet'));
    assert.equal(await page.locator('.chip').count(), 0);
    await page.context().close();
  });

  it('switches script (简/繁), marks the language, and remembers the choice', async () => {
    const page = await newPage();
    await page.goto(`${base}/?q=${encodeURIComponent('北约')}`);
    await page.locator('.script-switch a', { hasText: '繁' }).click();
    await page.waitForURL(/script=hant/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant');
    assert.match((await page.locator('#summary').textContent())!, /篇報道/);
    const rfi = page.locator('.hit', { has: page.locator('.outlet', { hasText: 'RFI' }) }).first();
    assert.equal(await rfi.getAttribute('lang'), 'zh-Hant');
    assert.match((await rfi.locator('h3').textContent())!, /北約/);
    await shot(page, 'desktop-traditional');
    await page.goto(`${base}/?q=${encodeURIComponent('北约')}`);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hant', 'remembered without the parameter');
    await page.locator('.script-switch a', { hasText: '简' }).click();
    await page.waitForURL(/script=hans/);
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-Hans');
    await page.context().close();
  });

  it('opens an article with the query marked and a link to the original; back returns to the results', async () => {
    const page = await newPage();
    await page.goto(`${base}/?q=${encodeURIComponent('网络安全')}`);
    await page.locator('.hit h3 a').first().click();
    await page.waitForURL(/\/article\//);
    assert.ok((await page.locator('article h1').textContent())!.length > 0);
    assert.ok((await page.locator('article mark').count()) > 0);
    assert.match((await page.getAttribute('.original a', 'href'))!, /^https?:\/\//);
    await shot(page, 'desktop-article');
    await page.goBack();
    await page.waitForURL(/q=/);
    assert.ok((await hitCount(page)) > 0);
    await page.context().close();
  });

  it('works without JavaScript: form, facet links and pagination are plain navigation', async () => {
    const page = await newPage(DESKTOP, false);
    await page.goto(`${base}/`);
    await page.fill('#q', '香港');
    await page.press('#q', 'Enter');
    await page.waitForURL(/q=%E9%A6%99%E6%B8%AF/);
    assert.ok((await hitCount(page)) > 0);
    await page.locator('.facets a.facet').first().click();
    await page.waitForURL(/outlet=/);
    await page.locator('.pages a[rel="next"]').click();
    await page.waitForURL(/page=2/);
    assert.ok((await hitCount(page)) > 0);
    await page.context().close();
  });

  it('looks right on a phone: results first, no horizontal scrolling', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${base}/?q=${encodeURIComponent('香港')}&script=hans`);
    await shot(page, 'phone-search');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
    const resultsTop = await page.locator('#results').evaluate((e) => e.getBoundingClientRect().top);
    const facetsTop = await page.locator('.facets').evaluate((e) => e.getBoundingClientRect().top);
    assert.ok(resultsTop < facetsTop);
    await page.locator('.hit h3 a').first().click();
    await page.waitForURL(/\/article\//);
    await shot(page, 'phone-article');
    await page.context().close();
  });

  it('gives friendly pages with the right status for no results, bad parameters, unknown articles and an outage', async () => {
    const page = await newPage();
    let res = await page.goto(`${base}/?q=${encodeURIComponent('zqxjvwkpyfz')}&outlet=rfi`);
    assert.equal(res!.status(), 200);
    await page.locator('#none-title').waitFor();
    await shot(page, 'desktop-no-results');
    res = await page.goto(`${base}/?q=${encodeURIComponent('香港')}&perPage=500&script=hant`);
    assert.equal(res!.status(), 400);
    assert.equal(await page.locator('#error-title').textContent(), '搜索條件有誤', "in the reader's script");
    assert.equal(await page.inputValue('#q'), '香港', 'the query kept in the box');
    await page.locator('.error a', { hasText: '去掉「每頁篇數」再試' }).click();
    await page.waitForURL((u) => u.pathname === '/' && !u.searchParams.has('perPage') && u.searchParams.get('q') === '香港');
    assert.ok((await hitCount(page)) > 0, 'the search without the bad parameter');
    res = await page.goto(`${base}/article/nope-000`);
    assert.equal(res!.status(), 404);
    res = await page.goto(`${downBase}/?q=${encodeURIComponent('香港')}`);
    assert.equal(res!.status(), 503);
    // In the script chosen above: cookies are per host, and both servers are on 127.0.0.1.
    assert.equal(await page.locator('#error-title').textContent(), '搜索暫時不可用');
    await shot(page, 'desktop-outage');
    await page.context().close();
  });

  it('passes basic accessibility checks: labels, landmarks, focus outlines, contrast', async () => {
    const page = await newPage();
    await page.goto(`${base}/?q=${encodeURIComponent('香港')}`);
    const unlabeled = await page.evaluate(
      () =>
        [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(
          (el) => !(el.id && document.querySelector(`label[for="${el.id}"]`)) && !el.getAttribute('aria-label'),
        ).length,
    );
    assert.equal(unlabeled, 0);
    for (const sel of ['header[role=banner], header', 'main#main', 'footer', 'nav', 'aside'])
      assert.ok((await page.locator(sel).count()) > 0, sel);
    assert.ok(await page.getAttribute('html', 'lang'));
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const s = getComputedStyle(el);
      return `${s.outlineStyle} ${s.outlineWidth}`;
    });
    assert.doesNotMatch(outline, /^none|0px/, `focused element outline: ${outline}`);
    const ratios = await page.evaluate(() => {
      const rgb = (c: string) => (c.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => {
          const c = v / 255;
          return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
        };
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      const bgOf = (el: Element | null): number[] => {
        while (el) {
          const c = getComputedStyle(el).backgroundColor;
          if (c && !/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(c)) return rgb(c);
          el = el.parentElement;
        }
        return [255, 255, 255];
      };
      return ['.snippet', '.meta', '.facet .count', '.hit h3 a', '#summary', 'footer', '.facets h2', 'mark'].map((sel) => {
        const el = document.querySelector(sel)!;
        const a = lum(rgb(getComputedStyle(el).color));
        const b = lum(bgOf(el));
        return [sel, (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)] as const;
      });
    });
    for (const [sel, ratio] of ratios) assert.ok(ratio >= 4.5, `${sel}: contrast ${ratio.toFixed(2)} below 4.5`);
    await page.context().close();
  });

  /** The page's parts the live update replaces, as HTML, the time a search took left out; and its title. */
  const renderedParts = (page: Page) =>
    page.evaluate(() => ({
      title: document.title,
      parts: Object.fromEntries(
        [...document.querySelectorAll('[data-part]')].map((el) => [
          el.getAttribute('data-part'),
          el.outerHTML.replace(/ \d+ (毫秒)/g, ' N $1'),
        ]),
      ),
    }));

  it('the live-updated page is the page the server renders for the same URL: results, facets, pager, in both scripts', async () => {
    const live = await newPage();
    const plain = await newPage(DESKTOP, false);
    for (const script of ['hans', 'hant']) {
      await live.goto(`${base}/?q=${encodeURIComponent('香港')}&perPage=5&script=${script}`);
      // A mark that a page load would wipe: every step below is a live update.
      await live.evaluate(() => Object.assign(window, { stillHere: true }));
      const steps: Array<[string, () => Promise<unknown>]> = [
        ['outlet', () => live.locator('.facets a.facet').first().click()],
        ['page', () => live.locator('.pages a[rel="next"]').click()],
        ['year', () => live.locator('#f-date ~ ul > li > a.facet').first().click()],
        ['q', () => live.fill('#q', '警察')],
        ['sort', () => live.locator('.sort a:not([aria-current])').first().click()],
      ];
      for (const [name, act] of steps) {
        const before = live.url();
        await act();
        await live.waitForURL((u) => u.href !== before);
        await live.waitForFunction(() => !document.querySelector('.results.loading'));
        assert.equal(
          await live.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere),
          true,
          `${script} ${name}: no page load`,
        );
        await plain.goto(live.url());
        const [got, want] = [await renderedParts(live), await renderedParts(plain)];
        assert.deepEqual(
          Object.keys(got.parts).sort(),
          ['facets', 'feed-link', 'form-state', 'results', 'script-switch'],
          `${script} ${name}`,
        );
        assert.ok((await live.locator('.hit').count()) > 0, `${script} ${name}: results to compare`);
        assert.deepEqual(got, want, `${script} ${name}: ${live.url()}`);
      }
    }
    await live.context().close();
    await plain.context().close();
  });

  it('in traditional script, outlet and topic names are traditional everywhere: results, sidebar, chips, article page', async () => {
    const page = await newPage();
    const simplifiedOnly = async (where: string) => {
      const names = await page
        .locator('.hit .outlet, .hit .topic, .facets .label, .chip span:first-child, article .meta .outlet, article .meta .topic')
        .allTextContents();
      assert.ok(names.length > 0, `${where}: names to check`);
      return names.filter((n) => inScript(n, 'hant') !== n).map((n) => `${where}: ${n}`);
    };
    await page.goto(`${base}/?script=hant&perPage=100`);
    const found = await simplifiedOnly('server-rendered page');
    assert.ok((await page.locator('.hit .outlet', { hasText: 'RFI' }).count()) > 0, 'an outlet whose stored name is simplified (法广 RFI)');
    // A live update: a topic chosen in the sidebar.
    await page.locator('#f-topic ~ ul a.facet', { hasText: '評論' }).click();
    await page.waitForURL(/topic=/);
    await page.locator('.chip').waitFor();
    found.push(...(await simplifiedOnly('live update')));
    await page.goto(`${base}/?outlet=rfi`);
    await page.locator('.hit h3 a').first().click();
    await page.waitForURL(/\/article\//);
    assert.match((await page.locator('article .meta .outlet').textContent())!, /RFI/);
    found.push(...(await simplifiedOnly('article page')));
    assert.deepEqual(found, []);
    await page.context().close();
  });
});
