// Load during a reindex: 50 searches in flight for 20 s while full reindexes of the corpus run
// back to back (each building a new index and swapping it in). No request may fail and no query
// that has results may come back empty. Latency is printed, not asserted: a busy CI machine is
// normal, and latency goals belong to the benchmarks (npm run bench:search). Only a liveness
// bound is checked: no search may take longer than the server's own request timeout.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createLogger } from '../../core/log.js';
import { reindex } from '../../indexer/reindex/run.js';
import { freePort } from '../../core/meili/embedded.js';
import { runCli } from '../helpers/cli.js';
import { CORPUS_TREES } from '../helpers/loaded-app.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';
import { ServerProcess } from '../helpers/server-process.js';

const IN_FLIGHT = 50;
const DURATION_MS = 20_000;
/** Liveness, not speed: far above any healthy latency, below the point where a client gives up. */
const MAX_LATENCY_MS = 30_000;
const QUERIES = ['香港', '中國', '美国', '立法會 選舉', '新冠', '"网络安全"', 'Trump', '警察'];

let meili: TestMeili;
let server: ServerProcess;
let base: string;
let dataDir: string;
before(async () => {
  meili = await startTestMeili();
  dataDir = tempDir();
  await reindex({
    client: meili.client,
    indexName: 'articles',
    dataDir,
    roots: CORPUS_TREES,
    incremental: false,
    prune: false,
    log: createLogger('silent'),
  });
  // The real server process (as `npm start` runs it), on the same Meilisearch; no rate limit,
  // since all the load comes from one client.
  const port = await freePort();
  server = new ServerProcess({
    PORT: String(port),
    DATA_DIR: tempDir(),
    MEILI_URL: meili.url,
    MEILI_MASTER_KEY: meili.masterKey,
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'info',
  });
  await server.waitFor('server.listening');
  base = `http://127.0.0.1:${port}`;
});
after(async () => {
  await server?.stop();
  await meili.cleanup();
});

describe('load', () => {
  it(`${IN_FLIGHT} searches in flight for ${DURATION_MS / 1000} s during full reindexes: no errors, no empty results`, async () => {
    // Every query has results before the load starts; it must keep having them.
    const expected = new Map<string, number>();
    for (const q of QUERIES) {
      const body = (await (await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`)).json()) as { total: number };
      assert.ok(body.total > 0, `${q} has results`);
      expected.set(q, body.total);
    }

    const deadline = Date.now() + DURATION_MS;
    let swaps = 0;
    const reindexes = (async () => {
      while (Date.now() < deadline) {
        const run = runCli(['reindex', ...CORPUS_TREES], {
          MEILI_URL: meili.url,
          MEILI_MASTER_KEY: meili.masterKey,
          DATA_DIR: dataDir,
          LOG_LEVEL: 'info',
        });
        assert.equal(await run.done, 0, run.stderr);
        if (/reindex\.swapped/.test(run.stderr)) swaps++;
      }
    })();

    const latencies: number[] = [];
    const problems: string[] = [];
    let n = 0;
    const worker = async () => {
      while (Date.now() < deadline) {
        const q = QUERIES[n++ % QUERIES.length]!;
        const started = performance.now();
        try {
          const res = await fetch(`${base}/api/search?q=${encodeURIComponent(q)}&page=${1 + (n % 3)}`);
          const body = (await res.json()) as { total: number };
          latencies.push(performance.now() - started);
          if (res.status !== 200) problems.push(`${q}: HTTP ${res.status} ${JSON.stringify(body)}`);
          else if (body.total === 0) problems.push(`${q}: empty result`);
        } catch (err) {
          problems.push(`${q}: ${(err as Error).message}`);
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    await reindexes;

    latencies.sort((a, b) => a - b);
    const pct = (p: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!);
    const stats = `${latencies.length} searches, ${swaps} swaps, p50 ${pct(50)} ms, p99 ${pct(99)} ms, max ${pct(100)} ms`;
    console.log(`# load: ${stats}`);
    assert.ok(swaps >= 1, `a new index was swapped in under load (${stats})`);
    assert.deepEqual(problems.slice(0, 10), [], `${problems.length} problems (${stats})`);
    assert.ok(pct(100) < MAX_LATENCY_MS, `every search answered (${stats})`);
    for (const q of QUERIES) {
      const body = (await (await fetch(`${base}/api/search?q=${encodeURIComponent(q)}`)).json()) as { total: number };
      assert.equal(body.total, expected.get(q), `${q}: same count after the reindexes`);
    }
  });
});
