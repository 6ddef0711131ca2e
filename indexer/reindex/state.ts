// What the last successful reindex indexed: per file its content hash, document id and
// near-duplicate fingerprint; and which stories (representative → copies) are live. Lets an
// incremental run skip unchanged files without parsing them, regroup copies, and --prune find
// vanished files.
// Kept in DATA_DIR/reindex-state/<index>.json, written atomically after each successful run.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Fingerprint } from '../dedupe/group.js';
import { decodeSignature, encodeSignature } from '../dedupe/minhash.js';
import { writeError } from '../disk.js';
import { projectRoot } from '../paths.js';

const fingerprintSchema = z.object({
  url: z.string(),
  outlet: z.string(),
  day: z.number().int().nullable(),
  titleKey: z.string(),
  length: z.number().int().nonnegative(),
  updated: z.number(),
  signature: z.string().nullable(),
});

const stateSchema = z.object({
  version: z.literal(2),
  index: z.string(),
  /** Documents in the live index when the state was written; a mismatch means it is stale. */
  documents: z.number().int().nonnegative(),
  files: z.record(z.string(), z.object({ hash: z.string(), id: z.string(), fingerprint: fingerprintSchema })),
  /** Live stories: representative id → ids of its copies. */
  live: z.record(z.string(), z.array(z.string())),
});

export type ReindexState = z.infer<typeof stateSchema>;
export type StoredFingerprint = z.infer<typeof fingerprintSchema>;

export function storeFingerprint(f: Fingerprint): StoredFingerprint {
  const { url, outlet, day, titleKey, length, updated } = f;
  return { url, outlet, day, titleKey, length, updated, signature: f.signature ? encodeSignature(f.signature) : null };
}

export function restoreFingerprint(id: string, f: StoredFingerprint): Fingerprint {
  return { ...f, id, signature: f.signature === null ? undefined : decodeSignature(f.signature) };
}

export function statePath(dataDir: string, indexName: string): string {
  return path.join(dataDir, 'reindex-state', `${indexName}.json`);
}

/** The saved state, or undefined (with the reason) when there is none or it cannot be trusted. */
export function loadState(dataDir: string, indexName: string): { state?: ReindexState; problem?: string } {
  const file = statePath(dataDir, indexName);
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return { problem: 'no saved state from an earlier reindex' };
  }
  try {
    const state = stateSchema.parse(JSON.parse(raw));
    if (state.index !== indexName) return { problem: `${file} is for index ${state.index}` };
    return { state };
  } catch (err) {
    return { problem: `${file} is unreadable (${(err as Error).message.split('\n')[0]})` };
  }
}

export function saveState(dataDir: string, state: ReindexState): void {
  const file = statePath(dataDir, state.index);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, JSON.stringify(state));
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw writeError(err, file);
  }
}

/**
 * Fingerprint of the code that turns files into documents (compiled parser, cleaners,
 * normalization) and of the OpenCC version: when any of it changes, every file counts as changed.
 */
export const PIPELINE_VERSION: string = (() => {
  const hash = crypto.createHash('sha256');
  const indexerDir = path.join(projectRoot, 'dist', 'indexer');
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !['commands', 'meili', 'reindex', 'eval'].includes(entry.name)) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.js')) hash.update(entry.name).update(fs.readFileSync(full));
    }
  };
  walk(indexerDir);
  const opencc = JSON.parse(fs.readFileSync(path.join(projectRoot, 'node_modules', 'opencc-js', 'package.json'), 'utf8')) as { version: string };
  hash.update(`opencc-js@${opencc.version}`);
  return hash.digest('hex').slice(0, 16);
})();

export function contentHash(bytes: Buffer): string {
  return crypto.createHash('sha256').update(PIPELINE_VERSION).update(bytes).digest('hex').slice(0, 32);
}
