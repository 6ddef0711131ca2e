// `npm run bench:search [-- --quick] [--seed S]`: load on /api/search with a realistic query mix
// (queries.ts: 240 distinct searches built from the index with a seed, driven in a sequence with
// Zipf repetition) at several concurrency levels (autocannon), next to Meilisearch driven
// directly with the very requests the server sends it for the same searches. Prints p50/p95/p99 latency and searches
// per second for both, with the ratios; writes JSON. Never fails on timing.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Meilisearch } from 'meilisearch';
import { createLogger } from '../../indexer/log.js';
import { startEmbeddedMeili } from '../../indexer/meili/embedded.js';
import { reindex } from '../../indexer/reindex/run.js';
import { createApp } from '../app.js';
import { searchClient } from '../search-client.js';
import { searchOnlyKey } from '../../indexer/meili/keys.js';
import { parseSearchParams } from '../search/params.js';
import { search } from '../search/search.js';
import { buildQueries, zipfSequence, type BenchQuery, type StorySample } from './queries.js';
import { CACHE, commit, corpusDir, table, writeResult } from './setup.js';

/** Distinct searches in the mix, and searches in the sequence driven (Zipf repetition). */
const DISTINCT = 240;
const SEQUENCE = 2000;
const DEFAULT_SEED = 20261127;

interface Recorded {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

/** The HTTP requests search() sends to Meilisearch for each query, recorded once per query. */
async function recordMeiliRequests(client: Meilisearch, host: string, queries: BenchQuery[]): Promise<Recorded[][]> {
  const perQuery: Recorded[][] = [];
  let recorded: Recorded[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.origin === new URL(host).origin) {
      const headers: Record<string, string> = {};
      new Headers(init?.headers).forEach((v, k) => (headers[k] = v));
      recorded.push({ method: init?.method ?? 'GET', path: url.pathname + url.search, body: typeof init?.body === 'string' ? init.body : undefined, headers });
    }
    return realFetch(input, init);
  };
  try {
    for (const q of queries) {
      recorded = [];
      await search(client, 'articles', parseSearchParams(q));
      perQuery.push(recorded);
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  return perQuery;
}

/** Titles, outlets, topics and months of up to 3,000 indexed stories, spread over the index. */
async function sampleStories(admin: Meilisearch): Promise<StorySample[]> {
  const index = admin.index('articles');
  const total = (await index.getStats()).numberOfDocuments;
  const out: StorySample[] = [];
  for (const offset of [0, Math.floor(total / 3), Math.floor((2 * total) / 3)]) {
    const page = await index.getDocuments<{ title: string; outlet: string; topics: string[]; month?: string }>({ offset, limit: 1000, fields: ['title', 'outlet', 'topics', 'month'] });
    for (const d of page.results) out.push({ title: String(d.title ?? ''), outlet: String(d.outlet ?? ''), topics: Array.isArray(d.topics) ? d.topics : [], month: d.month });
  }
  return out;
}

function run(url: string, requests: autocannon.Request[], connections: number, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration, requests }, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, seed: { type: 'string', default: String(DEFAULT_SEED) } } });
  const quick = values.quick;
  const seed = Number(values.seed);
  const levels = quick ? [1, 8] : [1, 8, 32];
  const duration = quick ? 3 : 10;
  const dataDir = path.join(CACHE, quick ? 'search-meili-quick' : 'search-meili-48k');
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  const admin = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 600_000 });
  try {
    // The loaded index is kept between runs: an incremental reindex is quick when nothing changed,
    // and rebuilds it when the documents' shape did (another version of the indexer).
    process.stderr.write('bench:search: loading the corpus (incremental) …\n');
    await reindex({ client: admin, indexName: 'articles', dataDir, roots: [corpusDir(quick)], incremental: true, prune: true, log: createLogger('warn', 2) });
    const key = await searchOnlyKey(admin, 'articles');
    const client = searchClient(meili.url, key);
    const server = createApp({ client, indexName: 'articles', log: createLogger('silent') }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const mix = buildQueries(await sampleStories(admin), DISTINCT, seed);
    const queries = mix.map((m) => m.params);
    const sequence = zipfSequence(queries.length, SEQUENCE, seed);
    const apiRequests: autocannon.Request[] = sequence.map((i) => ({ method: 'GET', path: `/api/search?${new URLSearchParams(queries[i])}` }));
    const perQuery = await recordMeiliRequests(client, meili.url, queries);
    const meiliCalls = sequence.flatMap((i) => perQuery[i]!);
    const meiliRequests: autocannon.Request[] = meiliCalls.map((c) => ({ method: c.method as 'POST', path: c.path, body: c.body, headers: c.headers }));
    // Throughput in searches: Meilisearch gets several requests for some searches.
    const perSearch = meiliCalls.length / sequence.length;
    const kinds: Record<string, number> = {};
    for (const m of mix) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    process.stderr.write(`bench:search: ${queries.length} distinct searches (${Object.entries(kinds).map(([k, v]) => `${k} ${v}`).join(', ')}), a sequence of ${sequence.length} with Zipf repetition, seed ${seed}\n`);

    const rows = [];
    for (const connections of levels) {
      process.stderr.write(`bench:search: ${connections} connection(s), ${duration} s each …\n`);
      const ours = await run(base, apiRequests, connections, duration);
      const theirs = await run(meili.url, meiliRequests, connections, duration);
      const oursRate = ours.requests.average;
      const theirsRate = theirs.requests.average / perSearch;
      rows.push({
        connections,
        tongwen: { p50: ours.latency.p50, p95: ours.latency.p97_5, p99: ours.latency.p99, searchesPerSecond: oursRate, errors: ours.errors + ours.non2xx },
        meilisearch: { p50: theirs.latency.p50, p95: theirs.latency.p97_5, p99: theirs.latency.p99, searchesPerSecond: Math.round(theirsRate * 10) / 10, errors: theirs.errors + theirs.non2xx },
        medianRatio: Math.round((ours.latency.p50 / Math.max(theirs.latency.p50 * perSearch, 0.001)) * 100) / 100,
        throughputRatio: Math.round((oursRate / Math.max(theirsRate, 0.001)) * 100) / 100,
      });
    }
    server.close();
    const result = { date: new Date().toISOString(), commit: commit(), quick, seed, distinctQueries: queries.length, sequenceLength: sequence.length, meiliRequestsPerSearch: perSearch, durationSeconds: duration, rows, queries: mix, sequence };
    process.stdout.write(
      `${table(rows.map((r) => ({
        conns: r.connections,
        'ours p50/p95/p99 ms': `${r.tongwen.p50}/${r.tongwen.p95}/${r.tongwen.p99}`,
        'ours/s': r.tongwen.searchesPerSecond,
        'meili p50/p95/p99 ms': `${r.meilisearch.p50}/${r.meilisearch.p95}/${r.meilisearch.p99}`,
        'meili/s': r.meilisearch.searchesPerSecond,
        'median ratio': r.medianRatio,
        'throughput ratio': r.throughputRatio,
        errors: r.tongwen.errors + r.meilisearch.errors,
      })))}\nresult: ${writeResult(quick ? 'search-quick' : 'search', result)}\n`,
    );
  } finally {
    await meili.stop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:search failed: ${err.message}\n`);
  process.exitCode = 1;
});
