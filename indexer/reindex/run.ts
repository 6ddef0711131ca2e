// The reindex itself. Full: build a new index beside the live one, verify it, swap it in
// atomically, delete the old one; the live index is untouched until the swap. Incremental: send
// only new and changed files to the live index (and, with prune, delete vanished ones). Either
// stops before touching the live index if it would shrink it more than it may (shrink-guard.ts).
import path from 'node:path';
import type { Index, Meilisearch } from 'meilisearch';
import { groupCopies, type Fingerprint, type Group } from '../dedupe/group.js';
import { toIndexDocument, type IndexDocument } from '../../core/index-document.js';
import { parseFile } from '../parse-file.js';
import { applySettings } from '../../core/index-settings.js';
import type { Logger } from '../../core/log.js';
import { checkNotFull, DiskFullError, freeBytes, mb } from '../disk.js';
import { ensureIndex } from '../../core/meili/ensure-index.js';
import type { Progress } from './progress.js';
import { scanFiles, surveyRoots, type RootSurvey, type ScannedFile } from './scan.js';
import { DocumentCache } from './doc-cache.js';
import { createParser, workerCount } from './parse-pool.js';
import { ProvisionalStories } from './provisional.js';
import { documentsOn, perInstance, storiesOn, type Instance } from './instances.js';
import { DEFAULT_BATCH_BYTES, expectSuccess } from './sender.js';
import { enqueueDeletions, misplaced, senderFor, type Sender } from './shards.js';
import { loadState, restoreFingerprint, saveState, type ReindexState } from './state.js';
import { ReindexFailed, ShrinkRefused } from './failed.js';
import { normalizeRoots, rebuildRoots, rootsAfterIncremental } from './roots.js';
import { couldShrink, findShrink, type ShrinkCheck } from './shrink-guard.js';
import { isUnder } from '../walk.js';

export { ReindexFailed, ShrinkRefused };

export interface ReindexOptions {
  /** The one Meilisearch (unused when `instances` is given). */
  client: Meilisearch;
  /**
   * Every instance of a network, each with its name and shard: each story is sent to the
   * replicas of its shard (shards.ts), indexes and swaps are made on each. Absent: `client` alone.
   */
  instances?: Instance[];
  indexName: string;
  dataDir: string;
  roots: string[];
  incremental: boolean;
  prune: boolean;
  /** Let the run remove more of the live index than shrink-guard.ts allows. */
  allowShrink?: boolean;
  log: Logger;
  progress?: Progress;
  batchBytes?: number;
  /** Files scanned after a story's best copy so far before a full reindex sends it (provisional.ts). */
  lag?: number;
  /** Parse worker threads; 0 parses on the main thread. Default: one per core for big runs. */
  parseWorkers?: number;
  /** Meilisearch keeps its database in DATA_DIR (embedded): watch that disk while it indexes. */
  meiliOnDataDir?: boolean;
}

export interface ReindexSummary {
  index: string;
  mode: 'full' | 'incremental';
  /** Stories (documents) that are new to the live index. */
  indexed: number;
  /** Stories whose document was replaced (changed text, new representative or copies). */
  updated: number;
  deleted: number;
  unchanged: number;
  /** Rejected files that are junk pages (site notices, error pages, empty bodies). */
  junk: number;
  /** Articles collapsed into another version of the same story (near-duplicates). */
  copies: number;
  rejected: Array<{ path: string; reason: string }>;
  warnings: Array<{ path: string; warning: string }>;
  /** Documents in the live index afterwards. */
  documents: number;
  durationMs: number;
  /** Peak resident memory of this (indexer) process, in MB. */
  peakRssMb: number;
  /**
   * With --prune: paths that could not be read (folders that could not be listed, files that
   * could not be opened), with the files under them whose documents were kept, not pruned.
   */
  notPruned?: Array<{ path: string; files: number }>;
  /** Why a requested incremental run became a full one, and what --allow-shrink let through, if anything. */
  note?: string;
}

export const BUILD_SUFFIX = '__build_';

