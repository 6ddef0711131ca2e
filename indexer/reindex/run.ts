// The reindex itself. Full: build a new index beside the live one, verify it, swap it in
// atomically, delete the old one; the live index is untouched until the swap. Incremental: send
// only new and changed files to the live index (and, with prune, delete vanished ones).
import path from 'node:path';
import { MeilisearchApiError, type Index, type Meilisearch } from 'meilisearch';
import { toIndexDocument } from '../index-document.js';
import { applySettings } from '../index-settings.js';
import type { Logger } from '../log.js';
import { ensureIndex } from '../meili/ensure-index.js';
import type { Progress } from './progress.js';
import { countArticleFiles, scanFiles, type ScannedFile } from './scan.js';
import { DocumentSender, expectSuccess } from './sender.js';
import { loadState, saveState, type ReindexState } from './state.js';

export interface ReindexOptions {
  client: Meilisearch;
  indexName: string;
  dataDir: string;
  roots: string[];
  incremental: boolean;
  prune: boolean;
  log: Logger;
  progress?: Progress;
  batchBytes?: number;
}

export interface ReindexSummary {
  index: string;
  mode: 'full' | 'incremental';
  /** Documents that are new to the live index. */
  indexed: number;
  /** Documents that replaced a changed version. */
  updated: number;
  deleted: number;
  unchanged: number;
  rejected: Array<{ path: string; reason: string }>;
  warnings: Array<{ path: string; warning: string }>;
  /** Documents in the live index afterwards. */
  documents: number;
  durationMs: number;
  /** Peak resident memory of this (indexer) process, in MB. */
  peakRssMb: number;
  /** Why a requested incremental run became a full one, if it did. */
  note?: string;
}

/** A reindex that failed; the live index is as it was before (for a full reindex). */
export class ReindexFailed extends Error {
  override name = 'ReindexFailed';
}

export const BUILD_SUFFIX = '__build_';

export async function reindex(opts: ReindexOptions): Promise<ReindexSummary> {
  const started = Date.now();
  const roots = opts.roots.map((r) => path.resolve(r));
  let note: string | undefined;
  if (opts.incremental) {
    const { state, problem } = loadState(opts.dataDir, opts.indexName);
    const live = await liveDocumentCount(opts.client, opts.indexName);
    const reason = problem ?? (live === undefined ? 'the live index does not exist' : state && state.documents !== live ? `saved state lists ${state.documents} documents, the live index has ${live}` : undefined);
    if (!reason && state && live !== undefined) {
      return { ...(await incremental(opts, roots, state)), durationMs: Date.now() - started, peakRssMb: peakRssMb() };
    }
    note = `incremental run replaced by a full reindex: ${reason}`;
    opts.log.warn({ event: 'reindex.full_instead', reason });
  }
  return { ...(await full(opts, roots)), durationMs: Date.now() - started, peakRssMb: peakRssMb(), ...(note ? { note } : {}) };
}

function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024); // maxRSS is in kB
}

