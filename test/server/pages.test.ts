// The HTML pages and the shared error handling, through supertest; the search page's edges (a
// page past the last, the range shown, the page size, no results) on the fixture corpus.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { ensureIndex } from '../../core/meili/ensure-index.js';
import { createApp } from '../../server/app.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { startTestMeili, type TestMeili } from '../helpers/meili.js';
import { singleBackend } from '../../server/search/backend.js';

describe('pages', () => {
  let meili: TestMeili;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    meili = await startTestMeili();
    await ensureIndex(meili.client, 'articles');
    app = createApp({ backend: singleBackend(meili.client, 'articles'), log: createLogger('silent') });
  });
  after(async () => meili.cleanup());

  it('GET / renders the search form and, on an empty index, how to load articles', async () => {
    const res = await request(app).get('/').expect(200).expect('Content-Type', /html/);
    assert.match(res.text, /<form class="search" action="\/" method="get"/);
    assert.match(res.text, /<label for="q"/);
    assert.match(res.text, /npm run reindex -- /);
    assert.equal(res.headers['x-powered-by'], undefined);
    assert.match(res.headers['content-security-policy'] ?? '', /script-src 'self'/);
  });

  it('GET / escapes the query it echoes back', async () => {
    const res = await request(app).get('/').query({ q: '"><script>alert(1)</script>' }).expect(200);
    assert.ok(!res.text.includes('<script>alert(1)'));
    assert.match(res.text, /&lt;script&gt;/);
  });

  it('GET /fragments/search on an empty index is a 404, so that the page script loads the page that says how to load articles', async () => {
    const res = await request(app).get('/fragments/search').query({ q: '香港' }).set('Accept', 'text/html').expect(404);
    assert.match(res.text, /Page not found/);
  });

  it('GET / shows the article count once documents are indexed', async () => {
    await meili.client.index('articles').addDocuments([{ id: 'x' }, { id: 'y' }]).waitTask({ timeout: 30_000 });
    const res = await request(app).get('/').expect(200);
    assert.ok(!res.text.includes('npm run reindex'));
    assert.match(res.text, /共 <strong>2<\/strong> 篇报道可供搜索/);
  });

  it('unknown pages get a friendly 404 page; unknown API paths get the JSON error shape', async () => {
    const page = await request(app).get('/no-such-page').set('Accept', 'text/html').expect(404);
    assert.match(page.text, /Page not found/);
    const api = await request(app).get('/api/no-such-thing').expect(404).expect('Content-Type', /json/);
    assert.equal(api.body.error.code, 'not_found');
  });

  it('serves static assets with cache headers', async () => {
    const res = await request(app).get('/assets/style.css').expect(200).expect('Content-Type', /css/);
    assert.match(res.headers['cache-control'] ?? '', /max-age=604800/);
  });

  /** The search page's parts ([data-part] elements) by name, the time a search took left out. */
  const partsOf = (html: string) => {
    const $ = cheerio.load(html);
    return Object.fromEntries($('[data-part]').toArray().map((el) => [$(el).attr('data-part'), $.html(el).replace(/ \d+ 毫秒/g, ' N 毫秒')]));
  };

  it('GET /fragments/search answers the parts of the page for the same search, rendered alike, and its canonical URL', async () => {
    const query = { q: 'x', sort: 'newest', perPage: '5' };
    const page = await request(app).get('/').query(query).expect(200);
    const fragment = await request(app).get('/fragments/search').query(query).expect(200).expect('Content-Type', /html/);
    assert.equal(fragment.headers['cache-control'], 'no-store');
    const parts = partsOf(fragment.text);
    assert.deepEqual(Object.keys(parts).sort(), ['facets', 'feed-link', 'form-state', 'results', 'script-switch']);
    assert.deepEqual(parts, partsOf(page.text));
    const $ = cheerio.load(fragment.text);
    assert.equal($('link[rel="canonical"]').attr('href'), '/?q=x&sort=newest&perPage=5');
    assert.equal($('title').text(), cheerio.load(page.text)('title').text());
    // A new query keeps the sort and the page size.
    assert.deepEqual($('[data-part="form-state"] input').toArray().map((i) => [i.attribs.name, i.attribs.value]), [['sort', 'newest'], ['perPage', '5']]);
    assert.ok(!/<script/.test(fragment.text), 'no script in a fragment');
  });

  it('GET /fragments/search is in the reader\'s script (the URL\'s, else the remembered one) and does not change it', async () => {
    const remembered = await request(app).get('/fragments/search').set('Cookie', 'tongwen_script=hant').expect(200);
    assert.match(remembered.text, /<html lang="zh-Hant">/);
    assert.match(remembered.text, /篇報道/);
    assert.equal(remembered.headers['set-cookie'], undefined);
    const asked = await request(app).get('/fragments/search').query({ script: 'hans' }).set('Cookie', 'tongwen_script=hant').expect(200);
    assert.match(asked.text, /<html lang="zh-Hans">/);
    assert.equal(asked.headers['set-cookie'], undefined);
  });

  it('GET /fragments/search is rate-limited like the page, and refuses bad parameters like it', async () => {
    const limited = createApp({ backend: singleBackend(meili.client, 'articles'), log: createLogger('silent'), rateLimitPerMinute: 1 });
    await request(limited).get('/fragments/search').query({ q: 'x' }).expect(200);
    const refused = await request(limited).get('/fragments/search').query({ q: 'x' }).set('Accept', 'text/html').expect(429);
    assert.match(refused.text, /Too many searches/);
    await request(app).get('/fragments/search').query({ perPage: '500' }).set('Accept', 'text/html').expect(400);
  });
});

