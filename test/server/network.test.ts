// Tongwen on a network of three Meilisearch instances (MEILI_INSTANCES) against one instance
// holding the same fixture corpus: the reindex places each story on the shard its id hashes to
// (no Meilisearch sharding), searches give the same totals, facet counts and sorted pages,
// counts stay exact past maxTotalHits, and an instance that is down makes answers partial, said
// so, never silently short (R = 1). Replicas (MEILI_REPLICAS = 2) are tested in replicas.test.ts.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { shardOf } from '../../core/shards.js';
import { configureNetwork, masterClient } from '../../core/meili/network.js';
import { META_INDEX } from '../../core/meili/generation.js';
import { searchOnlyKey } from '../../core/meili/keys.js';
import { createApp } from '../../server/app.js';
import { searchClient } from '../../server/search-client.js';
import { singleBackend, type SearchBackend } from '../../server/search/backend.js';
import { NETWORK_REACHABLE_HITS, NetworkBackend, type NetworkMember } from '../../server/search/network-backend.js';
import { parseSearchParams } from '../../server/search/params.js';
import { meiliQuery, parseQuery } from '../../server/search/query.js';
import { search } from '../../server/search/search.js';
import { runCli, waitForStderr } from '../helpers/cli.js';
import { FIXTURE, FIXTURE_TREES } from '../helpers/corpus.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';
import { startTestNetwork, type TestNetwork } from '../helpers/network.js';
import { checkSchema } from '../helpers/openapi.js';
import { assertSameAnswers, comparable } from '../helpers/network-queries.js';
import { RecordingHttp } from '../helpers/recording-http.js';

const log = createLogger('silent');

