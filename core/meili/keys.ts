// The API keys Tongwen works with, each with the least rights its user needs. The master key
// only ever looks them up (or creates them once); it is never used for the work itself.
//   server:  search, and reading the live index's metadata (its updatedAt tells the server's
//            cache of verified long phrases that a reindex changed the index), on the live index
//            and on the generations of a network (generation.ts META_INDEX);
//   reindex: documents, indexes, settings, tasks and stats on every index (the build indexes
//            have fresh names, and an index swap is a task no single-index key can see), but no
//            /keys, dumps or snapshots.
import type { Meilisearch } from 'meilisearch';
import { META_INDEX } from './generation.js';

interface KeySpec {
  description: string;
  actions: string[];
  indexes: string[];
}

const DAY_MS = 86_400_000;

/** The key of a live, non-expiring-soon key with exactly these rights, created if there is none. */
export async function ensureKey(master: Meilisearch, spec: KeySpec): Promise<string> {
  const { results } = await master.getKeys({ limit: 1000 });
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const usable = results.find(
    (k) =>
      same(k.actions, spec.actions) &&
      same(k.indexes, spec.indexes) &&
      (k.expiresAt === null || new Date(k.expiresAt).getTime() > Date.now() + DAY_MS),
  );
  if (usable) return usable.key;
  return (await master.createKey({ ...spec, expiresAt: null })).key;
}

export const REINDEX_ACTIONS = ['documents.*', 'indexes.*', 'settings.*', 'tasks.get', 'tasks.cancel', 'stats.get'];

export function reindexKey(master: Meilisearch): Promise<string> {
  return ensureKey(master, { description: 'Tongwen reindex: index admin, no key management', actions: REINDEX_ACTIONS, indexes: ['*'] });
}

/** What the server's key may do: nothing that writes. */
export const SERVER_ACTIONS = ['search', 'indexes.get'];

/**
 * The server's key: searching the live index and reading its metadata (GET /indexes/<uid>), and
 * reading which generation of it an instance of a network holds, is all it can do, so a leak
 * cannot write.
 */
export function searchOnlyKey(master: Meilisearch, indexName: string): Promise<string> {
  return ensureKey(master, { description: 'Tongwen server: search only', actions: SERVER_ACTIONS, indexes: [indexName, META_INDEX] });
}
