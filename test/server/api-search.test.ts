// GET /api/search, /api/articles/:id, /api/facets, /api/openapi.json against a real Meilisearch
// loaded with the fixture corpus. Counts are checked against the parsed documents, responses
// against the OpenAPI document.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { Meilisearch } from 'meilisearch';
import request from 'supertest';
import { toCanonical } from '../../core/text/normalize.js';
import { escapeHtml, inScript } from '../../server/search/display.js';
import { buildFilter, quote } from '../../server/search/filters.js';
import { parseSearchParams } from '../../server/search/params.js';
import { checkSchema } from '../helpers/openapi.js';
import { chinaDay, loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { singleBackend } from '../../server/search/backend.js';

let ctx: LoadedApp;
before(async () => {
  ctx = await loadedApp();
});
after(async () => ctx.cleanup());

const check = checkSchema;

const get = (query: Record<string, string | string[]>) => request(ctx.app).get('/api/search').query(query);
async function searchOk(query: Record<string, string | string[]>) {
  const res = await get(query).expect(200).expect('Content-Type', /json/);
  check('SearchResponse', res.body);
  return res.body;
}
const countBy = <T>(items: T[], key: (t: T) => string | string[] | undefined) => {
  const m: Record<string, number> = {};
  for (const it of items) for (const k of [key(it)].flat()) if (k !== undefined) m[k] = (m[k] ?? 0) + 1;
  return m;
};
const asCounts = (list: Array<{ value: string; count: number }>) =>
  Object.fromEntries(list.filter((v) => v.count > 0).map((v) => [v.value, v.count]));

describe('GET /api/openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const res = await request(ctx.app).get('/api/openapi.json').expect(200);
    assert.equal(res.body.openapi, '3.1.0');
    await SwaggerParser.validate(structuredClone(res.body));
    for (const path of ['/api/search', '/api/articles/{id}', '/api/facets', '/healthz']) assert.ok(res.body.paths[path], path);
  });
});

describe('the contract /api/openapi.json states', () => {
  type Parameter = {
    name: string;
    schema: {
      type?: string;
      minimum?: number;
      maximum?: number;
      maxLength?: number;
      maxItems?: number;
      enum?: string[];
      format?: string;
      items?: { enum?: string[]; pattern?: string };
    };
  };
  const accepted = async (query: Record<string, string | string[]>) => (await searchOk(query)).query;
  async function refused(name: string, value: string | string[]) {
    const res = await get({ [name]: value });
    assert.equal(res.status, 400, `${name}=${String(value).slice(0, 40)} is accepted`);
    check('Error', res.body);
    assert.equal(res.body.error.param, name);
  }

  it("is what /api/search enforces: each parameter's bounds, lengths, values and dates, read from the document", async () => {
    const doc = (await request(ctx.app).get('/api/openapi.json').expect(200)).body;
    const parameters = doc.paths['/api/search'].get.parameters as Parameter[];
    const checked = new Set<string>();
    for (const { name, schema } of parameters) {
      if (schema.type === 'integer' && schema.minimum !== undefined && schema.maximum !== undefined) {
        for (const n of [schema.minimum, schema.maximum]) assert.equal((await accepted({ [name]: String(n) }))[name], n);
        for (const n of [schema.minimum - 1, schema.maximum + 1]) await refused(name, String(n));
        checked.add(`${name}: ${schema.minimum}–${schema.maximum}`);
      }
      if (schema.maxLength !== undefined) {
        await accepted({ [name]: '港'.repeat(schema.maxLength) });
        await refused(name, '港'.repeat(schema.maxLength + 1));
        checked.add(`${name}: ${schema.maxLength} characters`);
      }
      if (schema.maxItems !== undefined) {
        const values = schema.items?.enum ?? Array.from({ length: schema.maxItems }, (_, i) => `o${i}`);
        assert.ok(values.every((v) => !schema.items?.pattern || new RegExp(schema.items.pattern).test(v)));
        assert.deepEqual((await accepted({ [name]: values.slice(0, schema.maxItems) }))[name], values.slice(0, schema.maxItems));
        await refused(
          name,
          Array.from({ length: schema.maxItems + 1 }, (_, i) => `o${i}`),
        );
        await refused(name, `NOT-AN-ID ${name}`);
        checked.add(`${name}: ${schema.maxItems} values`);
      }
      if (schema.enum) {
        for (const v of schema.enum) assert.equal((await accepted({ [name]: v }))[name], v);
        await refused(name, 'none-of-these');
        checked.add(`${name}: ${schema.enum.join('|')}`);
      }
      if (schema.format === 'date') {
        assert.equal((await accepted({ [name]: '2020-02-29' }))[name], '2020-02-29');
        await refused(name, '2021-02-29');
        checked.add(`${name}: date`);
      }
    }
    assert.deepEqual([...checked].map((c) => c.split(':')[0]).sort(), [
      'from',
      'organization',
      'outlet',
      'page',
      'perPage',
      'person',
      'place',
      'q',
      'script',
      'sort',
      'to',
      'topic',
      'undated',
    ]);
  });
});

