// GET /api/export against a real Meilisearch loaded with the fixture corpus: the rows are the
// stories /api/search finds, in its order; CSV is read back with an independent RFC 4180 reader.
// Failures midway are checked against a fake backend; a client leaving midway in bounds.test.ts.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ajv } from '../helpers/openapi.js';
import express from 'express';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { createApp } from '../../server/app.js';
import { errorHandler } from '../../server/error-handler.js';
import { SearchUnavailable } from '../../server/errors.js';
import { openApiDocument } from '../../server/openapi.js';
import { COLUMNS, csvLine, csvRow, EXPORT_MAX, exportRouter, exportRow, type ExportRow } from '../../server/routes/export.js';
import { singleBackend, type BackendQuery, type SearchBackend } from '../../server/search/backend.js';
import { inScript } from '../../server/search/display.js';
import { toIndexDocument } from '../../core/index-document.js';
import { searchClient } from '../../server/search-client.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';

let ctx: LoadedApp;
before(async () => {
  ctx = await loadedApp();
});
after(async () => ctx.cleanup());

type Query = Record<string, string | string[]>;

/** The body as bytes, whatever its type (superagent buffers only text and JSON by itself). */
const bytes = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  stream.on('end', () => done(null, Buffer.concat(chunks)));
};
const exportOf = (query: Query, app: express.Express = ctx.app) => request(app).get('/api/export').query(query).buffer(true).parse(bytes);

