// The rule that no run shrinks the archive by surprise. A run (full, incremental, with or without
// --prune) that would remove more than SHRINK_LIMIT of the live stories, or the stories of a root
// that is empty or cannot be read, or of a folder it could not list, is stopped before it touches
// the live index, unless the operator passes --allow-shrink.
import path from 'node:path';
import type { Logger } from '../../core/log.js';
import { isUnder } from '../walk.js';
import { ShrinkRefused, type ShrinkDetails } from './failed.js';
import type { RootSurvey } from './scan.js';

/**
 * The share of the live stories a run may remove without --allow-shrink. Archives grow; a run that
 * removes a tenth of them is a mistake (a folder left out, a disk not mounted) far more often
 * than a clean-up.
 */
export const SHRINK_LIMIT = 0.1;

export interface ShrinkCheck {
  /** Live stories before the run (documents in the live index). */
  liveStories: number;
  /** Ids of live stories the run would remove: neither a story nor a copy afterwards. */
  removed: string[];
  /** This run's roots, as surveyed before reading them. */
  roots: RootSurvey[];
  /** Paths under which the run could not see (folders it could not list, broken links). */
  unseen: string[];
  /** Files of the last run (path → document id), to tell where removed stories come from. */
  files?: Record<string, { id: string }>;
  /** Folders the live index is known to be built from, to name where removed stories lived. */
  knownRoots?: string[];
}

export interface Shrink {
  /** What would be removed and why that is refused, naming the flag that allows it. */
  message: string;
  /** "140 of 172 live stories (81.4%)". */
  extent: string;
  details: ShrinkDetails;
}

const EMPTY_ROOT = 'holds no article files (an unmounted disk?)';
/** Folders named in a message; the details list them all. */
const FOLDERS_SHOWN = 5;

/** The shrink this run would make, if it is one that needs --allow-shrink. */
export function findShrink(check: ShrinkCheck): Shrink | undefined {
  const { liveStories: live } = check;
  if (check.removed.length === 0 || live === 0) return undefined;
  const removed = new Set(check.removed);
  /** A file of each removed story that the last run knew. */
  const fileOf = new Map<string, string>();
  for (const [p, f] of Object.entries(check.files ?? {})) if (removed.has(f.id) && !fileOf.has(f.id)) fileOf.set(f.id, p);
  const storiesUnder = (dir: string) => [...fileOf.values()].filter((p) => isUnder(p, dir)).length;
  const extent = (n: number) => `${n} of ${live} live stories (${percent(n / live)})`;
  const refuse = (n: number, what: string, folders: ShrinkDetails['folders']): Shrink => ({
    message: `${what}; the live index is unchanged. If they should go, run again with --allow-shrink.`,
    extent: extent(n),
    details: { live, removed: n, share: n / live, folders },
  });

  for (const r of check.roots) {
    const problem = r.problem ? `cannot be read (${r.problem})` : r.files === 0 ? EMPTY_ROOT : undefined;
    const n = problem ? storiesUnder(r.root) : 0;
    if (n > 0)
      return refuse(n, `${r.root} ${problem}, and this run would remove the ${extent(n)} whose files were there`, [
        { path: r.root, stories: n, problem: problem! },
      ]);
  }
  for (const u of check.unseen) {
    const n = storiesUnder(u);
    if (n > 0)
      return refuse(n, `${u} could not be read, and this run would remove the ${extent(n)} whose files were there`, [
        { path: u, stories: n, problem: 'could not be read' },
      ]);
  }
  if (removed.size <= SHRINK_LIMIT * live) return undefined;
  const folders = byFolder([...fileOf.values()], [...(check.knownRoots ?? []), ...check.roots.map((r) => r.root)]);
  const unknown = removed.size - fileOf.size;
  if (unknown > 0) folders.push({ path: '(files not known to the saved state)', stories: unknown });
  const shown = folders.slice(0, FOLDERS_SHOWN).map((f) => `${f.stories} under ${f.path}`);
  if (folders.length > FOLDERS_SHOWN) shown.push(`and ${folders.length - FOLDERS_SHOWN} more folders`);
  return refuse(
    removed.size,
    `this run would remove ${extent(removed.size)}, more than the ${percent(SHRINK_LIMIT)} a run may remove: ${shown.join(', ')}`,
    folders,
  );
}

function percent(share: number): string {
  return `${Number((share * 100).toFixed(1))}%`;
}

/** Removed stories counted by the innermost root their file lies under (else its folder), most first. */
function byFolder(files: string[], roots: string[]): ShrinkDetails['folders'] {
  const counts = new Map<string, number>();
  const innermostFirst = [...roots].sort((a, b) => b.length - a.length);
  for (const f of files) {
    const folder = innermostFirst.find((r) => isUnder(f, r)) ?? path.dirname(f);
    counts.set(folder, (counts.get(folder) ?? 0) + 1);
  }
  return [...counts].map(([p, stories]) => ({ path: p, stories })).sort((a, b) => b.stories - a.stories || (a.path < b.path ? -1 : 1));
}

/**
 * Whether findShrink could refuse this run, before the last run's files are at hand: a full
 * reindex loads them (tens of MB on a big archive) only then.
 */
export function couldShrink(check: Pick<ShrinkCheck, 'liveStories' | 'removed' | 'roots' | 'unseen'>): boolean {
  if (check.removed.length === 0 || check.liveStories === 0) return false;
  return (
    check.removed.length > SHRINK_LIMIT * check.liveStories ||
    check.unseen.length > 0 ||
    check.roots.some((r) => r.problem !== undefined || r.files === 0)
  );
}

/**
 * Stops the run (ShrinkRefused) if it would shrink the live index more than it may; returns the
 * note for the summary when --allow-shrink let it.
 */
export function guardShrink(check: ShrinkCheck, opts: { allowShrink?: boolean; log: Logger }): string | undefined {
  const shrink = findShrink(check);
  if (!shrink) return undefined;
  if (!opts.allowShrink) throw new ShrinkRefused(shrink.message, shrink.details);
  opts.log.warn({ event: 'reindex.shrink_allowed', ...shrink.details }, shrink.message);
  return `--allow-shrink: this run removes ${shrink.extent}`;
}