describe('GET /api/search: browsing and facets', () => {
  it('an empty q browses everything, newest first, with facet counts equal to the parsed documents', async () => {
    const body = await searchOk({});
    const { articles } = ctx;
    assert.equal(body.total, articles.length);
    assert.equal(body.query.sort, 'newest');
    assert.equal(body.query.normalized, '');
    assert.equal(body.totalPages, Math.ceil(articles.length / 20));
    const dates = body.hits.map((h: { publishedAt: string }) => Date.parse(h.publishedAt));
    assert.deepEqual(
      dates,
      [...dates].sort((a, b) => b - a),
    );
    assert.deepEqual(
      asCounts(body.facets.outlet),
      countBy(articles, (a) => a.outlet.id),
    );
    assert.deepEqual(
      asCounts(body.facets.topic),
      countBy(articles, (a) => a.topics),
    );
    assert.deepEqual(
      asCounts(body.facets.year),
      countBy(articles, (a) => (a.publishedAt ? chinaDay(a.publishedAt).slice(0, 4) : undefined)),
    );
    assert.equal(body.facets.month, undefined);
  });

  it("a hit without terms shows the opening of its article, in the reader's script", async () => {
    for (const script of ['orig', 'hant', 'hans'] as const) {
      for (const page of ['1', '5']) {
        const body = await searchOk({ script, page });
        assert.equal(body.hits.length, 20);
        for (const h of body.hits as Array<{ id: string; snippetHtml: string }>) {
          const article = ctx.articles.find((a) => a.id === h.id)!;
          const chars = Array.from(article.body);
          const opening = escapeHtml(inScript(chars.slice(0, 120).join(''), script)).replace(/\n\n/g, ' ');
          assert.equal(h.snippetHtml, opening + (chars.length > 120 ? '…' : ''), `${h.id} (${script})`);
        }
      }
    }
  });

  it('facet counts are disjunctive: each facet ignores its own filter and respects the others', async () => {
    const { articles } = ctx;
    const body = await searchOk({ outlet: ['rfi', 'bbc'], topic: '国际' });
    const inOutlets = articles.filter((a) => ['rfi', 'bbc'].includes(a.outlet.id));
    const inTopic = articles.filter((a) => a.topics.includes('国际'));
    assert.equal(body.total, inOutlets.filter((a) => a.topics.includes('国际')).length);
    assert.deepEqual(
      asCounts(body.facets.outlet),
      countBy(inTopic, (a) => a.outlet.id),
      'outlet counts ignore the outlet filter',
    );
    assert.deepEqual(
      asCounts(body.facets.topic),
      countBy(inOutlets, (a) => a.topics),
      'topic counts ignore the topic filter',
    );
    const both = inOutlets.filter((a) => a.topics.includes('国际'));
    assert.deepEqual(
      asCounts(body.facets.year),
      countBy(both, (a) => chinaDay(a.publishedAt!).slice(0, 4)),
    );
    for (const v of body.facets.outlet) assert.match(v.label, /RFI|BBC|\S/);
  });

  it('keeps selected values in the facet list (count 0) so they can be cleared', async () => {
    const body = await searchOk({ outlet: 'rfi', topic: '体育', q: '北约' });
    assert.ok(body.facets.topic.some((v: { value: string }) => v.value === '体育'));
    assert.ok(body.facets.outlet.some((v: { value: string }) => v.value === 'rfi'));
  });

  it('from/to are inclusive calendar days in UTC+8, and one year selected gives month counts', async () => {
    const { articles } = ctx;
    const dated = articles.filter((a) => a.publishedAt);
    const day = chinaDay(dated[0]!.publishedAt!);
    const sameDay = dated.filter((a) => chinaDay(a.publishedAt!) === day);
    const one = await searchOk({ from: day, to: day });
    assert.equal(one.total, sameDay.length);
    const year = day.slice(0, 4);
    const inYear = dated.filter((a) => chinaDay(a.publishedAt!).startsWith(year));
    const body = await searchOk({ from: `${year}-01-01`, to: `${year}-12-31` });
    assert.equal(body.total, inYear.length);
    assert.deepEqual(
      asCounts(body.facets.month),
      countBy(inYear, (a) => chinaDay(a.publishedAt!).slice(0, 7)),
    );
    assert.deepEqual(
      asCounts(body.facets.year),
      countBy(dated, (a) => chinaDay(a.publishedAt!).slice(0, 4)),
      'year counts ignore the date filter',
    );
    assert.match(body.facets.month[0].label, /^\d{1,2}月$/);
  });

  it('undated=only finds exactly the stories without a date, which facets.undated counts beside the years', async () => {
    const undated = ctx.articles.filter((a) => !a.publishedAt);
    assert.ok(undated.length > 0, 'the fixture corpus has undated stories');
    const everything = await searchOk({});
    assert.equal(everything.facets.undated, undated.length);
    const only = await searchOk({ undated: 'only', perPage: '100' });
    assert.equal(only.query.undated, 'only');
    assert.equal(only.total, undated.length);
    assert.deepEqual(only.hits.map((h: { id: string }) => h.id).sort(), undated.map((a) => a.id).sort());
    for (const h of only.hits as Array<{ publishedAt: string | null }>) assert.equal(h.publishedAt, null);
    assert.equal(only.facets.undated, undated.length, 'counted without the date filter, like the years');
    assert.deepEqual(asCounts(only.facets.year), asCounts(everything.facets.year), 'the years stay to pick');
    assert.equal(only.coverage.undated, undated.length);
    assert.deepEqual(only.coverage.buckets, [], 'nothing dated to chart');
  });

  it('facets.undated follows the query and the other filters, and ignores a date range', async () => {
    const outlet = ctx.articles.find((a) => !a.publishedAt)!.outlet.id;
    const ofOutlet = ctx.articles.filter((a) => a.outlet.id === outlet);
    const ranged = await searchOk({ outlet, from: '2021-01-01', to: '2021-12-31' });
    assert.equal(ranged.facets.undated, ofOutlet.filter((a) => !a.publishedAt).length);
    const only = await searchOk({ outlet, undated: 'only' });
    assert.equal(only.total, ofOutlet.filter((a) => !a.publishedAt).length);
    assert.deepEqual(
      asCounts(only.facets.outlet),
      countBy(
        ctx.articles.filter((a) => !a.publishedAt),
        (a) => a.outlet.id,
      ),
      'outlets counted among the undated',
    );
  });

  it('with a query too, newest and oldest are strict date order', async () => {
    for (const sort of ['newest', 'oldest']) {
      const body = await searchOk({ q: '香港', sort, perPage: '100' });
      const times = body.hits
        .map((h: { publishedAt: string | null }) => (h.publishedAt ? Date.parse(h.publishedAt) : NaN))
        .filter((t: number) => !Number.isNaN(t));
      assert.deepEqual(
        times,
        [...times].sort((a, b) => (sort === 'newest' ? b - a : a - b)),
        sort,
      );
    }
  });

  it('sorts by publishedAt, newest or oldest, and paginates consistently', async () => {
    const oldest = await searchOk({ sort: 'oldest', perPage: '100' });
    const times = oldest.hits.map((h: { publishedAt: string | null }) => (h.publishedAt ? Date.parse(h.publishedAt) : Infinity));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    const all: string[] = [];
    const filter = { outlet: 'cdt', sort: 'newest', perPage: '30' };
    const first = await searchOk(filter);
    for (let page = 1; page <= first.totalPages; page++) {
      const body = await searchOk({ ...filter, page: String(page) });
      assert.equal(body.total, first.total);
      all.push(...body.hits.map((h: { id: string }) => h.id));
    }
    assert.equal(all.length, first.total);
    assert.equal(new Set(all).size, all.length, 'every hit exactly once across pages');
    assert.equal(first.totalPages, Math.ceil(first.total / 30));
    const beyond = await searchOk({ ...filter, page: String(first.totalPages + 1) });
    assert.deepEqual(beyond.hits, []);
  });
});

