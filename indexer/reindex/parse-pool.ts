// Parsing spread over worker threads, one per core: on a full reindex parsing is the part of
// the work Meilisearch cannot overlap (grouping copies needs every article first), so it is
// what makes a reindex slower than Meilisearch alone. Small runs parse on the main thread,
// where starting workers (OpenCC's dictionaries, about 0.25 s each) would cost more than it saves.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { prepareFile, type Prepared } from './prepare.js';

/** Below this many files, parse on the main thread. */
export const MIN_FILES_FOR_WORKERS = 200;

export function workerCount(files: number): number {
  return files < MIN_FILES_FOR_WORKERS ? 0 : os.availableParallelism();
}

export interface Parser {
  prepare(path: string, bytes: Uint8Array): Promise<Prepared>;
  close(): Promise<void>;
}

export function createParser(workers: number): Parser {
  if (workers <= 0) {
    return { prepare: async (path, bytes) => prepareFile(path, bytes), close: async () => undefined };
  }
  return new ParsePool(workers);
}

type Waiter = { resolve: (p: Prepared) => void; reject: (e: Error) => void };

class ParsePool implements Parser {
  readonly #workers: Worker[] = [];
  readonly #waiting = new Map<number, Waiter>();
  #seq = 0;
  #failure: Error | undefined;
  #closing = false;

  readonly #size: number;

  constructor(size: number) {
    this.#size = size;
  }

  /** Workers start with the first file to parse: an incremental run over unchanged files needs none. */
  #start(): void {
    for (let i = 0; i < this.#size; i++) {
      const worker = new Worker(new URL('./parse-worker.js', import.meta.url));
      worker.on('message', ({ seq, result }: { seq: number; result: Prepared }) => {
        this.#waiting.get(seq)?.resolve(result);
        this.#waiting.delete(seq);
      });
      worker.on('error', (err) => this.#fail(new Error(`a parse worker failed: ${err.message}`)));
      worker.on('exit', (code) => {
        if (!this.#closing) this.#fail(new Error(`a parse worker exited (code ${code}) before the reindex finished`));
      });
      this.#workers.push(worker);
    }
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const w of this.#waiting.values()) w.reject(this.#failure);
    this.#waiting.clear();
  }

  prepare(path: string, bytes: Uint8Array): Promise<Prepared> {
    if (this.#closing) return Promise.reject(new Error('the parse workers are closed'));
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#workers.length === 0) this.#start();
    const seq = this.#seq++;
    return new Promise<Prepared>((resolve, reject) => {
      this.#waiting.set(seq, { resolve, reject });
      this.#workers[seq % this.#workers.length]!.postMessage({ seq, path, bytes });
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#fail(new Error('the parse workers were closed with files still being parsed'));
  }
}
