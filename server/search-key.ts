// The server searches with a search-only API key, never the master key: looked up (or created
// once) at start-up with the admin key, so a leaked server key can read but never write.
import type { Meilisearch } from 'meilisearch';

const DESCRIPTION = 'Tongwen server: search only';

export async function searchOnlyKey(admin: Meilisearch, indexName: string): Promise<string> {
  const { results } = await admin.getKeys({ limit: 1000 });
  const usable = results.find(
    (k) =>
      k.actions.length === 1 &&
      k.actions[0] === 'search' &&
      (k.indexes.includes('*') || k.indexes.includes(indexName)) &&
      (k.expiresAt === null || new Date(k.expiresAt).getTime() > Date.now() + 86_400_000),
  );
  if (usable) return usable.key;
  const created = await admin.createKey({ description: DESCRIPTION, actions: ['search'], indexes: [indexName], expiresAt: null });
  return created.key;
}
