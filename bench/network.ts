// `npm run bench:network [-- --quick] [--instances N] [--replicas R] [--seed S]`: the same corpus
// loaded into one Meilisearch and into a network of N (default 3) instances holding each shard R
// times (MEILI_REPLICAS, default 1) on this machine, each by a full reindex, then
// the same query mix (queries.ts) on /api/search of `npm start`'s server for each. Prints search
// latency and throughput of both, and what each instance holds and cost: documents, database
// size on disk, peak RSS and CPU seconds of indexing, also per 10,000 stories. The instances
// share this machine's cores, so the search rows show the cost of the network, not a speed-up.
// Never fails on timing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type autocannon from 'autocannon';
import { Meilisearch } from 'meilisearch';
import type { MeiliInstance } from '../core/config.js';
import { createLogger } from '../core/log.js';
import { ringPlacement } from '../core/shards.js';
import { startEmbeddedMeili, type EmbeddedMeili } from '../core/meili/embedded.js';
import { configureNetwork } from '../core/meili/network.js';
import { reindex } from '../indexer/reindex/run.js';
import { run, sampleStories, type LoadResult } from './load.js';
import { buildQueries, DEFAULT_SEED, DISTINCT, SEQUENCE, zipfSequence, type BenchQuery } from './queries.js';
import { cpuSeconds, startServer, statusMb } from './server-process.js';
import { CACHE, commit, corpusDir, table, writeResult } from './setup.js';

const PER = 10_000;

interface InstanceCost {
  name: string;
  documents: number;
  diskMb: number;
  peakRssMb: number;
  cpuSeconds: number;
}

interface Setup {
  instances: number;
  /** Instances that hold each shard (MEILI_REPLICAS). */
  replicas: number;
  reindexSeconds: number;
  costs: InstanceCost[];
  rows: Array<{ connections: number } & LoadResult>;
}

/** Disk blocks in use (not apparent size: LMDB's file is sparse and reserves far more). */
function diskMb(dir: string): number {
  return Math.round(Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024);
}

/** Loads the corpus into `size` fresh instances, then drives the query mix through the server. */
async function measure(
  size: number,
  replicas: number,
  corpus: string,
  tag: string,
  mix: (admin: Meilisearch) => Promise<BenchQuery[]>,
  levels: number[],
  duration: number,
  seed: number,
): Promise<{ setup: Setup; queries: BenchQuery[] }> {
  const root = path.join(CACHE, `network-${tag}-${size}x${replicas}`);
  fs.rmSync(root, { recursive: true, force: true });
  const log = createLogger('silent');
  const meilis: EmbeddedMeili[] = [];
  try {
    for (let k = 0; k < size; k++) meilis.push(await startEmbeddedMeili({ dataDir: path.join(root, `ms${k}`), log }));
    const placement = ringPlacement(size, replicas);
    const instances: MeiliInstance[] = meilis.map((m, k) => ({
      name: `ms${k}`,
      url: m.url,
      masterKey: m.masterKey,
      shards: placement[k]!,
    }));
    const masters = instances.map((i) => new Meilisearch({ host: i.url, apiKey: i.masterKey, timeout: 600_000 }));
    if (size > 1) await configureNetwork(instances, 'articles', log);
    const cpuBefore = meilis.map((m) => cpuSeconds(m.pid));
    process.stderr.write(`bench:network: full reindex into ${size} instance(s) …\n`);
    const started = Date.now();
    await reindex({
      client: masters[0]!,
      ...(size > 1 ? { instances: instances.map((i, k) => ({ name: i.name, client: masters[k]!, shards: i.shards })), shards: size } : {}),
      indexName: 'articles',
      dataDir: path.join(root, 'state'),
      roots: [corpus],
      incremental: false,
      prune: false,
      log: createLogger('warn', 2),
    });
    const reindexSeconds = Math.round((Date.now() - started) / 100) / 10;
    const costs: InstanceCost[] = await Promise.all(
      meilis.map(async (m, k) => ({
        name: instances[k]!.name,
        documents: (await masters[k]!.index('articles').getStats()).numberOfDocuments,
        diskMb: diskMb(path.join(root, `ms${k}`, 'meilisearch', 'data.ms')),
        peakRssMb: statusMb(m.pid, 'VmHWM'),
        cpuSeconds: Math.round((cpuSeconds(m.pid) - cpuBefore[k]!) * 10) / 10,
      })),
    );
    const queries = await mix(masters[0]!);
    const sequence = zipfSequence(queries.length, SEQUENCE, seed);
    const requests: autocannon.Request[] = sequence.map((i) => ({ method: 'GET', path: `/api/search?${new URLSearchParams(queries[i])}` }));
    const env =
      size > 1
        ? {
            MEILI_URL: '',
            MEILI_MASTER_KEY: '',
            MEILI_INSTANCES: instances.map((i) => `${i.name}=${i.url}`).join(','),
            MEILI_MASTER_KEYS: instances.map((i) => `${i.name}=${i.masterKey}`).join(','),
            MEILI_REPLICAS: String(replicas),
          }
        : undefined;
    const server = await startServer(meilis[0]!, { env });
    const rows: Setup['rows'] = [];
    try {
      for (const connections of levels) {
        process.stderr.write(`bench:network: ${size} instance(s), ${connections} connection(s), ${duration} s …\n`);
        rows.push({ connections, ...(await run(server.url, requests, connections, duration)) });
      }
    } finally {
      await server.stop();
    }
    return { setup: { instances: size, replicas, reindexSeconds, costs, rows }, queries };
  } finally {
    for (const m of meilis) await m.stop();
  }
}

