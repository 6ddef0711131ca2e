// Property-based tests (fast-check) over the query string of every route: any parameters, any
// values, any encoding (broken percent-escapes, control characters, repeats, unknown names).
// The server must never answer 500, every error must be in the documented shape, and every JSON
// answer must fit the schema /api/openapi.json gives for it.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { reindex } from '../../indexer/reindex/run.js';
import { createApp } from '../../server/app.js';
import { openApiDocument } from '../../server/openapi.js';
import { checkSchema } from '../helpers/openapi.js';
import { searchClient } from '../../server/search-client.js';
import { searchOnlyKey } from '../../core/meili/keys.js';
import { fixtureCorpusDir } from '../helpers/corpus.js';
import { startTestMeili, type TestMeili } from '../helpers/meili.js';
import { singleBackend } from '../../server/search/backend.js';

let meili: TestMeili;
let app: ReturnType<typeof createApp>;
before(async () => {
  meili = await startTestMeili();
  const log = createLogger('silent');
  await reindex({
    client: meili.client,
    indexName: 'articles',
    dataDir: meili.dataDir,
    roots: [path.join(fixtureCorpusDir, 'feedx'), path.join(fixtureCorpusDir, 'cdt')],
    incremental: false,
    prune: false,
    log,
  });
  app = createApp({ backend: singleBackend(searchClient(meili.url, await searchOnlyKey(meili.client, 'articles')), 'articles'), log });
});
after(async () => meili.cleanup());

/** The error codes /api/openapi.json documents. */
const ERROR_CODES: readonly string[] = (
  openApiDocument.components.schemas.Error as { properties: { error: { properties: { code: { enum: string[] } } } } }
).properties.error.properties.code.enum;
const NAMES = [
  'q',
  'outlet',
  'topic',
  'from',
  'to',
  'sort',
  'page',
  'perPage',
  'script',
  'interval',
  'format',
  'x',
  'q[]',
  'page[a]',
  '__proto__',
  'constructor',
];
const VALUES: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.constantFrom(
    '',
    ' ',
    '1',
    '0',
    '-1',
    '1e9',
    '99999999999999999999',
    'NaN',
    '2021-02-30',
    '2021-13-01',
    '0000-01-01',
    '9999-12-31',
    'newest',
    'hant',
    'hans',
    'rfi',
    'year',
    'csv',
    'jsonl',
    '港澳台',
    '"',
    '""',
    '"香港',
    '*',
    'outlet = rfi',
    "' OR 1=1 --",
    '<script>',
    '%',
    '%zz',
    '%E4%B8',
    '\u0000',
    '\uFFFF',
    '港'.repeat(201),
  ),
);
/** A raw query string: names and values encoded, or deliberately not. */
const QUERY = fc
  .array(fc.tuple(fc.constantFrom(...NAMES), VALUES, fc.boolean()), { maxLength: 8 })
  .map((pairs) =>
    pairs.map(([k, v, raw]) => `${encodeURIComponent(k)}=${raw ? v.replace(/[#&\s]/g, '') : encodeURIComponent(v)}`).join('&'),
  );

function checkResponse(url: string, res: request.Response): void {
  assert.notEqual(res.status, 500, `${url} → 500: ${res.text.slice(0, 300)}`);
  assert.ok([200, 400, 404].includes(res.status), `${url} → ${res.status}`);
  if (res.status !== 200 && res.type === 'application/json') {
    const { error } = res.body as { error: { code: string; message: string; param?: string } };
    assert.ok(ERROR_CODES.includes(error.code), `${url}: code ${error.code}`);
    assert.equal(typeof error.message, 'string');
    assert.deepEqual(Object.keys(res.body), ['error']);
  }
}

/** The schema of each route's JSON answer (the export's JSON Lines are checked by export.test.ts). */
const ANSWERS: Record<string, string> = { '/api/search': 'SearchResponse', '/api/facets': 'IndexFacets', '/api/timeline': 'Timeline' };

describe('fuzzing the query parameters', () => {
  for (const route of ['/api/search', '/api/facets', '/api/timeline', '/api/export', '/api/articles/rfi-0123456789abcdef0123', '/']) {
    it(`${route}: any query string gives 200 in the documented shape or a documented error, never 500`, async () => {
      await fc.assert(
        fc.asyncProperty(QUERY, async (qs) => {
          const url = `${route}?${qs}`;
          const res = await request(app)
            .get(url)
            .set('Accept', route === '/' ? 'text/html' : 'application/json');
          checkResponse(url, res);
          if (res.status === 200 && ANSWERS[route]) checkSchema(ANSWERS[route], res.body);
        }),
        { numRuns: 120 },
      );
    });
  }

  it('/api/articles/:id and /article/:id: any id gives 200, 404 or 400, never 500', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 120 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 40 })),
        async (id) => {
          for (const prefix of ['/api/articles/', '/article/']) {
            const url = prefix + encodeURIComponent(id);
            checkResponse(url, await request(app).get(url));
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
