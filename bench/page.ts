// `npm run bench:page [-- --quick] [--seed S]`: what the coverage chart costs. The search page
// (`/`) and /api/search under the query mix of bench:search (queries.ts), served by `npm start`'s
// server with the chart on and with COVERAGE_CHART=off, alternately (on, off, on, off) so that
// the machine's drift falls on both. With the chart, every search asks Meilisearch for its month
// counts in the same request, and the page draws the SVG. Prints p50/p95 and pages per second;
// never fails on timing.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { Meilisearch } from 'meilisearch';
import { createLogger } from '../core/log.js';
import { startEmbeddedMeili } from '../core/meili/embedded.js';
import { run, sampleStories, type LoadResult } from './load.js';
import { buildQueries, DEFAULT_SEED, DISTINCT, SEQUENCE, zipfSequence } from './queries.js';
import { startServer } from './server-process.js';
import { CACHE, commit, loadCorpus, table, writeResult } from './setup.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean', default: false }, seed: { type: 'string', default: String(DEFAULT_SEED) } },
  });
  const quick = values.quick;
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed: ${JSON.stringify(values.seed)} is not a whole number`);
  const duration = quick ? 3 : 10;
  const levels = [1, 8];
  const dataDir = path.join(CACHE, quick ? 'search-meili-quick' : 'search-meili-48k');
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  try {
    const admin = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 600_000 });
    await loadCorpus('bench:page', admin, dataDir, quick);
    const mix = buildQueries(await sampleStories(admin), DISTINCT, seed);
    const sequence = zipfSequence(mix.length, SEQUENCE, seed);
    const requestsFor = (route: string): autocannon.Request[] =>
      sequence.map((i) => ({ method: 'GET', path: `${route}?${new URLSearchParams(mix[i]!.params)}` }));
    const rows: Array<{ route: string; chart: string; round: number; connections: number } & LoadResult> = [];
    for (const round of [1, 2]) {
      for (const chart of ['on', 'off']) {
        const server = await startServer(meili, { env: { COVERAGE_CHART: chart } });
        try {
          for (const route of ['/', '/api/search']) {
            for (const connections of levels) {
              process.stderr.write(`bench:page: round ${round}, chart ${chart}, ${route}, ${connections} connection(s) …\n`);
              rows.push({ route, chart, round, connections, ...(await run(server.url, requestsFor(route), connections, duration)) });
            }
          }
        } finally {
          await server.stop();
        }
      }
    }
    const summary = ['/', '/api/search'].flatMap((route) =>
      levels.map((connections) => {
        const pick = (chart: string) => rows.filter((r) => r.route === route && r.connections === connections && r.chart === chart);
        const mean = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100;
        const [on, off] = [pick('on'), pick('off')];
        const onP50 = mean(on.map((r) => r.p50));
        const offP50 = mean(off.map((r) => r.p50));
        const onRate = mean(on.map((r) => r.requestsPerSecond));
        const offRate = mean(off.map((r) => r.requestsPerSecond));
        return {
          route,
          conns: connections,
          'chart on p50/p95 ms': `${onP50}/${mean(on.map((r) => r.p95))}`,
          'on /s': onRate,
          'chart off p50/p95 ms': `${offP50}/${mean(off.map((r) => r.p95))}`,
          'off /s': offRate,
          'p50 on/off': Math.round((onP50 / offP50) * 100) / 100,
          'rate on/off': Math.round((onRate / offRate) * 100) / 100,
          errors: [...on, ...off].reduce((a, r) => a + r.errors, 0),
        };
      }),
    );
    const file = writeResult(quick ? 'page-quick' : 'page', {
      date: new Date().toISOString(),
      commit: commit(),
      quick,
      seed,
      durationSeconds: duration,
      rows,
      summary,
    });
    process.stdout.write(`${table(summary)}\n(means of two rounds, ${duration} s each)\nresult: ${file}\n`);
  } finally {
    await meili.stop();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:page failed: ${err.message}\n`);
  process.exitCode = 1;
});