describe('GET /api/search: queries across scripts, with highlights', () => {
  it('normalizes the query and shows it', async () => {
    const body = await searchOk({ q: '  網絡安全  ' });
    assert.equal(body.query.q, '網絡安全');
    assert.equal(body.query.normalized, toCanonical('網絡安全'));
  });

  it('a traditional query finds the simplified article, and a simplified query the traditional one', async () => {
    const trad = await searchOk({ q: '網絡安全' });
    assert.ok(
      trad.hits.some(
        (h: { title: string; outlet: { id: string } }) => h.outlet.id === 'rfi' && h.title.includes('北约启动年度网络安全演习'),
      ),
    );
    const simp = await searchOk({ q: '网络安全' });
    const hk = simp.hits.find((h: { outlet: { id: string } }) => h.outlet.id === 'hkcnews');
    assert.ok(hk, 'a Hong Kong article is found');
    assert.match(hk.snippetHtml, /<mark>網絡安全<\/mark>/, 'the traditional text is marked');
    assert.equal(hk.lang, 'zh-Hant');
  });

  it('regional vocabulary meets: 軟體 finds 软件', async () => {
    const body = await searchOk({ q: '軟體' });
    assert.ok(body.total > 0);
    assert.ok(
      body.hits.some((h: { snippetHtml: string; titleHtml: string }) => /<mark>(软件|軟件)<\/mark>/.test(h.snippetHtml + h.titleHtml)),
    );
  });

  it('shows titles and snippets in the requested script, marks included', async () => {
    const hans = await searchOk({ q: '网络安全', script: 'hans' });
    const hk = hans.hits.find((h: { outlet: { id: string } }) => h.outlet.id === 'hkcnews');
    assert.match(hk.snippetHtml, /<mark>网络安全<\/mark>/);
    assert.equal(hk.lang, 'zh-Hans');
    const hant = await searchOk({ q: '北约', script: 'hant' });
    const rfi = hant.hits.find((h: { outlet: { id: string } }) => h.outlet.id === 'rfi');
    assert.match(rfi.titleHtml, /<mark>北約<\/mark>/);
    assert.equal(rfi.lang, 'zh-Hant');
    assert.ok(
      hant.facets.outlet.some((v: { label: string }) => v.label === '法廣 RFI'),
      'facet labels follow the script',
    );
  });

  it('snippets are centred on a match, and nothing but <mark> is HTML', async () => {
    for (const q of ['香港', '北约', 'Trump 特朗普', '立法會']) {
      const body = await searchOk({ q, perPage: '50' });
      for (const h of body.hits) {
        for (const html of [h.titleHtml, h.snippetHtml]) {
          const stripped = html.replace(/<\/?mark>/g, '');
          assert.doesNotMatch(stripped, /[<>]/, `${q}: ${html}`);
        }
        // Centred unless the match is at the very end of the article (then the window ends there).
        if (/<mark>/.test(h.snippetHtml) && h.snippetHtml.endsWith('…')) {
          const plain = h.snippetHtml.replace(/<\/?mark>/g, '');
          const at = h.snippetHtml.replace(/<\/mark>[\s\S]*$/, '').replace(/<mark>/g, '').length;
          assert.ok(at <= Math.max(60, plain.length * 0.75), `${q}: first mark at ${at} of ${plain.length}`);
        }
      }
    }
  });

  it('quoted phrases match exactly', async () => {
    const body = await searchOk({ q: '"北约启动年度"' });
    assert.ok(body.total >= 1);
    for (const h of body.hits) assert.match(h.titleHtml + h.snippetHtml, /北约|北約/);
  });

  it('punctuation-only and emoji queries are a valid empty result; mixed Chinese/English queries work', async () => {
    for (const q of ['！？。', '😀😀', '...', '———']) {
      const body = await searchOk({ q });
      assert.equal(body.total, 0, q);
      assert.deepEqual(body.hits, []);
    }
    const mixed = await searchOk({ q: 'Huawei 华为' });
    assert.ok(mixed.total >= 0);
    const english = await searchOk({ q: 'Trump' });
    assert.ok(english.total > 0);
  });
});

