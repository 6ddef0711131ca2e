// An incremental reindex: only new and changed files are parsed (by content hash against the
// saved state), the stories are grouped again, and the live index gets the stories that are new
// or changed and loses those that are gone; with --prune, files that vanished or no longer parse
// lose their documents. It stops before touching the live index if that would shrink it more
// than it may (shrink-guard.ts).
import { toBaseDocument, type IndexDocument } from '../../core/index-document.js';
import { applySettings } from '../../core/index-settings.js';
import type { Logger } from '../../core/log.js';
import type { Group } from '../dedupe/group.js';
import { parseFile } from '../parse-file.js';
import { isUnder } from '../walk.js';
import { DocumentCache } from './doc-cache.js';
import { ReindexFailed } from './failed.js';
import { FirstPass } from './first-pass.js';
import { IndexWriter } from './index-writer.js';
import { perInstance, shardCountsOn, storiesOn } from './instances.js';
import { diskWatch, type ReindexOptions, type RunCounts } from './options.js';
import type { Replicas } from './replicas.js';
import { rootsAfterIncremental } from './roots.js';
import { guardShrink } from './shrink-guard.js';
import { saveState, type ReindexState } from './state.js';
import { groupStories, liveMap, storyTerms, withCopies } from './stories.js';

/** Stories sent between two looks at how far Meilisearch is (progress). */
const POLL_EVERY_STORIES = 500;

export async function incrementalReindex(
  opts: ReindexOptions,
  roots: string[],
  state: ReindexState,
  replicas: Replicas,
): Promise<RunCounts> {
  const { indexName, log } = opts;
  const writer = new IndexWriter(
    { replicas, indexUid: indexName },
    {
      batchBytes: opts.batchBytes,
      watch: diskWatch(
        opts,
        'while Meilisearch was updating the live index; it holds the updates sent so far, and the next run completes them',
      ),
      log,
    },
  );
  for (const i of [...replicas.writing]) {
    try {
      if (await applySettings(i.client.index(indexName)))
        log.info({ event: 'reindex.settings_updated', index: indexName, ...(replicas.shards > 1 ? { instance: i.name } : {}) });
    } catch (err) {
      replicas.lose(i, err);
    }
  }
  const cache = new DocumentCache(opts.dataDir);
  try {
    const first = new FirstPass(cache, state);
    const scan = await first.scan({
      roots,
      state,
      dataDir: opts.dataDir,
      parseWorkers: opts.parseWorkers,
      log,
      onProgress: (p) => opts.progress?.update({ ...p, sent: writer.sent, indexed: writer.indexed, expected: p.totalFiles }),
    });
    const { pruned, notPruned } = opts.prune ? pruneVanished(first, roots) : { pruned: 0, notPruned: new Map<string, number>() };
    const stories = regroup(first, state, pruned, log);
    const newCopies = new Set(Object.values(stories.live).flat());
    const removed = Object.keys(state.live).filter((id) => !(id in stories.live) && !newCopies.has(id));
    const note = guardShrink(
      { liveStories: state.documents, removed, roots: scan.survey, unseen: first.unseen, files: state.files, knownRoots: state.roots },
      opts,
    );

    const { send, indexed, updated } = storiesToSend(stories.groups, state.live, first.parsedIds);
    const toDelete = Object.keys(state.live).filter((id) => !(id in stories.live));
    const report = () =>
      opts.progress?.update({
        files: scan.files,
        totalFiles: scan.files,
        sent: writer.sent,
        indexed: writer.indexed,
        expected: send.length,
      });
    if (replicas.shards > 1) await replicas.check();
    await sendChanges(writer, send, toDelete, documentsOf(first, storyTerms(opts)), report);

    const instances = [...replicas.writing];
    const perShard = await shardCountsOn(instances, indexName, replicas.shards);
    const documents = storiesOn(instances, perShard);
    // The next run finds the replicas differ too, and rebuilds.
    if (documents === undefined)
      throw new ReindexFailed(
        `replicas of a shard hold different numbers of stories (${perInstance(instances, perShard)}); run a full reindex`,
      );
    const newRoots = rootsAfterIncremental(state, roots);
    const sameRoots = state.roots !== undefined && state.roots.join('\n') === newRoots.join('\n');
    if (!stories.unchanged || documents !== state.documents || !sameRoots) {
      await saveState(opts.dataDir, {
        version: 3,
        index: indexName,
        documents,
        roots: newRoots,
        files: first.files,
        rejected: first.rejectedFiles,
        live: stories.live,
      });
    }
    const expected = Object.keys(stories.live).length;
    if (documents !== expected) {
      throw new ReindexFailed(`the live index has ${documents} documents where ${expected} were expected; run a full reindex`);
    }
    return {
      index: indexName,
      mode: 'incremental',
      indexed,
      updated,
      deleted: toDelete.length,
      unchanged: first.unchanged,
      junk: first.junk,
      copies: stories.copies,
      rejected: first.rejected,
      warnings: first.warnings,
      documents,
      ...(notPruned.size ? { notPruned: [...notPruned].map(([p, n]) => ({ path: p, files: n })) } : {}),
      ...(note ? { note } : {}),
    };
  } catch (err) {
    await writer.cancel();
    throw err;
  } finally {
    cache.close();
  }
}

