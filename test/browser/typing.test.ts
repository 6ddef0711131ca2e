// The search page as Chinese readers use it, in a real browser (Debian's Chromium through
// playwright-core) against the server with the fixture corpus loaded: typing with an input method
// (a real composition through the Chrome DevTools Protocol), and every link of the page carrying
// the search shown, after live updates and without JavaScript.
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DESKTOP = { width: 1280, height: 900 };
/** Longer than the page script's typing debounce: running the page's clock this far fires it. */
const PAST_DEBOUNCE_MS = 2_000;

let ctx: LoadedApp;
let server: Server;
let base: string;
let browser: Browser;

before(async () => {
  ctx = await loadedApp();
  server = await new Promise<Server>((resolve) => {
    const s = ctx.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
});
after(async () => {
  await browser?.close();
  server?.close();
  await ctx?.cleanup();
});

async function newPage(javaScriptEnabled = true): Promise<Page> {
  const context = await browser.newContext({ viewport: DESKTOP, javaScriptEnabled });
  const page = await context.newPage();
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
