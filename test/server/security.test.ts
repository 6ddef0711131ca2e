// Hostile input and the HTTP boundary: security headers and CSP, methods and bodies, URL and
// query size, the per-client rate limit, and markup in articles or queries rendering inert in
// the JSON, in the HTML and in a real browser.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { load } from 'cheerio/slim';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/browser.js';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { reindex } from '../../indexer/reindex/run.js';
import { createApp } from '../../server/app.js';
import { searchClient } from '../../server/search-client.js';
import { searchOnlyKey } from '../../core/meili/keys.js';
import { fixtureCorpusDir } from '../helpers/corpus.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';
import { singleBackend } from '../../server/search/backend.js';

// An article whose title, body, link and image carry the classic payloads. Each payload, if it
// ran, would call alert() with its number.
const HOSTILE = `<!--1686669304000-->
[攻擊測試<script>alert(1)</script>"><img src=x onerror=alert(2)>標題](https://www.rfi.fr/cn/%E5%9B%BD%E9%99%85/20230613-hostile-test)
------

<div>13/06/2023 - 16:18</div><img src="javascript:alert(7)"><p><strong>攻擊測試的正文第一段，內容講述腳本注入。</strong></p><p>正文 &lt;script&gt;alert(4)&lt;/script&gt; 與 "&gt;&lt;img src=x onerror=alert(5)&gt; 以及 <a href="javascript:alert(6)">連結</a> 攻擊測試內容，這是一段足夠長的文字，用來確保文章不被當作空白頁面拒絕。攻擊測試內容再次出現。</p><p><script>alert(8)</script>第三段也提到攻擊測試。</p>
`;
const HOSTILE_QUERIES = [
  '<script>alert(9)</script>',
  '"><img src=x onerror=alert(10)>',
  'javascript:alert(11)',
  '攻擊測試<script>alert(12)</script>',
];

let meili: TestMeili;
let app: ReturnType<typeof createApp>;
let hostileId: string;
const dirs: string[] = [];

