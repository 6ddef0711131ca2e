// Whether a full reindex sends stories to Meilisearch while it parses (streaming) or only once
// the stories are known (holding). Streaming pays on a big corpus: Meilisearch indexes while the
// files are parsed. But each payload becomes a batch, and a batch has a fixed cost (merging into
// the index built so far), so on a small corpus one batch after parsing is faster.
//
// The contract: stories come in as they fall due (provisional.ts), with their sizes, and are held
// until the first FIRST_PAYLOAD_BYTES of them (or one whole payload, if smaller) are due. Then the
// decision is taken, once: stream if at most half the files are scanned and the documents
// projected for the whole corpus fill two payloads or more; the held stories then go at once, as
// the first payload, so Meilisearch starts early, and every later story as it falls due.
// Otherwise (holding), the held stories and every later one are withdrawn, and sent with the rest
// after grouping. If the first payload is never complete, the scan ends undecided and the held
// stories are withdrawn too. Plain data in, plain actions out: no I/O.
import type { ScanProgress } from './first-pass.js';

/** The first payload of a streaming full reindex: small, so that Meilisearch starts early. */
export const FIRST_PAYLOAD_BYTES = 4 * 1024 * 1024;

export type StreamMode = 'undecided' | 'streaming' | 'holding';

/** A story that fell due: its document's id and size in bytes. */
export interface DueStory {
  id: string;
  bytes: number;
}

/** What to do with the stories that fell due. */
export interface StreamStep {
  /** Send these now, in this order. */
  send: string[];
  /** Hand what was sent to Meilisearch now (the first payload), rather than when a payload fills. */
  enqueue: boolean;
  /** These are not sent after all: they go back to the provisional stories as unsent. */
  withdraw: string[];
}

export class StreamDecision {
  readonly #firstPayloadBytes: number;
  readonly #batchBytes: number;
  #mode: StreamMode = 'undecided';
  #held: string[] = [];
  #heldBytes = 0;

  /** `batchBytes`: the payload size of the run (sender.ts). */
  constructor(opts: { batchBytes: number; firstPayloadBytes?: number }) {
    this.#batchBytes = opts.batchBytes;
    this.#firstPayloadBytes = Math.min(opts.batchBytes, opts.firstPayloadBytes ?? FIRST_PAYLOAD_BYTES);
  }

  get mode(): StreamMode {
    return this.#mode;
  }

  /** Stories that fell due with `progress.files` of `progress.totalFiles` files scanned. */
  due(stories: DueStory[], progress: ScanProgress): StreamStep {
    const ids = stories.map((s) => s.id);
    if (this.#mode === 'streaming') return { send: ids, enqueue: false, withdraw: [] };
    if (this.#mode === 'holding') return { send: [], enqueue: false, withdraw: ids };
    this.#held.push(...ids);
    for (const s of stories) this.#heldBytes += s.bytes;
    if (this.#heldBytes < this.#firstPayloadBytes) return { send: [], enqueue: false, withdraw: [] };
    const projected = (this.#heldBytes * progress.totalFiles) / progress.files;
    this.#mode = progress.files <= progress.totalFiles / 2 && projected >= 2 * this.#batchBytes ? 'streaming' : 'holding';
    const held = this.#held;
    this.#held = [];
    return this.#mode === 'streaming' ? { send: held, enqueue: true, withdraw: [] } : { send: [], enqueue: false, withdraw: held };
  }

  /** The scan is over: the stories still held (undecided) are withdrawn. */
  end(): string[] {
    const held = this.#held;
    this.#held = [];
    return held;
  }
}
