// Finds article files (.md, .txt) under the given paths, recursively, in a stable order, and says
// a word about everything it does not read: folders it cannot list, and symbolic links that are
// broken, loop, lead outside the given paths or reach something already read.
//
// Symbolic links are followed only where they resolve inside one of the given paths (their real
// paths), and only after the plain tree: a file is read once, under its own path when it has one,
// and a directory cycle ends at the first folder seen twice.
import type { Dirent, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';

const ARTICLE_FILE = /\.(?:md|txt)$/i;

export interface WalkProblem {
  path: string;
  error: string;
  /**
   * What lies under `path` could not be seen (a folder that could not be listed, a broken link):
   * the files there are not known to be gone, so nothing may be concluded about them.
   */
  unseen?: true;
}

/** Yields file paths; paths that cannot be read or are not read are yielded as problems. */
export async function* walkArticleFiles(roots: string[]): AsyncGenerator<string | WalkProblem> {
  const walk = new Walk(roots, await realPaths(roots));
  for (const root of roots) yield* walk.root(root);
  yield* walk.links();
}

/** Whether `p` is `dir` or lies under it (plain path comparison). */
export function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);
}

async function realPaths(roots: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await fs.realpath(root));
    } catch {
      // reported when the root is walked
    }
  }
  return out;
}

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? 'error';

class Walk {
  /** Real path of every folder read → the path it was read under. */
  readonly #folders = new Map<string, string>();
  /** Real path of every article file yielded → the path it was yielded under. */
  readonly #files = new Map<string, string>();
  /** Symbolic links met so far, followed once the plain tree is done. */
  readonly #links: string[] = [];

  constructor(
    readonly roots: string[],
    readonly realRoots: string[],
  ) {}

  async *root(root: string): AsyncGenerator<string | WalkProblem> {
    let stat: Stats;
    let real: string;
    try {
      stat = await fs.stat(root);
      real = await fs.realpath(root);
    } catch (err) {
      yield { path: root, error: `cannot read path (${code(err)})`, unseen: true };
      return;
    }
    if (stat.isFile()) yield* this.file(root, real);
    else if (stat.isDirectory()) yield* this.folder(root, real);
    else yield { path: root, error: 'not a file or directory' };
  }

  async *links(): AsyncGenerator<string | WalkProblem> {
    // Following a link may meet more links; they join the queue.
    for (let i = 0; i < this.#links.length; i++) yield* this.link(this.#links[i]!);
  }

  async *folder(dir: string, real: string, via?: string): AsyncGenerator<string | WalkProblem> {
    const first = this.#folders.get(real);
    if (first !== undefined) {
      yield { path: dir, error: `${via ?? 'folder'} already read${first === real ? '' : ` as ${first}`} (a folder is read once)` };
      return;
    }
    this.#folders.set(real, dir);
    let entries: Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (err) {
      yield { path: dir, error: `cannot list directory (${code(err)})`, unseen: true };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) yield* this.folder(full, path.join(real, entry.name));
      else if (entry.isSymbolicLink()) this.#links.push(full);
      else if (!ARTICLE_FILE.test(entry.name)) continue;
      else if (entry.isFile()) yield* this.file(full, path.join(real, entry.name));
      else yield { path: full, error: 'not a regular file' };
    }
  }

  *file(file: string, real: string, via?: string): Generator<string | WalkProblem> {
    const first = this.#files.get(real);
    if (first !== undefined) {
      yield { path: file, error: `${via ?? 'file'} already read${first === real ? '' : ` as ${first}`} (a file is read once)` };
      return;
    }
    this.#files.set(real, file);
    yield file;
  }

  async *link(link: string): AsyncGenerator<string | WalkProblem> {
    // A link given as a root was walked as that root.
    if (this.roots.includes(link)) return;
    let target: string;
    let stat: Stats;
    try {
      target = await fs.realpath(link);
      stat = await fs.stat(target);
    } catch (err) {
      const c = code(err);
      const dest = await fs.readlink(link).catch(() => '?');
      const why =
        c === 'ELOOP' ? 'is a loop of symbolic links' : c === 'ENOENT' ? 'is broken (nothing there)' : `cannot be followed (${c})`;
      yield { path: link, error: `symbolic link to ${dest} ${why}`, unseen: true };
      return;
    }
    // Like any other entry: only folders and article files are read.
    if (!stat.isDirectory() && !(stat.isFile() && ARTICLE_FILE.test(link))) return;
    if (!this.realRoots.some((r) => isUnder(target, r))) {
      yield { path: link, error: `symbolic link to ${target}, outside the folders being indexed (${this.roots.join(', ')})` };
      return;
    }
    const via = `symbolic link to ${target}, a ${stat.isDirectory() ? 'folder' : 'file'}`;
    if (stat.isDirectory()) yield* this.folder(link, target, via);
    else yield* this.file(link, target, via);
  }
}