export async function reindex(opts: ReindexOptions): Promise<ReindexSummary> {
  const started = Date.now();
  let roots = opts.roots.map((r) => path.resolve(r));
  const notes: string[] = [];
  let counts: Counts;
  if (opts.incremental) {
    const saved = await loadState(opts.dataDir, opts.indexName);
    const { state } = saved;
    const live = await liveDocumentCount(everyInstance(opts), opts.indexName);
    const reason = saved.problem ?? (live === undefined ? 'the live index does not exist, or replicas of a shard differ' : state && state.documents !== live ? `saved state lists ${state.documents} documents, the live index has ${live}` : await misplaced(everyInstance(opts), opts.indexName));
    if (!reason && state && live !== undefined) counts = await incremental(opts, roots, state);
    else {
      // Never an index of fewer folders than the live one: rebuilt from all it was built from.
      const rebuild = await rebuildRoots({ given: roots, recorded: state?.roots ?? saved.roots, liveStories: live ?? 0, reason: reason! });
      roots = rebuild.roots;
      notes.push(rebuild.note);
      opts.log.warn({ event: 'reindex.full_instead', reason, roots });
      counts = await full(opts, roots);
    }
  } else counts = await full(opts, roots);
  const { note, ...rest } = counts;
  if (note) notes.push(note);
  return { ...rest, durationMs: Date.now() - started, peakRssMb: peakRssMb(), ...(notes.length ? { note: notes.join('; ') } : {}) };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in kB
}

function everyInstance(opts: Pick<ReindexOptions, 'client' | 'instances'>): Instance[] {
  return opts.instances ?? [{ name: 'meilisearch', client: opts.client, shard: 0 }];
}

/** Ids of the live index's documents on all instances; none where it is missing. */
async function liveIds(instances: Instance[], indexName: string): Promise<Set<string>> {
  const ids = new Set<string>();
  const counts = await documentsOn(instances, indexName);
  for (const [n, i] of instances.entries()) {
    if (counts[n] !== undefined) for (const id of await allIds(i.client.index(indexName))) ids.add(id);
  }
  return ids;
}

/**
 * Stops the run (ShrinkRefused) if it would shrink the live index more than it may; returns the
 * note for the summary when --allow-shrink let it.
 */
function guardShrink(opts: ReindexOptions, check: ShrinkCheck): string | undefined {
  const shrink = findShrink(check);
  if (!shrink) return undefined;
  if (!opts.allowShrink) throw new ShrinkRefused(shrink.message, shrink.details);
  opts.log.warn({ event: 'reindex.shrink_allowed', ...shrink.details }, shrink.message);
  return `--allow-shrink: this run removes ${shrink.extent}`;
}

/** Stories of the live index; undefined if it is missing on any instance or replicas differ. */
async function liveDocumentCount(instances: Instance[], indexName: string): Promise<number | undefined> {
  return storiesOn(instances, await documentsOn(instances, indexName));
}

/** Indexes left by a reindex that was killed or failed. */
export async function removeLeftoverBuilds(client: Meilisearch, indexName: string, log: Logger): Promise<string[]> {
  const removed: string[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await client.getRawIndexes({ offset, limit: 100 });
    for (const idx of page.results) {
      if (idx.uid.startsWith(`${indexName}${BUILD_SUFFIX}`)) removed.push(idx.uid);
    }
    if (offset + 100 >= page.total) break;
  }
  for (const uid of removed) {
    await expectSuccess(client, (await client.deleteIndex(uid)).taskUid);
    log.warn({ event: 'reindex.leftover_removed', index: uid }, 'removed an index left by an interrupted reindex');
  }
  return removed;
}

async function allIds(index: Index): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<{ id: string }>({ fields: ['id'], offset, limit: 1000 });
    for (const d of page.results) ids.add(d.id);
    if (page.results.length < 1000) break;
  }
  return ids;
}

type Counts = Omit<ReindexSummary, 'durationMs' | 'peakRssMb'>;

