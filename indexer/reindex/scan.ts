// Reads article files in walk order, many ahead, and tells for each whether it changed since
// the last reindex (by content hash) and, if it did, what it parses to. Results come back in
// walk order whatever the parser's threads finish first, so "the first file with a URL wins".
import { readArticleFile } from '../parse-file.js';
import { isUnder, walkArticleFiles, type WalkProblem } from '../walk.js';
import type { Parser } from './parse-pool.js';
import type { PreparedFile } from './prepare.js';
import { contentHash, type ReindexState } from './state.js';

export type ScannedFile =
  | { path: string; kind: 'unchanged'; hash: string; id: string }
  | { path: string; kind: 'rejected before'; hash: string; reason: string; junk: boolean }
  | { path: string; kind: 'parsed'; hash: string; result: PreparedFile }
  /** `unseen`: the path exists but what it holds could not be read; it is not known to be gone. */
  | { path: string; kind: 'unreadable'; error: string; unseen: boolean };

/** One root of a run, before it is read: how many article files it holds, or why it cannot be read. */
export interface RootSurvey {
  root: string;
  files: number;
  /** The root itself could not be read (it vanished, or cannot be listed). */
  problem?: string;
}

/** Counts the article files of each root (a file under two nested roots counts for both). */
export async function surveyRoots(roots: string[]): Promise<{ files: number; roots: RootSurvey[] }> {
  const survey: RootSurvey[] = roots.map((root) => ({ root, files: 0 }));
  let files = 0;
  for await (const entry of walkArticleFiles(roots)) {
    if (typeof entry === 'string') {
      files++;
      for (const s of survey) if (isUnder(entry, s.root)) s.files++;
    } else if (entry.unseen) {
      for (const s of survey) if (s.root === entry.path) s.problem = entry.error;
    }
  }
  return { files, roots: survey };
}

export async function* scanFiles(
  roots: string[],
  previous: ReindexState | undefined,
  parser: Parser,
  readAhead = 32,
): AsyncGenerator<ScannedFile> {
  const pending: Array<Promise<ScannedFile>> = [];
  const scan = async (path: string): Promise<ScannedFile> => {
    const read = await readArticleFile(path);
    // A file that could not be read is not known to be gone; one that vanished (ENOENT) is gone,
    // and one too big or not a regular file was read and refused.
    if ('error' in read) return { path, kind: 'unreadable', error: read.error, unseen: read.code !== undefined && read.code !== 'ENOENT' };
    const hash = contentHash(read.bytes);
    const known = previous?.files[path];
    if (known && known.hash === hash) return { path, kind: 'unchanged', hash, id: known.id };
    const rejected = previous?.rejected[path];
    if (rejected && rejected.hash === hash) return { path, kind: 'rejected before', hash, reason: rejected.reason, junk: rejected.junk };
    return { path, kind: 'parsed', hash, result: await parser.prepare(path, read.bytes) };
  };
  try {
    for await (const entry of walkArticleFiles(roots)) {
      pending.push(typeof entry === 'string' ? scan(entry) : Promise.resolve(notRead(entry)));
      if (pending.length >= readAhead) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
  } finally {
    // A failed or abandoned scan must not leave rejections nobody awaits.
    for (const p of pending) p.catch(() => undefined);
  }
}

function notRead(p: WalkProblem): ScannedFile {
  return { path: p.path, kind: 'unreadable', error: p.error, unseen: p.unseen === true };
}