const HELP = `Usage: npm run bench:network -- [--quick] [--instances N] [--replicas R] [--seed S]

Loads the same corpus into one Meilisearch and into N instances (2 to 8, default 3) holding each
shard R times (MEILI_REPLICAS, 1 to N, default 1), then drives the same query mix through the
server of each. Prints latency and throughput, and per instance: documents, disk, peak RSS and
indexing CPU (also per 10,000 stories).
  --quick   the small benchmark corpus, shorter runs
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      instances: { type: 'string', default: '3' },
      replicas: { type: 'string', default: '1' },
      seed: { type: 'string', default: String(DEFAULT_SEED) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const size = Number(values.instances);
  const replicas = Number(values.replicas);
  const seed = Number(values.seed);
  if (!Number.isInteger(size) || size < 2 || size > 8)
    throw new Error(`--instances: ${JSON.stringify(values.instances)} is not a whole number from 2 to 8`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > size)
    throw new Error(`--replicas: ${JSON.stringify(values.replicas)} is not a whole number from 1 to ${size} (the instances)`);
  if (!Number.isSafeInteger(seed)) throw new Error(`--seed: ${JSON.stringify(values.seed)} is not a whole number`);
  const quick = values.quick;
  const tag = quick ? 'quick' : '48k';
  const levels = quick ? [1, 8] : [1, 8, 32];
  const duration = quick ? 3 : 10;
  const corpus = corpusDir(quick);
  // One query mix for both, built from the single instance, which holds every story.
  const one = await measure(
    1,
    1,
    corpus,
    tag,
    async (admin) => buildQueries(await sampleStories(admin), DISTINCT, seed).map((m) => m.params),
    levels,
    duration,
    seed,
  );
  const many = await measure(size, replicas, corpus, tag, async () => one.queries, levels, duration, seed);
  const setups = [one.setup, many.setup];

  const ratio = (a: number, b: number) => Math.round((a / Math.max(b, 0.001)) * 100) / 100;
  const searchRows = one.setup.rows.map((r, i) => {
    const n = many.setup.rows[i]!;
    return {
      conns: r.connections,
      '1 instance p50/p95 ms': `${r.p50}/${r.p95}`,
      '1 instance /s': r.requestsPerSecond,
      [`${size}×R${replicas} p50/p95 ms`]: `${n.p50}/${n.p95}`,
      [`${size}×R${replicas} /s`]: n.requestsPerSecond,
      'median ratio': ratio(n.p50, r.p50),
      'throughput ratio': ratio(n.requestsPerSecond, r.requestsPerSecond),
      errors: r.errors + n.errors,
    };
  });
  const per = (x: number, docs: number) => Math.round(((x * PER) / Math.max(docs, 1)) * 10) / 10;
  const costRows = setups.flatMap((s) =>
    s.costs.map((c) => ({
      setup: `${s.instances} instance(s), R ${s.replicas}`,
      instance: c.name,
      documents: c.documents,
      'disk MB': c.diskMb,
      'peak RSS MB': c.peakRssMb,
      'indexing CPU s': c.cpuSeconds,
      'disk MB per 10k': per(c.diskMb, c.documents),
      'CPU s per 10k': per(c.cpuSeconds, c.documents),
      'reindex wall s': s.reindexSeconds,
    })),
  );
  const result = {
    date: new Date().toISOString(),
    commit: commit(),
    quick,
    seed,
    instances: size,
    replicas,
    durationSeconds: duration,
    setups,
    queries: one.queries,
  };
  process.stdout.write(`${table(searchRows)}\n\n${table(costRows)}\nresult: ${writeResult(quick ? 'network-quick' : 'network', result)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`bench:network failed: ${err.message}\n`);
  process.exitCode = 1;
});