/** What the first pass collects, whichever the mode. */
class FirstPass {
  readonly files: ReindexState['files'];
  /** Files rejected for their content in this run, kept in the state so they are not parsed again. */
  readonly rejectedFiles: ReindexState['rejected'] = {};
  readonly rejected: Counts['rejected'] = [];
  readonly warnings: Counts['warnings'] = [];
  /** id → path of the file that produced it in this run (changed or unchanged). */
  readonly seenIds = new Map<string, string>();
  /** ids parsed (new or changed) in this run, with their documents in the cache. */
  readonly parsedIds = new Set<string>();
  /** Paths that exist but could not be read: what they hold is not known to be gone. */
  readonly unseen: string[] = [];
  junk = 0;
  unchanged = 0;

  constructor(
    readonly cache: DocumentCache,
    previous: ReindexState | undefined,
  ) {
    this.files = { ...(previous?.files ?? {}) };
  }

  take(scanned: ScannedFile): void {
    if (scanned.kind === 'unreadable') {
      if (scanned.unseen) this.unseen.push(scanned.path);
      return void this.rejected.push({ path: scanned.path, reason: scanned.error });
    }
    if (scanned.kind === 'unchanged') {
      this.unchanged++;
      if (!this.seenIds.has(scanned.id)) this.seenIds.set(scanned.id, scanned.path);
      return;
    }
    if (scanned.kind === 'rejected before') return this.reject(scanned.path, scanned.hash, scanned.reason, scanned.junk);
    const r = scanned.result;
    if (!r.ok) return this.reject(r.path, scanned.hash, r.error, r.junk === true);
    const first = this.seenIds.get(r.doc.id);
    if (first) return void this.rejected.push({ path: r.path, reason: `duplicate: same canonical URL as ${first}` });
    this.seenIds.set(r.doc.id, r.path);
    for (const warning of r.warnings) this.warnings.push({ path: r.path, warning });
    this.cache.put(r.doc);
    this.parsedIds.add(r.doc.id);
    this.files[r.path] = { hash: scanned.hash, id: r.doc.id, fingerprint: r.fingerprint };
  }

  reject(path: string, hash: string, reason: string, junk: boolean): void {
    if (junk) this.junk++;
    this.rejected.push({ path, reason });
    this.rejectedFiles[path] = { hash, reason, junk };
  }

  /** Fingerprints of every article that is to be searchable after this run. */
  fingerprints(): Fingerprint[] {
    const out: Fingerprint[] = [];
    for (const [p, f] of Object.entries(this.files)) {
      // An entry counts unless another file produces its id in this run. A file that is gone or
      // no longer parses keeps its last good version (pruning, if asked for, removed it already).
      const owner = this.seenIds.get(f.id);
      if (owner !== undefined && owner !== p) continue;
      out.push(restoreFingerprint(f.id, f.fingerprint));
    }
    return out;
  }
}

/** The first payload of a streaming full reindex: small, so that Meilisearch starts early. */
const FIRST_PAYLOAD_BYTES = 4 * 1024 * 1024;

