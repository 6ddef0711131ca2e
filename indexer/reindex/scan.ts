// Reads article files in walk order, many ahead, and tells for each whether it changed since
// the last reindex (by content hash) and, if it did, what it parses to. Results come back in
// walk order whatever the parser's threads finish first, so "the first file with a URL wins".
import { readArticleFile } from '../parse-file.js';
import { walkArticleFiles } from '../walk.js';
import type { Parser } from './parse-pool.js';
import type { Prepared } from './prepare.js';
import { contentHash, type ReindexState } from './state.js';

export type ScannedFile =
  | { path: string; kind: 'unchanged'; hash: string; id: string }
  | { path: string; kind: 'rejected before'; hash: string; reason: string; junk: boolean }
  | { path: string; kind: 'parsed'; hash: string; result: Prepared }
  | { path: string; kind: 'unreadable'; error: string };

export async function countArticleFiles(roots: string[]): Promise<number> {
  let n = 0;
  for await (const entry of walkArticleFiles(roots)) if (typeof entry === 'string') n++;
  return n;
}

export async function* scanFiles(roots: string[], previous: ReindexState | undefined, parser: Parser, readAhead = 32): AsyncGenerator<ScannedFile> {
  const pending: Array<Promise<ScannedFile>> = [];
  const scan = async (path: string): Promise<ScannedFile> => {
    const read = await readArticleFile(path);
    if ('error' in read) return { path, kind: 'unreadable', error: read.error };
    const hash = contentHash(read.bytes);
    const known = previous?.files[path];
    if (known && known.hash === hash) return { path, kind: 'unchanged', hash, id: known.id };
    const rejected = previous?.rejected[path];
    if (rejected && rejected.hash === hash) return { path, kind: 'rejected before', hash, reason: rejected.reason, junk: rejected.junk };
    return { path, kind: 'parsed', hash, result: await parser.prepare(path, read.bytes) };
  };
  try {
    for await (const entry of walkArticleFiles(roots)) {
      pending.push(typeof entry === 'string' ? scan(entry) : Promise.resolve({ path: entry.path, kind: 'unreadable', error: entry.error }));
      if (pending.length >= readAhead) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
  } finally {
    // A failed or abandoned scan must not leave rejections nobody awaits.
    for (const p of pending) p.catch(() => undefined);
  }
}