/** RFC 4180, read independently of csv-stringify: quoted fields may hold commas, quotes and line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  assert.equal(cell + row.join(''), '', 'the last record ends with CRLF');
  return rows;
}

type Row = ExportRow;

async function jsonl(query: Query): Promise<{ rows: Row[]; res: request.Response }> {
  const res = await exportOf({ ...query, format: 'jsonl' }).expect(200);
  const text = (res.body as Buffer).toString('utf8');
  assert.ok(text === '' || text.endsWith('\n'));
  assert.doesNotMatch(text, /\r/);
  const rows = text
    .split('\n')
    .slice(0, -1)
    .map((l) => JSON.parse(l) as Row);
  return { rows, res };
}

async function searchIds(query: Query): Promise<{ ids: string[]; total: number }> {
  const ids: string[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const res = await request(ctx.app)
      .get('/api/search')
      .query({ ...query, perPage: '100', page: String(page) })
      .expect(200);
    total = res.body.total;
    ids.push(...res.body.hits.map((h: { id: string }) => h.id));
    if (res.body.hits.length < 100) return { ids, total };
  }
}

const today = () => new Date().toISOString().slice(0, 10).replace(/-/g, '');

describe('GET /api/export?format=csv', () => {
  it('is a CSV download: BOM, header row, CRLF, every story with its fields', async () => {
    const res = await exportOf({ format: 'csv' }).expect(200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(res.headers['content-disposition'], `attachment; filename="tongwen-export-${today()}.csv"`);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.headers['x-total-count'], String(ctx.articles.length));
    assert.equal(res.headers['x-export-truncated'], 'false');
    assert.equal(res.headers['x-partial'], undefined);
    const body = res.body as Buffer;
    assert.deepEqual([...body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const text = body.toString('utf8').slice(1);
    assert.ok(text.startsWith('id,title,url,outlet,outletName,publishedAt,topics,keywords,people,places,organizations\r\n'));
    assert.doesNotMatch(text, /[^\r]\n/, 'CRLF only');
    const [header, ...rows] = parseCsv(text);
    assert.deepEqual(header, [...COLUMNS]);
    assert.equal(rows.length, ctx.articles.length);
    const byId = new Map(ctx.articles.map((a) => [a.id, a]));
    for (const [id, title, url, outlet, outletName, publishedAt, topics] of rows as string[][]) {
      const a = byId.get(id!);
      assert.ok(a, id);
      assert.deepEqual(
        { title, url, outlet, outletName, publishedAt, topics },
        {
          title: a.title,
          url: a.url,
          outlet: a.outlet.id,
          outletName: a.outlet.name,
          publishedAt: a.publishedAt ? new Date(a.publishedAt).toISOString() : '',
          topics: a.topics.join(';'),
        },
        id,
      );
    }
    assert.ok(
      rows.some((r) => r[5] === ''),
      'the corpus has undated stories: their date is empty',
    );
  });

  it('quotes a title with a comma (RFC 4180)', async () => {
    const a = ctx.articles.find((x) => x.title.includes(','));
    assert.ok(a, 'the fixture corpus has a title with a comma');
    const res = await exportOf({ format: 'csv', outlet: a.outlet.id }).expect(200);
    assert.ok((res.body as Buffer).toString('utf8').includes(`\r\n${a.id},"${a.title}",`));
  });

  it('HEAD answers the headers without a body', async () => {
    const res = await request(ctx.app).head('/api/export').query({ format: 'csv', q: '北约' }).expect(200);
    assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
    assert.ok(Number(res.headers['x-total-count']) > 0);
    assert.equal(res.text, undefined);
  });
});

describe('GET /api/export?format=jsonl', () => {
  it('is one JSON object per line, the fields in order, no body text, as the OpenAPI document says', async () => {
    const { rows, res } = await jsonl({ q: '北约' });
    assert.equal(res.headers['content-type'], 'application/x-ndjson; charset=utf-8');
    assert.equal(res.headers['content-disposition'], `attachment; filename="tongwen-export-${today()}.jsonl"`);
    assert.notEqual((res.body as Buffer)[0], 0xef, 'no BOM');
    assert.ok(rows.length > 0);
    const validate = ajv.compile(
      openApiDocument.paths['/api/export'].get.responses['200'].content['application/x-ndjson'].schema as object,
    );
    for (const row of rows) {
      assert.deepEqual(Object.keys(row), [...COLUMNS]);
      assert.ok(validate(row), JSON.stringify(validate.errors));
      const a = ctx.articles.find((x) => x.id === row.id)!;
      assert.equal(row.publishedAt, a.publishedAt ? new Date(a.publishedAt).toISOString() : null);
      assert.deepEqual(row.topics, a.topics);
    }
  });

  it("carries each story's extracted keywords, people, places and organizations, in the reader's script", async () => {
    const { rows } = await jsonl({ script: 'hant' });
    const named = rows.filter((r) => r.people.length > 0);
    assert.ok(named.length > 0, 'the fixture corpus names people on the lists');
    for (const row of rows) {
      const doc = toIndexDocument(ctx.articles.find((x) => x.id === row.id)!);
      for (const field of ['keywords', 'people', 'places', 'organizations'] as const) {
        assert.deepEqual(
          row[field],
          doc[field].map((w) => inScript(w, 'hant')),
          `${row.id} ${field}`,
        );
      }
    }
  });

  it('has as many rows as /api/search has total, for queries and filters', async () => {
    const dated = ctx.articles
      .filter((a) => a.publishedAt)
      .map((a) => a.publishedAt!)
      .sort();
    const queries: Query[] = [
      {},
      { q: '香港' },
      { q: '表示' },
      { q: '北约' },
      { q: '香港 -北约' },
      { q: '網絡安全' },
      { outlet: 'rfi' },
      { outlet: ['rfi', 'bbc'], topic: '国际' },
      { q: '香港', sort: 'oldest', from: dated[0]!.slice(0, 10), to: dated.at(-1)!.slice(0, 10) },
      { q: '!!' },
    ];
    for (const query of queries) {
      const search = await request(ctx.app).get('/api/search').query(query).expect(200);
      const { rows, res } = await jsonl(query);
      const label = JSON.stringify(query);
      assert.equal(rows.length, search.body.total, label);
      assert.equal(res.headers['x-total-count'], String(search.body.total), label);
      assert.equal(new Set(rows.map((r) => r.id)).size, rows.length, `${label}: each story once`);
    }
  });

  it('is in the order of the search pages, by relevance and by date', async () => {
    // 表示 matches more stories than the re-ranked window (100): the order continues past it.
    for (const query of [
      { q: '表示' },
      { q: '北约' },
      { q: '香港', sort: 'newest' },
      { sort: 'newest' },
      { sort: 'oldest', outlet: 'cdt' },
    ] as Query[]) {
      const { ids, total } = await searchIds(query);
      assert.equal(ids.length, total);
      if (query.q === '表示') assert.ok(total > 100, 'past the re-ranked window');
      const { rows } = await jsonl(query);
      assert.deepEqual(
        rows.map((r) => r.id),
        ids,
        JSON.stringify(query),
      );
    }
  });

  it('shows titles in the requested script', async () => {
    for (const script of ['hant', 'hans'] as const) {
      const { rows } = await jsonl({ script });
      let changed = 0;
      for (const row of rows) {
        const a = ctx.articles.find((x) => x.id === row.id)!;
        assert.equal(row.title, inScript(a.title, script));
        if (row.title !== a.title) changed++;
      }
      assert.ok(changed > 0, `${script}: some titles are converted`);
    }
  });

  it('ignores page and perPage', async () => {
    const { rows } = await jsonl({ page: 'x', perPage: '1' });
    assert.equal(rows.length, ctx.articles.length);
  });
});

describe('GET /api/export: errors', () => {
  it('format is required and must be csv or jsonl', async () => {
    for (const query of [{}, { format: 'xml' }, { format: ['csv', 'jsonl'] }, { format: 'CSV' }] as Query[]) {
      const res = await request(ctx.app).get('/api/export').query(query).expect(400).expect('Content-Type', /json/);
      assert.equal(res.body.error.code, 'invalid_parameter');
      assert.equal(res.body.error.param, 'format');
      assert.equal(res.headers['content-disposition'], undefined);
    }
  });

  it('the search parameters are checked as for /api/search', async () => {
    for (const [param, value] of [
      ['sort', 'best'],
      ['script', 'latin'],
      ['from', '2024-02-30'],
      ['topic', 'nope'],
    ]) {
      const res = await request(ctx.app)
        .get('/api/export')
        .query({ format: 'csv', [param!]: value })
        .expect(400);
      assert.equal(res.body.error.param, param);
    }
  });
});

describe('GET /api/export: the cap', () => {
  const capped = (max: number) => {
    const backend = singleBackend(searchClient(ctx.meili.url, ctx.searchKey), 'articles');
    return express()
      .use(exportRouter(backend, { max }))
      .use(errorHandler(createLogger('silent')));
  };

  it('is 10,000 stories by default', () => {
    assert.equal(EXPORT_MAX, 10_000);
  });

  it('cuts the export at the cap, in order, and says so', async () => {
    for (const query of [{}, { q: '香港' }] as Query[]) {
      const full = await jsonl(query);
      const res = await exportOf({ ...query, format: 'jsonl' }, capped(5)).expect(200);
      const ids = (res.body as Buffer)
        .toString('utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id);
      assert.deepEqual(
        ids,
        full.rows.slice(0, 5).map((r) => r.id),
      );
      assert.equal(res.headers['x-total-count'], String(full.rows.length));
      assert.equal(res.headers['x-export-truncated'], 'true');
      const csv = await exportOf({ ...query, format: 'csv' }, capped(5)).expect(200);
      assert.equal(parseCsv((csv.body as Buffer).toString('utf8').slice(1)).length, 6, 'header and 5 rows');
    }
    const exact = await exportOf({ format: 'jsonl' }, capped(ctx.articles.length)).expect(200);
    assert.equal(exact.headers['x-export-truncated'], 'false');
  });
});

describe('CSV rows', () => {
  it('quote commas, quotes and line ends (RFC 4180) and end with CRLF', () => {
    assert.equal(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines', '']), 'a,"b,c","say ""hi""","two\nlines",\r\n');
  });

  it('guard against formula injection with a leading apostrophe', () => {
    for (const cell of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx', '＝1+1']) {
      const [parsed] = parseCsv(csvLine([cell]));
      assert.equal(parsed![0], `'${cell}`, JSON.stringify(cell));
    }
    assert.equal(csvLine(['=HYPERLINK("x","y")']), `"'=HYPERLINK(""x"",""y"")"\r\n`);
    for (const cell of ['1=1', '香港 +1', "'quoted", 'https://example.com/a-b']) assert.equal(csvLine([cell]), `${cell}\r\n`);
  });

  it('read stored values defensively', () => {
    const row = exportRow({ id: 'x1', title: 42, topics: 'politics', publishedAt: '2024-01-01', outlet: null }, 'orig');
    const none = { keywords: [], people: [], places: [], organizations: [] };
    assert.deepEqual(row, { id: 'x1', title: '', url: '', outlet: '', outletName: '', publishedAt: null, topics: [], ...none });
    assert.equal(
      csvRow({ ...row, topics: ['a', 'b'], people: ['李家超', '周庭'], publishedAt: '2024-01-01T00:00:00.000Z' }),
      'x1,,,,,2024-01-01T00:00:00.000Z,a;b,,李家超;周庭,,\r\n',
    );
  });
});

/** A backend with `total` stories, 100 to a page, that counts its searches and may fail at a page. */
function fakeBackend(total: number, failAt?: number): SearchBackend & { searches: number } {
  const backend = {
    indexName: 'fake',
    kind: 'single' as const,
    reachableHits: 1_000_000,
    searches: 0,
    async search<T>(queries: BackendQuery[]) {
      backend.searches++;
      return {
        missing: [],
        results: queries.map((q) => {
          if (failAt !== undefined && q.page >= failAt) throw new SearchUnavailable();
          const from = (q.page - 1) * q.hitsPerPage;
          const n = Math.max(0, Math.min(q.hitsPerPage, total - from));
          const hits = Array.from({ length: n }, (_, i) => ({
            id: `s${from + i}`,
            title: `第${from + i}則`.repeat(20),
            url: 'https://example.com/',
            outlet: 'x',
            outletName: 'X',
            topics: ['国际'],
            publishedAt: 0,
          }));
          return { hits: hits as T[], total, facetDistribution: {}, processingTimeMs: 0 };
        }),
      };
    },
    async health() {
      return [];
    },
    close() {},
  };
  return backend;
}

async function listen(app: express.Express): Promise<{ url: string; close(): void }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

describe('GET /api/export: streaming', () => {
  const log = createLogger('silent');

  it('a failure before the first byte is an ordinary error answer; after it, the download is cut', async () => {
    const early = await request(createApp({ backend: fakeBackend(500, 1), log }))
      .get('/api/export?format=csv')
      .expect(503);
    assert.equal(early.body.error.code, 'search_unavailable');
    assert.equal(early.headers['content-disposition'], undefined);
    const server = await listen(createApp({ backend: fakeBackend(500, 3), log }));
    try {
      const res = await fetch(`${server.url}/api/export?format=jsonl`);
      assert.equal(res.status, 200);
      await assert.rejects(res.text());
    } finally {
      server.close();
    }
  });
});