async function full(opts: ReindexOptions, roots: string[]): Promise<Counts> {
  const { indexName, log } = opts;
  const instances = everyInstance(opts);
  for (const i of instances) await removeLeftoverBuilds(i.client, indexName, log);
  const buildName = `${indexName}${BUILD_SUFFIX}${Date.now()}`;
  // The new index on every instance before any document is sent: a document must not create it
  // without its settings.
  for (const i of instances) await expectSuccess(i.client, (await i.client.createIndex(buildName, { primaryKey: 'id' })).taskUid);
  log.info({ event: 'reindex.build_started', index: buildName, instances: instances.length });
  const cache = new DocumentCache(opts.dataDir);
  const senders: Sender[] = [];
  try {
    for (const i of instances) await applySettings(i.client.index(buildName));
    const first = new FirstPass(cache, undefined);
    const scan = { files: 0, totalFiles: 0 };
    // Before Meilisearch gets the first payload: will the new index fit? (Projected from the
    // documents parsed so far; on a small corpus the first payload is sent after parsing.)
    let roomChecked = false;
    const disk = diskWatch(opts, 'while Meilisearch was building the new index; the live index is unchanged');
    const watch = disk
      ? () => {
          if (!roomChecked) checkRoomForBuild(opts, (cache.size * scan.totalFiles) / Math.max(1, scan.files));
          roomChecked = true;
          disk();
        }
      : undefined;
    const sender = senderFor(instances, buildName, { batchBytes: opts.batchBytes, watch, log });
    senders.push(sender);
    const stories = new ProvisionalStories(opts.lag);
    // Streaming pays on a big corpus: Meilisearch indexes while the files are parsed. But each
    // payload becomes a batch, and a batch has a fixed cost (merging into the index built so
    // far), so on a small corpus one batch after parsing is faster. The decision is taken when
    // the first FIRST_PAYLOAD_BYTES of stories are due: stream if at most half the files are
    // parsed and the documents projected for the whole corpus fill two payloads or more; then
    // that first payload goes at once, so Meilisearch starts early. Otherwise nothing is sent
    // until the stories are known, as one batch with their copy lists.
    let mode: 'undecided' | 'streaming' | 'holding' = 'undecided';
    let held: string[] = [];
    let heldBytes = 0;
    const batchBytes = opts.batchBytes ?? DEFAULT_BATCH_BYTES;
    const { files, survey } = await scanAll(opts, roots, undefined, first, sender, scan, async (scanned) => {
      if (scanned.kind !== 'parsed' || !scanned.result.ok || first.seenIds.get(scanned.result.doc.id) !== scanned.path) return;
      stories.arrived({ id: scanned.result.doc.id, ...scanned.result.fingerprint }, scan.files);
      const due = stories.due(scan.files);
      if (mode === 'streaming') {
        for (const id of due) await sender.addJson(cache.getJson(id), id);
      } else if (mode === 'holding') {
        stories.withdraw(due);
      } else {
        held.push(...due);
        for (const id of due) heldBytes += cache.bytes(id);
        if (heldBytes < Math.min(batchBytes, FIRST_PAYLOAD_BYTES)) return;
        const projected = (heldBytes * scan.totalFiles) / scan.files;
        mode = scan.files <= scan.totalFiles / 2 && projected >= 2 * batchBytes ? 'streaming' : 'holding';
        if (mode === 'holding') stories.withdraw(held);
        else {
          for (const id of held) await sender.addJson(cache.getJson(id), id);
          await sender.enqueue();
        }
        held = [];
      }
    });
    stories.withdraw(held);
    if (first.seenIds.size === 0) {
      throw new ReindexFailed(`no articles found in ${roots.join(', ')} (${first.rejected.length} files rejected); the live index was left as it is`);
    }
    const { groups, copies } = group(first.fingerprints(), log);
    // Checked before anything more is sent: a refused run has cost only the parsing.
    const before = await liveIds(instances, indexName);
    const kept = new Set(groups.flatMap((g) => [g.representative.id, ...g.copies.map((c) => c.id)]));
    const check = { liveStories: before.size, removed: [...before].filter((id) => !kept.has(id)), roots: survey, unseen: first.unseen };
    const saved = couldShrink(check) ? await loadState(opts.dataDir, indexName) : undefined;
    const note = guardShrink(opts, { ...check, files: saved?.state?.files, knownRoots: saved?.roots });
    const plan = stories.reconcile(groups);
    // streaming: 'streaming', 'holding' (first payload complete too late) or 'undecided' (never complete).
    log.info({ event: 'reindex.reconciled', streaming: mode, sentWhileParsing: stories.sent, remove: plan.remove.length, send: plan.send.length, addCopies: plan.addCopies.length });
    // Everything is enqueued before anything is awaited, so Meilisearch never waits for us.
    await sender.enqueue();
    const removal = await enqueueDeletions(instances, buildName, plan.remove);
    for (const g of plan.send) await sender.add(withCopies(cache.get(g.representative.id), g));
    await sender.enqueue();
    const copyLists = senderFor(instances, buildName, { batchBytes: opts.batchBytes, watch, merge: true, log });
    senders.push(copyLists);
    for (const g of plan.addCopies) await copyLists.add(withCopies({ id: g.representative.id }, g));
    const report = () => opts.progress?.update({ files, totalFiles: files, sent: sender.sent, indexed: sender.indexed, expected: sender.sent });
    const ticker = setInterval(report, 1000);
    try {
      await sender.finish();
      await removal.wait();
      await copyLists.finish();
    } finally {
      clearInterval(ticker);
    }
    const counts = await documentsOn(instances, buildName);
    const built = storiesOn(instances, counts) ?? NaN;
    if (built !== groups.length) {
      const where = instances.length > 1 ? ` (${perInstance(instances, counts)})` : '';
      const has = Number.isNaN(built) ? 'replicas of a shard with different numbers of documents' : `${built} documents`;
      throw new ReindexFailed(`the new index has ${has}${where} where ${groups.length} were sent; the live index was left as it is`);
    }
    for (const i of instances) await ensureIndex(i.client, indexName);
    // Every swap is enqueued before any is awaited: on a network, instances answer from
    // different versions only between the first swap and the last (milliseconds).
    const swaps = await Promise.all(instances.map(async (i) => ({ i, task: (await i.client.swapIndexes([{ indexes: [indexName, buildName], rename: false }])).taskUid })));
    for (const { i, task } of swaps) await expectSuccess(i.client, task);
    log.info({ event: 'reindex.swapped', index: indexName, documents: built, ...(instances.length > 1 ? { perInstance: Object.fromEntries(instances.map((i, n) => [i.name, counts[n]])) } : {}) });
    for (const i of instances) await expectSuccess(i.client, (await i.client.deleteIndex(buildName)).taskUid);
    await saveState(opts.dataDir, { version: 3, index: indexName, documents: built, roots: normalizeRoots(roots), files: first.files, rejected: first.rejectedFiles, live: liveMap(groups) });
    const now = new Set(groups.map((g) => g.representative.id));
    let deleted = 0;
    for (const id of before) if (!now.has(id)) deleted++;
    return {
      index: indexName, mode: 'full', indexed: built, updated: 0, deleted, unchanged: 0,
      junk: first.junk, copies, rejected: first.rejected, warnings: first.warnings, documents: built, ...(note ? { note } : {}),
    };
  } catch (err) {
    // The live index was never touched; remove the half-built one now rather than next run
    // (Meilisearch stuck on a full disk retries forever, so its tasks are cancelled first).
    for (const s of senders) await s.cancel();
    for (const i of instances) {
      await i.client.tasks.cancelTasks({ indexUids: [buildName], statuses: ['enqueued', 'processing'] }).catch(() => undefined);
      await i.client.deleteIndex(buildName).catch(() => undefined);
    }
    throw err;
  } finally {
    cache.close();
  }
}

