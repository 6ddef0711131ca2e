// The reindex: a full one (full.ts) builds a new index beside the live one and swaps it in; an
// incremental one (incremental.ts) sends only new and changed files to the live index. An
// incremental run becomes a full one when the saved state no longer describes the live index,
// rebuilt from every folder the live index was built from (roots.ts).
import path from 'node:path';
import { ReindexFailed, ShrinkRefused } from './failed.js';
import { misplaced } from './shards.js';
import { fullReindex } from './full.js';
import { incrementalReindex } from './incremental.js';
import { liveDocumentCount } from './live-index.js';
import { everyInstance, type ReindexOptions, type ReindexSummary, type RunCounts } from './options.js';
import { rebuildRoots } from './roots.js';
import { loadState } from './state.js';

export { ReindexFailed, ShrinkRefused };
export type { ReindexOptions, ReindexSummary };

export async function reindex(opts: ReindexOptions): Promise<ReindexSummary> {
  const started = Date.now();
  const roots = opts.roots.map((r) => path.resolve(r));
  const { note, ...counts } = opts.incremental ? await incrementalOrFull(opts, roots) : await fullReindex(opts, roots);
  return { ...counts, durationMs: Date.now() - started, peakRssMb: peakRssMb(), ...(note ? { note } : {}) };
}

/** An incremental run if the saved state describes the live index; else a full one, saying why. */
async function incrementalOrFull(opts: ReindexOptions, roots: string[]): Promise<RunCounts> {
  const saved = await loadState(opts.dataDir, opts.indexName);
  const { state } = saved;
  const live = await liveDocumentCount(everyInstance(opts), opts.indexName);
  const reason =
    saved.problem ??
    (live === undefined
      ? 'the live index does not exist, or replicas of a shard differ'
      : state && state.documents !== live
        ? `saved state lists ${state.documents} documents, the live index has ${live}`
        : await misplaced(everyInstance(opts), opts.indexName));
  if (!reason && state && live !== undefined) return incrementalReindex(opts, roots, state);
  // Never an index of fewer folders than the live one: rebuilt from all it was built from.
  const rebuild = await rebuildRoots({ given: roots, recorded: state?.roots ?? saved.roots, liveStories: live ?? 0, reason: reason! });
  opts.log.warn({ event: 'reindex.full_instead', reason, roots: rebuild.roots });
  const counts = await fullReindex(opts, rebuild.roots);
  return { ...counts, note: [rebuild.note, ...(counts.note ? [counts.note] : [])].join('; ') };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in kB
}