async function liveDocumentCount(client: Meilisearch, indexName: string): Promise<number | undefined> {
  try {
    return (await client.index(indexName).getStats()).numberOfDocuments;
  } catch (err) {
    if (err instanceof MeilisearchApiError && err.cause?.code === 'index_not_found') return undefined;
    throw err;
  }
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

type Counts = Omit<ReindexSummary, 'durationMs' | 'peakRssMb' | 'note'>;

async function full(opts: ReindexOptions, roots: string[]): Promise<Counts> {
  const { client, indexName, log } = opts;
  await removeLeftoverBuilds(client, indexName, log);
  const buildName = `${indexName}${BUILD_SUFFIX}${Date.now()}`;
  await expectSuccess(client, (await client.createIndex(buildName, { primaryKey: 'id' })).taskUid);
  const build = client.index(buildName);
  log.info({ event: 'reindex.build_started', index: buildName });
  try {
    await applySettings(build);
    const sender = new DocumentSender(client, build, opts.batchBytes);
    const files: ReindexState['files'] = {};
    const rejected: Counts['rejected'] = [];
    const warnings: Counts['warnings'] = [];
    const pathOfId = new Map<string, string>();
    await feed(opts, roots, undefined, sender, async (scanned) => {
      if (scanned.kind === 'unreadable') return void rejected.push({ path: scanned.path, reason: scanned.error });
      if (scanned.kind !== 'parsed') return;
      const r = scanned.result;
      if (!r.ok) return void rejected.push({ path: r.path, reason: r.error });
      const first = pathOfId.get(r.doc.id);
      if (first) return void rejected.push({ path: r.path, reason: `duplicate: same canonical URL as ${first}` });
      pathOfId.set(r.doc.id, r.path);
      for (const warning of r.warnings) warnings.push({ path: r.path, warning });
      files[r.path] = { hash: scanned.hash, id: r.doc.id };
      await sender.add(toIndexDocument(r.doc));
    });
    if (pathOfId.size === 0) {
      throw new ReindexFailed(`no articles found in ${roots.join(', ')} (${rejected.length} files rejected); the live index was left as it is`);
    }
    const built = (await build.getStats()).numberOfDocuments;
    if (built !== pathOfId.size) {
      throw new ReindexFailed(`the new index has ${built} documents where ${pathOfId.size} were sent; the live index was left as it is`);
    }
    await ensureIndex(client, indexName);
    const before = await allIds(client.index(indexName));
    await expectSuccess(client, (await client.swapIndexes([{ indexes: [indexName, buildName], rename: false }])).taskUid);
    log.info({ event: 'reindex.swapped', index: indexName, documents: built });
    await expectSuccess(client, (await client.deleteIndex(buildName)).taskUid);
    saveState(opts.dataDir, { version: 1, index: indexName, documents: built, files });
    let deleted = 0;
    for (const id of before) if (!pathOfId.has(id)) deleted++;
    return { index: indexName, mode: 'full', indexed: built, updated: 0, deleted, unchanged: 0, rejected, warnings, documents: built };
  } catch (err) {
    // The live index was never touched; remove the half-built one now rather than next run.
    await client.deleteIndex(buildName).catch(() => undefined);
    throw err;
  }
}

async function incremental(opts: ReindexOptions, roots: string[], state: ReindexState): Promise<Counts> {
  const { client, indexName, log } = opts;
  const live = client.index(indexName);
  if (await applySettings(live)) log.info({ event: 'reindex.settings_updated', index: indexName });
  const sender = new DocumentSender(client, live, opts.batchBytes);
  const knownIds = new Map<string, string>(); // id → path, as of the last run
  for (const [p, f] of Object.entries(state.files)) knownIds.set(f.id, p);
  const files: ReindexState['files'] = { ...state.files };
  const seenPaths = new Set<string>();
  const seenIds = new Map<string, string>(); // id → path, this run
  const rejected: Counts['rejected'] = [];
  const warnings: Counts['warnings'] = [];
  let indexed = 0;
  let updated = 0;
  let unchanged = 0;
  const replacedIds = new Set<string>();

  await feed(opts, roots, state, sender, async (scanned) => {
    if (scanned.kind === 'unreadable') return void rejected.push({ path: scanned.path, reason: scanned.error });
    seenPaths.add(scanned.path);
    if (scanned.kind === 'unchanged') {
      unchanged++;
      seenIds.set(scanned.id, scanned.path);
      return;
    }
    const r = scanned.result;
    if (!r.ok) return void rejected.push({ path: r.path, reason: r.error });
    const first = seenIds.get(r.doc.id);
    if (first) return void rejected.push({ path: r.path, reason: `duplicate: same canonical URL as ${first}` });
    seenIds.set(r.doc.id, r.path);
    for (const warning of r.warnings) warnings.push({ path: r.path, warning });
    const previousId = state.files[r.path]?.id;
    if (previousId && previousId !== r.doc.id) replacedIds.add(previousId);
    files[r.path] = { hash: scanned.hash, id: r.doc.id };
    if (knownIds.has(r.doc.id)) updated++;
    else indexed++;
    await sender.add(toIndexDocument(r.doc));
  });

  // Documents to delete: a file's old id that it no longer produces, and with --prune, the
  // documents of files under the given roots that are gone or no longer parse.
  const toDelete = new Set<string>();
  for (const id of replacedIds) if (!seenIds.has(id)) toDelete.add(id);
  if (opts.prune) {
    const underRoots = (p: string) => roots.some((r) => p === r || p.startsWith(r + path.sep));
    for (const [p, f] of Object.entries(state.files)) {
      const producedNow = seenIds.get(f.id) === p;
      if (underRoots(p) && !producedNow) {
        delete files[p];
        if (!seenIds.has(f.id)) toDelete.add(f.id);
      }
    }
  }
  // State entries whose id another file now owns, or that were deleted, are dropped.
  for (const [p, f] of Object.entries(files)) {
    if (toDelete.has(f.id) || (seenIds.has(f.id) && seenIds.get(f.id) !== p)) delete files[p];
  }
  if (toDelete.size > 0) {
    await expectSuccess(client, (await live.deleteDocuments([...toDelete])).taskUid);
  }
  const documents = (await live.getStats()).numberOfDocuments;
  const expected = state.documents + indexed - toDelete.size;
  saveState(opts.dataDir, { version: 1, index: indexName, documents, files });
  if (documents !== expected) {
    throw new ReindexFailed(`the live index has ${documents} documents where ${expected} were expected; run a full reindex`);
  }
  return { index: indexName, mode: 'incremental', indexed, updated, deleted: toDelete.size, unchanged, rejected, warnings, documents };
}

/** Scans the files, hands each to `handle`, reports progress, and waits for Meilisearch. */
async function feed(
  opts: ReindexOptions,
  roots: string[],
  state: ReindexState | undefined,
  sender: DocumentSender,
  handle: (scanned: ScannedFile) => Promise<void>,
): Promise<void> {
  const totalFiles = await countArticleFiles(roots);
  let files = 0;
  let lastPoll = 0;
  const report = async (force = false) => {
    if (!force && Date.now() - lastPoll < 1000) return;
    lastPoll = Date.now();
    await sender.poll();
    opts.progress?.update({ files, totalFiles, sent: sender.sent, indexed: sender.indexed });
  };
  for await (const scanned of scanFiles(roots, state)) {
    files++;
    await handle(scanned);
    await report();
  }
  const ticker = setInterval(() => void report(true).catch(() => undefined), 1000);
  try {
    await sender.finish();
  } finally {
    clearInterval(ticker);
  }
  await report(true);
}
