// The terms panel, the people, places and organizations facets and the related stories in a real
// browser (issue 29), in both scripts, with and without JavaScript, against the fixture corpus.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { inScript } from '../../server/search/display.js';
import { DESKTOP, startBrowserApp, type BrowserApp } from '../helpers/browser.js';

let app: BrowserApp;
before(async () => {
  app = await startBrowserApp();
});
after(async () => app?.close());

async function newPage(javaScriptEnabled: boolean): Promise<Page> {
  const context = await app.browser.newContext({ viewport: DESKTOP, javaScriptEnabled });
  const page = await context.newPage();
  page.on('pageerror', (err) => assert.fail(`page error: ${err.message}`));
  return page;
}
const apiGet = async (path: string, query: Record<string, string> = {}) =>
  (await request(app.ctx.app).get(path).query(query).expect(200)).body;
const summaryTotal = async (page: Page) => Number((await page.locator('#summary strong').textContent())!.replace(/[^\d]/g, ''));

for (const javaScript of [false, true]) {
  const how = javaScript ? 'with JavaScript' : 'without JavaScript';

  describe(`the terms panel, ${how}`, () => {
    it('lists the words that stand out in the reader’s script, with their exact counts and bars; a word adds itself to the query', async () => {
      for (const script of ['hans', 'hant'] as const) {
        const page = await newPage(javaScript);
        await page.goto(`${app.base}/?q=新冠&script=${script}`);
        const expected = (await apiGet('/api/terms', { q: '新冠', script })).terms as Array<{ label: string; stories: number }>;
        assert.ok(expected.length > 5);
        const panel = page.getByRole('list', { name: inScript('突出的词', script) });
        const items = panel.getByRole('listitem');
        assert.equal(await items.count(), expected.length);
        const first = items.first().getByRole('link');
        assert.equal(await first.locator('.word').textContent(), expected[0]!.label);
        assert.match((await first.locator('.count').textContent())!, new RegExp(`^${expected[0]!.stories} 篇`));
        assert.equal(await panel.locator('svg.term-bar rect').count(), expected.length);
        await first.click();
        await page.waitForURL((url) => url.searchParams.get('q') === `新冠 ${expected[0]!.label}`);
        await page.locator('#summary strong').waitFor();
        assert.equal(await summaryTotal(page), expected[0]!.stories, `${script}: the word's count is the search's total`);
        await page.context().close();
      }
    });
  });

  describe(`the people, places and organizations facets, ${how}`, () => {
    it('show the names of the matching stories with counts; choosing one narrows the search and keeps the others', async () => {
      for (const script of ['hans', 'hant'] as const) {
        const page = await newPage(javaScript);
        await page.goto(`${app.base}/?q=香港&script=${script}`);
        const people = page.locator('ul[data-facet="person"] a');
        const expected = (await apiGet('/api/search', { q: '香港', script })).facets.person as Array<{ label: string; count: number }>;
        assert.equal(await people.count(), expected.length);
        assert.equal(await people.first().locator('.label').textContent(), expected[0]!.label);
        assert.equal(await page.locator('#f-person').textContent(), inScript('人物', script));
        assert.ok((await page.locator('ul[data-facet="place"] a').count()) > 0);
        assert.ok((await page.locator('ul[data-facet="organization"] a').count()) > 0);
        await people.first().click();
        await page.waitForURL((url) => url.searchParams.has('person'));
        await page.locator('ul[data-facet="person"] a[aria-current="true"]').waitFor();
        assert.equal(await summaryTotal(page), expected[0]!.count);
        assert.equal(await page.locator('ul[data-facet="person"] a').count(), expected.length, 'disjunctive: the others stay');
        assert.ok((await page.locator('.chips').textContent())!.includes(expected[0]!.label));
        await page.context().close();
      }
    });
  });

  describe(`the related stories on the article page, ${how}`, () => {
    it('list the same event in other outlets, with outlet, day and the words shared, in the reader’s script', async () => {
      let found: { id: string; related: Array<{ id: string; title: string; shared: string[] }> } | undefined;
      for (const a of app.ctx.articles) {
        const body = await apiGet(`/api/articles/${a.id}/related`, { script: 'hant' });
        if (body.related.length > 0) {
          found = body;
          break;
        }
      }
      assert.ok(found, 'a fixture story has related stories');
      for (const script of ['hans', 'hant'] as const) {
        const related = (await apiGet(`/api/articles/${found.id}/related`, { script })).related as Array<{
          id: string;
          title: string;
          shared: string[];
        }>;
        const page = await newPage(javaScript);
        await page.goto(`${app.base}/article/${found.id}?script=${script}`);
        const section = page.getByRole('region', { name: inScript('其他媒体的相关报道', script) });
        const items = section.getByRole('listitem');
        assert.equal(await items.count(), related.length);
        assert.equal(await items.first().getByRole('link').textContent(), related[0]!.title);
        assert.ok((await items.first().locator('.shared').textContent())!.includes(related[0]!.shared.join('、')));
        await items.first().getByRole('link').click();
        await page.waitForURL((url) => url.pathname === `/article/${related[0]!.id}`);
        await page.context().close();
      }
    });
  });
}
