// Tongwen on three Meilisearch instances with MEILI_REPLICAS=2 (each shard on two instances, on a
// ring), against one instance holding the same corpus: every story on the two instances of its
// shard, each shard asked once, the same answers as one instance; any one instance killed or
// stopped leaves answers whole and equal; an instance that misses writes of an incremental run
// is stale, serves nothing until repaired (by `tongwen repair` or the next reindex); a new, empty
// instance in place of a dead one is rebuilt by `tongwen repair`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { searchOnlyKey } from '../../core/meili/keys.js';
import { configureNetwork, masterClient } from '../../core/meili/network.js';
import { shardOf } from '../../core/shards.js';
import { createApp } from '../../server/app.js';
import { searchClient } from '../../server/search-client.js';
import { singleBackend, type SearchBackend } from '../../server/search/backend.js';
import { NetworkBackend } from '../../server/search/network-backend.js';
import { effectiveSort, parseSearchParams } from '../../server/search/params.js';
import { search } from '../../server/search/search.js';
import { runCli, waitForStderr } from '../helpers/cli.js';
import { FIXTURE, FIXTURE_TREES, fixtureCorpusDir, fixtureFiles } from '../helpers/corpus.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';
import { assertSameAnswers, comparable } from '../helpers/network-queries.js';
import { startTestNetwork, type TestNetwork } from '../helpers/network.js';
import { RecordingHttp } from '../helpers/recording-http.js';

const log = createLogger('silent');

/** The live ids on each instance, sorted, by the master key. */
async function idsPerInstance(net: TestNetwork): Promise<string[][]> {
  return Promise.all(
    net.members.map(async (m) =>
      (await m.client.index('articles').getDocuments<{ id: string }>({ fields: ['id'], limit: 10_000 })).results.map((d) => d.id).sort(),
    ),
  );
}

/** For each shard, the ids each of its two instances holds of it: equal when the replicas agree. */
async function shardsOnReplicas(net: TestNetwork): Promise<Array<{ shard: number; replicas: string[][] }>> {
  const ids = await idsPerInstance(net);
  return [0, 1, 2].map((k) => ({
    shard: k,
    replicas: net.instances.flatMap((i, n) => (i.shards.includes(k) ? [ids[n]!.filter((id) => shardOf(id, 3) === k)] : [])),
  }));
}

async function assertReplicasAgree(net: TestNetwork): Promise<void> {
  for (const { shard, replicas } of await shardsOnReplicas(net)) {
    assert.equal(replicas.length, 2, `shard ${shard} on two instances`);
    assert.deepEqual(replicas[0], replicas[1], `the replicas of shard ${shard} hold the same stories`);
  }
}

/** Queries with totals, facets, sorted pages and page 2, the answer to each as it must be. */
const HANDFUL: Array<Record<string, string>> = [
  {},
  { q: '香港' },
  { q: '中国', sort: 'newest', page: '2' },
  { sort: 'oldest', perPage: '7', page: '2' },
  { q: '政府 -警察', sort: 'newest' },
];

