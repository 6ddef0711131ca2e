// Reads article files in walk order, a few ahead, and tells for each whether it changed since
// the last reindex (by content hash) and, if it did, what it parses to.
import { parseText, readArticleFile } from '../parse-file.js';
import type { ParseResult } from '../schema.js';
import { walkArticleFiles } from '../walk.js';
import { contentHash, type ReindexState } from './state.js';

export type ScannedFile =
  | { path: string; kind: 'unchanged'; hash: string; id: string }
  | { path: string; kind: 'parsed'; hash: string; result: ParseResult }
  | { path: string; kind: 'unreadable'; error: string };

export async function countArticleFiles(roots: string[]): Promise<number> {
  let n = 0;
  for await (const entry of walkArticleFiles(roots)) if (typeof entry === 'string') n++;
  return n;
}

export async function* scanFiles(roots: string[], previous: ReindexState | undefined, readAhead = 16): AsyncGenerator<ScannedFile> {
  const pending: Array<Promise<ScannedFile>> = [];
  const scan = async (path: string): Promise<ScannedFile> => {
    const read = await readArticleFile(path);
    if ('error' in read) return { path, kind: 'unreadable', error: read.error };
    const hash = contentHash(read.bytes);
    const known = previous?.files[path];
    if (known && known.hash === hash) return { path, kind: 'unchanged', hash, id: known.id };
    return { path, kind: 'parsed', hash, result: parseText(path, read.bytes) };
  };
  for await (const entry of walkArticleFiles(roots)) {
    pending.push(typeof entry === 'string' ? scan(entry) : Promise.resolve({ path: entry.path, kind: 'unreadable', error: entry.error }));
    if (pending.length >= readAhead) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}