/** A story's document lists its copies: their URLs for readers, their ids for old links. */
function withCopies<T extends { id: string }>(doc: T, g: Group): T & Pick<IndexDocument, 'alsoPublishedAs' | 'copyIds'> {
  return { ...doc, alsoPublishedAs: g.copies.map((c) => ({ id: c.id, url: c.url })), copyIds: g.copies.map((c) => c.id) };
}

async function incremental(opts: ReindexOptions, roots: string[], state: ReindexState): Promise<Counts> {
  const { indexName, log } = opts;
  const instances = everyInstance(opts);
  for (const i of instances) {
    if (await applySettings(i.client.index(indexName))) log.info({ event: 'reindex.settings_updated', index: indexName, ...(instances.length > 1 ? { instance: i.name } : {}) });
  }
  const cache = new DocumentCache(opts.dataDir);
  const sender = senderFor(instances, indexName, {
    batchBytes: opts.batchBytes,
    watch: diskWatch(opts, 'while Meilisearch was updating the live index; it holds the updates sent so far, and the next run completes them'),
    log,
  });
  try {
    const first = new FirstPass(cache, state);
    const { files, survey } = await scanAll(opts, roots, state, first, sender);

    // With --prune, files under the given roots that are gone or no longer parse lose their
    // documents; without it, their last good version stays searchable. Files under a path that
    // could not be read are not known to be gone: they keep theirs, and the summary says so.
    let pruned = 0;
    const notPruned = new Map<string, number>();
    if (opts.prune) {
      for (const [p, f] of Object.entries(first.files)) {
        if (!roots.some((r) => isUnder(p, r)) || first.seenIds.get(f.id) === p) continue;
        const unseen = first.unseen.find((u) => isUnder(p, u));
        if (unseen !== undefined) notPruned.set(unseen, (notPruned.get(unseen) ?? 0) + 1);
        else {
          delete first.files[p];
          pruned++;
        }
      }
    }
    // Nothing parsed and nothing pruned: the same articles as last time, so the same stories.
    // Regrouping them would only rebuild what the state already says (and hold every signature).
    const unchanged = first.parsedIds.size === 0 && pruned === 0;
    const { groups, copies } = unchanged ? { groups: undefined, copies: Object.values(state.live).reduce((n, c) => n + c.length, 0) } : group(first.fingerprints(), log);
    const newLive = groups ? liveMap(groups) : state.live;
    const stories = Object.keys(newLive).length;
    const newCopies = new Set(Object.values(newLive).flat());
    const removed = Object.keys(state.live).filter((id) => !(id in newLive) && !newCopies.has(id));
    const note = guardShrink(opts, { liveStories: state.documents, removed, roots: survey, unseen: first.unseen, files: state.files, knownRoots: state.roots });

    const pathOfId = new Map<string, string>();
    for (const [p, f] of Object.entries(first.files)) if (!pathOfId.has(f.id)) pathOfId.set(f.id, p);
    const toSend: Group[] = [];
    let indexed = 0;
    let updated = 0;
    for (const g of groups ?? []) {
      const id = g.representative.id;
      const before = state.live[id];
      const sameCopies = before !== undefined && before.join() === g.copies.map((c) => c.id).join();
      if (sameCopies && !first.parsedIds.has(id)) continue;
      toSend.push(g);
      if (before === undefined) indexed++;
      else updated++;
    }
    await sendStories(opts, files, sender, toSend, (id) => (cache.has(id) ? cache.get(id) : reparse(pathOfId.get(id), id)));
    const toDelete = Object.keys(state.live).filter((id) => !(id in newLive));
    await (await enqueueDeletions(instances, indexName, toDelete)).wait();
    const perShard = await documentsOn(instances, indexName);
    const documents = storiesOn(instances, perShard);
    // The next run finds the replicas differ too, and rebuilds.
    if (documents === undefined) throw new ReindexFailed(`replicas of a shard hold different numbers of stories (${perInstance(instances, perShard)}); run a full reindex`);
    const newRoots = rootsAfterIncremental(state, roots);
    const sameRoots = state.roots !== undefined && state.roots.join('\n') === newRoots.join('\n');
    if (!unchanged || documents !== state.documents || !sameRoots) {
      await saveState(opts.dataDir, { version: 3, index: indexName, documents, roots: newRoots, files: first.files, rejected: first.rejectedFiles, live: newLive });
    }
    if (documents !== stories) {
      throw new ReindexFailed(`the live index has ${documents} documents where ${stories} were expected; run a full reindex`);
    }
    return {
      index: indexName, mode: 'incremental', indexed, updated, deleted: toDelete.length, unchanged: first.unchanged,
      junk: first.junk, copies, rejected: first.rejected, warnings: first.warnings, documents,
      ...(notPruned.size ? { notPruned: [...notPruned].map(([p, n]) => ({ path: p, files: n })) } : {}),
      ...(note ? { note } : {}),
    };
  } catch (err) {
    await sender.cancel();
    throw err;
  } finally {
    cache.close();
  }
}

