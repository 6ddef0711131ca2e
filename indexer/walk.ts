// Finds article files (.md, .txt) under the given paths, recursively, in a stable order.
import fs from 'node:fs/promises';
import path from 'node:path';

const ARTICLE_FILE = /\.(?:md|txt)$/i;

export interface WalkProblem {
  path: string;
  error: string;
}

/** Yields file paths; paths that do not exist or cannot be listed are yielded as problems. */
export async function* walkArticleFiles(roots: string[]): AsyncGenerator<string | WalkProblem> {
  for (const root of roots) {
    let stat;
    try {
      stat = await fs.stat(root);
    } catch (err) {
      yield { path: root, error: `cannot read path (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
      continue;
    }
    if (stat.isFile()) yield root;
    else if (stat.isDirectory()) yield* walkDir(root);
    else yield { path: root, error: 'not a file or directory' };
  }
}

async function* walkDir(dir: string): AsyncGenerator<string | WalkProblem> {
  let entries;
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (err) {
    yield { path: dir, error: `cannot list directory (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walkDir(full);
    else if (entry.isFile() && ARTICLE_FILE.test(entry.name)) yield full;
  }
}
