// What the last successful reindex indexed: the folders the live index is built from; per file
// its content hash, document id and near-duplicate fingerprint; the files it rejected and why;
// and which stories (representative → copies) are live. Lets an incremental run skip unchanged
// files without parsing them, regroup copies, --prune find vanished files, and a run whose state
// cannot be trusted rebuild from every folder rather than from the ones it was given.
// Kept in DATA_DIR/reindex-state/<index>.jsonl, written atomically after each successful run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { z } from 'zod';
import type { Fingerprint } from '../dedupe/group.js';
import { decodeSignature, encodeSignature } from '../dedupe/minhash.js';
import { writeError } from '../disk.js';
import { projectRoot } from '../../core/paths.js';
import { pipelineVersion } from './pipeline-version.js';

const fingerprintSchema = z.object({
  url: z.string(),
  outlet: z.string(),
  day: z.number().int().nullable(),
  titleKey: z.string(),
  length: z.number().int().nonnegative(),
  updated: z.number(),
  signature: z.string().nullable(),
  // What a story's page shows of a copy; absent in states written before they were kept.
  title: z.string().optional(),
  published: z.number().nullable().optional(),
});

/** The first line: what the rest holds, so a cut-off file is caught. */
const headerSchema = z.object({
  version: z.literal(3),
  index: z.string(),
  /** Documents in the live index when the state was written; a mismatch means it is stale. */
  documents: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  stories: z.number().int().nonnegative(),
  /**
   * Absolute paths of the folders (or files) the live index is built from: the roots of the last
   * full reindex and of the incremental runs since. Absent in states written before it was kept.
   */
  roots: z.array(z.string()).optional(),
});
const fileSchema = z.object({ path: z.string(), hash: z.string(), id: z.string(), fingerprint: fingerprintSchema });
/** A file rejected for what it holds (not for another file's URL): not parsed again while unchanged. */
const rejectedSchema = z.object({ rejected: z.string(), hash: z.string(), reason: z.string(), junk: z.boolean() });
/** A live story: representative id → ids of its copies. */
const storySchema = z.object({ story: z.string(), copies: z.array(z.string()) });

export interface RejectedFile {
  hash: string;
  reason: string;
  junk: boolean;
}

export interface ReindexState {
  version: 3;
  index: string;
  documents: number;
  /** See the header's `roots`; undefined when not known. */
  roots?: string[];
  files: Record<string, { hash: string; id: string; fingerprint: StoredFingerprint }>;
  rejected: Record<string, RejectedFile>;
  /** Live stories: representative id → ids of its copies. */
  live: Record<string, string[]>;
}
export type StoredFingerprint = z.infer<typeof fingerprintSchema>;

export function storeFingerprint(f: Fingerprint): StoredFingerprint {
  const { url, outlet, day, titleKey, length, updated, title, published } = f;
  return { url, outlet, day, titleKey, length, updated, signature: f.signature ? encodeSignature(f.signature) : null, title, published };
}

export function restoreFingerprint(id: string, f: StoredFingerprint): Fingerprint {
  return { ...f, id, signature: f.signature === null ? undefined : decodeSignature(f.signature) };
}

export function statePath(dataDir: string, indexName: string): string {
  return path.join(dataDir, 'reindex-state', `${indexName}.jsonl`);
}

// JSON Lines, read and written a line at a time: for 48k files the state is about 50 MB, and
// holding it as one string, its parse tree and a validated copy took most of an incremental
// run's memory (689 MB peak on an unchanged corpus).

/**
 * The saved state, or undefined (with the reason) when there is none or it cannot be trusted;
 * `roots` from the first line even then, when that line is sound.
 */
export async function loadState(dataDir: string, indexName: string): Promise<{ state?: ReindexState; problem?: string; roots?: string[] }> {
  const file = statePath(dataDir, indexName);
  if (!fs.existsSync(file)) return { problem: 'no saved state from an earlier reindex' };
  let lineNo = 0;
  let header: z.infer<typeof headerSchema> | undefined;
  try {
    const lines = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
    const files: ReindexState['files'] = {};
    const rejected: ReindexState['rejected'] = {};
    const live: ReindexState['live'] = {};
    let fileCount = 0;
    let rejectedCount = 0;
    let storyCount = 0;
    for await (const line of lines) {
      lineNo++;
      const value: unknown = JSON.parse(line);
      if (!header) {
        header = headerSchema.parse(value);
        if (header.index !== indexName) return { problem: `${file} is for index ${header.index}` };
      } else if (fileCount < header.files) {
        const { path: p, ...entry } = fileSchema.parse(value);
        files[p] = entry;
        fileCount++;
      } else if (rejectedCount < header.rejected) {
        const { rejected: p, ...entry } = rejectedSchema.parse(value);
        rejected[p] = entry;
        rejectedCount++;
      } else {
        const { story, copies } = storySchema.parse(value);
        live[story] = copies;
        storyCount++;
      }
    }
    if (!header) return { problem: `${file} is empty` };
    if (fileCount !== header.files || rejectedCount !== header.rejected || storyCount !== header.stories) {
      const problem = `${file} is incomplete (${fileCount} of ${header.files} files, ${rejectedCount} of ${header.rejected} rejected, ${storyCount} of ${header.stories} stories)`;
      return { problem, roots: header.roots };
    }
    return {
      state: { version: 3, index: header.index, documents: header.documents, roots: header.roots, files, rejected, live },
      roots: header.roots,
    };
  } catch (err) {
    return { problem: `${file} is unreadable at line ${lineNo} (${(err as Error).message.split('\n')[0]})`, roots: header?.roots };
  }
}

export async function saveState(dataDir: string, state: ReindexState): Promise<void> {
  const file = statePath(dataDir, state.index);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    const out = fs.createWriteStream(tmp, { encoding: 'utf8' });
    const done = new Promise<void>((resolve, reject) => {
      out.once('finish', resolve);
      out.once('error', reject);
    });
    const write = async (value: unknown) => {
      if (!out.write(`${JSON.stringify(value)}\n`)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    };
    const files = Object.entries(state.files);
    const rejected = Object.entries(state.rejected);
    const stories = Object.entries(state.live);
    const { version, index, documents, roots } = state;
    await write({
      version,
      index,
      documents,
      files: files.length,
      rejected: rejected.length,
      stories: stories.length,
      ...(roots ? { roots } : {}),
    });
    for (const [p, entry] of files) await write({ path: p, ...entry });
    for (const [p, entry] of rejected) await write({ rejected: p, ...entry });
    for (const [story, copies] of stories) await write({ story, copies });
    out.end();
    await done;
    fs.renameSync(tmp, file);
    // The state of versions before 0.1 (one JSON document) is replaced, not left beside it.
    fs.rmSync(file.replace(/\.jsonl$/, '.json'), { force: true });
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw writeError(err, file);
  }
}

/** See pipeline-version.ts: the code that produces documents, as built in dist/. */
export const PIPELINE_VERSION: string = pipelineVersion({
  distDir: path.join(projectRoot, 'dist'),
  nodeModules: path.join(projectRoot, 'node_modules'),
});

export function contentHash(bytes: Buffer): string {
  return crypto.createHash('sha256').update(PIPELINE_VERSION).update(bytes).digest('hex').slice(0, 32);
}
