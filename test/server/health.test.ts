// GET /healthz and the error shape, against a real Meilisearch through supertest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { ensureIndex } from '../../core/meili/ensure-index.js';
import { createApp } from '../../server/app.js';
import { searchClient } from '../../server/search-client.js';
import { startTestMeili, type TestMeili } from '../helpers/meili.js';
import { singleBackend } from '../../server/search/backend.js';

describe('GET /healthz', () => {
  let meili: TestMeili;
  before(async () => {
    meili = await startTestMeili();
  });
  after(async () => meili.cleanup());

  const appFor = (m: TestMeili) =>
    createApp({
      backend: singleBackend(searchClient(m.url, m.masterKey), 'articles'),
      log: createLogger('silent'),
    });

  it('reports 0 documents before the index exists', async () => {
    const res = await request(appFor(meili)).get('/healthz').expect(200);
    assert.deepEqual(res.body, { status: 'ok', meilisearch: 'available', documents: 0 });
  });

  it('counts the documents of the live index', async () => {
    await ensureIndex(meili.client, 'articles');
    const task = await meili.client
      .index('articles')
      .addDocuments([{ id: 'a' }, { id: 'b' }, { id: 'c' }])
      .waitTask({ timeout: 30_000 });
    assert.equal(task.status, 'succeeded');
    const res = await request(appFor(meili)).get('/healthz').expect(200).expect('Content-Type', /json/);
    assert.equal(res.body.documents, 3);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('answers 503 in the error shape, quickly, when Meilisearch is stopped', async () => {
    const down = await startTestMeili();
    const app = appFor(down);
    await down.cleanup();
    const started = Date.now();
    const res = await request(app).get('/healthz').expect(503);
    assert.ok(Date.now() - started < 3_000, 'answers within the client timeout');
    assert.equal(res.body.error.code, 'search_unavailable');
    assert.match(res.body.error.message, /Meilisearch/);
    assert.ok(!JSON.stringify(res.body).includes(down.masterKey), 'never leaks the key');
    assert.deepEqual(Object.keys(res.body.error).sort(), ['code', 'message'], 'only the error shape, no stack');
  });
});