describe('three Meilisearch instances, each shard on two (MEILI_REPLICAS=2)', () => {
  let net: TestNetwork;
  let one: TestMeili;
  let netEnv: Record<string, string>;
  let oneEnv: Record<string, string>;
  let network: NetworkBackend;
  let single: SearchBackend;
  const dirs: string[] = [];

  before(async () => {
    [net, one] = await Promise.all([startTestNetwork(3, 2), startTestMeili()]);
    dirs.push(tempDir('tongwen-rep-'), tempDir('tongwen-rep-one-'));
    netEnv = { ...net.env, DATA_DIR: dirs[0]! };
    oneEnv = { MEILI_URL: one.url, MEILI_MASTER_KEY: one.masterKey, DATA_DIR: dirs[1]! };
    const [a, b] = [runCli(['reindex', ...FIXTURE_TREES, '--json'], netEnv), runCli(['reindex', ...FIXTURE_TREES, '--json'], oneEnv)];
    assert.equal(await a.done, 0, a.stderr);
    assert.equal(await b.done, 0, b.stderr);
    network = await backendOf(net);
    single = singleBackend(searchClient(one.url, await searchOnlyKey(one.client, 'articles')), 'articles');
  });
  after(async () => {
    network?.close();
    await Promise.all([net?.cleanup(), one?.cleanup()]);
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  /** The answers of HANDFUL from `backend`, each whole. */
  async function answers(backend: SearchBackend): Promise<unknown[]> {
    const out = [];
    for (const q of HANDFUL) {
      const p = parseSearchParams(q);
      out.push(comparable(await search(backend, p), effectiveSort(p) !== 'relevance'));
    }
    return out;
  }

  it('puts every story on both instances of its shard, with its shard number, and on no other', async () => {
    const ids = await idsPerInstance(net);
    for (const [n, i] of net.instances.entries()) {
      assert.deepEqual(
        ids[n]!.filter((id) => !i.shards.includes(shardOf(id, 3))),
        [],
        `${i.name} holds shards ${i.shards} only`,
      );
      const docs = await net.members[n]!.client.index('articles').getDocuments<{ id: string; shard: number }>({
        fields: ['id', 'shard'],
        limit: 10_000,
      });
      assert.ok(
        docs.results.every((d) => d.shard === shardOf(d.id, 3)),
        `every document on ${i.name} carries its shard`,
      );
    }
    assert.equal(new Set(ids.flat()).size, FIXTURE.stories);
    assert.equal(ids.flat().length, 2 * FIXTURE.stories, 'each story twice');
    await assertReplicasAgree(net);
  });

  it('gives the same totals, facet counts and sorted pages as one instance, for 60+ queries (R = 2)', async () => {
    await assertSameAnswers(single, network);
  });

  it('asks each shard once, of as few instances as cover them, each instance first in turn', async () => {
    const http = new RecordingHttp();
    const recorded = await backendOf(net, http);
    // Three searches, not one and two kept answers.
    const app = createApp({ backend: recorded, log, resultCacheMb: 0 });
    for (let n = 0; n < 3; n++) {
      const res = await request(app).get('/api/search').query({ q: '香港' }).expect(200);
      assert.equal(res.body.partial, false);
    }
    const firsts: string[] = [];
    for (const sent of http.searches()) {
      const queries = (sent.body as { queries: Array<{ filter?: unknown; federationOptions: { remote: string } }> }).queries;
      const shards = queries.flatMap((q) => {
        const held = net.instances.find((i) => i.name === q.federationOptions.remote)!.shards;
        const only = /shard IN \[([\d, ]+)\]/.exec(JSON.stringify(q.filter ?? ''));
        return only ? only[1]!.split(',').map(Number) : held;
      });
      assert.deepEqual(
        shards.sort(),
        [0, 1, 2],
        `each shard once: ${JSON.stringify(queries.map((q) => [q.federationOptions.remote, q.filter]))}`,
      );
      assert.equal(queries.length, 2, 'two instances cover three shards held twice');
      assert.equal(
        queries[0]!.filter === undefined || !JSON.stringify(queries[0]!.filter).includes('shard'),
        true,
        'the first for all it holds',
      );
      firsts.push(queries[0]!.federationOptions.remote);
    }
    assert.deepEqual([...new Set(firsts)].sort(), ['ms0', 'ms1', 'ms2'], 'each instance first in turn');
    recorded.close();
  });

  it('reads a page after the first as ids, then asks each of its stories of the one instance asked for its shard', async () => {
    const http = new RecordingHttp();
    const recorded = await backendOf(net, http);
    for (const q of [
      { sort: 'newest', page: '3' },
      { q: '香港', sort: 'oldest', perPage: '5', page: '2' },
    ]) {
      http.sent.length = 0;
      const p = parseSearchParams(q);
      const [a, b] = [await search(recorded, p), await search(single, p)];
      assert.deepEqual(comparable(a, true), comparable(b, true), JSON.stringify(q));
      const byId = http
        .searches()
        .flatMap((r) => (r.body as { queries: Array<{ filter?: unknown; federationOptions: { remote: string } }> }).queries)
        .filter((x) => typeof x.filter === 'string' && x.filter.startsWith('id IN'));
      const asked = byId.flatMap((x) =>
        [...String(x.filter).matchAll(/"([^"]+)"/g)].map((m) => ({ id: m[1]!, remote: x.federationOptions.remote })),
      );
      assert.deepEqual(
        asked.map((x) => x.id).sort(),
        a.hits.map((h) => h.id).sort(),
        `each story of the page asked once: ${JSON.stringify(q)}`,
      );
      for (const { id, remote } of asked)
        assert.ok(
          net.instances.find((i) => i.name === remote)!.shards.includes(shardOf(id, 3)),
          `${id} asked of ${remote}, which holds it`,
        );
    }
    recorded.close();
  });

  it('with any one instance killed or stopped, answers are whole and equal to those with all up', async () => {
    const whole = await answers(single);
    assert.deepEqual(await answers(network), whole);
    const app = createApp({ backend: network, log });
    for (const n of [0, 1, 2]) {
      for (const signal of ['SIGSTOP', 'SIGKILL'] as const) {
        const member = net.members[n]!;
        process.kill(member.meili.pid, signal);
        try {
          if (signal === 'SIGKILL') await member.meili.exited;
          assert.deepEqual(await answers(network), whole, `ms${n} ${signal}`);
          for (const p of HANDFUL) assert.equal((await search(network, parseSearchParams(p))).partial, false);
          const health = (await request(app).get('/healthz').expect(200)).body;
          assert.deepEqual(
            { status: health.status, meilisearch: health.meilisearch, documents: health.documents },
            { status: 'degraded', meilisearch: 'available', documents: FIXTURE.stories },
            `ms${n} ${signal}`,
          );
        } finally {
          if (signal === 'SIGSTOP') process.kill(member.meili.pid, 'SIGCONT');
          else await net.restart(n);
        }
        await network.probe();
        assert.equal(
          (await request(app).get('/healthz').expect(200)).body.status,
          'ok',
          `ms${n} back after ${signal}: it missed nothing, so it serves`,
        );
      }
    }
  });

  describe('an instance that misses writes of an incremental run', () => {
    let corpus: string;
    let aside: string;
    const gone = () => fixtureFiles('hkcnews').slice(0, 3);

    before(async () => {
      corpus = tempDir('tongwen-rep-corpus-');
      aside = tempDir('tongwen-rep-aside-');
      dirs.push(corpus, aside);
      for (const t of FIXTURE_TREES) fs.cpSync(t, path.join(corpus, path.basename(t)), { recursive: true });
      fs.renameSync(path.join(corpus, 'cdt'), path.join(aside, 'cdt'));
      await both([corpus, '--allow-shrink']);
    });

    /** The same reindex on the network and on one instance; the network's summary. */
    async function both(args: string[], during?: (run: ReturnType<typeof runCli>) => Promise<void>) {
      const a = runCli(['reindex', ...args, '--json'], { ...netEnv, LOG_LEVEL: 'debug' });
      const b = runCli(['reindex', ...args, '--json'], oneEnv);
      await during?.(a);
      assert.equal(await a.done, 0, a.stderr);
      assert.equal(await b.done, 0, b.stderr);
      return JSON.parse(a.stdout) as {
        mode: string;
        documents: number;
        stale?: string[];
        repaired?: string[];
        deleted: number;
        indexed: number;
      };
    }

    /**
     * Stories come and go: `back`, cdt comes back and three hkcnews files go; otherwise the
     * other way round. The incremental run's arguments.
     */
    function change(back: boolean): string[] {
      const cdt: [string, string] = [path.join(aside, 'cdt'), path.join(corpus, 'cdt')];
      const hkcnews = gone().map((f): [string, string] => [
        path.join(corpus, path.relative(fixtureCorpusDir, f)),
        path.join(aside, path.basename(f)),
      ]);
      // Each pair is [where it goes from, where it goes to] when `back`; the other way round otherwise.
      for (const [from, to] of [cdt, ...hkcnews]) fs.renameSync(back ? from : to, back ? to : from);
      return [corpus, '--incremental', '--prune', ...(back ? [] : ['--allow-shrink'])];
    }

    /** Whole, equal to one instance, with the stale instance named unavailable in /healthz. */
    async function servesWithout(stale: string | undefined, state: 'down' | 'up' = 'up'): Promise<void> {
      const app = createApp({ backend: network, log });
      const expected = stale ? [[stale, state === 'up' ? 'stale' : 'unreachable']] : [];
      let shown: string[][] = [];
      // A restarted instance may fail one probe (the transport's kept-alive connection to the old
      // process): probe until it shows, a few times at most.
      for (let probes = 0; probes < 5; probes++) {
        await network.probe();
        const health = (await request(app).get('/healthz').expect(200)).body;
        shown = health.instances
          .filter((i: { status: string }) => i.status !== 'available')
          .map((i: { name: string; reason: string }) => [i.name, /^stale/.test(i.reason) ? 'stale' : i.reason]);
        if (JSON.stringify(shown) === JSON.stringify(expected)) break;
      }
      assert.deepEqual(shown, expected);
      // Three searches: each instance is in turn the first asked.
      for (let turn = 0; turn < 3; turn++) assert.deepEqual(await answers(network), await answers(single), `turn ${turn}`);
    }

    it('stopped (SIGSTOP) during the run: the run succeeds, it is stale after SIGCONT and serves nothing until tongwen repair', async () => {
      const stopped = net.members[1]!;
      let cont = false;
      try {
        const summary = await both(change(true), async (run) => {
          await waitForStderr(run, /reindex\.scan_started/);
          process.kill(stopped.meili.pid, 'SIGSTOP');
        });
        assert.deepEqual([summary.mode, summary.stale], ['incremental', ['ms1']]);
        assert.ok(summary.indexed > 0 && summary.deleted > 0, `stories added and deleted: ${JSON.stringify(summary)}`);
        await servesWithout('ms1', 'down');
        process.kill(stopped.meili.pid, 'SIGCONT');
        cont = true;
        await servesWithout('ms1');
        const differ = (await shardsOnReplicas(net)).some(({ replicas }) => JSON.stringify(replicas[0]) !== JSON.stringify(replicas[1]));
        assert.ok(differ, 'ms1 really missed the writes');
        const repair = runCli(['repair', '--json'], netEnv);
        assert.equal(await repair.done, 0, repair.stderr);
        assert.deepEqual(JSON.parse(repair.stdout).repaired, ['ms1']);
        await assertReplicasAgree(net);
        await servesWithout(undefined);
      } finally {
        if (!cont) process.kill(stopped.meili.pid, 'SIGCONT');
      }
    });

    it('killed (SIGKILL) during the run and restarted on its data: stale, serves nothing, and the next reindex repairs it first', async () => {
      const killed = net.members[2]!;
      const summary = await both(change(false), async (run) => {
        await waitForStderr(run, /reindex\.scan_started/);
        process.kill(killed.meili.pid, 'SIGKILL');
      });
      assert.deepEqual([summary.mode, summary.stale], ['incremental', ['ms2']]);
      assert.ok(summary.indexed > 0 && summary.deleted > 0, `stories added and deleted: ${JSON.stringify(summary)}`);
      await servesWithout('ms2', 'down');
      await net.restart(2);
      await servesWithout('ms2');
      // Nothing changed on disk: the run only brings ms2 up to date.
      const next = await both([corpus, '--incremental', '--prune']);
      assert.deepEqual([next.mode, next.repaired, next.stale], ['incremental', ['ms2'], undefined]);
      await assertReplicasAgree(net);
      await servesWithout(undefined);
    });
  });

  it('a full reindex with an instance down builds and swaps on the others; the next full run rebuilds it too', async () => {
    const toOne = runCli(['reindex', ...FIXTURE_TREES, '--json'], oneEnv);
    assert.equal(await toOne.done, 0, toOne.stderr);
    const whole = await answers(single);
    const down = net.members[1]!;
    process.kill(down.meili.pid, 'SIGKILL');
    await down.meili.exited;
    const run = runCli(['reindex', ...FIXTURE_TREES, '--json'], netEnv);
    assert.equal(await run.done, 0, run.stderr);
    const summary = JSON.parse(run.stdout) as { mode: string; documents: number; stale?: string[] };
    assert.deepEqual([summary.mode, summary.documents, summary.stale], ['full', FIXTURE.stories, ['ms1']]);
    await net.restart(1);
    const app = createApp({ backend: network, log });
    let health: { instances: Array<{ name: string; status: string; reason?: string }> } = { instances: [] };
    // The restarted instance may fail one probe (a kept-alive connection to the old process).
    for (let probes = 0; probes < 5 && !health.instances.some((i) => /^stale/.test(i.reason ?? '')); probes++) {
      await network.probe();
      health = (await request(app).get('/healthz').expect(200)).body;
    }
    assert.deepEqual(
      health.instances.map((i) => [i.name, i.status === 'available' ? 'serves' : (i.reason ?? '').split(':')[0]]),
      [
        ['ms0', 'serves'],
        ['ms1', 'stale'],
        ['ms2', 'serves'],
      ],
    );
    for (let turn = 0; turn < 3; turn++) assert.deepEqual(await answers(network), whole, `turn ${turn}`);
    const again = runCli(['reindex', ...FIXTURE_TREES, '--json'], netEnv);
    assert.equal(await again.done, 0, again.stderr);
    assert.equal(JSON.parse(again.stdout).stale, undefined, 'the full run wrote ms1 anew');
    await assertReplicasAgree(net);
    await network.probe();
    assert.equal((await request(app).get('/healthz').expect(200)).body.status, 'ok');
    for (let turn = 0; turn < 3; turn++) assert.deepEqual(await answers(network), whole, `turn ${turn}`);
  });

  it('a dead instance replaced by a new, empty one under its name serves only once tongwen repair rebuilt it', async () => {
    const dead = net.members[0]!;
    process.kill(dead.meili.pid, 'SIGKILL');
    await dead.meili.exited;
    const whole = await answers(single);
    assert.deepEqual(await answers(network), whole, 'whole while it is dead');
    const fresh = await net.restart(0, { empty: true });
    assert.deepEqual((await fresh.client.getRawIndexes()).results, [], 'the new instance is empty');
    // The server finds the new instance's key, sees it holds no generation, and does not ask it.
    await network.probe();
    await network.probe();
    const app = createApp({ backend: network, log });
    const before = (await request(app).get('/healthz').expect(200)).body;
    assert.deepEqual(
      before.instances.map((i: { name: string; status: string }) => [i.name, i.status]),
      [
        ['ms0', 'unavailable'],
        ['ms1', 'available'],
        ['ms2', 'available'],
      ],
    );
    for (let turn = 0; turn < 3; turn++) assert.deepEqual(await answers(network), whole, `turn ${turn}`);
    const repair = runCli(['repair', '--json'], netEnv);
    assert.equal(await repair.done, 0, repair.stderr);
    assert.deepEqual(JSON.parse(repair.stdout).repaired, ['ms0']);
    await assertReplicasAgree(net);
    await network.probe();
    assert.equal((await request(app).get('/healthz').expect(200)).body.status, 'ok');
    for (let turn = 0; turn < 3; turn++) assert.deepEqual(await answers(network), whole, `turn ${turn}`);
  });

  /** A NetworkBackend over `net` that fetches a new key of an instance that was replaced. */
  async function backendOf(of: TestNetwork, http?: RecordingHttp): Promise<NetworkBackend> {
    const keys = await configureNetwork(of.instances, 'articles', log);
    return new NetworkBackend({
      indexName: 'articles',
      members: of.instances.map((i) => ({ name: i.name, url: i.url, shards: i.shards, searchKey: keys.get(i.name)!.searchKey })),
      log,
      fetchKey: (name) => searchOnlyKey(masterClient(of.instances.find((i) => i.name === name)!), 'articles'),
      ...(http ? { httpClient: http.client, probe: false } : {}),
    });
  }
});

describe('tongwen repair', () => {
  it('is a usage error (exit 2) without MEILI_INSTANCES: one Meilisearch has no replicas', async () => {
    const dataDir = tempDir('tongwen-repair-');
    try {
      const run = runCli(['repair'], { DATA_DIR: dataDir, MEILI_URL: 'http://127.0.0.1:9' });
      assert.equal(await run.done, 2);
      assert.match(run.stderr, /tongwen repair: repairs the instances of a network \(MEILI_INSTANCES\)/);
      const help = runCli(['help'], {});
      await help.done;
      assert.match(help.stdout, /repair \[--json\] +bring stale instances of a network/);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
