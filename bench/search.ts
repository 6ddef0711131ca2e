// `npm run bench:search [-- --quick] [--seed S] [--profile DIR]`: load on /api/search with a
// realistic query mix (queries.ts: 240 distinct searches built from the index with a seed, driven
// in a sequence with Zipf repetition) at several concurrency levels (autocannon), next to
// Meilisearch driven directly with the very requests the server sends it for the same searches,
// and next to two floors of any Node.js layer (pass-through.ts): passing the same requests
// through, and doing so while reading every answer. The server runs as its own
// process (`npm start`'s), its RSS sampled under load; --profile writes the CPU profiles of both
// servers to DIR/kept and DIR/none-kept.
// A second server keeping no answer (RESULT_CACHE_MB=0) serves the same sequence: what a new
// search costs, next to what the mix costs with repeats answered from the kept answers.
// Prints p50/p95/p99 latency and searches per second, with the ratios (ours against the reading
// pass-through too), the server's CPU milliseconds per search (from /proc), and the hit rate of the
// cache of verified long phrases over the sequence; then what an OR search costs against the AND
// search of the same words and against its alternatives searched one by one (the mix's OR
// searches, one in ten). Writes JSON. Never fails on timing.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { Meilisearch } from 'meilisearch';
import { createLogger } from '../core/log.js';
import { startEmbeddedMeili } from '../core/meili/embedded.js';
import { headersOf, nodeHttpClient } from '../server/meili-http.js';
import { searchClient } from '../server/search-client.js';
import { searchOnlyKey } from '../core/meili/keys.js';
import { parseSearchParams } from '../server/search/params.js';
import { search } from '../server/search/search.js';
import { isLoose, verifiedCacheStats } from '../server/search/loose-phrases.js';
import { parseQuery } from '../server/search/query.js';
import { andOfOr, buildQueries, DEFAULT_SEED, DISTINCT, SEQUENCE, zipfSequence, type BenchQuery } from './queries.js';
import { cpuSeconds, startPassThrough, startServer, type ServerProcess } from './server-process.js';
import { CACHE, commit, loadCorpus, table, writeResult } from './setup.js';
import { singleBackend } from '../server/search/backend.js';
import { run, sampleStories } from './load.js';

interface Recorded {
  method: string;
  path: string;
  body?: string;
  headers: Record<string, string>;
}

/** The HTTP requests search() sends to Meilisearch for each query, recorded once per query. */
async function recordMeiliRequests(host: string, key: string, queries: BenchQuery[]): Promise<Recorded[][]> {
  const perQuery: Recorded[][] = [];
  let recorded: Recorded[] = [];
  const transport = nodeHttpClient();
  const client = searchClient(host, key, (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    recorded.push({
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      body: typeof init?.body === 'string' ? init.body : undefined,
      headers: headersOf(init),
    });
    return transport(input, init);
  });
  for (const q of queries) {
    recorded = [];
    await search(singleBackend(client, 'articles'), parseSearchParams(q));
    perQuery.push(recorded);
  }
  return perQuery;
}

/**
 * The cache of verified long phrases over the sequence, as one server meets it: the searches with
 * long terms (the only ones that consult it) run in order on a fresh backend, and how many found
 * their check kept.
 */
async function verifiedCacheRate(
  host: string,
  key: string,
  queries: BenchQuery[],
  sequence: number[],
): Promise<{ searches: number; withLongTerms: number; hits: number; hitRate: number }> {
  const backend = singleBackend(searchClient(host, key), 'articles');
  const long = sequence.filter((i) => parseQuery(queries[i]!.q ?? '').terms.some(isLoose));
  for (const i of long) await search(backend, parseSearchParams(queries[i]!), { coverage: false });
  const { hits = 0, misses = 0 } = verifiedCacheStats(backend) ?? {};
  return {
    searches: sequence.length,
    withLongTerms: long.length,
    hits,
    hitRate: hits + misses ? Math.round((hits / (hits + misses)) * 1000) / 1000 : 0,
  };
}

