// Parsing spread over worker threads, one per core: on a full reindex parsing is the part of
// the work Meilisearch cannot overlap (grouping copies needs every article first), so it is
// what makes a reindex slower than Meilisearch alone. Small runs parse on the main thread,
// where starting workers (OpenCC's dictionaries, about 0.25 s each) would cost more than it saves.
// On the workers each file has a time limit: one that runs past it is rejected with that reason
// and its worker replaced, so a hostile file costs the run seconds, not hours.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ParseFailed } from '../../core/schema.js';
import { prepareFile, type PreparedFile } from './prepare.js';

/** Below this many files, parse on the main thread. */
export const MIN_FILES_FOR_WORKERS = 200;

/**
 * Longest a worker may spend on one file. Parsing is linear in the file's size: real articles
 * take milliseconds, and the slowest 5 MB file measured (MAX_FILE_BYTES; 1.25 million short
 * Markdown paragraphs) about 15 s on a loaded 2-core machine.
 */
export const PARSE_TIME_LIMIT_MS = 60_000;

export function workerCount(files: number): number {
  return files < MIN_FILES_FOR_WORKERS ? 0 : os.availableParallelism();
}

export interface Parser {
  prepare(path: string, bytes: Uint8Array): Promise<PreparedFile>;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Per-file time limit on the workers (default PARSE_TIME_LIMIT_MS). */
  timeLimitMs?: number;
  /** The worker script (default parse-worker.js); it answers { seq, result } and first { ready }. */
  workerUrl?: URL;
}

export function createParser(workers: number, options: PoolOptions = {}): Parser {
  if (workers <= 0) {
    return { prepare: async (path, bytes) => prepareFile(path, bytes), close: async () => undefined };
  }
  return new ParsePool(
    workers,
    options.timeLimitMs ?? PARSE_TIME_LIMIT_MS,
    options.workerUrl ?? new URL('./parse-worker.js', import.meta.url),
  );
}

/** The rejection of a file that ran past the limit. */
export function overTimeLimit(path: string, limitMs: number): ParseFailed {
  return { ok: false, path, error: `parsing took longer than ${limitMs / 1000} s, the limit for one file: not a news article` };
}

interface Job {
  seq: number;
  path: string;
  bytes: Uint8Array;
  resolve: (p: PreparedFile) => void;
  reject: (e: Error) => void;
}

/** One worker and the file it is parsing: a worker takes one file at a time, so its clock is that file's. */
interface Slot {
  worker: Worker;
  ready: boolean;
  job?: Job;
  timer?: NodeJS.Timeout;
}

class ParsePool implements Parser {
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  /** Workers ended on purpose (over the limit, or closing): their exit is not a failure. */
  readonly #retired = new WeakSet<Worker>();
  #seq = 0;
  #failure: Error | undefined;
  #closing = false;

  readonly #size: number;
  readonly #limitMs: number;
  readonly #workerUrl: URL;

  constructor(size: number, limitMs: number, workerUrl: URL) {
    this.#size = size;
    this.#limitMs = limitMs;
    this.#workerUrl = workerUrl;
  }

  /** Workers start with the first file to parse: an incremental run over unchanged files needs none. */
  #start(): void {
    for (let i = 0; i < this.#size; i++) this.#slots.push(this.#spawn());
  }

  #spawn(): Slot {
    const worker = new Worker(this.#workerUrl);
    const slot: Slot = { worker, ready: false };
    worker.on('message', (msg: { ready: true } | { seq: number; result: PreparedFile }) => {
      if ('ready' in msg) slot.ready = true;
      else if (slot.job?.seq === msg.seq) this.#finish(slot)?.resolve(msg.result);
      this.#dispatch();
    });
    worker.on('error', (err) => this.#fail(new Error(`a parse worker failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.#closing && !this.#retired.has(worker))
        this.#fail(new Error(`a parse worker exited (code ${code}) before the reindex finished`));
    });
    return slot;
  }

  #finish(slot: Slot): Job | undefined {
    clearTimeout(slot.timer);
    const job = slot.job;
    slot.job = undefined;
    slot.timer = undefined;
    return job;
  }

  /** Hands queued files to idle workers; the clock starts when a worker gets the file, not before. */
  #dispatch(): void {
    for (const slot of this.#slots) {
      if (!slot.ready || slot.job || this.#queue.length === 0 || this.#failure) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      slot.timer = setTimeout(() => this.#overTime(slot), this.#limitMs);
      slot.worker.postMessage({ seq: job.seq, path: job.path, bytes: job.bytes });
    }
  }

  /** A synchronous parse cannot be interrupted: its worker is ended, and a fresh one takes its place. */
  #overTime(slot: Slot): void {
    const job = this.#finish(slot);
    if (!job) return;
    this.#retired.add(slot.worker);
    void slot.worker.terminate();
    const i = this.#slots.indexOf(slot);
    if (i >= 0 && !this.#closing) this.#slots[i] = this.#spawn();
    job.resolve(overTimeLimit(job.path, this.#limitMs));
  }

  #fail(err: Error): void {
    this.#failure ??= err;
    for (const slot of this.#slots) this.#finish(slot)?.reject(this.#failure);
    for (const job of this.#queue.splice(0)) job.reject(this.#failure);
  }

  prepare(path: string, bytes: Uint8Array): Promise<PreparedFile> {
    if (this.#closing) return Promise.reject(new Error('the parse workers are closed'));
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#slots.length === 0) this.#start();
    return new Promise<PreparedFile>((resolve, reject) => {
      this.#queue.push({ seq: this.#seq++, path, bytes, resolve, reject });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    this.#fail(new Error('the parse workers were closed with files still being parsed'));
  }
}
