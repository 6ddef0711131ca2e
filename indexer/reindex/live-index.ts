// What the live index holds, read before a run changes it: its document count (does the saved
// state still describe it?) and its ids (what would a full reindex remove?), on every instance.
import type { Index } from 'meilisearch';
import { MeilisearchApiError } from 'meilisearch';
import { shardCountsOn, storiesOn, type Instance } from './instances.js';

/** Stories of the live index; undefined if it is missing on any instance or replicas of a shard differ. */
export async function liveDocumentCount(instances: readonly Instance[], indexName: string, shards: number): Promise<number | undefined> {
  return storiesOn([...instances], await shardCountsOn([...instances], indexName, shards));
}

/** Ids of the live index's documents on all instances; none where it is missing. */
export async function liveIds(instances: readonly Instance[], indexName: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const i of instances) {
    try {
      for (const id of await allIds(i.client.index(indexName))) ids.add(id);
    } catch (err) {
      if (!(err instanceof MeilisearchApiError && err.cause?.code === 'index_not_found')) throw err;
    }
  }
  return ids;
}

async function allIds(index: Index): Promise<Set<string>> {
  const ids = new Set<string>();
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<{ id: string }>({ fields: ['id'], offset, limit: 1000 });
    for (const d of page.results) ids.add(d.id);
    if (page.results.length < 1000) break;
  }
  return ids;
}
