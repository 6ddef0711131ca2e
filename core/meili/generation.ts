// Which instances of a network hold every write: each reindex run has a generation number, and
// each instance keeps the last generation it received whole in a small index of its own
// (META_INDEX, one document per live index: {id: <index>, generation}). The indexer raises it on
// every instance that received every write of a run; an instance that was down, or lost a write,
// keeps the older number and is stale: the server routes no shard to it (it never serves an
// answer a replica ahead of it would give otherwise), and the next reindex or `tongwen repair`
// rebuilds it from its replicas before it serves again. Checked on 1.21: the search-only key of
// the live index reads it when the key also names META_INDEX.
import { MeilisearchApiError, type Meilisearch } from 'meilisearch';

/** The index that holds the generations, on every instance of a network. */
export const META_INDEX = 'tongwen-meta';

interface GenerationDoc {
  id: string;
  generation: number;
}

/**
 * The generation of `indexName` on this instance: 0 when it has none (no run recorded one: a new
 * network, or a new, empty instance). `by`: the key the client holds, which decides the route:
 * the server's search-only key searches the meta index, the reindex key reads the document.
 */
export async function readGeneration(
  client: Meilisearch,
  indexName: string,
  by: 'search-key' | 'reindex-key',
  signal?: AbortSignal,
): Promise<number> {
  const index = client.index<GenerationDoc>(META_INDEX);
  try {
    const doc =
      by === 'search-key'
        ? (await index.search('', { limit: 1000, attributesToRetrieve: ['id', 'generation'] }, signal ? { signal } : undefined)).hits.find(
            (h) => h.id === indexName,
          )
        : await index.getDocument(indexName);
    return typeof doc?.generation === 'number' ? doc.generation : 0;
  } catch (err) {
    const code = err instanceof MeilisearchApiError ? err.cause?.code : undefined;
    if (code === 'index_not_found' || code === 'document_not_found') return 0;
    throw err;
  }
}

/** Records `generation` for `indexName` on this instance (the reindex key), and waits for it. */
export async function writeGeneration(client: Meilisearch, indexName: string, generation: number): Promise<void> {
  const task = await client
    .index<GenerationDoc>(META_INDEX)
    .addDocuments([{ id: indexName, generation }], { primaryKey: 'id' })
    .waitTask({ timeout: 60_000, interval: 100 });
  if (task.status !== 'succeeded')
    throw new Error(`recording generation ${generation} of ${indexName} failed: ${task.error?.message ?? task.status}`);
}
