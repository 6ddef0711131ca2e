// What an index costs, for bench:index: the disk its Meilisearch uses (blocks of the data
// directory, and Meilisearch's own account of its database), the memory Meilisearch reached, the
// median search on it through the server, and the smaller corpora of the cost curve.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type autocannon from 'autocannon';
import { Meilisearch } from 'meilisearch';
import { searchOnlyKey } from '../core/meili/keys.js';
import { run, sampleStories } from './load.js';
import { buildQueries, DEFAULT_SEED, DISTINCT, SEQUENCE, zipfSequence } from './queries.js';
import { startServer, statusMb } from './server-process.js';

export interface Disk {
  /** Blocks of Meilisearch's data directory (du -s), MB: what the disk gives up. */
  blocksMb: number;
  /** Meilisearch's /stats: the database files' size, the part of them in use, the stored documents. */
  databaseMb: number;
  usedMb: number;
  documentsMb: number;
}

const MB = 1024 * 1024;

export async function diskOf(client: Meilisearch, dataDir: string): Promise<Disk> {
  const kb = Number(execFileSync('du', ['-sk', dataDir], { encoding: 'utf8' }).split('\t')[0]);
  const stats = await client.getStats();
  const documents = Object.values(stats.indexes).reduce((n, i) => n + i.rawDocumentDbSize, 0);
  return {
    blocksMb: Math.round(kb / 1024),
    databaseMb: Math.round(stats.databaseSize / MB),
    usedMb: Math.round(stats.usedDatabaseSize / MB),
    documentsMb: Math.round(documents / MB),
  };
}

/** Meilisearch's peak resident memory since it started (VmHWM; its mapped database pages count). */
export function peakRssMbOf(pid: number): number {
  return statusMb(pid, 'VmHWM');
}

/**
 * The median search through the server (`npm start`'s, its own process) on the index of
 * `meili`: the query mix of bench:search (queries.ts, default seed) at one connection for
 * `seconds`, with no answer kept.
 */
export async function searchMedian(
  meili: { url: string; masterKey: string },
  seconds: number,
): Promise<{ p50: number; p95: number; searchesPerSecond: number; errors: number }> {
  const admin = new Meilisearch({ host: meili.url, apiKey: meili.masterKey });
  // The server needs the search-only key to exist, as after a real reindex.
  await searchOnlyKey(admin, 'articles');
  const queries = buildQueries(await sampleStories(admin), DISTINCT, DEFAULT_SEED).map((m) => m.params);
  const requests: autocannon.Request[] = zipfSequence(queries.length, SEQUENCE, DEFAULT_SEED).map((i) => ({
    method: 'GET',
    path: `/api/search?${new URLSearchParams(queries[i])}`,
  }));
  // No answer kept (RESULT_CACHE_MB 0): the mix repeats its searches, and kept answers would
  // measure a cache lookup at every size instead of what a search costs as the archive grows.
  const server = await startServer(meili, { env: { RESULT_CACHE_MB: '0' } });
  try {
    const r = await run(server.url, requests, 1, seconds);
    return { p50: r.p50, p95: r.p95, searchesPerSecond: r.requestsPerSecond, errors: r.errors };
  } finally {
    await server.stop();
  }
}

/** The article files of `corpus` in walk order (sorted paths). */
export function articleFiles(corpus: string): string[] {
  return fs
    .readdirSync(corpus, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort();
}

/**
 * A corpus of the first `count` article files of `corpus` (sorted paths: whole folders of the
 * tarball, in order), hard-linked into `dir` (copied where links are refused).
 */
export function subsetCorpus(corpus: string, files: string[], count: number, dir: string): string {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const f of files.slice(0, count)) {
    const to = path.join(dir, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    try {
      fs.linkSync(path.join(corpus, f), to);
    } catch {
      fs.copyFileSync(path.join(corpus, f), to);
    }
  }
  return dir;
}