/** How much bigger Meilisearch's database grows than the JSON it is sent (measured: 2.60 GB for 452 MB). */
const DB_GROWTH = 6;

/** A full reindex builds beside the live index: fail now, not hours in, if that cannot fit. */
function checkRoomForBuild(opts: ReindexOptions, documentBytes: number): void {
  const free = freeBytes(opts.dataDir);
  const need = DB_GROWTH * documentBytes;
  const detail = `building the new index needs about ${mb(need)} (Meilisearch takes about ${DB_GROWTH}× the ${mb(documentBytes)} of documents) and DATA_DIR ${opts.dataDir} has ${mb(free)} free`;
  // Below twice the documents it cannot fit; below the estimate it may not, so say so and try.
  if (free < 2 * documentBytes) throw new DiskFullError(`not enough disk space: ${detail}; the live index is unchanged`);
  if (free < need) opts.log.warn({ event: 'reindex.low_disk', freeBytes: free, needBytes: need }, `disk space may run out: ${detail}`);
}

function diskWatch(opts: ReindexOptions, while_: string): (() => void) | undefined {
  return opts.meiliOnDataDir ? () => checkNotFull(opts.dataDir, while_) : undefined;
}

function group(fingerprints: Fingerprint[], log: Logger): { groups: Group[]; copies: number } {
  const started = Date.now();
  const { groups, comparisons } = groupCopies(fingerprints);
  const copies = fingerprints.length - groups.length;
  log.info({ event: 'reindex.grouped', articles: fingerprints.length, stories: groups.length, copies, comparisons, ms: Date.now() - started });
  return { groups, copies };
}

