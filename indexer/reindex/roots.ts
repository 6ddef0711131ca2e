// The folders a live index is built from ("roots"), as the reindex state records them: the roots
// of the last full reindex and of every incremental run since. An incremental run whose state
// cannot be trusted rebuilds from all of them, never from only the ones it was given.
import path from 'node:path';
import { isUnder, walkArticleFiles } from '../walk.js';
import { ReindexFailed } from './failed.js';
import type { ReindexState } from './state.js';

/** Absolute, sorted, without duplicates or roots that lie inside another. */
export function normalizeRoots(roots: Iterable<string>): string[] {
  const sorted = [...new Set([...roots].map((r) => path.resolve(r)))].sort();
  return sorted.filter((r) => !sorted.some((other) => other !== r && isUnder(r, other)));
}

/**
 * The roots to record after an incremental run over `runRoots`: the state's plus this run's.
 * A state written before roots were recorded stands for its files: this run's roots plus the
 * folders of the files it lists outside them.
 */
export function rootsAfterIncremental(state: Pick<ReindexState, 'roots' | 'files'>, runRoots: string[]): string[] {
  if (state.roots) return normalizeRoots([...state.roots, ...runRoots]);
  const outside = Object.keys(state.files)
    .filter((p) => !runRoots.some((r) => isUnder(p, r)))
    .map((p) => path.dirname(p));
  return normalizeRoots([...runRoots, ...outside]);
}

/** Why a root cannot be rebuilt from (cannot be read, or holds no article file), or undefined. */
export async function rootProblem(root: string): Promise<string | undefined> {
  for await (const entry of walkArticleFiles([root])) {
    if (typeof entry === 'string') return undefined;
    if (entry.unseen && entry.path === root) return `cannot be read (${entry.error})`;
  }
  return 'holds no article files (an unmounted disk?)';
}

export interface RebuildInput {
  /** The roots the incremental run was given (absolute). */
  given: string[];
  /** The roots the state records, when they are known (a cut-off state may still name them). */
  recorded: string[] | undefined;
  /** Documents in the live index (0 when it is missing). */
  liveStories: number;
  /** Why the state cannot be trusted. */
  reason: string;
}

/**
 * The roots a full reindex reads in place of an incremental run that cannot trust its state,
 * with the note for the summary. A live index with stories is rebuilt from every root it is
 * known to be built from, all of which must be readable; otherwise the run stops (ReindexFailed)
 * and names the command that would rebuild it.
 */
export async function rebuildRoots(input: RebuildInput): Promise<{ roots: string[]; note: string }> {
  const { given, recorded, liveStories, reason } = input;
  const why = `the incremental run cannot trust its saved state (${reason})`;
  // Nothing to lose.
  if (liveStories === 0) return { roots: given, note: `incremental run replaced by a full reindex of the folders given: ${reason}` };
  if (!recorded) {
    throw new ReindexFailed(
      `${why}, and nothing records which folders the ${liveStories} live stories were read from, so a reindex of ${given.join(', ')} alone could drop the rest. ` +
        `The live index is unchanged. Run a full reindex of every folder of the archive: tongwen reindex <every folder>...`,
    );
  }
  const roots = normalizeRoots([...recorded, ...given]);
  const command = `tongwen reindex ${roots.map(shellWord).join(' ')}`;
  for (const root of recorded) {
    const problem = await rootProblem(root);
    if (problem) {
      throw new ReindexFailed(
        `${why}; rebuilding the live index (${liveStories} stories) needs every folder it was built from, and ${root} ${problem}. ` +
          `The live index is unchanged. Once that folder is back, run: ${command} (if its stories should go, a full reindex of the others with --allow-shrink)`,
      );
    }
  }
  return {
    roots,
    note: `incremental run replaced by a full reindex of every folder the live index was built from (${roots.join(', ')}): ${reason}`,
  };
}

/** A path as a shell word, for commands the operator is told to run. */
export function shellWord(p: string): string {
  return /^[\w@%+=:,./-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}
