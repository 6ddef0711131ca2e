// The HTML pages and the shared error handling, through supertest; the search page's edges (a
// page past the last, the range shown, the page size, no results), copies and every label in the
// reader's script on the fixture corpus.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as cheerio from 'cheerio';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { ensureIndex } from '../../core/meili/ensure-index.js';
import { createApp } from '../../server/app.js';
import { startTestMeili, type TestMeili } from '../helpers/meili.js';
import { singleBackend } from '../../server/search/backend.js';
import { inScript } from '../../server/search/display.js';
import { parseFile } from '../../indexer/parse-file.js';
import { fixtureCorpusDir } from '../helpers/corpus.js';
import { chinaDay, loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import path from 'node:path';

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
    await meili.client
      .index('articles')
      .addDocuments([{ id: 'x' }, { id: 'y' }])
      .waitTask({ timeout: 30_000 });
    const res = await request(app).get('/').expect(200);
    assert.ok(!res.text.includes('npm run reindex'));
    assert.match(res.text, /共 <strong>2<\/strong> 篇报道可供搜索/);
  });

  it('unknown pages get a friendly 404 page; unknown API paths get the JSON error shape', async () => {
    const page = await request(app).get('/no-such-page').set('Accept', 'text/html').expect(404);
    assert.match(page.text, /找不到页面/);
    const api = await request(app).get('/api/no-such-thing').expect(404).expect('Content-Type', /json/);
    assert.equal(api.body.error.code, 'not_found');
  });

  it("a bad parameter gets a page in the reader's script that names it in plain Chinese, keeps the query, and links to the search without it", async () => {
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
    const res = await request(app)
      .get('/api/search')
      .query({ q: '香港', perPage: '500', script: 'hant' })
      .expect(400)
      .expect('Content-Type', /json/);
    assert.deepEqual(res.body, {
      error: { code: 'invalid_parameter', param: 'perPage', message: 'perPage must be a whole number from 1 to 100' },
    });
  });

  it("error pages take the remembered script when the URL has none, or when the URL's script is the mistake", async () => {
    const missing = await request(app).get('/article/nope-000').set('Cookie', 'tongwen_script=hant').set('Accept', 'text/html').expect(404);
    assert.match(missing.text, /<html lang="zh-Hant">/);
    assert.match(missing.text, /找不到這篇報道/);
    const bad = await request(app)
      .get('/')
      .query({ q: '软件', script: 'xx' })
      .set('Cookie', 'tongwen_script=hant')
      .set('Accept', 'text/html')
      .expect(400);
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
    return Object.fromEntries(
      $('[data-part]')
        .toArray()
        .map((el) => [$(el).attr('data-part'), $.html(el).replace(/ \d+ 毫秒/g, ' N 毫秒')]),
    );
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
    assert.deepEqual(
      $('[data-part="form-state"] input')
        .toArray()
        .map((i) => [i.attribs.name, i.attribs.value]),
      [
        ['sort', 'newest'],
        ['perPage', '5'],
      ],
    );
    assert.ok(!/<script/.test(fragment.text), 'no script in a fragment');
  });

  it("GET /fragments/search is in the reader's script (the URL's, else the remembered one) and does not change it", async () => {
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
    assert.match(refused.text, /搜索过于频繁/);
    await request(app).get('/fragments/search').query({ perPage: '500' }).set('Accept', 'text/html').expect(400);
  });
});