function liveMap(groups: Group[]): ReindexState['live'] {
  const live: ReindexState['live'] = {};
  for (const g of groups) live[g.representative.id] = g.copies.map((c) => c.id);
  return live;
}

/** A representative whose file did not change this run: parse it again (it may have become the representative). */
async function reparse(filePath: string | undefined, id: string): Promise<IndexDocument> {
  if (!filePath) throw new ReindexFailed(`no file is known for document ${id}`);
  const r = await parseFile(filePath);
  if (!r.ok || r.doc.id !== id) {
    throw new ReindexFailed(`${filePath} changed while the reindex ran (${r.ok ? 'it now has another URL' : r.error}); run it again`);
  }
  return toIndexDocument(r.doc);
}

async function sendStories(
  opts: ReindexOptions,
  files: number,
  sender: Sender,
  groups: Group[],
  load: (id: string) => IndexDocument | Promise<IndexDocument>,
): Promise<void> {
  const report = () => opts.progress?.update({ files, totalFiles: files, sent: sender.sent, indexed: sender.indexed, expected: groups.length });
  let sentStories = 0;
  for (const g of groups) {
    await sender.add(withCopies(await load(g.representative.id), g));
    sentStories++;
    if (sentStories % 500 === 0) {
      await sender.poll();
      report();
    }
  }
  // finish() polls Meilisearch itself; the ticker only reports what it found.
  const ticker = setInterval(report, 1000);
  try {
    await sender.finish();
  } finally {
    clearInterval(ticker);
  }
}

/**
 * First pass: scans every file into `first`, reporting progress (and counting in `scan`), and
 * hands each scanned file to `then` (a full reindex sends stories while it parses).
 */
async function scanAll(
  opts: ReindexOptions,
  roots: string[],
  state: ReindexState | undefined,
  first: FirstPass,
  sender: Sender,
  scan = { files: 0, totalFiles: 0 },
  then?: (scanned: ScannedFile) => Promise<void>,
): Promise<{ files: number; survey: RootSurvey[] }> {
  DocumentCache.removeStale(opts.dataDir);
  scan.files = 0;
  const survey = await surveyRoots(roots);
  scan.totalFiles = survey.files;
  const parser = createParser(opts.parseWorkers ?? workerCount(scan.totalFiles));
  const report = () => opts.progress?.update({ ...scan, sent: sender.sent, indexed: sender.indexed, expected: scan.totalFiles });
  opts.log.info({ event: 'reindex.scan_started', files: scan.totalFiles, roots: roots.length });
  let last = 0;
  try {
    for await (const scanned of scanFiles(roots, state, parser)) {
      scan.files++;
      // How far a run is, file by file (tests stop a run at a chosen file).
      opts.log.debug({ event: 'reindex.file_scanned', n: scan.files, kind: scanned.kind });
      first.take(scanned);
      await then?.(scanned);
      if (Date.now() - last >= 1000) {
        last = Date.now();
        report();
      }
    }
  } finally {
    await parser.close();
  }
  report();
  return { files: scan.files, survey: survey.roots };
}
