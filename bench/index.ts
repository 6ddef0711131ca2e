// `npm run bench:index [-- --quick] [--extraction-cost] [--stories N,N,…]`: a full reindex of the
// 48k tarball end to end, next to the limit: Meilisearch alone ingesting the very documents the
// indexer sent, with the same settings and batches; then an incremental run over the unchanged
// corpus. Reports the disk and memory each side took. --extraction-cost adds the same full
// reindex without keywords and names (reindex-without-terms.ts) on a fresh Meilisearch, and what
// extraction adds. --stories adds the cost curve: a full reindex of about N
// stories (the first files of the corpus) on a fresh Meilisearch for each N, and for those and
// the whole corpus the disk, build time, memory and median search. Prints tables, writes JSON.
// Never fails on timing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { INDEX_SETTINGS } from '../core/index-settings.js';
import { createLogger } from '../core/log.js';
import { startEmbeddedMeili, type EmbeddedMeili } from '../core/meili/embedded.js';
import { projectRoot } from '../core/paths.js';
import { DocumentSender, expectSuccess } from '../indexer/reindex/sender.js';
import { articleFiles, diskOf, peakRssMbOf, searchMedian, subsetCorpus, type Disk } from './cost.js';
import { cpuSeconds } from './server-process.js';
import { CACHE, commit, corpusDir, table, writeResult } from './setup.js';

/** Seconds of searching per point of the cost curve (one connection). */
const CURVE_SEARCH_SECONDS = 10;

/** One point of the cost curve: a full reindex of a corpus on a fresh Meilisearch. */
interface CurvePoint {
  files: number;
  stories: number;
  buildSeconds: number;
  indexerPeakRssMb: number;
  meiliPeakRssMb: number;
  disk: Disk;
  search: { p50: number; p95: number; searchesPerSecond: number; errors: number };
}

function parseStories(value: string | undefined): number[] {
  if (value === undefined) return [];
  return value.split(',').map((v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`--stories: ${JSON.stringify(v)} is not a positive whole number`);
    return n;
  });
}

interface CliSummary {
  documents: number;
  durationMs: number;
  peakRssMb: number;
  indexed: number;
  copies: number;
  rejected: unknown[];
  /** CPU seconds the reindex process used, all threads (parse workers included), read from /proc. */
  cpuSeconds: number;
}

/** Document batches Meilisearch has run: where the indexing time goes. */
async function documentBatches(client: Meilisearch): Promise<Array<{ documents: number; seconds: number }>> {
  const page = await client.batches.getBatches({ types: ['documentAdditionOrUpdate'], limit: 1000 });
  return [...page.results].reverse().map((b) => ({
    documents: Number(b.details.receivedDocuments ?? 0),
    seconds: b.duration ? Math.round(durationSeconds(b.duration) * 10) / 10 : 0,
  }));
}

/** ISO 8601 duration as Meilisearch writes it (PT1M2.5S) → seconds. */
function durationSeconds(iso: string): number {
  const m = /^PT(?:(\d+)H)?(?:(\d+)M)?(?:([\d.]+)S)?$/.exec(iso);
  return m ? Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0) : NaN;
}

function reindexCli(args: string[], env: Record<string, string>): Promise<CliSummary> {
  return reindexProcess([path.join(projectRoot, 'dist/cli/tongwen.js'), 'reindex', ...args, '--json'], env);
}

