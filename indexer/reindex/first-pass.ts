// The first pass of a reindex, whichever the mode: every file scanned (scan.ts), parsed documents
// kept in the document cache, and what the run needs afterwards collected in one FirstPass:
// the files and their fingerprints, rejections, warnings, which ids the run saw, and the paths
// it could not read.
import type { Logger } from '../../core/log.js';
import { DocumentCache } from './doc-cache.js';
import type { RunCounts } from './options.js';
import { createParser, workerCount } from './parse-pool.js';
import type { PreparedArticle } from './prepare.js';
import { scanFiles, surveyRoots, type RootSurvey, type ScannedFile } from './scan.js';
import { restoreFingerprint, type ReindexState } from './state.js';
import type { Fingerprint } from '../dedupe/group.js';

type ParsedFile = Extract<ScannedFile, { kind: 'parsed' }>;

/** How far a scan is: files scanned so far, of the files the survey counted. */
export interface ScanProgress {
  files: number;
  totalFiles: number;
}

export interface ScanOptions {
  roots: string[];
  /** The last run's state: files whose content has not changed are not parsed again. */
  state: ReindexState | undefined;
  dataDir: string;
  /** Parse worker threads; default: workerCount() for the number of files. */
  parseWorkers?: number;
  log: Logger;
  /** About once a second while scanning, and once at the end. */
  onProgress(progress: ScanProgress): void;
  /** Each file, after the pass has taken it, awaited before the next: a full reindex streams from here. */
  onFile?(file: ScannedFile, progress: ScanProgress): Promise<void>;
}

/** A finished scan: files scanned, of those the survey counted. */
export interface ScanDone extends ScanProgress {
  /** The roots as surveyed before they were read (shrink-guard.ts). */
  survey: RootSurvey[];
}

/** Progress reports while scanning, at most this often. */
const PROGRESS_EVERY_MS = 1000;

export class FirstPass {
  readonly files: ReindexState['files'];
  /** Files rejected for their content in this run, kept in the state so they are not parsed again. */
  readonly rejectedFiles: ReindexState['rejected'] = {};
  readonly rejected: RunCounts['rejected'] = [];
  readonly warnings: RunCounts['warnings'] = [];
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

  /** Scans every file of the roots into this pass. */
  async scan(opts: ScanOptions): Promise<ScanDone> {
    DocumentCache.removeStale(opts.dataDir);
    const survey = await surveyRoots(opts.roots);
    const progress: ScanProgress = { files: 0, totalFiles: survey.files };
    const parser = createParser(opts.parseWorkers ?? workerCount(progress.totalFiles));
    opts.log.info({ event: 'reindex.scan_started', files: progress.totalFiles, roots: opts.roots.length });
    let reported = 0;
    try {
      for await (const scanned of scanFiles(opts.roots, opts.state, parser)) {
        progress.files++;
        // How far a run is, file by file (tests stop a run at a chosen file).
        opts.log.debug({ event: 'reindex.file_scanned', n: progress.files, kind: scanned.kind });
        this.take(scanned);
        await opts.onFile?.(scanned, { ...progress });
        if (Date.now() - reported >= PROGRESS_EVERY_MS) {
          reported = Date.now();
          opts.onProgress({ ...progress });
        }
      }
    } finally {
      await parser.close();
    }
    opts.onProgress({ ...progress });
    return { ...progress, survey: survey.roots };
  }

  /** Whether `file` (taken already) brought the document this run keeps for its id, not a later duplicate. */
  isFirstWithItsId(file: ScannedFile): file is ParsedFile & { result: PreparedArticle } {
    return file.kind === 'parsed' && file.result.ok && this.seenIds.get(file.result.doc.id) === file.path;
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
    if (scanned.kind === 'rejected before') {
      this.reject(scanned.path, scanned.hash, scanned.reason, scanned.junk);
      return;
    }
    const r = scanned.result;
    if (!r.ok) {
      this.reject(r.path, scanned.hash, r.error, r.junk === true);
      return;
    }
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