/** Live documents per instance, by the master key. */
async function perInstance(net: TestNetwork, index = 'articles'): Promise<number[]> {
  return Promise.all(net.members.map(async (m) => (await m.client.index(index).getStats()).numberOfDocuments));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The ids of the live stories on each instance, by the master key. */
async function idsPerInstance(net: TestNetwork, index = 'articles'): Promise<string[][]> {
  return Promise.all(
    net.members.map(async (m) =>
      (await m.client.index(index).getDocuments<{ id: string }>({ fields: ['id'], limit: 10_000 })).results.map((d) => d.id).sort(),
    ),
  );
}

/** Ids on an instance whose shard it does not hold: none when every story is where its id places it. */
async function strays(net: TestNetwork): Promise<string[]> {
  const ids = await idsPerInstance(net);
  return net.instances.flatMap((i, n) =>
    ids[n]!.filter((id) => !i.shards.includes(shardOf(id, net.instances.length))).map((id) => `${id} on ${i.name}`),
  );
}

describe('a network of three Meilisearch instances', () => {
  let net: TestNetwork;
  let one: TestMeili;
  let netEnv: Record<string, string>;
  let oneEnv: Record<string, string>;
  let network: NetworkBackend;
  let members: NetworkMember[];
  let single: SearchBackend;
  const dirs: string[] = [];

  before(async () => {
    [net, one] = await Promise.all([startTestNetwork(3), startTestMeili()]);
    dirs.push(tempDir('tongwen-net-'), tempDir('tongwen-one-'));
    netEnv = { ...net.env, DATA_DIR: dirs[0]! };
    oneEnv = { MEILI_URL: one.url, MEILI_MASTER_KEY: one.masterKey, DATA_DIR: dirs[1]! };
    const [a, b] = [runCli(['reindex', ...FIXTURE_TREES, '--json'], netEnv), runCli(['reindex', ...FIXTURE_TREES, '--json'], oneEnv)];
    assert.equal(await a.done, 0, a.stderr);
    assert.equal(await b.done, 0, b.stderr);
    const keys = await configureNetwork(net.instances, 'articles', log);
    members = net.instances.map((i) => ({ name: i.name, url: i.url, shards: i.shards, searchKey: keys.get(i.name)!.searchKey }));
    network = new NetworkBackend({ indexName: 'articles', members, log });
    single = singleBackend(searchClient(one.url, await searchOnlyKey(one.client, 'articles')), 'articles');
  });
  after(async () => {
    network?.close();
    await Promise.all([net?.cleanup(), one?.cleanup()]);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('the reindex configured the network for searching only on every instance and spread the stories over them', async () => {
    const counts = await perInstance(net);
    assert.equal(sum(counts), FIXTURE.stories, `per instance: ${counts.join(' + ')}`);
    for (const c of counts) assert.ok(c > FIXTURE.stories / 6, `each instance holds a share: ${counts.join(' + ')}`);
    for (const [n, m] of net.members.entries()) {
      const config = await m.client.httpRequest.get<{
        self: string;
        sharding: boolean;
        remotes: Record<string, { url: string; writeApiKey: string | null }>;
      }>({ path: 'network' });
      assert.equal(config.self, `ms${n}`);
      assert.equal(config.sharding, false, 'Meilisearch sharding (Enterprise Edition) stays off');
      assert.deepEqual(
        Object.fromEntries(Object.entries(config.remotes).map(([k, v]) => [k, v.url])),
        Object.fromEntries(net.instances.map((i) => [i.name, i.url])),
      );
      assert.deepEqual(
        Object.values(config.remotes).map((r) => r.writeApiKey),
        [null, null, null],
        'no instance can write to another',
      );
      const settings = await m.client.index('articles').getSettings();
      assert.deepEqual(settings.sortableAttributes, ['id', 'publishedAt'], 'settings applied on every instance');
    }
  });

  it('puts each story on exactly the shard its id hashes to, once', async () => {
    const ids = await idsPerInstance(net);
    assert.deepEqual(await strays(net), []);
    assert.equal(new Set(ids.flat()).size, FIXTURE.stories, 'no story on two instances');
  });

  it('gives the same totals, facet counts and sorted pages as one instance holding the same corpus, for 60+ queries (R = 1)', async () => {
    await assertSameAnswers(single, network);
  });

  it('serves the same JSON through the app, with every instance in /healthz', async () => {
    const app = createApp({ backend: network, log });
    const res = await request(app).get('/api/search').query({ q: '香港', sort: 'newest' }).expect(200);
    const expected = await search(single, parseSearchParams({ q: '香港', sort: 'newest' }));
    assert.equal(res.body.total, expected.total);
    assert.equal(res.body.partial, false);
    assert.deepEqual(
      res.body.hits.map((h: { id: string }) => h.id),
      expected.hits.map((h) => h.id),
    );
    const health = await request(app).get('/healthz').expect(200);
    checkSchema('Health', health.body);
    assert.equal(health.body.status, 'ok');
    assert.equal(health.body.documents, FIXTURE.stories);
    assert.deepEqual(
      health.body.instances.map((i: { name: string; status: string }) => [i.name, i.status]),
      [
        ['ms0', 'available'],
        ['ms1', 'available'],
        ['ms2', 'available'],
      ],
    );
    assert.deepEqual(
      health.body.instances.map((i: { documents: number }) => i.documents),
      await perInstance(net),
    );
    const article = await request(app).get(`/api/articles/${expected.hits[0]!.id}`).expect(200);
    assert.equal(article.body.id, expected.hits[0]!.id);
    const facets = await request(app).get('/api/facets').expect(200);
    assert.equal(facets.body.total, FIXTURE.stories);
  });

  it('keeps totals and facet counts exact past maxTotalHits (lowered to 5 on every instance)', async () => {
    const list: Array<Record<string, string>> = [
      {},
      { q: '香港' },
      { q: '中国', sort: 'newest' },
      { outlet: (await search(single, parseSearchParams({}))).facets.outlet[0]!.value },
    ];
    // Long phrases, whose candidates are read and checked (loose-phrases.ts): past the limit too.
    for (const q of ['德国之声中文网', '特首林鄭月娥', '中华人民共和国']) {
      if ((await search(single, parseSearchParams({ q }))).total > 5) list.push({ q }, { q: `香港 -${q}` });
    }
    assert.ok(list.length >= 6, `long phrases matching more than 5 stories: ${JSON.stringify(list.slice(4))}`);
    const before = await Promise.all(list.map((q) => search(single, parseSearchParams(q))));
    assert.ok(
      before.every((r) => r.total > 5),
      `every query matches more than 5 stories: ${before.map((r) => r.total).join(', ')}`,
    );
    const setLimit = async (n: number) => {
      for (const m of [...net.members, one]) {
        const task = await m.client
          .index('articles')
          .updateSettings({ pagination: { maxTotalHits: n } })
          .waitTask();
        assert.equal(task.status, 'succeeded');
      }
    };
    await setLimit(5);
    try {
      const lowSingle = singleBackend(searchClient(one.url, await searchOnlyKey(one.client, 'articles')), 'articles', 5);
      for (const [n, q] of list.entries()) {
        const p = parseSearchParams(q);
        const [a, b] = await Promise.all([search(lowSingle, p), search(network, p)]);
        for (const r of [a, b]) {
          assert.equal(r.total, before[n]!.total, `total of ${JSON.stringify(q)}`);
          assert.deepEqual(r.facets, before[n]!.facets, `facets of ${JSON.stringify(q)}`);
        }
        // Meilisearch's own total stops at the limit: the test can tell the difference.
        const plain = await one.client
          .index('articles')
          .search(meiliQuery(parseQuery(p.q)), { page: 1, hitsPerPage: 1, filter: q.outlet ? `outlet = "${q.outlet}"` : undefined });
        assert.equal(plain.totalHits, 5);
      }
    } finally {
      await setLimit(50_000);
    }
  });

  it('deep pages: no instance is asked for hits past the reachable ones, nor for stories at a deep offset, nor for hits past the last page', async () => {
    assert.equal(new NetworkBackend({ indexName: 'articles', members, log, probe: false }).reachableHits, NETWORK_REACHABLE_HITS);
    const http = new RecordingHttp();
    const reach = 60;
    const recorded = new NetworkBackend({
      indexName: 'articles',
      members,
      log,
      probe: false,
      httpClient: http.client,
      reachableHits: reach,
    });
    /** Every federated search sent: the window of hits it asks each instance for, and what of them. */
    const windows = () =>
      http.searches().map((r) => {
        const body = r.body as { federation: { offset: number; limit: number }; queries: Array<{ attributesToRetrieve?: string[] }> };
        return { ...body.federation, ids: JSON.stringify(body.queries[0]!.attributesToRetrieve) === '["id"]' };
      });
    // Deep but within reach: the same stories as one instance, read as ids, then one page of stories.
    const deep = parseSearchParams({ sort: 'newest', page: '3' });
    assert.deepEqual(
      (await search(recorded, deep)).hits.map((h) => h.id),
      (await search(single, deep)).hits.map((h) => h.id),
    );
    for (const w of windows()) {
      assert.ok(w.offset + w.limit <= reach, `within reach: ${JSON.stringify(w)}`);
      if (!w.ids && w.limit > 0) assert.deepEqual([w.offset, w.limit], [0, 20], `stories only for the page: ${JSON.stringify(w)}`);
    }
    assert.ok(
      windows().some((w) => w.ids && w.offset === 40 && w.limit === 20),
      'the page was read as ids',
    );
    // Past reach, and past the last page: the exact total and facets, no hits asked for.
    for (const q of [
      { sort: 'newest', page: '4' },
      { q: '香港', sort: 'newest', page: '500' },
    ]) {
      http.sent.length = 0;
      const p = parseSearchParams(q);
      const [a, b] = [await search(recorded, p), await search(single, p)];
      assert.deepEqual(
        { total: a.total, facets: a.facets, hits: a.hits },
        { total: b.total, facets: b.facets, hits: [] },
        JSON.stringify(q),
      );
      for (const w of windows()) assert.ok(w.limit === 0 || w.offset === 0, `${JSON.stringify(q)} asked for ${JSON.stringify(w)}`);
    }
  });

  it('an incremental run with --prune updates the stories on every instance, as on one', async () => {
    const corpus = tempDir('tongwen-net-corpus-');
    dirs.push(corpus);
    for (const t of FIXTURE_TREES) fs.cpSync(t, path.join(corpus, path.basename(t)), { recursive: true });
    const run = async (args: string[]) => {
      const [a, b] = [runCli(['reindex', ...args, '--json'], netEnv), runCli(['reindex', ...args, '--json'], oneEnv)];
      assert.equal(await a.done, 0, a.stderr);
      assert.equal(await b.done, 0, b.stderr);
      return [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    };
    await run([corpus]);
    fs.rmSync(path.join(corpus, 'cdt'), { recursive: true });
    // 32 of 172 stories go: more than a run may remove without saying so.
    const [n, s] = await run([corpus, '--incremental', '--prune', '--allow-shrink']);
    assert.equal(n.mode, 'incremental');
    assert.ok(n.deleted > 0, 'the removed files lost their stories');
    assert.deepEqual({ deleted: n.deleted, documents: n.documents }, { deleted: s.deleted, documents: s.documents });
    assert.equal(sum(await perInstance(net)), s.documents);
    assert.deepEqual(await strays(net), [], 'updates and deletions went to the owning shards');
    for (const q of [{}, { q: '香港', sort: 'newest' }]) {
      const p = parseSearchParams(q);
      assert.deepEqual(comparable(await search(network, p), true), comparable(await search(single, p), true));
    }
    // Back to the whole fixture corpus for the tests after this one.
    await run(FIXTURE_TREES);
  });

  it('a full reindex killed before the swaps leaves every live index as it was; the next run cleans up on every instance', async () => {
    const live = await perInstance(net);
    // While parsing, and once Meilisearch has the documents: each point marked by the run's own log line.
    for (const event of [/"event":"reindex\.file_scanned","n":60,/, /reindex\.payload_enqueued/]) {
      const run = runCli(['reindex', ...FIXTURE_TREES], { ...netEnv, LOG_LEVEL: 'debug' });
      await waitForStderr(run, event);
      run.child.kill('SIGKILL');
      await run.done;
      assert.deepEqual(await perInstance(net), live, `killed after ${event}: every live index unchanged`);
    }
    const next = runCli(['reindex', ...FIXTURE_TREES, '--json'], netEnv);
    assert.equal(await next.done, 0, next.stderr);
    for (const m of net.members)
      assert.deepEqual(
        (await m.client.getRawIndexes()).results.map((i) => i.uid).filter((uid) => uid !== META_INDEX),
        ['articles'],
        'no build index left',
      );
    assert.equal(sum(await perInstance(net)), FIXTURE.stories);
  });

  it('an incremental run after the instances were named in another order is a full one, that places every story anew', async () => {
    const order = [1, 2, 0].map((n) => net.instances[n]!);
    const reordered = { ...netEnv, MEILI_INSTANCES: order.map((i) => `${i.name}=${i.url}`).join(',') };
    for (const [env, shards] of [
      [reordered, order],
      [netEnv, net.instances],
    ] as const) {
      const run = runCli(['reindex', ...FIXTURE_TREES, '--incremental', '--json'], env);
      assert.equal(await run.done, 0, run.stderr);
      const summary = JSON.parse(run.stdout) as { mode: string; note?: string };
      assert.equal(summary.mode, 'full');
      assert.match(summary.note ?? '', /belongs to another shard \(MEILI_INSTANCES or MEILI_REPLICAS changed/);
      const ids = await idsPerInstance(net);
      for (const [k, i] of shards.entries()) {
        const n = net.instances.indexOf(i);
        assert.deepEqual(
          ids[n]!.filter((id) => shardOf(id, 3) !== k),
          [],
          `${i.name} holds shard ${k} only`,
        );
      }
      assert.equal(new Set(ids.flat()).size, FIXTURE.stories);
      assert.equal(sum(await perInstance(net)), FIXTURE.stories);
    }
  });

  it('an instance that stops answering is left out within the time budget, and the answer says so', async () => {
    const app = createApp({ backend: network, log });
    const full = await search(single, parseSearchParams({ q: '香港' }));
    const stopped = net.members[1]!;
    process.kill(stopped.meili.pid, 'SIGSTOP');
    try {
      const started = Date.now();
      const res = await request(app).get('/api/search').query({ q: '香港' }).expect(200);
      assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
      checkSchema('SearchResponse', res.body);
      assert.equal(res.body.partial, true);
      assert.deepEqual(
        res.body.missing.map((m: { instance: string }) => m.instance),
        ['ms1'],
      );
      assert.ok(res.body.total < full.total, `${res.body.total} of ${full.total}: the stopped instance's share is not counted`);
    } finally {
      process.kill(stopped.meili.pid, 'SIGCONT');
    }
    await network.probe();
    assert.equal((await search(network, parseSearchParams({ q: '香港' }))).partial, false, 'back once it answers');
  });

  it('with one instance down, searches answer from the others, say which is missing, and /healthz reports it', async () => {
    const app = createApp({ backend: network, log });
    const down = net.members[2]!;
    const share = (await down.client.index('articles').search('', { page: 1, hitsPerPage: 0 })).totalHits ?? 0;
    process.kill(down.meili.pid, 'SIGKILL');
    await down.meili.exited;
    const started = Date.now();
    const res = await request(app).get('/api/search').query({}).expect(200);
    assert.ok(Date.now() - started < 5_000);
    checkSchema('SearchResponse', res.body);
    assert.equal(res.body.partial, true);
    assert.deepEqual(
      res.body.missing.map((m: { instance: string }) => m.instance),
      ['ms2'],
    );
    assert.equal(res.body.total, FIXTURE.stories - share, 'exactly the stories of the instances that answered');
    for (const [path, schema] of [
      ['/api/facets', 'IndexFacets'],
      ['/api/timeline', 'Timeline'],
    ] as const) {
      const answer = (await request(app).get(path).expect(200)).body;
      checkSchema(schema, answer);
      assert.deepEqual([answer.partial, answer.missing.map((m: { instance: string }) => m.instance)], [true, ['ms2']], path);
    }
    const page = await request(app).get('/').query({ q: '香港' }).expect(200);
    assert.match(page.text, /class="notice partial"[^>]*>[^<]*ms2/);
    await network.probe(); // as the background probe would: it gives the reason /healthz shows
    const health = await request(app).get('/healthz').expect(200);
    checkSchema('Health', health.body);
    assert.equal(health.body.status, 'degraded');
    assert.deepEqual(
      health.body.instances.map((i: { name: string; status: string }) => [i.name, i.status]),
      [
        ['ms0', 'available'],
        ['ms1', 'available'],
        ['ms2', 'unavailable'],
      ],
    );
    assert.equal(health.body.documents, FIXTURE.stories - share);
    // Instances are named, never located: their addresses stay in the server log.
    for (const { url } of net.instances) {
      const host = new URL(url).host;
      assert.ok(!JSON.stringify(health.body).includes(host), `/healthz shows ${host}: ${JSON.stringify(health.body)}`);
      assert.ok(!JSON.stringify(res.body.missing).includes(host), `the search answer shows ${host}: ${JSON.stringify(res.body.missing)}`);
    }
    // The master client of the stopped instance fails: the test really stopped it.
    await assert.rejects(masterClient(net.instances[2]!, 1_000).health());
  });

  it('with one replica (R = 1) and an instance down, an incremental run stops before writing, naming the shard', async () => {
    const live = await Promise.all(
      net.members.slice(0, 2).map(async (m) => (await m.client.index('articles').getStats()).numberOfDocuments),
    );
    const run = runCli(['reindex', ...FIXTURE_TREES, '--incremental', '--json'], netEnv);
    assert.equal(await run.done, 1, run.stderr);
    assert.match(run.stderr, /shard 2 has no replica up to date \(ms2 did not answer when the run started\)/);
    assert.equal(JSON.parse(run.stdout).error.code, 'reindex_failed');
    assert.deepEqual(
      await Promise.all(net.members.slice(0, 2).map(async (m) => (await m.client.index('articles').getStats()).numberOfDocuments)),
      live,
      'nothing written',
    );
  });
});
