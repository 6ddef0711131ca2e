// The instances a reindex writes to: one Meilisearch, or the instances of a network that are up
// and up to date. Index creation, settings and swaps go to each; each story goes to every
// instance that holds its shard (shards.ts), so a shard's replicas hold the same documents and
// the stories are the sum over shards of one replica's count each.
import { MeilisearchApiError, type Meilisearch } from 'meilisearch';

export interface Instance {
  name: string;
  client: Meilisearch;
  /** The shards it holds (core/shards.ts ringPlacement); [0] for one Meilisearch. */
  shards: number[];
  /** The same instance with a short timeout: does it answer at all (catch-up.ts)? */
  quick?: Meilisearch;
}

/** Documents of each shard an instance holds, by shard number; undefined where they cannot be counted. */
export type ShardCounts = Map<number, number> | undefined;

/**
 * The documents of each shard on each instance, in order (only the shards it holds). Undefined
 * for an instance without the index, or whose documents carry no filterable `shard` (an index
 * built by an older version: only a full reindex places its stories). One Meilisearch (one
 * shard) is counted whole.
 */
export async function shardCountsOn(instances: Instance[], indexUid: string, shards: number): Promise<ShardCounts[]> {
  return Promise.all(
    instances.map(async ({ client, shards: held }) => {
      const index = client.index(indexUid);
      try {
        if (shards === 1) return new Map([[0, (await index.getStats()).numberOfDocuments]]);
        const counts = await Promise.all(held.map(async (k) => (await index.getDocuments({ filter: `shard = ${k}`, limit: 0 })).total));
        return new Map(held.map((k, n) => [k, counts[n]!]));
      } catch (err) {
        const code = err instanceof MeilisearchApiError ? err.cause?.code : undefined;
        if (code === 'index_not_found' || code === 'invalid_document_filter') return undefined;
        throw err;
      }
    }),
  );
}

/** "ms0 (0: 58, 2: 57) + ms1 (…)", for messages. */
export function perInstance(instances: Instance[], counts: ShardCounts[]): string {
  return instances
    .map((i, n) => {
      const c = counts[n];
      return `${i.name} ${c ? `(${[...c].map(([k, d]) => `shard ${k}: ${d}`).join(', ')})` : 'no index'}`;
    })
    .join(' + ');
}

/**
 * Stories in `indexUid` from per-shard counts (shardCountsOn): the sum over the shards these
 * instances hold of each shard's count, when every replica of a shard holds the same number;
 * undefined when one of them has no index or replicas disagree (a replica missed writes).
 */
export function storiesOn(instances: Instance[], counts: ShardCounts[]): number | undefined {
  const byShard = new Map<number, number>();
  for (const [n, i] of instances.entries()) {
    const c = counts[n];
    if (c === undefined) return undefined;
    for (const k of i.shards) {
      const count = c.get(k);
      if (count === undefined || (byShard.has(k) && byShard.get(k) !== count)) return undefined;
      byShard.set(k, count);
    }
  }
  return [...byShard.values()].reduce((a, b) => a + b, 0);
}
