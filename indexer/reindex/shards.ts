// Puts each story on its shard: on a network, the reindex sends a document, a partial update (a
// copy list) or a deletion to every instance that holds the shard its id hashes to
// (core/shards.ts), and to no other. Each document carries its shard number (`shard`, which the
// server filters on when it asks an instance for some of the shards it holds). An instance that
// stops answering is dropped when its shards have other replicas (replicas.ts). One Meilisearch
// is one shard: its sender is a plain DocumentSender.
import { MeilisearchApiError } from 'meilisearch';
import { shardOf } from '../../core/shards.js';
import type { Instance } from './instances.js';
import type { Replicas } from './replicas.js';
import { DocumentSender, expectSuccess, type SenderOptions } from './sender.js';

/** What the reindex sends documents through: a DocumentSender, or a ShardSender on a network. */
export interface Sender {
  /** Stories handed to Meilisearch so far (on a network: to every replica of their shards). */
  readonly sent: number;
  /** Stories indexed, as of the last poll() (on a network: by every replica of their shards). */
  readonly indexed: number;
  add(doc: { id: string }): Promise<void>;
  /** A document already serialized as one JSON object; `id` is its id (which places it). */
  addJson(json: string, id: string): Promise<void>;
  poll(): Promise<void>;
  enqueue(): Promise<void>;
  finish(): Promise<void>;
  cancel(): Promise<void>;
}

/** The sender for `indexUid` on the instances being written: one DocumentSender for one Meilisearch. */
export function senderFor(replicas: Replicas, indexUid: string, opts: SenderOptions = {}): Sender {
  if (replicas.shards === 1) {
    const only = replicas.writing[0]!;
    return new DocumentSender(only.client, only.client.index(indexUid), opts);
  }
  return new ShardSender(replicas, indexUid, opts);
}

/** `json` (one document's object) with its shard number as the first field. */
export function withShard(json: string, shard: number): string {
  return `{"shard":${shard},${json.slice(1)}`;
}

/**
 * One DocumentSender per instance, each story added to the senders of the instances that hold
 * its shard: each instance gets payloads of its own stories, as big as one Meilisearch would get
 * (batchBytes). Partial updates (merge) carry no shard: the document keeps the one it has.
 */
export class ShardSender implements Sender {
  readonly #replicas: Replicas;
  readonly #senders = new Map<Instance, DocumentSender>();
  readonly #merge: boolean;
  /** Stories added, and per instance the stories routed to it. */
  #added = 0;
  readonly #routed = new Map<Instance, number>();

  constructor(replicas: Replicas, indexUid: string, opts: SenderOptions = {}) {
    this.#replicas = replicas;
    this.#merge = opts.merge ?? false;
    for (const i of replicas.writing)
      this.#senders.set(i, new DocumentSender(i.client, i.client.index(indexUid), { ...opts, log: opts.log?.child({ instance: i.name }) }));
  }

  /** A story counts once its slowest replica has it (each instance's share, scaled to all stories). */
  #stories(count: (s: DocumentSender) => number): number {
    let share = 1;
    for (const [i, s] of this.#live()) share = Math.min(share, count(s) / Math.max(1, this.#routed.get(i) ?? 0));
    return Math.floor(this.#added * share);
  }

  /** The senders of the instances still written. */
  #live(): Array<[Instance, DocumentSender]> {
    return [...this.#senders].filter(([i]) => this.#replicas.writing.includes(i));
  }

  get sent(): number {
    return this.#stories((s) => s.sent);
  }

  get indexed(): number {
    return this.#stories((s) => s.indexed);
  }

  async add(doc: { id: string }): Promise<void> {
    await this.addJson(JSON.stringify(doc), doc.id);
  }

  async addJson(json: string, id: string): Promise<void> {
    const shard = shardOf(id, this.#replicas.shards);
    const placed = this.#merge ? json : withShard(json, shard);
    this.#added++;
    for (const [i, s] of this.#live()) {
      if (!i.shards.includes(shard)) continue;
      this.#routed.set(i, (this.#routed.get(i) ?? 0) + 1);
      try {
        await s.addJson(placed);
      } catch (err) {
        this.#replicas.lose(i, err);
      }
    }
  }

  /** `work` on every instance still written; one that stopped answering is dropped if it may be. */
  async #each(work: (s: DocumentSender) => Promise<void>): Promise<void> {
    const live = this.#live();
    const settled = await Promise.allSettled(live.map(([, s]) => work(s)));
    for (const [n, r] of settled.entries()) if (r.status === 'rejected') this.#replicas.lose(live[n]![0], r.reason);
  }

  poll(): Promise<void> {
    return this.#each((s) => s.poll());
  }

  enqueue(): Promise<void> {
    return this.#each((s) => s.enqueue());
  }

  finish(): Promise<void> {
    return this.#each((s) => s.finish());
  }

  async cancel(): Promise<void> {
    await Promise.all([...this.#senders.values()].map((s) => s.cancel()));
  }
}

/**
 * Enqueues the deletion of `ids` from `indexUid` on every instance that holds their shards,
 * without waiting; `wait()` resolves once every instance still written has deleted them and
 * fails on a failed task.
 */
export async function enqueueDeletions(replicas: Replicas, indexUid: string, ids: string[]): Promise<{ wait(): Promise<void> }> {
  const owned = new Map<Instance, string[]>();
  for (const id of ids) {
    const shard = shardOf(id, replicas.shards);
    for (const i of replicas.writing) if (i.shards.includes(shard)) owned.set(i, [...(owned.get(i) ?? []), id]);
  }
  const tasks: Array<{ i: Instance; uid: number }> = [];
  for (const [i, mine] of owned) {
    try {
      tasks.push({ i, uid: (await i.client.index(indexUid).deleteDocuments(mine)).taskUid });
    } catch (err) {
      replicas.lose(i, err);
    }
  }
  return {
    wait: async () => {
      const settled = await Promise.allSettled(tasks.map(({ i, uid }) => expectSuccess(i.client, uid)));
      for (const [n, r] of settled.entries()) if (r.status === 'rejected') replicas.lose(tasks[n]!.i, r.reason);
    },
  };
}

/** Ids read per instance to check that its stories belong to its shards (misplaced). */
export const PLACEMENT_SAMPLE = 1000;

/**
 * Why the stories of `indexUid` are not where their ids place them now, or undefined: the
 * instances were named in another order, or were more or fewer, when they were sent
 * (MEILI_INSTANCES changed). An incremental run would then add a second copy of a story on
 * another shard. Checks the first PLACEMENT_SAMPLE ids of each instance: after such a change,
 * nearly every instance holds stories of shards it no longer holds. (A change of MEILI_REPLICAS
 * alone leaves replicas with different counts, which the run finds too.)
 */
export async function misplaced(instances: readonly Instance[], indexUid: string, shards: number): Promise<string | undefined> {
  if (shards === 1) return undefined;
  for (const i of instances) {
    const page = await i.client
      .index(indexUid)
      .getDocuments<{ id: string; shard?: number }>({ fields: ['id', 'shard'], limit: PLACEMENT_SAMPLE })
      .catch((err: unknown) => {
        if (err instanceof MeilisearchApiError && err.cause?.code === 'index_not_found') return { results: [] };
        throw err;
      });
    const stray = page.results.find((d) => d.shard !== shardOf(d.id, shards) || !i.shards.includes(d.shard));
    if (stray)
      return `story ${stray.id} on ${i.name} belongs to another shard (MEILI_INSTANCES or MEILI_REPLICAS changed since it was sent)`;
  }
  return undefined;
}
