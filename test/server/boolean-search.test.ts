// Queries with OR and groups against a real Meilisearch loaded with the fixture corpus: totals,
// facet counts, the coverage chart and every page count each matching story once, however many
// alternatives it satisfies, in either script and any order of the alternatives. The truth is
// each query's own boolean meaning evaluated by string search (eval/truth.ts), not the server's reading.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { contains, countBy, truthStory, type TruthStory } from '../../eval/truth.js';
import { MAX_ALTERNATIVES } from '../../server/search/query-language.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { checkSchema } from '../helpers/openapi.js';

let ctx: LoadedApp;
let stories: TruthStory[];
before(async () => {
  ctx = await loadedApp();
  stories = ctx.articles.map(truthStory);
});
after(async () => ctx?.cleanup());

const has = (w: string) => (s: TruthStory) => contains(s, w);
const not = (f: (s: TruthStory) => boolean) => (s: TruthStory) => !f(s);
const any =
  (...fs: Array<(s: TruthStory) => boolean>) =>
  (s: TruthStory) =>
    fs.some((f) => f(s));
const all =
  (...fs: Array<(s: TruthStory) => boolean>) =>
  (s: TruthStory) =>
    fs.every((f) => f(s));

/** Queries with their meaning, written independently of the parser. */
const CASES: Array<{ q: string; truth: (s: TruthStory) => boolean }> = [
  { q: '香港 OR 美國', truth: any(has('香港'), has('美国')) },
  { q: '(新冠 OR 疫情) 疫苗 -口罩', truth: all(any(has('新冠'), has('疫情')), has('疫苗'), not(has('口罩'))) },
  { q: '(立法會 OR 選舉) (香港 OR 政府)', truth: all(any(has('立法会'), has('选举')), any(has('香港'), has('政府'))) },
  { q: '特朗普 OR trump', truth: any(has('特朗普'), has('trump')) },
  { q: '"國安法" (香港 OR 中國)', truth: all(has('国安法'), any(has('香港'), has('中国'))) },
  { q: '(疫情 -新冠) OR 示威', truth: any(all(has('疫情'), not(has('新冠'))), has('示威')) },
  { q: '香港 -(警察 OR 示威)', truth: all(has('香港'), not(has('警察')), not(has('示威'))) },
  { q: '香港 NOT (警察 示威)', truth: all(has('香港'), not(all(has('警察'), has('示威')))) },
  { q: '"立法會議員" OR "立法會選舉"', truth: any(has('立法会议员'), has('立法会选举')) },
  { q: '（社交媒體 或 口罩）政府', truth: all(any(has('社交媒体'), has('口罩')), has('政府')) },
  { q: '新冠肺炎', truth: has('新冠肺炎') },
  { q: '社交媒体', truth: has('社交媒体') },
];

type Body = {
  total: number;
  totalPages: number;
  hits: Array<{ id: string }>;
  facets: Record<'outlet' | 'topic' | 'year', Array<{ value: string; count: number }>>;
  coverage: { buckets: Array<{ count: number }>; undated: number };
  query: { alternatives: unknown[]; tree?: unknown };
};

async function search(query: Record<string, string | string[]>): Promise<Body> {
  const res = await request(ctx.app).get('/api/search').query(query).expect(200);
  checkSchema('SearchResponse', res.body);
  return res.body;
}

const asCounts = (list: Array<{ value: string; count: number }>) =>
  Object.fromEntries(
    list
      .filter((v) => v.count > 0)
      .map((v) => [v.value, v.count])
      .sort(),
  );
const sorted = (m: Record<string, number>) => Object.fromEntries(Object.entries(m).sort());

/** Every hit of every page, in order. */
async function allHits(query: Record<string, string>): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page++) {
    const body = await search({ ...query, perPage: '10', page: String(page) });
    ids.push(...body.hits.map((h) => h.id));
    if (page >= body.totalPages) return ids;
  }
}