describe('the search page at its edges (fixture corpus)', () => {
  let ctx: LoadedApp;
  before(async () => {
    ctx = await loadedApp();
  });
  after(async () => ctx?.cleanup());

  const page = async (query: Record<string, string>) => cheerio.load((await request(ctx.app).get('/').query(query).expect(200)).text);
  const totalOf = async (q: string) => (await request(ctx.app).get('/api/search').query({ q }).expect(200)).body.total as number;

  it('says which stories a page shows and how many there are: 第 21–40 篇，共 N 篇报道', async () => {
    const total = await totalOf('香港');
    assert.ok(total > 40 && total < 60, `${total} stories: three pages of 20`);
    assert.match((await page({ q: '香港', page: '2' }))('#summary').text(), new RegExp(`^第 21–40 篇，共 ${total} 篇报道 · `));
    assert.match((await page({ q: '香港', page: '3' }))('#summary').text(), new RegExp(`^第 41–${total} 篇，共 ${total} 篇报道 · `));
    assert.match((await page({ script: 'hant' }))('#summary').text(), new RegExp(`^第 1–20 篇，共 ${ctx.articles.length} 篇報道可供搜索 · `));
  });

  it('a page past the last says so and links the last page, with the pager; never "no results" beside a total', async () => {
    const $ = await page({ q: '香港', page: '9' });
    assert.match($('#summary').text(), /^共 \d+ 篇报道/);
    assert.equal($('li.hit').length, 0);
    assert.equal($('#none-title').length, 0);
    assert.doesNotMatch($.text(), /没有找到/);
    assert.match($('.notice[role="status"]').text(), /没有第 9 页：这次搜索共 3 页。/);
    assert.match($('.notice[role="status"] a').attr('href')!, /[?&]page=3(&|$)/);
    assert.deepEqual($('.pages a').toArray().map((a) => $(a).text()), ['1', '2', '3']);
  });

  it('offers 10, 20, 50 or 100 stories a page as plain links that keep the first story shown in view', async () => {
    const $ = await page({ q: '香港', page: '3' });
    const links = Object.fromEntries($('.per-page a').toArray().map((a) => [$(a).text(), $(a)]));
    assert.deepEqual(Object.keys(links), ['10', '20', '50', '100']);
    assert.equal(links['20']!.attr('aria-current'), 'true');
    // Story 41 is the first on page 3 of 20: page 5 of 10, page 1 of 50.
    assert.equal(links['10']!.attr('href'), `/?q=${encodeURIComponent('香港')}&page=5&perPage=10`);
    assert.equal(links['50']!.attr('href'), `/?q=${encodeURIComponent('香港')}&perPage=50`);
    const tens = cheerio.load((await request(ctx.app).get(links['10']!.attr('href')!).expect(200)).text);
    assert.match(tens('#summary').text(), /^第 41–\d+ 篇/);
    assert.equal(tens('.per-page a[aria-current]').text(), '10');
  });

  it('with no results: the notice, no empty filter headings, no sort, export or feed links', async () => {
    const $ = await page({ q: 'zqxjvwkpyfz' });
    assert.equal($('#none-title').text(), '没有找到报道');
    assert.match($('#summary').text(), /^共 0 篇报道/);
    assert.equal($('.facets h2').length, 0);
    assert.equal($('.sort, .tools, .per-page, .pages').length, 0);
    assert.equal($('.results a[href^="/api/export"], .results a[href^="/feed.xml"]').length, 0);
  });

  it('names the unit one way, 篇报道, on every page in both scripts', async () => {
    const id = (await request(ctx.app).get('/api/search').query({ q: '香港' }).expect(200)).body.hits[0].id as string;
    for (const script of ['hans', 'hant']) {
      for (const path of ['/', '/?q=香港', '/?q=香港&page=9', '/?q=zqxjvwkpyfz', `/article/${encodeURIComponent(id)}?q=香港`, '/help', '/trends?q=香港&q=台湾']) {
        const res = await request(ctx.app).get(encodeURI(path)).query({ script }).expect(200);
        const text = cheerio.load(res.text)('body').text();
        assert.doesNotMatch(text, /篇(结果|結果|文章)/, `${script} ${path}`);
      }
    }
  });
});