before(async () => {
  meili = await startTestMeili();
  const corpus = tempDir('tongwen-hostile-');
  dirs.push(corpus);
  fs.writeFileSync(path.join(corpus, 'hostile.txt'), HOSTILE);
  const log = createLogger('silent');
  await reindex({
    client: meili.client,
    indexName: 'articles',
    dataDir: meili.dataDir,
    roots: [corpus, path.join(fixtureCorpusDir, 'feedx')],
    incremental: false,
    prune: false,
    log,
  });
  const client = searchClient(meili.url, await searchOnlyKey(meili.client, 'articles'));
  app = createApp({ backend: singleBackend(client, 'articles'), log });
  const res = await request(app).get('/api/search').query({ q: '攻擊測試' }).expect(200);
  hostileId = res.body.hits[0].id;
  assert.match(res.body.hits[0].titleHtml, /攻擊測試/);
});
after(async () => {
  await meili.cleanup();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Markup that could run script: <script> other than ours, on* handlers, javascript: URLs. */
function activeMarkup(html: string): string[] {
  const $ = load(html);
  const found: string[] = [];
  $('script').each((_, el) => {
    const src = $(el).attr('src');
    if (src ? !src.startsWith('/assets/') : $(el).attr('type') !== 'application/json') found.push(`<script${src ? ` src=${src}` : ''}>`);
  });
  $('*').each((_, el) => {
    for (const [name, value] of Object.entries((el as { attribs?: Record<string, string> }).attribs ?? {})) {
      if (/^on/i.test(name)) found.push(`${name}= on <${(el as { name: string }).name}>`);
      if (/^(href|src|action|formaction|srcset|poster|data)$/i.test(name) && /^\s*javascript:/i.test(value)) found.push(`${name}=${value}`);
    }
  });
  return found;
}

describe('security headers', () => {
  it('a strict CSP that the UI satisfies: scripts only from this origin, nothing inline, no framing', async () => {
    for (const url of ['/', '/?q=香港', `/article/${hostileId}`, '/api/search?q=香港', '/no-such-page']) {
      const res = await request(app).get(url);
      const csp = res.headers['content-security-policy'] as string;
      assert.ok(csp, `${url} has a CSP`);
      const directive = (name: string) =>
        csp
          .split(';')
          .map((d) => d.trim())
          .find((d) => d.startsWith(`${name} `)) ?? '';
      assert.equal(directive('script-src'), "script-src 'self'", url);
      assert.equal(directive('object-src'), "object-src 'none'", url);
      assert.equal(directive('frame-ancestors'), "frame-ancestors 'self'", url);
      assert.equal(directive('default-src'), "default-src 'self'", url);
      assert.equal(res.headers['x-powered-by'], undefined, url);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(res.headers['referrer-policy'], 'no-referrer', url);
    }
  });

  it('pages have no inline script and no inline event handler (the CSP would block them)', async () => {
    for (const url of ['/', '/?q=香港', `/article/${hostileId}`, '/no-such-page']) {
      const res = await request(app).get(url).set('Accept', 'text/html');
      const $ = load(res.text);
      $('script').each((_, el) => {
        if ($(el).attr('src')) return;
        // The one inline block is data for app.js, which the browser never runs; '<' is escaped
        // so no string in it can close the element.
        assert.equal($(el).attr('type'), 'application/json', `${url}: inline <script>`);
        assert.equal($(el).html()!.includes('<'), false, `${url}: raw < in the JSON block`);
      });
      assert.deepEqual(activeMarkup(res.text), [], url);
      assert.equal($('[style]').length, 0, `${url}: inline style attributes`);
    }
  });
});

describe('what a request may be', () => {
  it('other methods get 405 with Allow, in the error shape', async () => {
    for (const method of ['post', 'put', 'delete', 'patch'] as const) {
      const res = await request(app)[method]('/api/search').expect(405);
      assert.equal(res.headers.allow, 'GET, HEAD');
      assert.equal(res.body.error.code, 'method_not_allowed');
    }
  });

  it('a request body is refused with 413 before anyone reads it', async () => {
    const res = await request(app)
      .get('/api/search?q=x')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ q: 'x'.repeat(100_000) }))
      .expect(413);
    assert.equal(res.body.error.code, 'payload_too_large');
  });

  it('a query over the length limit is a 400 naming q; too many filter values too', async () => {
    let res = await request(app)
      .get('/api/search')
      .query({ q: '港'.repeat(201) })
      .expect(400);
    assert.equal(res.body.error.param, 'q');
    res = await request(app)
      .get('/api/search')
      .query({ outlet: Array.from({ length: 21 }, (_, i) => `o${i}`) })
      .expect(400);
    assert.equal(res.body.error.param, 'outlet');
  });

  it('an oversized URL or header is refused by the HTTP server (431), which keeps serving', async () => {
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const huge = await fetch(`${base}/api/search?q=${'a'.repeat(20_000)}`);
      assert.equal(huge.status, 431);
      assert.equal((await fetch(`${base}/api/search?q=x`)).status, 200);
    } finally {
      server.close();
    }
  });
});

