// A full reindex: build a new index beside the live one (build-index.ts), parse every file and
// send the stories (while parsing, when that pays: send-while-parsing.ts), group them, stop if
// the run would shrink the live index more than it may, send what the index still needs, check
// it holds every story, swap it in and save the state. The live index is untouched until the swap.
import type { IndexDocument } from '../../core/index-document.js';
import type { Group } from '../dedupe/group.js';
import { BuildIndex } from './build-index.js';
import { BuildRoom } from './build-room.js';
import { DocumentCache } from './doc-cache.js';
import { ReindexFailed } from './failed.js';
import { FirstPass, type ScanDone } from './first-pass.js';
import type { IndexWriter } from './index-writer.js';
import { liveIds } from './live-index.js';
import { workerCount } from './parse-pool.js';
import { diskWatch, type ReindexOptions, type RunCounts } from './options.js';
import type { Reconciliation } from './provisional.js';
import type { Replicas } from './replicas.js';
import { normalizeRoots } from './roots.js';
import { SendWhileParsing } from './send-while-parsing.js';
import { DEFAULT_BATCH_BYTES } from './sender.js';
import { couldShrink, guardShrink } from './shrink-guard.js';
import { loadState, saveState } from './state.js';
import { groupStories, liveMap, storyTerms, withCopies } from './stories.js';
import { extractStories } from './terms-pool.js';

export async function fullReindex(opts: ReindexOptions, roots: string[], replicas: Replicas): Promise<RunCounts> {
  const { indexName, log } = opts;
  const build = await BuildIndex.create(replicas, indexName, log);
  const watch = diskWatch(opts, 'while Meilisearch was building the new index; the live index is unchanged');
  const writer = build.writer({ batchBytes: opts.batchBytes, watch, log });
  const cache = new DocumentCache(opts.dataDir);
  const terms = storyTerms(opts);
  try {
    await build.applySettings();
    const first = new FirstPass(cache, undefined);
    const room = opts.meiliOnDataDir ? new BuildRoom(opts.dataDir, log) : undefined;
    const early = new SendWhileParsing({
      writer,
      cache,
      batchBytes: opts.batchBytes ?? DEFAULT_BATCH_BYTES,
      lag: opts.lag,
      streamShare: opts.streamShare,
      room,
      terms,
    });
    const scan = await first.scan({
      roots,
      state: undefined,
      dataDir: opts.dataDir,
      parseWorkers: opts.parseWorkers,
      log,
      onProgress: (p) => opts.progress?.update({ ...p, sent: writer.sent, indexed: writer.indexed, expected: p.totalFiles }),
      onFile: async (file, progress) => {
        if (first.isFirstWithItsId(file)) await early.arrived(file.result, progress);
      },
    });
    early.scanEnded();
    if (first.seenIds.size === 0) {
      throw new ReindexFailed(
        `no articles found in ${roots.join(', ')} (${first.rejected.length} files rejected); the live index was left as it is`,
      );
    }
    const { groups, copies } = groupStories(first.fingerprints(), log);
    // Checked before anything more is sent: a refused run has cost only the parsing.
    const before = await liveIds(replicas.writing, indexName);
    const note = await checkShrink(opts, before, groups, first, scan);
    const plan = early.reconcile(groups);
    log.info({
      event: 'reindex.reconciled',
      streaming: early.mode,
      sentWhileParsing: early.sent,
      remove: plan.remove.length,
      send: plan.send.length,
      addCopies: plan.addCopies.length,
    });
    room?.checkOnce(cache.size, scan);
    await sendTheRest(writer, plan, await restOfStories(opts, plan, cache));
    const ticker = setInterval(
      () =>
        opts.progress?.update({
          files: scan.files,
          totalFiles: scan.files,
          sent: writer.sent,
          indexed: writer.indexed,
          expected: writer.sent,
        }),
      1000,
    );
    try {
      await writer.finish();
    } finally {
      clearInterval(ticker);
    }
    const built = await build.verify(groups.length);
    await build.swapIn(built);
    await saveState(opts.dataDir, {
      version: 3,
      index: indexName,
      documents: built.documents,
      roots: normalizeRoots(roots),
      files: first.files,
      rejected: first.rejectedFiles,
      live: liveMap(groups),
    });
    const now = new Set(groups.map((g) => g.representative.id));
    const deleted = [...before].filter((id) => !now.has(id)).length;
    return {
      index: indexName,
      mode: 'full',
      indexed: built.documents,
      updated: 0,
      deleted,
      unchanged: 0,
      junk: first.junk,
      copies,
      rejected: first.rejected,
      warnings: first.warnings,
      documents: built.documents,
      ...(note ? { note } : {}),
    };
  } catch (err) {
    // The live index was never touched; the half-built one goes now rather than next run.
    await writer.cancel();
    await build.discard();
    throw err;
  } finally {
    cache.close();
  }
}

/**
 * The shrink guard of a full reindex: the live stories that are neither a story nor a copy of
 * the new index would go. The last run's state (to say where they lived) is read only if the
 * guard could refuse.
 */
async function checkShrink(
  opts: ReindexOptions,
  live: Set<string>,
  groups: Group[],
  first: FirstPass,
  scan: ScanDone,
): Promise<string | undefined> {
  const kept = new Set(groups.flatMap((g) => [g.representative.id, ...g.copies.map((c) => c.id)]));
  const check = { liveStories: live.size, removed: [...live].filter((id) => !kept.has(id)), roots: scan.survey, unseen: first.unseen };
  const saved = couldShrink(check) ? await loadState(opts.dataDir, opts.indexName) : undefined;
  return guardShrink({ ...check, files: saved?.state?.files, knownRoots: saved?.roots }, opts);
}

/**
 * The documents of the stories still to send, with their keywords and names extracted for all of
 * them first (terms-pool.ts), on the parse workers' cores, so that they are sent without pause.
 */
async function restOfStories(opts: ReindexOptions, plan: Reconciliation, cache: DocumentCache): Promise<(id: string) => IndexDocument> {
  if (opts.extractTerms === false) return (id) => cache.get(id);
  const ids = plan.send.map((g) => g.representative.id);
  const started = Date.now();
  const terms = await extractStories(ids, (id) => cache.get(id), opts.parseWorkers ?? workerCount(ids.length));
  opts.log.info({ event: 'reindex.terms_extracted', stories: ids.length, ms: Date.now() - started });
  return (id) => ({ ...cache.get(id), ...terms.get(id) });
}

/**
 * After grouping: the copies sent while parsing that lost are deleted, the stories not sent yet
 * are sent, and the stories sent early get their copy lists. Everything is enqueued before
 * anything is awaited, so Meilisearch never waits for us.
 */
async function sendTheRest(writer: IndexWriter, plan: Reconciliation, story: (id: string) => IndexDocument): Promise<void> {
  await writer.enqueue();
  await writer.delete(plan.remove);
  for (const g of plan.send) await writer.add(withCopies(story(g.representative.id), g));
  await writer.enqueue();
  for (const g of plan.addCopies) await writer.merge(withCopies({ id: g.representative.id }, g));
}