/** Milliseconds of CPU per search, to 0.01 ms. */
const cpuMsPer = (cpuSeconds: number, searches: number) => Math.round((cpuSeconds * 1000 * 100) / Math.max(1, searches)) / 100;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      profile: { type: 'string' },
    },
  });
  const quick = values.quick;
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed: ${JSON.stringify(values.seed)} is not a whole number`);
  const levels = quick ? [1, 8] : [1, 8, 32];
  const duration = quick ? 3 : 10;
  const dataDir = path.join(CACHE, quick ? 'search-meili-quick' : 'search-meili-48k');
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  const admin = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 600_000 });
  let server: ServerProcess | undefined;
  let uncachedServer: ServerProcess | undefined;
  try {
    await loadCorpus('bench:search', admin, dataDir, quick);
    const key = await searchOnlyKey(admin, 'articles');
    const profileDir = values.profile ? path.resolve(values.profile) : undefined;
    const profile = (name: string) => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, name)}`] : []);
    server = await startServer(meili, { nodeArgs: profile('kept') });
    // The same server keeping no answer (RESULT_CACHE_MB=0): what each search costs when it is new.
    uncachedServer = await startServer(meili, { nodeArgs: profile('none-kept'), env: { RESULT_CACHE_MB: '0' } });

    const mix = buildQueries(await sampleStories(admin), DISTINCT, seed);
    const queries = mix.map((m) => m.params);
    const sequence = zipfSequence(queries.length, SEQUENCE, seed);
    const apiRequests: autocannon.Request[] = sequence.map((i) => ({
      method: 'GET',
      path: `/api/search?${new URLSearchParams(queries[i])}`,
    }));
    const perQuery = await recordMeiliRequests(meili.url, key, queries);
    const verifiedCache = await verifiedCacheRate(meili.url, key, queries, sequence);
    const meiliCalls = sequence.flatMap((i) => perQuery[i]!);
    const callsPerSearch = sequence.map((i) => perQuery[i]!.length);
    if (callsPerSearch.some((n) => n === 0))
      throw new Error('a search of the mix sent Meilisearch no request, so its time alone cannot be measured');
    const meiliRequests: autocannon.Request[] = meiliCalls.map((c) => ({
      method: c.method as 'POST',
      path: c.path,
      body: c.body,
      headers: c.headers,
    }));
    // Throughput in searches: Meilisearch gets several requests for some searches.
    const perSearch = meiliCalls.length / sequence.length;
    if (meiliCalls.length === 0)
      throw new Error('no Meilisearch request was recorded for the query mix, so there is no limit to compare with');
    const kinds: Record<string, number> = {};
    for (const m of mix) kinds[m.kind] = (kinds[m.kind] ?? 0) + 1;
    process.stderr.write(
      `bench:search: ${queries.length} distinct searches (${Object.entries(kinds)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}), a sequence of ${sequence.length} with Zipf repetition, seed ${seed}\n`,
    );

    // The floors of any Node.js layer: the same requests passed through, the answers not read;
    // and the same with every answer read (decoded and parsed), as any layer that uses them must.
    const byPath: Record<string, Recorded[]> = {};
    for (const [i, q] of queries.entries()) byPath[`/api/search?${new URLSearchParams(q)}`] = perQuery[i]!;
    const requestsFile = path.join(CACHE, `pass-through-${process.pid}.json`);
    fs.writeFileSync(requestsFile, JSON.stringify({ meiliUrl: meili.url, byPath }));
    const floors: Array<Awaited<ReturnType<typeof startPassThrough>>> = [];
    const rows = [];
    const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.001)) * 100) / 100;
    try {
      const passThrough = await startPassThrough(requestsFile);
      floors.push(passThrough);
      const reader = await startPassThrough(requestsFile, true);
      floors.push(reader);
      for (const connections of levels) {
        process.stderr.write(`bench:search: ${connections} connection(s), ${duration} s each …\n`);
        let serverRssMb = 0;
        const sampler = setInterval(() => (serverRssMb = Math.max(serverRssMb, server!.rssMb())), 250);
        const cpuBefore = cpuSeconds(server.pid);
        const ours = await run(server.url, apiRequests, connections, duration);
        // Our own share of a search: the server process's CPU (all threads, from /proc) per search served.
        const serverCpuMsPerSearch = cpuMsPer(cpuSeconds(server.pid) - cpuBefore, ours.requestsPerSecond * duration);
        clearInterval(sampler);
        const uncachedCpuBefore = cpuSeconds(uncachedServer.pid);
        const uncached = await run(uncachedServer.url, apiRequests, connections, duration);
        const uncachedCpuMsPerSearch = cpuMsPer(cpuSeconds(uncachedServer.pid) - uncachedCpuBefore, uncached.requestsPerSecond * duration);
        const floor = await run(passThrough.url, apiRequests, connections, duration);
        const readerCpuBefore = cpuSeconds(reader.pid);
        const readFloor = await run(reader.url, apiRequests, connections, duration);
        const readerCpuMsPerSearch = cpuMsPer(cpuSeconds(reader.pid) - readerCpuBefore, readFloor.requestsPerSecond * duration);
        const theirs = await run(meili.url, meiliRequests, connections, duration, callsPerSearch);
        const theirsRate = theirs.requestsPerSecond;
        const theirsP50 = theirs.p50;
        rows.push({
          connections,
          tongwen: { ...ours, searchesPerSecond: ours.requestsPerSecond, serverRssMb, serverCpuMsPerSearch },
          tongwenUncached: { ...uncached, searchesPerSecond: uncached.requestsPerSecond, serverCpuMsPerSearch: uncachedCpuMsPerSearch },
          passThrough: { ...floor, searchesPerSecond: floor.requestsPerSecond },
          passThroughReading: { ...readFloor, searchesPerSecond: readFloor.requestsPerSecond, cpuMsPerSearch: readerCpuMsPerSearch },
          meilisearch: { ...theirs, searchesPerSecond: Math.round(theirsRate * 10) / 10 },
          medianRatio: ratio(ours.p50, theirsP50),
          throughputRatio: ratio(ours.requestsPerSecond, theirsRate),
          passThroughMedianRatio: ratio(floor.p50, theirsP50),
          passThroughThroughputRatio: ratio(floor.requestsPerSecond, theirsRate),
          readingMedianRatio: ratio(readFloor.p50, theirsP50),
          readingThroughputRatio: ratio(readFloor.requestsPerSecond, theirsRate),
          // Goal (issue 30): at least 0.80 at 8 connections.
          oursOverReadingThroughput: ratio(ours.requestsPerSecond, readFloor.requestsPerSecond),
          uncachedOverReadingThroughput: ratio(uncached.requestsPerSecond, readFloor.requestsPerSecond),
        });
      }
    } finally {
      for (const f of floors) await f.stop();
      fs.rmSync(requestsFile, { force: true });
    }
    // What OR costs: the mix's OR searches against the AND searches of the same words, through the
    // server that keeps no answer (each of these few searches is repeated for the whole run).
    const orMix = mix.filter((m) => m.kind === 'or');
    const asRequests = (list: BenchQuery[]): autocannon.Request[] =>
      list.map((params) => ({ method: 'GET', path: `/api/search?${new URLSearchParams(params)}` }));
    const orQueries = orMix.map((m) => m.params);
    const andQueries = orQueries.map((params) => ({ ...params, q: andOfOr(params.q ?? '') }));
    const meiliPer = async (list: BenchQuery[]) =>
      (await recordMeiliRequests(meili.url, key, list)).reduce((n, r) => n + r.length, 0) / Math.max(1, list.length);
    // And against what a reader did before OR: each alternative as a search of its own.
    const alternativeQueries = orQueries.flatMap((params) =>
      parseQuery(params.q ?? '').alternatives.map((alt) => ({
        ...params,
        q: alt.map((t) => `${t.exclude ? '-' : ''}${t.phrase ? `"${t.text}"` : t.text}`).join(' '),
      })),
    );
    const perOr = alternativeQueries.length / Math.max(1, orQueries.length);
    const orCost = [];
    for (const connections of levels.slice(0, 2)) {
      process.stderr.write(`bench:search: OR against AND and against its alternatives one by one, ${connections} connection(s) …\n`);
      const or = await run(uncachedServer.url, asRequests(orQueries), connections, duration);
      const and = await run(uncachedServer.url, asRequests(andQueries), connections, duration);
      const separately = await run(uncachedServer.url, asRequests(alternativeQueries), connections, duration);
      const separateRate = Math.round((separately.requestsPerSecond / perOr) * 10) / 10;
      orCost.push({
        connections,
        or,
        and,
        separately: { ...separately, orEquivalentsPerSecond: separateRate },
        medianRatio: ratio(or.p50, and.p50),
        throughputRatio: ratio(or.requestsPerSecond, and.requestsPerSecond),
        separateThroughputRatio: ratio(or.requestsPerSecond, separateRate),
      });
    }
    const orMeiliRequests = { or: await meiliPer(orQueries), and: await meiliPer(andQueries) };
    const serverPeakRssMb = server.peakRssMb();
    await server.stop();
    server = undefined;
    await uncachedServer.stop();
    uncachedServer = undefined;
    const result = {
      date: new Date().toISOString(),
      commit: commit(),
      quick,
      seed,
      distinctQueries: queries.length,
      sequenceLength: sequence.length,
      meiliRequestsPerSearch: perSearch,
      durationSeconds: duration,
      serverPeakRssMb,
      verifiedCache,
      rows,
      orCost: { searches: orQueries.length, meiliRequestsPerSearch: orMeiliRequests, levels: orCost },
      queries: mix,
      sequence,
    };
    process.stdout.write(
      `${table(
        rows.map((r) => ({
          conns: r.connections,
          'ours p50/p95/p99 ms': `${r.tongwen.p50}/${r.tongwen.p95}/${r.tongwen.p99}`,
          'ours/s': r.tongwen.searchesPerSecond,
          'meili p50/p95/p99 ms': `${r.meilisearch.p50}/${r.meilisearch.p95}/${r.meilisearch.p99}`,
          'meili/s': r.meilisearch.searchesPerSecond,
          'median ratio': r.medianRatio,
          'throughput ratio': r.throughputRatio,
          'pass-through ratios': `${r.passThroughMedianRatio}/${r.passThroughThroughputRatio}`,
          'reading ratios': `${r.readingMedianRatio}/${r.readingThroughputRatio}`,
          'ours/reading throughput': r.oursOverReadingThroughput,
          'server CPU ms/search': r.tongwen.serverCpuMsPerSearch,
          'no answer kept: ours/s': r.tongwenUncached.searchesPerSecond,
          '/reading': r.uncachedOverReadingThroughput,
          'CPU ms/search': r.tongwenUncached.serverCpuMsPerSearch,
          'reading CPU ms/search': r.passThroughReading.cpuMsPerSearch,
          'server RSS MB': r.tongwen.serverRssMb,
          errors: r.tongwen.errors + r.tongwenUncached.errors + r.meilisearch.errors,
        })),
      )}\nMeilisearch requests per search: ${perSearch.toFixed(2)}; server peak RSS ${serverPeakRssMb} MB\nverified long phrases: ${verifiedCache.withLongTerms} of ${verifiedCache.searches} searches have long terms; cache hit rate ${(verifiedCache.hitRate * 100).toFixed(1)}% (${verifiedCache.hits} hits)\n${orCost
        .map(
          (c) =>
            `OR against AND of the same words (${orQueries.length} searches), ${c.connections} connection(s): p50 ${c.or.p50} against ${c.and.p50} ms (×${c.medianRatio}), ${c.or.requestsPerSecond} against ${c.and.requestsPerSecond} searches/s (×${c.throughputRatio}); against its ${perOr.toFixed(2)} alternatives searched one by one: ${c.or.requestsPerSecond} against ${c.separately.orEquivalentsPerSecond} per second (×${c.separateThroughputRatio})`,
        )
        .join(
          '\n',
        )}\nMeilisearch requests per search: OR ${orMeiliRequests.or.toFixed(2)}, AND ${orMeiliRequests.and.toFixed(2)}\nresult: ${writeResult(quick ? 'search-quick' : 'search', result)}\n`,
    );
  } finally {
    await server?.stop();
    await uncachedServer?.stop();
    await meili.stop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:search failed: ${err.message}\n`);
  process.exitCode = 1;
});
