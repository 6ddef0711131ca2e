// Puts each story on its shard: on a network, the reindex sends a document, a partial update (a
// copy list) or a deletion to every replica of the shard its id hashes to (core/shards.ts), and
// to no other instance. One Meilisearch is one shard: its sender is a plain DocumentSender.
import { byShard, shardOf } from '../../core/shards.js';
import type { Instance } from './instances.js';
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

/** The sender for `indexUid` on these instances: one DocumentSender for one Meilisearch. */
export function senderFor(instances: Instance[], indexUid: string, opts: SenderOptions = {}): Sender {
  if (instances.length === 1) return new DocumentSender(instances[0]!.client, instances[0]!.client.index(indexUid), opts);
  return new ShardSender(instances, indexUid, opts);
}

/**
 * One DocumentSender per instance, each story added to the senders of its shard's replicas: each
 * instance gets payloads of its own stories, as big as one Meilisearch would get (batchBytes).
 */
export class ShardSender implements Sender {
  /** By shard, then replica. */
  readonly #senders: DocumentSender[][];

  constructor(instances: Instance[], indexUid: string, opts: SenderOptions = {}) {
    this.#senders = byShard(instances).map((replicas) =>
      replicas.map((i) => new DocumentSender(i.client, i.client.index(indexUid), { ...opts, log: opts.log?.child({ instance: i.name }) })),
    );
  }

  /** A story counts once its slowest replica has it. */
  #stories(count: (s: DocumentSender) => number): number {
    return this.#senders.reduce((n, replicas) => n + Math.min(...replicas.map(count)), 0);
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
    for (const s of this.#senders[shardOf(id, this.#senders.length)]!) await s.addJson(json);
  }

  async #each(work: (s: DocumentSender) => Promise<void>): Promise<void> {
    await Promise.all(this.#senders.flat().map(work));
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

  cancel(): Promise<void> {
    return this.#each((s) => s.cancel());
  }
}

/**
 * Enqueues the deletion of `ids` from `indexUid` on every replica of their shards, without
 * waiting; `wait()` resolves once every instance has deleted them and fails on a failed task.
 */
export async function enqueueDeletions(instances: Instance[], indexUid: string, ids: string[]): Promise<{ wait(): Promise<void> }> {
  const shards = byShard(instances);
  const owned: string[][] = shards.map(() => []);
  for (const id of ids) owned[shardOf(id, shards.length)]!.push(id);
  const tasks = await Promise.all(
    shards.flatMap((replicas, k) =>
      owned[k]!.length === 0
        ? []
        : replicas.map(async (i) => ({ i, uid: (await i.client.index(indexUid).deleteDocuments(owned[k]!)).taskUid })),
    ),
  );
  return {
    wait: async () => {
      await Promise.all(tasks.map(({ i, uid }) => expectSuccess(i.client, uid)));
    },
  };
}

/** Ids read per instance to check that its stories belong to its shard (misplaced). */
export const PLACEMENT_SAMPLE = 1000;

/**
 * Why the stories of `indexUid` are not where their ids place them now, or undefined: the shards
 * were named in another order, or grouped otherwise, when they were sent (MEILI_INSTANCES or
 * MEILI_SHARDS changed). An incremental run would then add a second copy of a story on another
 * shard. Checks the first PLACEMENT_SAMPLE ids of each instance: after such a change, nearly
 * every story of an instance is elsewhere than it should be.
 */
export async function misplaced(instances: Instance[], indexUid: string): Promise<string | undefined> {
  if (instances.length === 1) return undefined;
  const shards = byShard(instances).length;
  for (const i of instances) {
    const page = await i.client.index(indexUid).getDocuments<{ id: string }>({ fields: ['id'], limit: PLACEMENT_SAMPLE });
    const stray = page.results.find((d) => shardOf(d.id, shards) !== i.shard);
    if (stray) return `story ${stray.id} on ${i.name} belongs to another shard (MEILI_INSTANCES or MEILI_SHARDS changed since it was sent)`;
  }
  return undefined;
}
