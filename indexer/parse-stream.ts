// Parses every article file under some paths, in walk order, reading a few files ahead so disk
// and CPU overlap. Shared by `tongwen parse` and the reindex. A second file with the same
// canonical URL (same id) is reported as a duplicate and yields no second document.
import { parseFile } from './parse-file.js';
import type { ParseResult } from '../core/schema.js';
import { walkArticleFiles } from './walk.js';

export interface ParseStreamOptions {
  /** Files read ahead of the parser. */
  readAhead?: number;
}

export async function* parseAll(roots: string[], opts: ParseStreamOptions = {}): AsyncGenerator<ParseResult> {
  const readAhead = opts.readAhead ?? 16;
  const firstPathOfId = new Map<string, string>();
  const pending: Array<Promise<ParseResult>> = [];
  const settle = async (): Promise<ParseResult> => {
    const result = await pending.shift()!;
    if (!result.ok) return result;
    const first = firstPathOfId.get(result.doc.id);
    if (first !== undefined) {
      return { ok: false, path: result.path, error: `duplicate: same canonical URL as ${first}` };
    }
    firstPathOfId.set(result.doc.id, result.path);
    return result;
  };
  for await (const entry of walkArticleFiles(roots)) {
    pending.push(
      typeof entry === 'string' ? parseFile(entry) : Promise.resolve({ ok: false as const, path: entry.path, error: entry.error }),
    );
    if (pending.length >= readAhead) yield await settle();
  }
  while (pending.length > 0) yield await settle();
}