describe('OR and groups count each story once', () => {
  it('totals, facet counts and the coverage chart equal the truth', async () => {
    for (const { q, truth } of CASES) {
      const expected = stories.filter(truth);
      assert.ok(expected.length > 0, `${q}: the fixture corpus has stories for it`);
      const body = await search({ q });
      assert.equal(body.total, expected.length, `${q}: total`);
      assert.deepEqual(asCounts(body.facets.outlet), sorted(countBy(expected, (s) => s.outlet)), `${q}: outlets`);
      assert.deepEqual(asCounts(body.facets.topic), sorted(countBy(expected, (s) => s.topics)), `${q}: topics`);
      assert.deepEqual(asCounts(body.facets.year), sorted(countBy(expected, (s) => s.year)), `${q}: years`);
      const charted = body.coverage.buckets.reduce((n, b) => n + b.count, 0) + body.coverage.undated;
      assert.equal(charted, expected.length, `${q}: the chart adds up to the total`);
    }
  });

  it('the pages hold every matching story once, by relevance and by date', async () => {
    for (const { q, truth } of CASES.slice(0, 4)) {
      const expected = stories
        .filter(truth)
        .map((s) => s.id)
        .sort();
      for (const sort of ['relevance', 'newest']) {
        const ids = await allHits({ q, sort });
        assert.deepEqual([...ids].sort(), expected, `${q} (${sort})`);
      }
    }
  });

  it('is the same answer in either script and any order of the alternatives', async () => {
    const variants = ['(新冠 OR 疫情) 疫苗', '(疫情 OR 新冠) 疫苗', '(疫情 OR 新冠) 疫苗', '疫苗 (新冠 OR 疫情)', '新冠 疫苗 OR 疫情 疫苗'];
    const answers = await Promise.all(variants.map((q) => search({ q })));
    const shape = (b: Body) => ({ total: b.total, facets: b.facets, ids: b.hits.map((h) => h.id).sort() });
    for (const [i, b] of answers.entries()) assert.deepEqual(shape(b), shape(answers[0]!), variants[i]);
  });

  it('facets stay disjunctive under filters', async () => {
    const q = '香港 OR 美國';
    const expected = stories.filter(any(has('香港'), has('美国')));
    const outlets = Object.keys(countBy(expected, (s) => s.outlet));
    const chosen = outlets[0]!;
    const body = await search({ q, outlet: chosen });
    assert.equal(body.total, expected.filter((s) => s.outlet === chosen).length);
    assert.deepEqual(
      asCounts(body.facets.outlet),
      sorted(countBy(expected, (s) => s.outlet)),
      'the outlet facet counts without its own filter',
    );
    assert.deepEqual(
      asCounts(body.facets.year),
      sorted(
        countBy(
          expected.filter((s) => s.outlet === chosen),
          (s) => s.year,
        ),
      ),
    );
  });

  it('ranks a story that satisfies more alternatives above one that satisfies fewer', async () => {
    const alternatives = [has('香港'), has('美国'), has('中国')];
    const body = await search({ q: '香港 OR 美國 OR 中國', perPage: '100' });
    const satisfied = body.hits.map((h) => alternatives.filter((f) => f(stories.find((s) => s.id === h.id)!)).length);
    assert.ok(satisfied.includes(3) && satisfied.includes(1), `the page mixes stories with all and with one: ${satisfied.join('')}`);
    for (let i = 1; i < satisfied.length; i++) assert.ok(satisfied[i]! <= satisfied[i - 1]!, `hit ${i + 1}: ${satisfied.join('')}`);
  });

  it('answers how it read the query: the alternatives and the tree', async () => {
    const body = await search({ q: '(新冠 OR 疫情) 疫苗 -口罩' });
    assert.equal(body.query.alternatives.length, 2);
    assert.deepEqual(body.query.tree, {
      op: 'and',
      items: [
        {
          op: 'or',
          items: [{ term: { text: '新冠', phrase: false, exclude: false } }, { term: { text: '疫情', phrase: false, exclude: false } }],
        },
        { term: { text: '疫苗', phrase: false, exclude: false } },
        { term: { text: '口罩', phrase: false, exclude: true } },
      ],
    });
    assert.equal((await search({ q: '香港 警察' })).query.tree, undefined);
  });

  it(`refuses more than ${MAX_ALTERNATIVES} alternatives with a 400 that says by how much, before searching`, async () => {
    const q = Array.from({ length: MAX_ALTERNATIVES + 3 }, (_, i) => `詞${i}語`).join(' OR ');
    const res = await request(ctx.app).get('/api/search').query({ q }).expect(400);
    assert.equal(res.body.error.code, 'invalid_parameter');
    assert.equal(res.body.error.param, 'q');
    assert.match(res.body.error.message, /15 alternatives after expanding groups; at most 12 \(3 too many\)/);
    const page = await request(ctx.app).get('/').query({ q }).expect(400);
    assert.match(page.text, /展开后有 15 个备选，最多 12 个（多了 3 个）/);
  });

  it("the page shows the query as read, in the reader's script", async () => {
    const res = await request(ctx.app).get('/').query({ q: '(新冠 OR 武汉肺炎) 疫苗', script: 'hant' }).expect(200);
    const text = res.text.replace(/<[^>]+>/g, '');
    assert.match(text, /查詢理解為：（新冠 或 武漢肺炎） ＋ 疫苗/);
    // As typed, when the page shows the original script.
    const hans = await request(ctx.app).get('/').query({ q: '香港 -(警察 OR 示威) OR 美國' }).expect(200);
    assert.match(hans.text.replace(/<[^>]+>/g, ''), /查询理解为：（香港 ＋ 不含 警察 ＋ 不含 示威） 或 美國/);
  });
});

describe('past maxTotalHits', () => {
  before(async () => {
    const task = await ctx.meili.client
      .index('articles')
      .updateSettings({ pagination: { maxTotalHits: 5 } })
      .waitTask();
    assert.equal(task.status, 'succeeded');
  });

  it('totals and facets of a query with OR stay exact, and its later pages are served', async () => {
    const q = '香港 OR 政府';
    const expected = stories.filter(any(has('香港'), has('政府')));
    assert.ok(expected.length > 20);
    const body = await search({ q, perPage: '10', page: '2', sort: 'newest' });
    assert.equal(body.total, expected.length);
    assert.deepEqual(asCounts(body.facets.outlet), sorted(countBy(expected, (s) => s.outlet)));
    assert.equal(body.hits.length, 10);
  });
});
