// Where a reindex's writes go: the one place that sends documents, deletions and copy lists to an
// index, on one Meilisearch or on every instance of a network. Documents and deletions go to the
// first instance, and Meilisearch's sharding forwards each share to its instance; finish() waits
// for every write, the forwarded ones included (they are the other instances' tasks).
import type { Logger } from '../../core/log.js';
import { latestTasks, settle, type Instance } from './instances.js';
import { DocumentSender, expectSuccess } from './sender.js';

export interface WriterOptions {
  /** Bytes per payload at most (sender.ts). */
  batchBytes?: number;
  /** Runs while waiting for Meilisearch and may throw to give up (a full disk). */
  watch?: () => void;
  log: Logger;
}

export class IndexWriter {
  readonly #instances: Instance[];
  readonly #indexUid: string;
  readonly #opts: WriterOptions;
  /** Each instance's newest task before this writer: later failed tasks on the index are ours. */
  readonly #after: number[];
  readonly #documents: DocumentSender;
  #copyLists: DocumentSender | undefined;
  #deletions: number[] = [];

  /** `after`: each instance's newest task uid before the writes (latestTasks in instances.ts). */
  constructor(target: { instances: Instance[]; indexUid: string; after: number[] }, opts: WriterOptions) {
    this.#instances = target.instances;
    this.#indexUid = target.indexUid;
    this.#after = target.after;
    this.#opts = opts;
    this.#documents = this.#sender(false);
  }

  /** A writer to `indexUid` on `instances`, counting their tasks from now. */
  static async open(instances: Instance[], indexUid: string, opts: WriterOptions): Promise<IndexWriter> {
    return new IndexWriter({ instances, indexUid, after: await latestTasks(instances) }, opts);
  }

  #sender(merge: boolean): DocumentSender {
    const { client } = this.#instances[0]!;
    return new DocumentSender(client, client.index(this.#indexUid), { batchBytes: this.#opts.batchBytes, watch: this.#opts.watch, merge, log: this.#opts.log });
  }

  /** Documents handed to Meilisearch so far. */
  get sent(): number {
    return this.#documents.sent;
  }

  /** Documents indexed, as of the last poll(). */
  get indexed(): number {
    return this.#documents.indexed;
  }

  /** A whole document, replacing any with its id. */
  add(doc: object): Promise<void> {
    return this.#documents.add(doc);
  }

  /** A whole document already serialized as one JSON object. */
  addJson(json: string): Promise<void> {
    return this.#documents.addJson(json);
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

  /** Enqueues the deletion of these documents; finish() waits for it. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    const { client } = this.#instances[0]!;
    this.#deletions.push((await client.index(this.#indexUid).deleteDocuments(ids)).taskUid);
  }

  /**
   * Sends what is left and waits until Meilisearch has done every write, in the order they were
   * enqueued: documents, deletions, copy lists, then what the first instance forwarded.
   */
  async finish(): Promise<void> {
    const { client } = this.#instances[0]!;
    await this.#documents.finish();
    for (const task of this.#deletions) await expectSuccess(client, task);
    await this.#copyLists?.finish();
    if (this.#instances.length > 1) await settle(this.#instances, this.#indexUid, this.#after, this.#opts.watch);
  }

  /** After a failure: cancels this writer's tasks that are still enqueued or processing. Never throws. */
  async cancel(): Promise<void> {
    await this.#documents.cancel();
    await this.#copyLists?.cancel();
  }
}