describe('rate limit', () => {
  it('counts per client, sends the IETF RateLimit headers, and answers 429 in the error shape with Retry-After', async () => {
    const limited = createApp({
      backend: singleBackend(searchClient(meili.url, await searchOnlyKey(meili.client, 'articles')), 'articles'),
      log: createLogger('silent'),
      rateLimitPerMinute: 3,
      trustProxy: 1,
    });
    const from = (ip: string) => request(limited).get('/api/search?q=香港').set('X-Forwarded-For', ip);
    for (let i = 0; i < 3; i++) {
      const res = await from('203.0.113.1').expect(200);
      assert.match(res.headers['ratelimit-policy'] as string, /^"search"; q=3; w=60; pk=:[A-Za-z0-9+/=]+:$/);
      assert.match(res.headers.ratelimit as string, new RegExp(`^"search"; r=${2 - i}; t=\\d+$`));
    }
    const refused = await from('203.0.113.1').expect(429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.match(refused.body.error.message, /3 searches a minute/);
    assert.ok(Number(refused.headers['retry-after']) > 0, 'Retry-After');
    // Another client is counted apart; pages search too and are limited; assets are not.
    await from('203.0.113.2').expect(200);
    await request(limited).get('/?q=香港').set('X-Forwarded-For', '203.0.113.1').expect(429);
    await request(limited).get('/assets/style.css').set('X-Forwarded-For', '203.0.113.1').expect(200);
  });

  it('counts an IPv6 client by its /56', async () => {
    const limited = createApp({
      backend: singleBackend(searchClient(meili.url, await searchOnlyKey(meili.client, 'articles')), 'articles'),
      log: createLogger('silent'),
      rateLimitPerMinute: 1,
      trustProxy: 1,
    });
    await request(limited).get('/api/facets').set('X-Forwarded-For', '2001:db8:0:100::1').expect(200);
    await request(limited).get('/api/facets').set('X-Forwarded-For', '2001:db8:0:1ff::2').expect(429);
    await request(limited).get('/api/facets').set('X-Forwarded-For', '2001:db8:0:200::1').expect(200);
  });
});

describe('markup in articles and queries renders inert', () => {
  it('JSON: titleHtml and snippetHtml hold escaped text with only <mark>; the image is not a javascript: URL', async () => {
    const res = await request(app).get('/api/search').query({ q: '攻擊測試' }).expect(200);
    const hit = res.body.hits.find((h: { id: string }) => h.id === hostileId);
    for (const field of ['titleHtml', 'snippetHtml']) {
      const html = hit[field] as string;
      assert.equal(html.replace(/<\/?mark>/g, '').includes('<'), false, `${field}: ${html}`);
      assert.match(html, /&lt;script&gt;|&lt;img/, `${field} shows the payload as text`);
    }
    const article = await request(app).get(`/api/articles/${hostileId}`).expect(200);
    assert.equal(article.body.image, null);
    assert.ok(article.body.title.includes('<script>'), 'plain-text fields keep the text as written, for clients to escape');
  });

  it('HTML: search page, snippets and article page show the payloads as text', async () => {
    for (const url of [
      `/?q=${encodeURIComponent('攻擊測試')}`,
      `/article/${hostileId}`,
      ...HOSTILE_QUERIES.map((q) => `/?q=${encodeURIComponent(q)}`),
    ]) {
      const res = await request(app).get(url).set('Accept', 'text/html');
      assert.equal(res.status, 200, url);
      assert.deepEqual(activeMarkup(res.text), [], url);
      assert.equal(load(res.text)('img[src=x]').length, 0, url);
    }
  });

  it('JSON: a hostile query comes back as data, never as markup', async () => {
    for (const q of HOSTILE_QUERIES) {
      const res = await request(app).get('/api/search').query({ q }).expect(200);
      assert.equal(res.body.query.q, q);
      for (const hit of res.body.hits) assert.equal(`${hit.titleHtml}${hit.snippetHtml}`.replace(/<\/?mark>/g, '').includes('<'), false);
    }
  });

  it('in a real browser no payload runs: no dialog, no page error, on every page', async () => {
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    let browser: Browser | undefined;
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      browser = await launchChromium();
      const page = await browser.newPage();
      const ran: string[] = [];
      page.on('dialog', (d) => {
        ran.push(d.message());
        void d.dismiss();
      });
      page.on('pageerror', (e) => ran.push(`page error: ${e.message}`));
      const urls = [
        `/?q=${encodeURIComponent('攻擊測試')}`,
        `/article/${hostileId}`,
        ...HOSTILE_QUERIES.map((q) => `/?q=${encodeURIComponent(q)}`),
      ];
      for (const url of urls) {
        const res = await page.goto(base + url, { waitUntil: 'networkidle' });
        assert.equal(res?.status(), 200, url);
        // Click every link the article put on the page: a javascript: link would run here.
        for (const link of await page.locator('article a, .hit a').all()) {
          const href = await link.getAttribute('href');
          assert.ok(!href || !/^\s*javascript:/i.test(href), `link ${href}`);
        }
      }
      // The search box path: typing a payload updates results through the JSON API.
      await page.goto(`${base}/`, { waitUntil: 'networkidle' });
      await page.fill('input[name=q]', HOSTILE_QUERIES[3]!);
      await page.waitForURL(/q=/);
      await page.waitForLoadState('networkidle');
      assert.ok((await page.content()).includes('攻擊測試'));
      assert.deepEqual(ran, []);
    } finally {
      await browser?.close();
      server.close();
    }
  });
});
