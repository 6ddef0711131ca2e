// Coverage over time against a real Meilisearch loaded with the fixture corpus: /api/timeline
// adds up to the search's total, the chart on the search page narrows to its bars' months, the
// compare page draws several queries, and the chart fragment the page's script fetches.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { coverageOf } from '../../server/search/coverage-buckets.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { checkSchema } from '../helpers/openapi.js';

const valid = checkSchema;

interface Bucket {
  key: string;
  from: string;
  to: string;
  count: number;
}

describe('coverage over time', () => {
  let ctx: LoadedApp;
  before(async () => {
    ctx = await loadedApp();
  });
  after(async () => ctx?.cleanup());

  const queries: Array<Record<string, string | string[]>> = [
    {},
    { q: '香港' },
    { q: '香港 -警察' },
    { q: '"立法會選舉"' },
    { q: '中国', outlet: ['bbc', 'dw'] },
    { q: '政府', from: '2020-01-01', to: '2021-06-30' },
    { topic: '港澳台', sort: 'oldest' },
  ];

  it('GET /api/timeline: buckets and undated stories add up to the total of /api/search, month by month and year by year', async () => {
    for (const q of queries) {
      const search = await request(ctx.app).get('/api/search').query(q).expect(200);
      for (const interval of ['month', 'year']) {
        const res = await request(ctx.app)
          .get('/api/timeline')
          .query({ ...q, interval })
          .expect(200);
        valid('Timeline', res.body);
        const buckets = res.body.buckets as Bucket[];
        assert.equal(res.body.interval, interval);
        assert.equal(res.body.total, search.body.total, JSON.stringify(q));
        assert.equal(buckets.reduce((a, b) => a + b.count, 0) + res.body.undated, search.body.total, `${JSON.stringify(q)} by ${interval}`);
        // Continuous: every month (or year) from the first to the last, in order.
        for (let i = 1; i < buckets.length; i++) assert.ok(buckets[i - 1]!.key < buckets[i]!.key);
        if (interval === 'month' && buckets.length > 1) {
          const [y0, m0] = buckets[0]!.key.split('-').map(Number);
          const [y1, m1] = buckets.at(-1)!.key.split('-').map(Number);
          assert.equal(buckets.length, (y1! - y0!) * 12 + (m1! - m0!) + 1);
        }
      }
    }
  });

  it('each bucket count is the total of the search narrowed to that bucket', async () => {
    const res = await request(ctx.app).get('/api/timeline').query({ q: '香港' }).expect(200);
    const nonEmpty = (res.body.buckets as Bucket[]).filter((b) => b.count > 0);
    assert.ok(nonEmpty.length >= 3);
    for (const b of nonEmpty.slice(0, 6)) {
      const narrowed = await request(ctx.app).get('/api/search').query({ q: '香港', from: b.from, to: b.to }).expect(200);
      assert.equal(narrowed.body.total, b.count, b.key);
    }
  });

  it('the search JSON carries the same coverage, at no extra Meilisearch request', async () => {
    const search = await request(ctx.app).get('/api/search').query({ q: '香港' }).expect(200);
    const tl = await request(ctx.app).get('/api/timeline').query({ q: '香港' }).expect(200);
    assert.deepEqual(search.body.coverage, { interval: tl.body.interval, buckets: tl.body.buckets, undated: tl.body.undated });
  });

  it('refuses a bad interval, naming it', async () => {
    const res = await request(ctx.app).get('/api/timeline').query({ interval: 'week' }).expect(400);
    assert.equal(res.body.error.param, 'interval');
  });

  it('long spans count years; a from/to range is covered whole, empty months included', () => {
    const months = { '2001-03': 2, '2019-11': 5 };
    const long = coverageOf(months, 8, { from: null, to: null });
    assert.equal(long.interval, 'year');
    assert.deepEqual(
      long.buckets.map((b) => b.key),
      Array.from({ length: 19 }, (_, i) => String(2001 + i)),
    );
    assert.equal(long.undated, 1);
    const range = coverageOf(months, 7, { from: '2019-10-15', to: '2020-01-02' });
    assert.deepEqual(
      range.buckets.map((b) => [b.key, b.count, b.from, b.to]),
      [
        ['2019-10', 0, '2019-10-01', '2019-10-31'],
        ['2019-11', 5, '2019-11-01', '2019-11-30'],
        ['2019-12', 0, '2019-12-01', '2019-12-31'],
        ['2020-01', 0, '2020-01-01', '2020-01-31'],
      ],
    );
    assert.deepEqual(
      coverageOf({ '2020-02': 3 }, 3, { from: null, to: null }, 'month').buckets.map((b) => b.to),
      ['2020-02-29'],
    );
  });

  it('writes early years with four digits and their own month lengths (found by the fuzz: from=0000-01-01)', () => {
    const early = coverageOf({}, 0, { from: '0004-02-01', to: '0004-02-29' }, 'month').buckets;
    assert.deepEqual(
      early.map((b) => [b.key, b.from, b.to]),
      [['0004-02', '0004-02-01', '0004-02-29']],
    );
    const years = coverageOf({}, 0, { from: '0000-01-01', to: '0001-12-31' }, 'year').buckets;
    assert.deepEqual(
      years.map((b) => [b.key, b.from, b.to]),
      [
        ['0000', '0000-01-01', '0000-12-31'],
        ['0001', '0001-01-01', '0001-12-31'],
      ],
    );
  });

  it('the search page draws the chart: bars that link to their month with the exact count, a title and a data table', async () => {
    const tl = await request(ctx.app).get('/api/timeline').query({ q: '香港' }).expect(200);
    const page = await request(ctx.app).get('/').query({ q: '香港' }).expect(200);
    const html = page.text;
    assert.match(html, /<figure class="coverage" id="coverage" aria-labelledby="coverage-title">/);
    assert.match(html, /<svg class="chart"[^>]*role="group"[^>]*aria-labelledby="coverage-title"/);
    const buckets = tl.body.buckets as Bucket[];
    const links = [...html.matchAll(/<a class="bar" href="([^"]+)" aria-label="([^"]+)"[^>]*>/g)];
    assert.equal(links.length, buckets.filter((b) => b.count > 0).length, 'one link per bar with stories');
    const first = buckets.find((b) => b.count > 0)!;
    const [y, m] = first.key.split('-').map(Number);
    const link = links.find(([, , label]) => label!.startsWith(`${y}年${m}月：`))!;
    assert.ok(link, `a bar for ${first.key}`);
    assert.match(link[2]!, new RegExp(`：${first.count} 篇$`));
    const href = link[1]!.replace(/&amp;/g, '&');
    assert.equal(new URL(href, 'http://x').searchParams.get('from'), first.from);
    const narrowed = await request(ctx.app).get('/api/search').query(new URL(href, 'http://x').searchParams.toString()).expect(200);
    assert.equal(narrowed.body.total, first.count);
    // The data table lists every bucket.
    const rows = html.slice(html.indexOf('<details class="chart-data">')).match(/<tr><th scope="row">/g) ?? [];
    assert.equal(rows.length, buckets.length);
    // Links out: export, feed, compare, and the feed for feed readers.
    assert.match(html, /<link rel="alternate" type="application\/atom\+xml"[^>]*href="\/feed\.xml\?q=%E9%A6%99%E6%B8%AF"/);
    assert.match(html, /href="\/api\/export\?format=csv&amp;q=%E9%A6%99%E6%B8%AF" download>CSV</);
    assert.match(html, /href="\/trends\?q=%E9%A6%99%E6%B8%AF"/);
  });

  it('the chart fragment is the same chart, for the page script', async () => {
    const res = await request(ctx.app).get('/fragments/coverage').query({ q: '香港', outlet: 'dw' }).expect(200);
    assert.match(res.text, /^<figure class="coverage"/);
    const page = await request(ctx.app).get('/').query({ q: '香港', outlet: 'dw' }).expect(200);
    const bars = (s: string) => [...s.matchAll(/<a class="bar" href="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(bars(res.text), bars(page.text));
    const none = await request(ctx.app).get('/fragments/coverage').query({ q: '沒有這樣的詞語組合啊' }).expect(200);
    assert.equal(none.text, '');
  });

  it('the compare page draws up to five queries side by side, as counts or shares, in either script', async () => {
    const res = await request(ctx.app)
      .get('/trends')
      .query({ q: ['香港', '臺灣', '北京'] })
      .expect(200);
    const html = res.text;
    assert.equal((html.match(/<polyline /g) ?? []).length, 3);
    const totals = await Promise.all(
      ['香港', '臺灣', '北京'].map(async (q) => (await request(ctx.app).get('/api/search').query({ q })).body.total as number),
    );
    const undated = await Promise.all(
      ['香港', '臺灣', '北京'].map(async (q) => (await request(ctx.app).get('/api/timeline').query({ q })).body.undated as number),
    );
    assert.ok(
      undated.some((n) => n > 0),
      'a query with an undated story',
    );
    // The key gives each total, and how many of them are undated (not in the chart).
    for (const [i, q] of ['香港', '臺灣', '北京'].entries()) {
      const note = undated[i] ? `，其中 ${undated[i]} 篇无日期，不在图中` : '';
      assert.match(html, new RegExp(`<a href="/\\?q=${encodeURIComponent(q).replace(/%/g, '%')}">${q}</a>（${totals[i]} 篇${note}）`));
    }
    // The table has a row per bucket and a column per query, each column adding up to the query's
    // dated stories, then a row of the undated ones.
    const body = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
    const rows = [...body.matchAll(/<tr><th scope="row">([^<]+)<\/th>((?:<td>[^<]*<\/td>)+)<\/tr>/g)].map((m) => ({
      label: m[1],
      cells: [...m[2]!.matchAll(/<td>([^<]*)<\/td>/g)].map((c) => Number(c[1]!.replace(/,/g, ''))),
    }));
    const undatedRow = rows.pop()!;
    assert.equal(undatedRow.label, '日期不详');
    assert.deepEqual(undatedRow.cells, undated);
    assert.ok(rows.length > 1);
    for (const [i, q] of ['香港', '臺灣', '北京'].entries()) {
      assert.equal(
        rows.reduce((a, r) => a + r.cells[i]!, 0),
        totals[i]! - undated[i]!,
        q,
      );
    }
    const share = await request(ctx.app)
      .get('/trends')
      .query({ q: ['香港', '台湾'], share: '1', script: 'hant' })
      .expect(200);
    assert.match(share.text, /全部報道/);
    assert.match(share.text, /（\d+\.\d\d%）/);
    assert.match(share.text, /<html lang="zh-Hant">/);
    await request(ctx.app)
      .get('/trends')
      .query({ q: ['a1', 'b2', 'c3', 'd4', 'e5', 'f6'] })
      .expect(400);
    const empty = await request(ctx.app).get('/trends').expect(200);
    assert.match(empty.text, /输入至少一个查询/);
  });
});
