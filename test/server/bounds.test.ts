// Every request's work is bounded (issue 24), against a real Meilisearch with the fixture corpus,
// observed through the server's own Meilisearch transport (test/helpers/recording-http.ts):
// one deadline across a request's calls, work that stops when the client leaves, pages past the
// last answered without asking for their hits, and a rate limit weighted by the searches made.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { createApp, type AppDeps } from '../../server/app.js';
import { callSignal, searchClient } from '../../server/search-client.js';
import { singleBackend } from '../../server/search/backend.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { eventLogger, isSearch, RecordingHttp } from '../helpers/recording-http.js';

let ctx: LoadedApp;
before(async () => {
  ctx = await loadedApp();
});
after(async () => ctx?.cleanup());

/** The app on the fixture index, its Meilisearch requests recorded, its log lines as events. */
function recordedApp(deps: Partial<AppDeps> = {}) {
  const http = new RecordingHttp();
  const { log, events } = eventLogger();
  const backend = singleBackend(searchClient(ctx.meili.url, ctx.searchKey, http.client), 'articles');
  return { http, events, app: createApp({ backend, log, ...deps }) };
}

/** The app on a real port; the server emits 'response-closed' when a response closes (finished or not). */
async function listen(app: ReturnType<typeof createApp>): Promise<{ url: string; server: Server }> {
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  server.on('request', (_req, res) => res.once('close', () => server.emit('response-closed')));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** The hits each multi-search asked for: a federated search's window, or each query's page. */
function windowsOf(bodies: unknown[]): Array<{ offset: number; limit: number }> {
  return bodies.flatMap((b) => {
    const { federation, queries } = b as {
      federation?: { offset?: number; limit?: number };
      queries: Array<{ page?: number; hitsPerPage?: number }>;
    };
    if (federation) return [{ offset: federation.offset ?? 0, limit: federation.limit ?? 20 }];
    return queries.map((q) => ({ offset: ((q.page ?? 1) - 1) * (q.hitsPerPage ?? 20), limit: q.hitsPerPage ?? 20 }));
  });
}

describe('one deadline across a request’s Meilisearch calls', { timeout: 60_000 }, () => {
  it('when it passes, the API answers 503 in the error shape and no further call is sent', async () => {
    const { http, app } = recordedApp({ requestDeadlineMs: 300 });
    // A long term: its candidates are read before the search itself (several calls in a row).
    // The first search is held: the version read before it has its own short timeout.
    const held = http.hold(1, isSearch);
    const answer = request(app)
      .get('/api/search')
      .query({ q: '中华人民共和国' })
      .then((r) => r);
    const signal = await held;
    assert.ok(signal, 'the call carries the request’s signal');
    if (!signal.aborted) await once(signal, 'abort');
    const sent = http.sent.length;
    http.release();
    const res = await answer;
    assert.equal(res.status, 503);
    assert.equal(res.body.error.code, 'search_unavailable');
    assert.match(res.body.error.message, /longer than 0\.3 s/);
    assert.equal(http.sent.length, sent, 'nothing sent after the deadline');
  });

  it('a page past its deadline answers the 503 page', async () => {
    const { http, app } = recordedApp({ requestDeadlineMs: 300 });
    const held = http.hold(1, isSearch);
    const answer = request(app)
      .get('/')
      .query({ q: '香港' })
      .set('Accept', 'text/html')
      .then((r) => r);
    const signal = await held;
    assert.ok(signal);
    if (!signal.aborted) await once(signal, 'abort');
    http.release();
    const res = await answer;
    assert.equal(res.status, 503);
    assert.match(res.headers['content-type'] ?? '', /html/);
    assert.match(res.text, /搜索暂时不可用/);
    assert.match(res.text, /超过了 0\.3 秒的时限/, 'stopped by the request’s deadline, not a call’s timeout');
  });

  it('each call keeps its own timeout under the request’s signal', async () => {
    const whole = new AbortController();
    const call = callSignal(whole.signal, 20)!;
    await once(call, 'abort');
    assert.equal((call.reason as Error).name, 'TimeoutError');
    assert.equal(whole.signal.aborted, false, 'the request goes on');
  });
});

describe('a client that leaves stops the request’s work', { timeout: 60_000 }, () => {
  /** Holds the `nth` search, aborts the client once it waits, lets the call go after the server saw the close. */
  async function leaveDuring(path: string, nth: number) {
    const { http, events, app } = recordedApp();
    const { url, server } = await listen(app);
    try {
      const held = http.hold(nth, isSearch);
      const client = new AbortController();
      const reading = fetch(url + path, { signal: client.signal })
        .then((r) => r.arrayBuffer())
        .catch((e: Error) => e);
      await held;
      const gone = once(server, 'response-closed');
      client.abort();
      await gone;
      const sentBefore = http.sent.length;
      const outcome = Promise.race([
        once(events, 'request.abandoned').then(() => 'stopped'),
        once(http.events, 'sent').then(() => 'sent more'),
      ]);
      http.release();
      assert.equal(await outcome, 'stopped');
      assert.equal(http.sent.length, sentBefore, 'no Meilisearch call after the client left');
      assert.ok((await reading) instanceof Error);
    } finally {
      server.close();
    }
  }

  it('a long-term search: the candidates being read are the last', async () => {
    await leaveDuring(`/api/search?q=${encodeURIComponent('中华人民共和国')}`, 1);
  });

  it('an export: the batch being read is the last', async () => {
    // Count, first batch (sent with the headers), second batch: held.
    await leaveDuring('/api/export?format=csv', 3);
  });
});

describe('pages past the last', () => {
  it('answer the exact total and facets with no hits, without asking for hits at their offset', async () => {
    const { http, app } = recordedApp();
    const first = (await request(app).get('/api/search').query({ q: '香港', sort: 'newest' }).expect(200)).body;
    assert.ok(first.totalPages >= 2, `${first.total} stories`);
    http.sent.length = 0;
    const past = (await request(app).get('/api/search').query({ q: '香港', sort: 'newest', page: '5000' }).expect(200)).body;
    assert.deepEqual(
      { total: past.total, totalPages: past.totalPages, facets: past.facets, hits: past.hits },
      { total: first.total, totalPages: first.totalPages, facets: first.facets, hits: [] },
    );
    const asked = windowsOf(http.searches().map((r) => r.body));
    assert.ok(asked.length > 0);
    for (const w of asked) assert.ok(w.limit === 0 || w.offset === 0, `asked for hits: ${JSON.stringify(w)}`);
  });

  it('pages that exist still bring their hits (the last one too)', async () => {
    const { http, app } = recordedApp();
    const first = (await request(app).get('/api/search').query({ q: '香港', sort: 'newest' }).expect(200)).body;
    http.sent.length = 0;
    const last = (
      await request(app)
        .get('/api/search')
        .query({ q: '香港', sort: 'newest', page: String(first.totalPages) })
        .expect(200)
    ).body;
    assert.equal(last.hits.length, first.total - (first.totalPages - 1) * 20);
    assert.ok(windowsOf(http.searches().map((r) => r.body)).some((w) => w.offset === (first.totalPages - 1) * 20 && w.limit === 20));
  });

  it('past what pages reach (maxTotalHits): the same, on one instance', async () => {
    const http = new RecordingHttp();
    const backend = singleBackend(searchClient(ctx.meili.url, ctx.searchKey, http.client), 'articles', 40);
    const app = createApp({ backend, log: createLogger('silent') });
    const res = (await request(app).get('/api/search').query({ page: '3' }).expect(200)).body;
    assert.equal(res.total, ctx.articles.length, 'the total counts past the limit');
    assert.equal(res.totalPages, 2);
    assert.deepEqual(res.hits, []);
    for (const w of windowsOf(http.searches().map((r) => r.body))) assert.ok(w.limit === 0 || w.offset === 0, JSON.stringify(w));
  });

  it('the page says it is past the last page and links to the last', async () => {
    const { app } = recordedApp();
    const res = await request(app).get('/').query({ q: '香港', sort: 'newest', page: '5000' }).expect(200);
    assert.match(res.text, /没有第 5,000 页：这次搜索共 \d+ 页。 <a href="[^"]*page=\d+/);
    assert.doesNotMatch(res.text, /id="none-title"/);
  });
});