describe('pages over the fixture corpus: the search page at its edges, copies, labels in the reader’s script', () => {
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
    assert.match(
      (await page({ script: 'hant' }))('#summary').text(),
      new RegExp(`^第 1–20 篇，共 ${ctx.articles.length} 篇報道可供搜索 · `),
    );
  });

  it('a page past the last says so and links the last page, with the pager; never "no results" beside a total', async () => {
    const $ = await page({ q: '香港', page: '9' });
    assert.match($('#summary').text(), /^共 \d+ 篇报道/);
    assert.equal($('li.hit').length, 0);
    assert.equal($('#none-title').length, 0);
    assert.doesNotMatch($.text(), /没有找到/);
    assert.match($('.notice[role="status"]').text(), /没有第 9 页：这次搜索共 3 页。/);
    assert.match($('.notice[role="status"] a').attr('href')!, /[?&]page=3(&|$)/);
    assert.deepEqual(
      $('.pages a')
        .toArray()
        .map((a) => $(a).text()),
      ['1', '2', '3'],
    );
  });

  it('offers 10, 20, 50 or 100 stories a page as plain links that keep the first story shown in view', async () => {
    const $ = await page({ q: '香港', page: '3' });
    const links = Object.fromEntries(
      $('.per-page a')
        .toArray()
        .map((a) => [$(a).text(), $(a)]),
    );
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
      for (const path of [
        '/',
        '/?q=香港',
        '/?q=香港&page=9',
        '/?q=zqxjvwkpyfz',
        `/article/${encodeURIComponent(id)}?q=香港`,
        '/help',
        '/trends?q=香港&q=台湾',
      ]) {
        const res = await request(ctx.app).get(encodeURI(path)).query({ script }).expect(200);
        const text = cheerio.load(res.text)('body').text();
        assert.doesNotMatch(text, /篇(结果|結果|文章)/, `${script} ${path}`);
      }
    }
  });
  /** The RFI story saved under two URLs (test/fixtures/README.md, "Copies"), as parsed from its files. */
  async function rfiCopies() {
    const docs: Array<Extract<Awaited<ReturnType<typeof parseFile>>, { ok: true }>['doc']> = [];
    for (const name of ['1058104.md', '1058117.md']) {
      const r = await parseFile(path.join(fixtureCorpusDir, 'feedx', 'rfi', name));
      assert.ok(r.ok, name);
      docs.push(r.doc);
    }
    const res = await request(ctx.app).get('/api/search').query({ outlet: 'rfi', perPage: '100' }).expect(200);
    const story = res.body.hits.find((h: { id: string }) => docs.some((d) => d.id === h.id));
    assert.ok(story, 'the story is indexed under one of its ids');
    return { story, copy: docs.find((d) => d.id !== story.id)! };
  }

  it("a story's page lists its other copy with outlet, day and title, the URL as the link, in the reader's script", async () => {
    const { story, copy } = await rfiCopies();
    for (const script of ['orig', 'hant'] as const) {
      const $ = cheerio.load((await request(ctx.app).get(`/article/${story.id}`).query({ script }).expect(200)).text);
      const items = $('section.copies li');
      assert.equal(items.length, 1);
      assert.equal(items.find('a').attr('href'), copy.url);
      assert.equal(items.find('a').text(), inScript(copy.title, script));
      assert.equal(items.find('time').text(), chinaDay(copy.publishedAt!));
      assert.equal(items.find('.outlet').text(), inScript('法广 RFI', script));
      assert.doesNotMatch(items.text(), /%[0-9A-F]{2}/, 'no percent-encoded text');
    }
  });

  it('a hit whose story has copies says how many; the others say nothing', async () => {
    const { story } = await rfiCopies();
    const $ = cheerio.load((await request(ctx.app).get('/').query({ outlet: 'rfi', perPage: '100' }).expect(200)).text);
    const hit = $('li.hit').filter((_, el) => $(el).find('h3 a').attr('href')!.startsWith(`/article/${story.id}`));
    assert.equal(hit.find('.meta .copies').text(), '另有 1 个版本');
    assert.equal($('li.hit .meta .copies').length, 1, 'only the story with a copy');
    const api = await request(ctx.app).get('/api/search').query({ outlet: 'rfi', perPage: '100' }).expect(200);
    assert.deepEqual(
      api.body.hits.filter((h: { copies: number }) => h.copies > 0).map((h: { id: string }) => h.id),
      [story.id],
    );
  });

  it("the compare page and an article opened directly have the search box, which keeps the reader's script", async () => {
    const { story } = await rfiCopies();
    for (const url of ['/trends?q=香港&script=hant', `/article/${story.id}?script=hant`]) {
      const $ = cheerio.load((await request(ctx.app).get(encodeURI(url)).expect(200)).text);
      assert.equal($('form.search[action="/"] #q').length, 1, url);
      assert.equal($('form.search input[type="hidden"][name="script"]').val(), 'hant', url);
    }
  });

  /**
   * The page's text as a reader meets it: text nodes and the labels of controls and links, without
   * code, text marked as in another language (the 简/繁 switch names each script in itself), the
   * reader's own query echoed as typed, and long article text (snippets, paragraphs): OpenCC's
   * phrase conversion of those is not idempotent (团伙 → 團伙, and 團伙 again → 團夥), so checking
   * them by converting again would flag correct text.
   */
  function readerText(html: string, q: string): string {
    const $ = cheerio.load(html);
    const lang = $('html').attr('lang');
    $('script, style, code, pre, .snippet, article > p:not(.meta)').remove();
    $('body [lang]')
      .filter((_, el) => $(el).attr('lang') !== lang)
      .remove();
    const labels = $('[aria-label], [placeholder], [title]')
      .toArray()
      .flatMap((el) => ['aria-label', 'placeholder', 'title'].map((a) => $(el).attr(a) ?? ''));
    return [$('title').text(), $('body').text(), ...labels].join('\n').replaceAll(q, '');
  }

  /** Each stretch of `text` that is not in `script` (that converting to it would change), with its context. */
  function notInScript(text: string, script: 'hans' | 'hant'): string[] {
    const found: string[] = [];
    for (const line of text.split('\n')) {
      const converted = inScript(line, script);
      if (converted === line) continue;
      const at = [...line].findIndex((c, i) => c !== [...converted][i]);
      found.push(
        [...line]
          .slice(Math.max(0, at - 8), at + 8)
          .join('')
          .trim(),
      );
    }
    return found;
  }

  it("every page's labels and text are in the reader's script: search, chips, chart, article, copies, help, compare, errors", async () => {
    const { story } = await rfiCopies();
    const pages = [
      '/?q=网络安全',
      '/?q=香港&outlet=hkcnews&topic=国际&from=2019-01-01&to=2021-12-31',
      '/?q=林鄭月娥辭職',
      `/article/${story.id}?q=北约`,
      '/help',
      '/trends?q=香港&q=网络安全&q=軟體',
      '/trends?q=香港&q=台湾&share=1',
      '/?q=香港&perPage=500',
      '/article/nope-000',
    ];
    const found: string[] = [];
    for (const script of ['hans', 'hant'] as const) {
      for (const url of pages) {
        const res = await request(ctx.app)
          .get(encodeURI(`${url}${url.includes('?') ? '&' : '?'}script=${script}`))
          .set('Accept', 'text/html');
        assert.ok([200, 400, 404].includes(res.status), `${url}: ${res.status}`);
        const q = new URLSearchParams(url.split('?')[1]).get('q') ?? '';
        found.push(...notInScript(readerText(res.text, q), script).map((f) => `${script} ${url}: ${f}`));
      }
    }
    assert.deepEqual(found, []);
  });
});
