// Shared by the benchmarks: the 48k tarball unpacked once into a cache, a Meilisearch of our own,
// and where results go.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Meilisearch } from 'meilisearch';
import { tarballPath } from '../core/corpus-location.js';
import { createLogger } from '../core/log.js';
import { projectRoot } from '../core/paths.js';
import { reindex } from '../indexer/reindex/run.js';

export const CACHE = path.join(os.tmpdir(), 'tongwen-bench');
/** --quick: three folders of the tarball, about 2,400 files. */
const QUICK_FOLDERS = ['articles/1-1000', 'articles/20001-21000', 'articles/40001-41000'];

/** The unpacked corpus (all of it, or the quick subset), unpacked on first use from the tarball in TONGWEN_CORPUS. */
export function corpusDir(quick: boolean): string {
  const dir = path.join(CACHE, quick ? 'corpus-quick' : 'corpus-48k');
  const done = path.join(dir, '.unpacked');
  if (!fs.existsSync(done)) {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    execFileSync('tar', ['-I', 'zstd', '-xf', tarballPath(), '-C', dir, ...(quick ? QUICK_FOLDERS : [])], { stdio: 'inherit' });
    fs.writeFileSync(done, new Date().toISOString());
  }
  return dir;
}

/**
 * The corpus in `client`'s articles index, loaded incrementally into the index kept in `dataDir`
 * between runs: quick when nothing changed, a rebuild when the documents' shape did (another
 * version of the indexer).
 */
export async function loadCorpus(bench: string, client: Meilisearch, dataDir: string, quick: boolean): Promise<void> {
  process.stderr.write(`${bench}: loading the corpus (incremental) …\n`);
  await reindex({
    client,
    indexName: 'articles',
    dataDir,
    roots: [corpusDir(quick)],
    incremental: true,
    prune: true,
    log: createLogger('warn', 2),
  });
}

export function writeResult(name: string, result: unknown): string {
  const dir = path.join(CACHE, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  return file;
}

export function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

export function table(rows: Array<Record<string, string | number>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const width = keys.map((k) => Math.max(k.length, ...rows.map((r) => String(r[k]).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(width[i]!)).join('  ');
  return [line(keys), ...rows.map((r) => line(keys.map((k) => String(r[k]))))].join('\n');
}