describe('the rate limit counts searches, on every route that searches', () => {
  const limited = (perMinute: number) =>
    createApp({
      backend: singleBackend(searchClient(ctx.meili.url, ctx.searchKey), 'articles'),
      log: createLogger('silent'),
      rateLimitPerMinute: perMinute,
      trustProxy: 1,
    });

  it('a compare page with five queries costs five; past the limit browsers get a 429 page with Retry-After', async () => {
    const app = limited(6);
    const five = await request(app)
      .get('/trends')
      .query({ q: ['香港', '中国', '美国', '台湾', '警察'] })
      .set('X-Forwarded-For', '198.51.100.1')
      .expect(200);
    assert.match(five.headers.ratelimit as string, /^"search"; r=1; t=\d+$/);
    const two = await request(app)
      .get('/trends')
      .query({ q: ['香港', '中国'] })
      .set('X-Forwarded-For', '198.51.100.1')
      .set('Accept', 'text/html')
      .expect(429);
    assert.match(two.headers['content-type'] ?? '', /html/);
    assert.match(two.text, /搜索过于频繁/);
    assert.ok(Number(two.headers['retry-after']) > 0);
  });

  it('a query with OR costs one search per alternative, on the search and compare pages alike', async () => {
    const app = limited(5);
    const three = await request(app)
      .get('/api/search')
      .query({ q: '(香港 OR 台灣 OR 美國) 選舉' })
      .set('X-Forwarded-For', '198.51.100.2')
      .expect(200);
    assert.match(three.headers.ratelimit as string, /^"search"; r=2; t=\d+$/);
    const compared = await request(app)
      .get('/trends')
      .query({ q: ['香港 OR 台灣', '中國'] })
      .set('X-Forwarded-For', '198.51.100.3')
      .expect(200);
    assert.match(compared.headers.ratelimit as string, /^"search"; r=2; t=\d+$/);
    await request(app).get('/api/search').query({ q: '香港 OR 台灣 OR 中國' }).set('X-Forwarded-For', '198.51.100.2').expect(429);
  });

  it('every searching route is limited; static assets and /healthz are not', async () => {
    const app = limited(1);
    // (An export that reads nothing costs one search.)
    const routes = [
      '/',
      '/?q=香港',
      '/trends?q=香港',
      '/fragments/coverage?q=香港',
      '/feed.xml?q=香港',
      '/api/search?q=香港',
      '/api/timeline?q=香港',
      '/api/facets',
      '/api/export?format=csv&q=qqqzzzxxx',
      '/article/x',
    ];
    for (const [n, path] of routes.entries()) {
      const client = `198.51.100.${10 + n}`;
      const firstTry = await request(app).get(encodeURI(path)).set('X-Forwarded-For', client);
      assert.notEqual(firstTry.status, 429, path);
      assert.equal((await request(app).get(encodeURI(path)).set('X-Forwarded-For', client)).status, 429, path);
      await request(app).get('/assets/style.css').set('X-Forwarded-For', client).expect(200);
      await request(app).get('/healthz').set('X-Forwarded-For', client).expect(200);
    }
  });

  it('an export is charged one search per batch of 100 stories it reads, before it sends any', async () => {
    const app = limited(3);
    // 172 stories: a count and two batches.
    const whole = await request(app).get('/api/export').query({ format: 'jsonl' }).set('X-Forwarded-For', '198.51.100.30').expect(200);
    assert.equal(whole.headers['x-total-count'], String(ctx.articles.length));
    await request(app).get('/api/search').set('X-Forwarded-For', '198.51.100.30').expect(429);
    await request(app).get('/api/search').set('X-Forwarded-For', '198.51.100.31').expect(200);
    const refused = await request(app).get('/api/export').query({ format: 'jsonl' }).set('X-Forwarded-For', '198.51.100.31').expect(429);
    assert.equal(refused.body.error.code, 'rate_limited');
    assert.equal(refused.headers['content-disposition'], undefined);
  });
});