/** A reindex in its own process (`args` to node), its summary from stdout and its CPU time from /proc. */
function reindexProcess(args: string[], env: Record<string, string>): Promise<CliSummary> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    // Its CPU time, read while it runs: the last reading before it exits is within 0.2 s of the total.
    let cpu = NaN;
    const sampler = setInterval(() => {
      const now = cpuSeconds(child.pid!);
      if (!Number.isNaN(now)) cpu = now;
    }, 200);
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.on('close', (code) => {
      clearInterval(sampler);
      if (code === 0) resolve({ ...(JSON.parse(out) as Omit<CliSummary, 'cpuSeconds'>), cpuSeconds: Math.round(cpu) });
      else reject(new Error(`reindex exited ${code}`));
    });
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'extraction-cost': { type: 'boolean', default: false },
      stories: { type: 'string' },
    },
  });
  const quick = values.quick;
  const curveSizes = parseStories(values.stories);
  const corpus = corpusDir(quick);
  const work = path.join(CACHE, `index-run-${process.pid}`);
  fs.rmSync(work, { recursive: true, force: true });
  try {
    // Ours and the limit each run on a fresh Meilisearch with an empty database: the same start.
    const oursDir = path.join(work, 'meili-ours');
    const { ours, incremental, docs, oursBatches, oursMeiliCpu, oursDisk, oursMeiliPeakRssMb, whole } = await withMeili(
      oursDir,
      async (meili, client) => {
        const env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: path.join(work, 'tongwen') };
        process.stderr.write(`bench:index: full reindex of ${corpus} …\n`);
        const cpuBefore = cpuSeconds(meili.pid);
        const ours = await reindexCli([corpus], env);
        const oursMeiliCpu = Math.round(cpuSeconds(meili.pid) - cpuBefore);
        const oursMeiliPeakRssMb = peakRssMbOf(meili.pid);
        const oursDisk = await diskOf(client, oursDir);
        const oursBatches = await documentBatches(client);
        const docs = await sentDocuments(client);
        process.stderr.write('bench:index: incremental run over the unchanged corpus …\n');
        const incremental = await reindexCli([corpus, '--incremental'], env);
        let whole: CurvePoint | undefined;
        if (curveSizes.length) {
          process.stderr.write('bench:index: searching the whole corpus for the cost curve …\n');
          whole = {
            files: 0,
            stories: ours.documents,
            buildSeconds: Math.round(ours.durationMs / 100) / 10,
            indexerPeakRssMb: ours.peakRssMb,
            meiliPeakRssMb: oursMeiliPeakRssMb,
            disk: oursDisk,
            search: await searchMedian(meili, CURVE_SEARCH_SECONDS),
          };
        }
        return { ours, incremental, docs, oursBatches, oursMeiliCpu, oursDisk, oursMeiliPeakRssMb, whole };
      },
    );

    const bare = values['extraction-cost'] ? await withoutExtraction(corpus, work) : undefined;

    process.stderr.write(`bench:index: Meilisearch alone ingesting the same ${docs.length} documents …\n`);
    const limitDir = path.join(work, 'meili-limit');
    const { limitMs, limitBatches, limitMeiliCpu, limitDisk, limitMeiliPeakRssMb } = await withMeili(limitDir, async (meili, client) => {
      await expectSuccess(client, (await client.createIndex('limit', { primaryKey: 'id' })).taskUid);
      const limitIndex = client.index('limit');
      await expectSuccess(client, (await limitIndex.updateSettings(INDEX_SETTINGS)).taskUid);
      const started = Date.now();
      const cpuBefore = cpuSeconds(meili.pid);
      const sender = new DocumentSender(client, limitIndex);
      for (const d of docs) await sender.addJson(d);
      await sender.finish();
      return {
        limitMs: Date.now() - started,
        limitBatches: await documentBatches(client),
        limitMeiliCpu: Math.round(cpuSeconds(meili.pid) - cpuBefore),
        limitMeiliPeakRssMb: peakRssMbOf(meili.pid),
        limitDisk: await diskOf(client, limitDir),
      };
    });
    const batches = { ours: oursBatches, limit: limitBatches };

    const allFiles = articleFiles(corpus);
    const files = allFiles.length;
    const curve = whole ? [...(await costCurve(corpus, allFiles, curveSizes, ours.documents, work)), { ...whole, files }] : [];
    const result = {
      date: new Date().toISOString(),
      commit: commit(),
      quick,
      files,
      documents: ours.documents,
      // CPU seconds: where the two cores go. Meilisearch's own, and the reindex process's (parsing).
      ours: {
        wallMs: ours.durationMs,
        filesPerSecond: Math.round(files / (ours.durationMs / 1000)),
        peakRssMb: ours.peakRssMb,
        cpuSeconds: ours.cpuSeconds,
        meiliCpuSeconds: oursMeiliCpu,
        meiliPeakRssMb: oursMeiliPeakRssMb,
        disk: oursDisk,
      },
      limit: {
        wallMs: limitMs,
        documentsPerSecond: Math.round(docs.length / (limitMs / 1000)),
        meiliCpuSeconds: limitMeiliCpu,
        meiliPeakRssMb: limitMeiliPeakRssMb,
        disk: limitDisk,
      },
      ratio: Math.round((ours.durationMs / limitMs) * 100) / 100,
      // Meilisearch's own indexing time per batch: where the limit's time goes.
      meiliBatches: batches,
      // The same full reindex without keywords and names: what extraction adds, in this run.
      withoutExtraction: bare && {
        ...bare,
        extractionAdds: Math.round((ours.durationMs / bare.wallMs - 1) * 1000) / 1000,
      },
      incremental: {
        wallMs: incremental.durationMs,
        peakRssMb: incremental.peakRssMb,
        shareOfFull: Math.round((incremental.durationMs / ours.durationMs) * 1000) / 1000,
      },
      curve,
    };
    process.stdout.write(
      `${table([
        {
          run: 'Tongwen full reindex',
          seconds: (ours.durationMs / 1000).toFixed(1),
          'files/s': result.ours.filesPerSecond,
          'peak RSS MB': ours.peakRssMb,
          'Meilisearch peak RSS MB': oursMeiliPeakRssMb,
          'CPU s (indexer/Meilisearch)': `${ours.cpuSeconds}/${oursMeiliCpu}`,
          'disk MB (blocks; database/used/documents)': diskCell(oursDisk),
        },
        ...(bare
          ? [
              {
                run: 'Tongwen full reindex without extraction',
                seconds: (bare.wallMs / 1000).toFixed(1),
                'files/s': Math.round(files / (bare.wallMs / 1000)),
                'peak RSS MB': bare.peakRssMb,
                'Meilisearch peak RSS MB': bare.meiliPeakRssMb,
                'CPU s (indexer/Meilisearch)': `${bare.cpuSeconds}/${bare.meiliCpuSeconds}`,
                'disk MB (blocks; database/used/documents)': diskCell(bare.disk),
              },
            ]
          : []),
        {
          run: 'Meilisearch alone (limit)',
          seconds: (limitMs / 1000).toFixed(1),
          'files/s': '—',
          'peak RSS MB': '—',
          'Meilisearch peak RSS MB': limitMeiliPeakRssMb,
          'CPU s (indexer/Meilisearch)': `—/${limitMeiliCpu}`,
          'disk MB (blocks; database/used/documents)': diskCell(limitDisk),
        },
        {
          run: 'Tongwen incremental',
          seconds: (incremental.durationMs / 1000).toFixed(1),
          'files/s': '—',
          'peak RSS MB': incremental.peakRssMb,
          'Meilisearch peak RSS MB': '—',
          'CPU s (indexer/Meilisearch)': `${incremental.cpuSeconds}/—`,
          'disk MB (blocks; database/used/documents)': '—',
        },
      ])}\nours/limit = ${result.ratio} (${files} files → ${ours.documents} documents)\n${extractionLine(result.withoutExtraction)}Meilisearch batches (documents:seconds): ours ${fmt(batches.ours)}; limit ${fmt(batches.limit)}\n${curveTable(curve)}result: ${writeResult(quick ? 'index-quick' : 'index', result)}\n`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The cost curve below the whole corpus: for each size, a full reindex of about that many
 * stories (the first files of the corpus, in the whole corpus's ratio of files to stories) on a
 * fresh Meilisearch, then the median search on it.
 */
async function costCurve(corpus: string, files: string[], sizes: number[], wholeStories: number, work: string): Promise<CurvePoint[]> {
  const points: CurvePoint[] = [];
  for (const size of sizes.filter((n) => n < wholeStories)) {
    const count = Math.round((size * files.length) / wholeStories);
    const dir = subsetCorpus(corpus, files, count, path.join(work, `corpus-${size}`));
    const meiliDir = path.join(work, `meili-${size}`);
    process.stderr.write(`bench:index: cost curve, ${count} files (about ${size} stories) …\n`);
    points.push(
      await withMeili(meiliDir, async (meili, client) => {
        const env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: path.join(work, `tongwen-${size}`) };
        const built = await reindexCli([dir], env);
        const point = {
          files: count,
          stories: built.documents,
          buildSeconds: Math.round(built.durationMs / 100) / 10,
          indexerPeakRssMb: built.peakRssMb,
          meiliPeakRssMb: peakRssMbOf(meili.pid),
          disk: await diskOf(client, meiliDir),
          search: await searchMedian(meili, CURVE_SEARCH_SECONDS),
        };
        return point;
      }),
    );
    fs.rmSync(meiliDir, { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return points;
}

interface BareRun {
  wallMs: number;
  peakRssMb: number;
  cpuSeconds: number;
  meiliCpuSeconds: number;
  meiliPeakRssMb: number;
  disk: Disk;
}

/** The same full reindex without keywords and names, on a fresh Meilisearch. */
async function withoutExtraction(corpus: string, work: string): Promise<BareRun> {
  process.stderr.write(`bench:index: the same full reindex without extraction …\n`);
  const dir = path.join(work, 'meili-bare');
  const run = await withMeili(dir, async (meili, client) => {
    const env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: path.join(work, 'tongwen-bare') };
    const cpuBefore = cpuSeconds(meili.pid);
    const bare = await reindexProcess([path.join(projectRoot, 'dist/bench/reindex-without-terms.js'), corpus], env);
    return {
      wallMs: bare.durationMs,
      peakRssMb: bare.peakRssMb,
      cpuSeconds: bare.cpuSeconds,
      meiliCpuSeconds: Math.round(cpuSeconds(meili.pid) - cpuBefore),
      meiliPeakRssMb: peakRssMbOf(meili.pid),
      disk: await diskOf(client, dir),
    };
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return run;
}

function extractionLine(bare: (BareRun & { extractionAdds: number }) | undefined): string {
  if (!bare) return '';
  return `with/without extraction = ${(1 + bare.extractionAdds).toFixed(3)}: extraction adds ${(bare.extractionAdds * 100).toFixed(1)}% to the full reindex\n`;
}

function diskCell(d: Disk): string {
  return `${d.blocksMb}; ${d.databaseMb}/${d.usedMb}/${d.documentsMb}`;
}

function curveTable(curve: CurvePoint[]): string {
  if (!curve.length) return '';
  return `cost curve (search: the query mix through the server, 1 connection, ${CURVE_SEARCH_SECONDS} s):\n${table(
    curve.map((p) => ({
      files: p.files,
      stories: p.stories,
      'build s': p.buildSeconds,
      'disk MB (blocks)': p.disk.blocksMb,
      'database/used MB': `${p.disk.databaseMb}/${p.disk.usedMb}`,
      'indexer/Meilisearch peak RSS MB': `${p.indexerPeakRssMb}/${p.meiliPeakRssMb}`,
      'search p50/p95 ms': `${p.search.p50}/${p.search.p95}`,
      'searches/s': p.search.searchesPerSecond,
    })),
  )}\n`;
}

async function withMeili<T>(dataDir: string, fn: (meili: EmbeddedMeili, client: Meilisearch) => Promise<T>): Promise<T> {
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  try {
    return await fn(meili, new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 600_000 }));
  } finally {
    await meili.stop();
  }
}

/** The documents exactly as the indexer sent them, read back with every field shown, as JSON. */
async function sentDocuments(client: Meilisearch): Promise<string[]> {
  const live = client.index('articles');
  await expectSuccess(client, (await live.updateSettings({ displayedAttributes: ['*'] })).taskUid);
  const docs: string[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await live.getDocuments({ offset, limit: 1000 });
    for (const d of page.results) docs.push(JSON.stringify(d));
    if (page.results.length < 1000) break;
  }
  await expectSuccess(client, (await live.updateSettings({ displayedAttributes: INDEX_SETTINGS.displayedAttributes })).taskUid);
  return docs;
}

function fmt(batches: Array<{ documents: number; seconds: number }>): string {
  return batches.map((b) => `${b.documents}:${b.seconds}`).join(' ');
}

main().catch((err: Error) => {
  process.stderr.write(`bench:index failed: ${err.message}\n`);
  process.exitCode = 1;
});
