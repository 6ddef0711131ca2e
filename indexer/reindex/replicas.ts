// The instances a reindex run writes to, and those it lost on the way. On a network every
// instance that holds a shard gets its writes; one that stops answering during the run is
// dropped (it is then stale: catch-up.ts) as long as each of its shards still has a replica
// being written, so the run goes on and loses nothing. When a shard has none left the run
// stops. One Meilisearch has no replica: any failure stops the run, as it always did.
import { MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch';
import type { Logger } from '../../core/log.js';
import { replicasOf } from '../../core/shards.js';
import { ReindexFailed } from './failed.js';
import type { Instance } from './instances.js';

/** The client could not reach the instance, or it did not answer in time (rather than answering with an error). */
export function unreachable(err: unknown): boolean {
  return err instanceof MeilisearchRequestError || err instanceof MeilisearchRequestTimeOutError;
}

/** The shards (of `shards`) that none of `instances` holds. */
export function shardsWithoutReplica(instances: readonly Instance[], shards: number): number[] {
  return replicasOf(instances, shards).flatMap((holders, k) => (holders.length === 0 ? [k] : []));
}

export class Replicas {
  #writing: Instance[];
  readonly #log: Logger | undefined;
  /** Instances dropped during the run, with why. */
  readonly lost: Array<{ instance: string; reason: string }> = [];

  /** The shards the instances written hold at the start: each must keep a replica. */
  readonly #held: Set<number>;

  /**
   * `writing`: the instances this run writes to (catch-up.ts checked that they hold every
   * shard); `shards`: the network's number of shards (1 for one Meilisearch).
   */
  constructor(
    writing: Instance[],
    readonly shards: number,
    log?: Logger,
  ) {
    this.#writing = [...writing];
    this.#log = log;
    this.#held = new Set(writing.flatMap((i) => i.shards));
  }

  /** The instances still being written, in the order of MEILI_INSTANCES. */
  get writing(): readonly Instance[] {
    return this.#writing;
  }

  /**
   * Asks each instance written whether it answers (its short-timeout client), and drops those
   * that do not, as lose() does: before the writes of a run, an instance stopped since the run
   * began costs a short wait rather than a write request's timeout.
   */
  async check(): Promise<void> {
    const writing = [...this.#writing];
    const answers = await Promise.allSettled(writing.map((i) => (i.quick ?? i.client).health()));
    for (const [n, a] of answers.entries()) if (a.status === 'rejected') this.lose(writing[n]!, a.reason);
  }

  /**
   * `err` came from writing to `instance`: rethrown unless the instance stopped answering and
   * every shard it holds has another replica being written; then the instance is dropped from
   * the run (lost, so stale afterwards) and the run goes on.
   */
  lose(instance: Instance, err: unknown): void {
    if (!this.#writing.includes(instance)) return;
    const rest = this.#writing.filter((i) => i !== instance);
    // One Meilisearch, or the last instance written: nothing goes on without it.
    if (this.shards === 1 || rest.length === 0 || !unreachable(err)) throw err;
    const orphans = shardsWithoutReplica(rest, this.shards).filter((k) => this.#held.has(k));
    if (orphans.length > 0)
      throw new ReindexFailed(`${instance.name} stopped answering (${(err as Error).message}): ${withoutReplica(orphans)}`, {
        cause: err,
      });
    this.#writing = rest;
    this.lost.push({ instance: instance.name, reason: (err as Error).message });
    this.#log?.warn(
      { event: 'reindex.replica_lost', instance: instance.name, reason: (err as Error).message },
      'an instance stopped answering; the run goes on with its replicas, and it is stale until repaired',
    );
  }
}

function withoutReplica(shards: number[]): string {
  return `${shards.length === 1 ? 'shard' : 'shards'} ${shards.join(', ')} would have no replica up to date (MEILI_REPLICAS); bring the instances back and run it again`;
}
