// Where a story lives on a network of Meilisearch instances. Tongwen places documents itself
// (Meilisearch's own sharding and replication are Enterprise Edition): a story's shard is chosen
// from its id alone, so the indexer can send it, update it and delete it there without asking,
// and every replica of that shard holds it.
import { createHash } from 'node:crypto';

/**
 * The shard of a story: the first four bytes of the SHA-256 of its id (UTF-8), read as an
 * unsigned big-endian integer, modulo the number of shards. Stable across runs, machines and
 * versions of Node; an operator can reproduce it with `printf %s "$id" | sha256sum`.
 */
export function shardOf(id: string, shards: number): number {
  if (!Number.isInteger(shards) || shards < 1) throw new RangeError(`shardOf: ${shards} is not a number of shards`);
  return createHash('sha256').update(id, 'utf8').digest().readUInt32BE(0) % shards;
}

/** Anything placed on a shard: an instance of MEILI_INSTANCES, a client of one. */
export interface OnShard {
  /** Index into the shards in placement order (shardOf's result). */
  shard: number;
}

/** The members of each shard, in placement order: `byShard(xs)[k]` are the replicas of shard k. */
export function byShard<T extends OnShard>(members: readonly T[]): T[][] {
  const count = members.reduce((n, m) => Math.max(n, m.shard + 1), 0);
  const shards: T[][] = Array.from({ length: count }, () => []);
  for (const m of members) shards[m.shard]!.push(m);
  const empty = shards.findIndex((s) => s.length === 0);
  if (empty >= 0) throw new Error(`shard ${empty} of ${count} has no instance`);
  return shards;
}
