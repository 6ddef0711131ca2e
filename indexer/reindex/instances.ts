// The instances a reindex writes to: one Meilisearch, or every instance of a network. Index
// creation, settings and swaps go to each; each story goes to every replica of its shard
// (shards.ts), so a shard's replicas hold the same documents and the stories are the sum over
// shards of one replica each.
import { MeilisearchApiError, type Meilisearch } from 'meilisearch';
import { byShard } from '../../core/shards.js';

export interface Instance {
  name: string;
  client: Meilisearch;
  /** Its shard in placement order (core/shards.ts); 0 for one Meilisearch. */
  shard: number;
}

/**
 * Documents in `indexUid` on each instance, in order; undefined where the index does not exist.
 */
export async function documentsOn(instances: Instance[], indexUid: string): Promise<Array<number | undefined>> {
  return Promise.all(
    instances.map(async ({ client }) => {
      try {
        return (await client.index(indexUid).getStats()).numberOfDocuments;
      } catch (err) {
        if (err instanceof MeilisearchApiError && err.cause?.code === 'index_not_found') return undefined;
        throw err;
      }
    }),
  );
}

/** "ms0 1,204 + ms1 1,190 + …", for messages. */
export function perInstance(instances: Instance[], counts: Array<number | undefined>): string {
  return instances.map((i, n) => `${i.name} ${counts[n] ?? 'no index'}`).join(' + ');
}

/**
 * Stories in `indexUid` from per-instance counts (documentsOn): the sum over shards of each
 * shard's count, when every replica of a shard holds the same number; undefined when one of them
 * has no index or replicas disagree (a replica missed writes: only a full reindex makes it whole).
 */
export function storiesOn(instances: Instance[], counts: Array<number | undefined>): number | undefined {
  let total = 0;
  for (const replicas of byShard(instances.map((i, n) => ({ shard: i.shard, count: counts[n] })))) {
    const count = replicas[0]!.count;
    if (count === undefined || replicas.some((r) => r.count !== count)) return undefined;
    total += count;
  }
  return total;
}