describe('GET /api/search: validation and injection', () => {
  const bad: Array<[Record<string, string | string[]>, string]> = [
    [{ sort: 'best' }, 'sort'],
    [{ page: '0' }, 'page'],
    [{ page: '-1' }, 'page'],
    [{ page: 'two' }, 'page'],
    [{ perPage: '0' }, 'perPage'],
    [{ perPage: '101' }, 'perPage'],
    [{ from: '2020-13-01' }, 'from'],
    [{ from: '2020-02-30' }, 'from'],
    [{ to: 'yesterday' }, 'to'],
    [{ from: '2021-01-02', to: '2021-01-01' }, 'from'],
    [{ undated: 'yes' }, 'undated'],
    [{ undated: 'only', from: '2021-01-01' }, 'undated'],
    [{ undated: 'only', to: '2021-01-01' }, 'undated'],
    [{ q: '字'.repeat(201) }, 'q'],
    [{ q: ['a', 'b'] }, 'q'],
    [{ script: 'zh' }, 'script'],
    [{ topic: '不存在' }, 'topic'],
  ];
  for (const [query, param] of bad) {
    it(`400 names ${param} for ${JSON.stringify(query).slice(0, 60)}`, async () => {
      const res = await get(query).expect(400).expect('Content-Type', /json/);
      check('Error', res.body);
      assert.equal(res.body.error.code, 'invalid_parameter');
      assert.equal(res.body.error.param, param);
    });
  }

  const hostile = [
    'rfi" OR outlet = "bbc',
    'rfi OR bbc',
    'rfi AND 1=1',
    '(rfi)',
    '[rfi]',
    'rf\\"i',
    'rfi TO bbc',
    "rfi' OR '1'='1",
    'rfi\\',
  ];
  for (const value of hostile) {
    it(`an outlet value ${JSON.stringify(value)} is refused, never spliced into the filter`, async () => {
      const res = await get({ outlet: value }).expect(400);
      assert.equal(res.body.error.param, 'outlet');
    });
  }

  it('even if such values reached the filter, quoting keeps them literal (no extra matches)', async () => {
    const client = new Meilisearch({ host: ctx.meili.url, apiKey: ctx.searchKey });
    for (const value of hostile) {
      const params = { ...parseSearchParams({}), outlet: [value], topic: [`国际" OR topics = "中国`] };
      const res = await client.index('articles').search('', { filter: buildFilter(params), limit: 0 });
      assert.equal(res.estimatedTotalHits, 0, value);
    }
    assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"');
  });

  it('a 201-character q is refused but 200 are fine', async () => {
    await searchOk({ q: '港'.repeat(200) });
  });
});

