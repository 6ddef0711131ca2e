// Sends documents to a Meilisearch index in payloads bounded by bytes (Meilisearch refuses
// payloads over 100 MB), without waiting for indexing between them, so Meilisearch finds the
// rest enqueued and indexes them as one batch. finish() waits for every task and fails on the
// first failed one.
import type { Index, Meilisearch, Task } from 'meilisearch';
import type { Logger } from '../../core/log.js';

/**
 * Each Meilisearch batch has a large fixed cost (on the quick benchmark corpus, 1,505 documents
 * took 13.4 s as one batch and 15.2–17.7 s as two), so payloads are big: the first one is
 * indexed alone while the others queue up behind it.
 */
export const DEFAULT_BATCH_BYTES = 32 * 1024 * 1024;
/** Enqueue requests in flight at once: enough to keep Meilisearch busy, bounded memory. */
const MAX_IN_FLIGHT = 2;
const TASK_TIMEOUT_MS = 6 * 3600_000;

export class TaskFailed extends Error {
  override name = 'TaskFailed';
  constructor(readonly task: Task) {
    super(
      `Meilisearch task ${task.uid} (${task.type} on ${task.indexUid}) ${task.status}: ${task.error?.message ?? 'no error message'}${task.error?.code ? ` [${task.error.code}]` : ''}`,
    );
  }
}

export interface SenderOptions {
  /** Bytes per payload at most (DEFAULT_BATCH_BYTES). */
  batchBytes?: number;
  /** Runs while waiting for Meilisearch and may throw to give up (a full disk). */
  watch?: () => void;
  /** Documents are partial and update the fields they hold (PUT) instead of replacing (POST). */
  merge?: boolean;
  /** Each payload Meilisearch accepted is logged at debug level (reindex.payload_enqueued). */
  log?: Logger;
}

export class DocumentSender {
  readonly #client: Meilisearch;
  readonly #index: Index;
  readonly #batchBytes: number;
  readonly #watch: (() => void) | undefined;
  #parts: string[] = [];
  #bytes = 2;
  #inFlight: Array<Promise<void>> = [];
  #tasks: Array<{ uid: number; documents: number }> = [];
  #sent = 0;
  #indexed = 0;
  #checked = 0;
  #error: unknown;

  readonly #merge: boolean;
  readonly #log: Logger | undefined;

  constructor(client: Meilisearch, index: Index, opts: SenderOptions = {}) {
    this.#client = client;
    this.#index = index;
    this.#batchBytes = opts.batchBytes ?? DEFAULT_BATCH_BYTES;
    this.#watch = opts.watch;
    this.#merge = opts.merge ?? false;
    this.#log = opts.log;
  }

  /** Documents handed to Meilisearch so far. */
  get sent(): number {
    return this.#sent;
  }

  /** Documents whose tasks have succeeded, as of the last poll(). */
  get indexed(): number {
    return this.#indexed;
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }

  async add(doc: object): Promise<void> {
    await this.addJson(JSON.stringify(doc));
  }

  /** A document already serialized as one JSON object. */
  async addJson(json: string): Promise<void> {
    this.#throwIfFailed();
    const size = Buffer.byteLength(json) + 1;
    if (this.#parts.length > 0 && this.#bytes + size > this.#batchBytes) await this.#flush();
    this.#parts.push(json);
    this.#bytes += size;
  }

  async #flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    this.#watch?.();
    const body = `[${this.#parts.join(',')}]`;
    const documents = this.#parts.length;
    this.#parts = [];
    this.#bytes = 2;
    while (this.#inFlight.length >= MAX_IN_FLIGHT) await Promise.race(this.#inFlight);
    const enqueue = this.#merge
      ? this.#index.updateDocumentsFromString(body, 'application/json', { primaryKey: 'id' })
      : this.#index.addDocumentsFromString(body, 'application/json', { primaryKey: 'id' });
    const request = enqueue
      .then((task) => {
        this.#tasks.push({ uid: task.taskUid, documents });
        this.#sent += documents;
        this.#log?.debug({ event: 'reindex.payload_enqueued', index: this.#index.uid, task: task.taskUid, documents });
      })
      .catch((err: unknown) => {
        // Kept and rethrown by the next add()/finish(), so it is never an unhandled rejection.
        this.#error ??= err;
      })
      .finally(() => {
        this.#inFlight = this.#inFlight.filter((p) => p !== request);
      });
    this.#inFlight.push(request);
  }

  #polling: Promise<void> | undefined;

  /** Checks finished tasks in order; throws TaskFailed for a failed one. One poll at a time. */
  poll(): Promise<void> {
    this.#polling ??= this.#poll().finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  async #poll(): Promise<void> {
    while (this.#checked < this.#tasks.length) {
      const { uid, documents } = this.#tasks[this.#checked]!;
      const task = await this.#client.tasks.getTask(uid);
      if (task.status === 'enqueued' || task.status === 'processing') return;
      if (task.status !== 'succeeded') throw new TaskFailed(task);
      this.#indexed += documents;
      this.#checked++;
    }
  }

  /** Hands the documents added so far to Meilisearch without waiting for them to be indexed. */
  async enqueue(): Promise<void> {
    await this.#flush();
    await Promise.all(this.#inFlight);
    this.#throwIfFailed();
  }

  /** Sends the last batch and waits until Meilisearch has indexed everything. */
  async finish(): Promise<void> {
    await this.#flush();
    await Promise.all(this.#inFlight);
    this.#throwIfFailed();
    const deadline = Date.now() + TASK_TIMEOUT_MS;
    for (;;) {
      this.#watch?.();
      await this.poll();
      if (this.#checked === this.#tasks.length) return;
      if (Date.now() > deadline) throw new Error(`Meilisearch has not finished indexing after ${TASK_TIMEOUT_MS / 3600_000} hours`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * Cancels this sender's tasks that are still enqueued or processing, without waiting: after a
   * failure, and because Meilisearch on a full disk retries a task forever. Never throws.
   */
  async cancel(): Promise<void> {
    if (this.#tasks.length === 0) return;
    await this.#client.tasks
      .cancelTasks({ uids: this.#tasks.map((t) => t.uid), statuses: ['enqueued', 'processing'] })
      .catch(() => undefined);
  }
}

/** Waits for one enqueued write and checks it succeeded. */
export async function expectSuccess(client: Meilisearch, taskUid: number, timeout = TASK_TIMEOUT_MS): Promise<Task> {
  const task = await client.tasks.waitForTask(taskUid, { timeout, interval: 100 });
  if (task.status !== 'succeeded') throw new TaskFailed(task);
  return task;
}
