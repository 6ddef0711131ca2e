// Where a reindex's writes go: the one place that sends documents, deletions and copy lists to an
// index, on one Meilisearch or on every instance of a network. On a network each story goes to
// every replica of the shard its id places it on, and to no other instance (shards.ts);
// finish() waits for every write on every instance still written (replicas.ts).
import type { Logger } from '../../core/log.js';
import type { Replicas } from './replicas.js';
import { enqueueDeletions, senderFor, type Sender } from './shards.js';

export interface WriterOptions {
  /** Bytes per payload at most (sender.ts). */
  batchBytes?: number;
  /** Runs while waiting for Meilisearch and may throw to give up (a full disk). */
  watch?: () => void;
  log: Logger;
}

export class IndexWriter {
  readonly #replicas: Replicas;
  readonly #indexUid: string;
  readonly #opts: WriterOptions;
  readonly #documents: Sender;
  #copyLists: Sender | undefined;
  #deletions: Array<{ wait(): Promise<void> }> = [];

  constructor(target: { replicas: Replicas; indexUid: string }, opts: WriterOptions) {
    this.#replicas = target.replicas;
    this.#indexUid = target.indexUid;
    this.#opts = opts;
    this.#documents = this.#sender(false);
  }

  #sender(merge: boolean): Sender {
    return senderFor(this.#replicas, this.#indexUid, {
      batchBytes: this.#opts.batchBytes,
      watch: this.#opts.watch,
      merge,
      log: this.#opts.log,
    });
  }

  /** Stories handed to Meilisearch so far (on a network: to every replica of their shards). */
  get sent(): number {
    return this.#documents.sent;
  }

  /** Stories indexed, as of the last poll(). */
  get indexed(): number {
    return this.#documents.indexed;
  }

  /** A whole document, replacing any with its id. */
  add(doc: { id: string }): Promise<void> {
    return this.#documents.add(doc);
  }

  /** A whole document already serialized as one JSON object; `id` is its id (which places it). */
  addJson(json: string, id: string): Promise<void> {
    return this.#documents.addJson(json, id);
  }

  /** Fields to set on a document already sent (its copy list), leaving its other fields as they are. */
  merge(fields: { id: string }): Promise<void> {
    this.#copyLists ??= this.#sender(true);
    return this.#copyLists.add(fields);
  }

  /** Hands the documents added so far to Meilisearch without waiting for them to be indexed. */
  enqueue(): Promise<void> {
    return this.#documents.enqueue();
  }

  /** Checks how far Meilisearch is with the documents (sent, indexed); throws if a payload failed. */
  poll(): Promise<void> {
    return this.#documents.poll();
  }

  /** Enqueues the deletion of these documents where they live; finish() waits for it. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    this.#deletions.push(await enqueueDeletions(this.#replicas, this.#indexUid, ids));
  }

  /**
   * Sends what is left and waits until Meilisearch has done every write, in the order they were
   * enqueued: documents, deletions, then copy lists.
   */
  async finish(): Promise<void> {
    await this.#documents.finish();
    for (const deletion of this.#deletions) await deletion.wait();
    await this.#copyLists?.finish();
  }

  /** After a failure: cancels this writer's tasks that are still enqueued or processing. Never throws. */
  async cancel(): Promise<void> {
    await this.#documents.cancel();
    await this.#copyLists?.cancel();
  }
}