/**
 * The stories after this run: regrouped from the pass's fingerprints, unless nothing was parsed
 * and nothing pruned. Then the articles are those of last time, so the stories are too, and
 * regrouping would only rebuild what the state already says (and hold every signature).
 */
function regroup(
  first: FirstPass,
  state: ReindexState,
  pruned: number,
  log: Logger,
): { groups: Group[]; live: ReindexState['live']; copies: number; unchanged: boolean } {
  if (first.parsedIds.size === 0 && pruned === 0) {
    return { groups: [], live: state.live, copies: Object.values(state.live).reduce((n, c) => n + c.length, 0), unchanged: true };
  }
  const { groups, copies } = groupStories(first.fingerprints(), log);
  return { groups, live: liveMap(groups), copies, unchanged: false };
}

/**
 * Sends the new and changed stories and deletes the gone ones; returns once Meilisearch has
 * done it all. `report` tells the progress as it goes.
 */
async function sendChanges(
  writer: IndexWriter,
  send: Group[],
  toDelete: string[],
  documentOf: (id: string) => Promise<IndexDocument>,
  report: () => void,
): Promise<void> {
  for (const [n, g] of send.entries()) {
    await writer.add(withCopies(await documentOf(g.representative.id), g));
    if ((n + 1) % POLL_EVERY_STORIES === 0) {
      await writer.poll();
      report();
    }
  }
  await writer.enqueue();
  await writer.delete(toDelete);
  // finish() polls Meilisearch itself; the ticker only reports what it found.
  const ticker = setInterval(report, 1000);
  try {
    await writer.finish();
  } finally {
    clearInterval(ticker);
  }
}

/**
 * A story's document, with its keywords and names: parsed in this run (in the cache), or parsed
 * again from its file, which did not change (it may have become the representative).
 */
function documentsOf(first: FirstPass, terms: (doc: IndexDocument) => IndexDocument): (id: string) => Promise<IndexDocument> {
  const pathOfId = new Map<string, string>();
  for (const [p, f] of Object.entries(first.files)) if (!pathOfId.has(f.id)) pathOfId.set(f.id, p);
  return async (id) => terms(first.cache.has(id) ? first.cache.get(id) : await reparse(pathOfId.get(id), id));
}

/**
 * --prune: files under the given roots that are gone or no longer parse are dropped from the
 * pass's files, so their documents go; without --prune their last good version stays searchable.
 * Files under a path that could not be read are not known to be gone: they keep theirs, and are
 * counted per such path for the summary.
 */
function pruneVanished(first: FirstPass, roots: string[]): { pruned: number; notPruned: Map<string, number> } {
  let pruned = 0;
  const notPruned = new Map<string, number>();
  for (const [p, f] of Object.entries(first.files)) {
    if (!roots.some((r) => isUnder(p, r)) || first.seenIds.get(f.id) === p) continue;
    const unseen = first.unseen.find((u) => isUnder(p, u));
    if (unseen !== undefined) notPruned.set(unseen, (notPruned.get(unseen) ?? 0) + 1);
    else {
      delete first.files[p];
      pruned++;
    }
  }
  return { pruned, notPruned };
}

/** The stories whose document is new or changed (its text, or its list of copies), counted as such. */
function storiesToSend(
  groups: Group[],
  live: ReindexState['live'],
  parsedIds: Set<string>,
): { send: Group[]; indexed: number; updated: number } {
  const send: Group[] = [];
  let indexed = 0;
  let updated = 0;
  for (const g of groups) {
    const id = g.representative.id;
    const before = live[id];
    const sameCopies = before !== undefined && before.join() === g.copies.map((c) => c.id).join();
    if (sameCopies && !parsedIds.has(id)) continue;
    send.push(g);
    if (before === undefined) indexed++;
    else updated++;
  }
  return { send, indexed, updated };
}

/** The document of `id` from its file, which must still give that id. */
async function reparse(filePath: string | undefined, id: string): Promise<IndexDocument> {
  if (!filePath) throw new ReindexFailed(`no file is known for document ${id}`);
  const r = await parseFile(filePath);
  if (!r.ok || r.doc.id !== id) {
    throw new ReindexFailed(`${filePath} changed while the reindex ran (${r.ok ? 'it now has another URL' : r.error}); run it again`);
  }
  return toBaseDocument(r.doc);
}
