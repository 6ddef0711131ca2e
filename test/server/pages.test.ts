// The HTML pages and the shared error handling, through supertest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
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

  it('GET / shows the article count once documents are indexed', async () => {
    await meili.client.index('articles').addDocuments([{ id: 'x' }, { id: 'y' }]).waitTask({ timeout: 30_000 });
    const res = await request(app).get('/').expect(200);
    assert.ok(!res.text.includes('npm run reindex'));
    assert.match(res.text, /2 篇文章可供搜索/);
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
});
