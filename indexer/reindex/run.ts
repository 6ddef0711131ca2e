// The reindex: a full one (full.ts) builds a new index beside the live one and swaps it in; an
// incremental one (incremental.ts) sends only new and changed files to the live index. An
// incremental run becomes a full one when the saved state no longer describes the live index,
// rebuilt from every folder the live index was built from (roots.ts). On a network, every run
// first brings stale instances up to date (catch-up.ts), writes every instance that is up, and
// at the end records a new generation on each that received every write; the others are stale.
import path from 'node:path';
import { writeGeneration } from '../../core/meili/generation.js';
import { catchUp, type CaughtUp } from './catch-up.js';
import { ReindexFailed, ShrinkRefused } from './failed.js';
import { misplaced } from './shards.js';
import { fullReindex } from './full.js';
import { incrementalReindex } from './incremental.js';
import { liveDocumentCount } from './live-index.js';
import { everyInstance, type ReindexOptions, type ReindexSummary, type RunCounts } from './options.js';
import { Replicas, unreachable } from './replicas.js';
import { rebuildRoots } from './roots.js';
import { loadState } from './state.js';

export { ReindexFailed, ShrinkRefused };
export type { ReindexOptions, ReindexSummary };

export async function reindex(opts: ReindexOptions): Promise<ReindexSummary> {
  const started = Date.now();
  const roots = opts.roots.map((r) => path.resolve(r));
  const shards = opts.shards ?? 1;
  // A full run builds every instance it writes anew: one behind needs no copy first.
  const network =
    shards > 1
      ? await catchUp(everyInstance(opts), opts.indexName, shards, opts.log, { downBefore: opts.down, rebuild: opts.incremental })
      : undefined;
  const replicas = new Replicas(network ? network.current : everyInstance(opts), shards, opts.log);
  const run = opts.incremental ? await incrementalOrFull(opts, roots, replicas) : await fullReindex(opts, roots, replicas);
  const { note, ...counts } = run;
  const stale = network ? await nextGeneration(opts, network, replicas) : undefined;
  return {
    ...counts,
    durationMs: Date.now() - started,
    peakRssMb: peakRssMb(),
    ...(note ? { note } : {}),
    ...(network?.repaired.length ? { repaired: network.repaired } : {}),
    ...(stale?.length ? { stale } : {}),
  };
}

/**
 * The run's generation (one more than the current one) on every instance that received every
 * write; returns the instances that did not, which stay stale until repaired.
 */
async function nextGeneration(opts: ReindexOptions, network: CaughtUp, replicas: Replicas): Promise<string[]> {
  const stale = [...network.down.map((d) => d.instance), ...replicas.lost.map((l) => l.instance)];
  for (const i of replicas.writing) {
    try {
      await writeGeneration(i.client, opts.indexName, network.generation + 1);
    } catch (err) {
      if (!unreachable(err)) throw err;
      stale.push(i.name);
    }
  }
  if (stale.length > 0)
    opts.log.warn(
      { event: 'reindex.stale_instances', instances: stale, generation: network.generation + 1 },
      'these instances missed writes of this run: they serve no searches until the next reindex or `tongwen repair` brings them up to date',
    );
  return stale;
}

/** An incremental run if the saved state describes the live index; else a full one, saying why. */
async function incrementalOrFull(opts: ReindexOptions, roots: string[], replicas: Replicas): Promise<RunCounts> {
  const saved = await loadState(opts.dataDir, opts.indexName);
  const { state } = saved;
  const live = await liveDocumentCount(replicas.writing, opts.indexName, replicas.shards);
  // Misplaced stories first: after the instances changed, that is why the counts differ too.
  const reason =
    saved.problem ??
    (await misplaced(replicas.writing, opts.indexName, replicas.shards)) ??
    (live === undefined
      ? 'the live index does not exist, or replicas of a shard differ'
      : state && state.documents !== live
        ? `saved state lists ${state.documents} documents, the live index has ${live}`
        : undefined);
  if (!reason && state && live !== undefined) return incrementalReindex(opts, roots, state, replicas);
  // Never an index of fewer folders than the live one: rebuilt from all it was built from.
  const rebuild = await rebuildRoots({ given: roots, recorded: state?.roots ?? saved.roots, liveStories: live ?? 0, reason: reason! });
  opts.log.warn({ event: 'reindex.full_instead', reason, roots: rebuild.roots });
  const counts = await fullReindex(opts, rebuild.roots, replicas);
  return { ...counts, note: [rebuild.note, ...(counts.note ? [counts.note] : [])].join('; ') };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in kB
}