describe('GET /api/articles/:id and GET /api/facets', () => {
  it('returns one clean article in the requested script', async () => {
    const a = ctx.articles.find((x) => x.outlet.id === 'hkcnews' && x.script === 'hant')!;
    const res = await request(ctx.app).get(`/api/articles/${a.id}`).expect(200);
    check('Article', res.body);
    assert.equal(res.body.title, a.title);
    assert.deepEqual(res.body.paragraphs, a.body.split('\n\n'));
    assert.deepEqual(res.body.alsoPublishedAs, []);
    const hans = await request(ctx.app).get(`/api/articles/${a.id}`).query({ script: 'hans' }).expect(200);
    assert.equal(hans.body.title, toCanonical(a.title) === a.title ? a.title : hans.body.title);
    assert.equal(hans.body.lang, 'zh-Hans');
  });

  it('404 in the error shape for unknown or malformed ids', async () => {
    for (const id of ['rfi-00000000000000000000', 'x" OR id != "', '%E4%B8%AD']) {
      const res = await request(ctx.app)
        .get(`/api/articles/${encodeURIComponent(id)}`)
        .expect(404);
      check('Error', res.body);
      assert.equal(res.body.error.code, 'not_found');
    }
  });

  it('/healthz answers in its documented shape', async () => {
    check('Health', (await request(ctx.app).get('/healthz').expect(200)).body);
  });

  it('/api/facets gives the whole index counts', async () => {
    const res = await request(ctx.app).get('/api/facets').expect(200);
    check('IndexFacets', res.body);
    assert.equal(res.body.total, ctx.articles.length);
    assert.deepEqual(
      asCounts(res.body.outlet),
      countBy(ctx.articles, (a) => a.outlet.id),
    );
  });
});

describe('the server key', () => {
  it('is a search-only key: it cannot add documents or change settings', async () => {
    const client = new Meilisearch({ host: ctx.meili.url, apiKey: ctx.searchKey });
    const forbidden = (err: unknown) => (err as { cause?: { code?: string } }).cause?.code === 'invalid_api_key';
    await assert.rejects(client.index('articles').addDocuments([{ id: 'x' }]), forbidden);
    await assert.rejects(client.index('articles').updateSettings({ searchableAttributes: ['title'] }), forbidden);
    await assert.rejects(client.deleteIndex('articles'), forbidden);
    assert.notEqual(ctx.searchKey, ctx.meili.masterKey);
  });

  it('answers 503 in the error shape within 5 s when Meilisearch is down', async () => {
    const { createApp } = await import('../../server/app.js');
    const { createLogger } = await import('../../core/log.js');
    const { searchClient } = await import('../../server/search-client.js');
    const down = createApp({
      backend: singleBackend(searchClient('http://127.0.0.1:9', undefined), 'articles'),
      log: createLogger('silent'),
    });
    const started = Date.now();
    const res = await request(down).get('/api/search').query({ q: '香港' }).expect(503);
    assert.ok(Date.now() - started < 5_000);
    check('Error', res.body);
  });
});
