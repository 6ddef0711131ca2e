// Where a story lives on a network of Meilisearch instances. Tongwen places documents itself
// (Meilisearch's own sharding and replication are Enterprise Edition): a story's shard is chosen
// from its id alone, so the indexer can send it, update it and delete it there without asking,
// and every replica of that shard holds it. With N instances there are N shards, placed on a
// ring as Elasticsearch spreads replicas: shard k is held by instances k, k+1, …, k+R-1 (mod N,
// in the order of MEILI_INSTANCES), so each instance holds R shards in one index, and every
// document carries its shard number in the filterable field `shard`.
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

/**
 * The ring: for each of `instances` instances (in order), the shards it holds, ascending. Shard k
 * is held by instances k … k+replicas-1 (mod instances).
 */
export function ringPlacement(instances: number, replicas: number): number[][] {
  if (!Number.isInteger(instances) || instances < 1) throw new RangeError(`ringPlacement: ${instances} is not a number of instances`);
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > instances)
    throw new RangeError(`ringPlacement: ${replicas} replicas of ${instances} instances (1 to ${instances})`);
  return Array.from({ length: instances }, (_, i) =>
    Array.from({ length: replicas }, (_, j) => (i - j + instances) % instances).sort((a, b) => a - b),
  );
}

/** Anything that holds shards: an instance of MEILI_INSTANCES, a client of one. */
export interface HoldsShards {
  /** The shards it holds, as numbers in placement order (shardOf's results). */
  shards: readonly number[];
}

/** The number of shards the members hold between them (the highest shard number + 1). */
export function shardCount(members: readonly HoldsShards[]): number {
  return members.reduce((n, m) => Math.max(n, ...m.shards.map((s) => s + 1)), 0);
}

/** The replicas of each shard among `members`: `replicasOf(xs, n)[k]` hold shard k (maybe none). */
export function replicasOf<T extends HoldsShards>(members: readonly T[], shards: number): T[][] {
  const out: T[][] = Array.from({ length: shards }, () => []);
  for (const m of members) for (const s of m.shards) out[s]?.push(m);
  return out;
}

/**
 * A shard filter for a query sent to `holder` for `wanted` of its shards: none when it is asked
 * for every shard it holds (the filter would only cost time), else `shard IN [..]`.
 */
export function shardFilter(holder: HoldsShards, wanted: readonly number[]): string | undefined {
  if (holder.shards.every((s) => wanted.includes(s))) return undefined;
  return `shard IN [${[...wanted].sort((a, b) => a - b).join(', ')}]`;
}
