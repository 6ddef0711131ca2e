// The HTML pages and the shared error handling, through supertest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { ensureIndex } from '../../core/meili/ensure-index.js';
import { createApp } from '../../server/app.js';
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
    assert.match(res.text, /找不到页面/);
  });

  it('GET / shows the article count once documents are indexed', async () => {
    await meili.client.index('articles').addDocuments([{ id: 'x' }, { id: 'y' }]).waitTask({ timeout: 30_000 });
    const res = await request(app).get('/').expect(200);
    assert.ok(!res.text.includes('npm run reindex'));
    assert.match(res.text, /2 篇文章可供搜索/);
  });

  it('unknown pages get a friendly 404 page; unknown API paths get the JSON error shape', async () => {
    const page = await request(app).get('/no-such-page').set('Accept', 'text/html').expect(404);
    assert.match(page.text, /找不到页面/);
    const api = await request(app).get('/api/no-such-thing').expect(404).expect('Content-Type', /json/);
    assert.equal(api.body.error.code, 'not_found');
  });

  it('a bad parameter gets a page in the reader\'s script that names it in plain Chinese, keeps the query, and links to the search without it', async () => {
    const res = await request(app).get('/').query({ q: '香港', perPage: '500', script: 'hant' }).set('Accept', 'text/html').expect(400);
    const $ = cheerio.load(res.text);
    assert.equal($('html').attr('lang'), 'zh-Hant');
    assert.equal($('#q').val(), '香港');
    assert.equal($('#error-title').text(), '搜索條件有誤');
    assert.match($('.error').text(), /「每頁篇數」一項有誤：每頁篇數須是 1 到 100 之間的整數。/);
    assert.match($('.error').text(), /收到的是「500」/);
    assert.equal($('.error a').first().attr('href'), `/?q=${encodeURIComponent('香港')}&script=hant`);
    assert.doesNotMatch($('main').text(), /[A-Za-z]{3,}/, 'no English on the page');
  });

  it('the JSON API keeps its English error shape for the same mistake', async () => {
    const res = await request(app).get('/api/search').query({ q: '香港', perPage: '500', script: 'hant' }).expect(400).expect('Content-Type', /json/);
    assert.deepEqual(res.body, { error: { code: 'invalid_parameter', param: 'perPage', message: 'perPage must be a whole number from 1 to 100' } });
  });

  it('error pages take the remembered script when the URL has none, or when the URL\'s script is the mistake', async () => {
    const missing = await request(app).get('/article/nope-000').set('Cookie', 'tongwen_script=hant').set('Accept', 'text/html').expect(404);
    assert.match(missing.text, /<html lang="zh-Hant">/);
    assert.match(missing.text, /找不到這篇報道/);
    const bad = await request(app).get('/').query({ q: '软件', script: 'xx' }).set('Cookie', 'tongwen_script=hant').set('Accept', 'text/html').expect(400);
    const $ = cheerio.load(bad.text);
    assert.equal($('html').attr('lang'), 'zh-Hant');
    assert.equal($('#q').val(), '软件', 'the query as typed');
    assert.match($('.error').text(), /「字體」一項有誤/);
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
    assert.deepEqual(Object.keys(parts).sort(), ['facets', 'feed-link', 'form-state', 'results', 'script-switch', 'status']);
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
    assert.match(remembered.text, /篇結果/);
    assert.equal(remembered.headers['set-cookie'], undefined);
    const asked = await request(app).get('/fragments/search').query({ script: 'hans' }).set('Cookie', 'tongwen_script=hant').expect(200);
    assert.match(asked.text, /<html lang="zh-Hans">/);
    assert.equal(asked.headers['set-cookie'], undefined);
  });

  it('GET /fragments/search is rate-limited like the page, and refuses bad parameters like it', async () => {
    const limited = createApp({ backend: singleBackend(meili.client, 'articles'), log: createLogger('silent'), rateLimitPerMinute: 1 });
    await request(limited).get('/fragments/search').query({ q: 'x' }).expect(200);
    const refused = await request(limited).get('/fragments/search').query({ q: 'x' }).set('Accept', 'text/html').expect(429);
    assert.match(refused.text, /搜索过于频繁/);
    await request(app).get('/fragments/search').query({ perPage: '500' }).set('Accept', 'text/html').expect(400);
  });
});
