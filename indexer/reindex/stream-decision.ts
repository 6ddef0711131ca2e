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

/**
 * The share of the corpus (in document bytes, as projected while parsing) a streaming full
 * reindex sends while it parses; the rest goes after grouping, as one Meilisearch batch. Each
 * batch rewrites the pages of the index built before it, and the database file keeps the old
 * and the new pages of the last batch: the less was indexed before the last batch, the smaller
 * the file stays (measured on the 48k tarball: see bench/README.md).
 */
export const STREAM_SHARE = 0.2;

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
  readonly #streamShare: number;
  #mode: StreamMode = 'undecided';
  #held: string[] = [];
  #heldBytes = 0;
  /** Bytes of every story that fell due, and of those sent, in a streaming run. */
  #dueBytes = 0;
  #sentBytes = 0;
  /** A streaming run has sent its share: later stories wait for grouping. */
  #shareSent = false;

  /** `batchBytes`: the payload size of the run (sender.ts); `streamShare`: STREAM_SHARE unless given. */
  constructor(opts: { batchBytes: number; firstPayloadBytes?: number; streamShare?: number }) {
    this.#batchBytes = opts.batchBytes;
    this.#firstPayloadBytes = Math.min(opts.batchBytes, opts.firstPayloadBytes ?? FIRST_PAYLOAD_BYTES);
    this.#streamShare = opts.streamShare ?? STREAM_SHARE;
    if (!(this.#streamShare >= 0 && this.#streamShare <= 1))
      throw new RangeError(`streamShare must be within 0 and 1, got ${opts.streamShare}`);
  }

  get mode(): StreamMode {
    return this.#mode;
  }

  /** Stories that fell due with `progress.files` of `progress.totalFiles` files scanned. */
  due(stories: DueStory[], progress: ScanProgress): StreamStep {
    const ids = stories.map((s) => s.id);
    if (this.#mode === 'streaming') return this.#stream(stories, progress);
    if (this.#mode === 'holding') return { send: [], enqueue: false, withdraw: ids };
    this.#held.push(...ids);
    for (const s of stories) this.#heldBytes += s.bytes;
    if (this.#heldBytes < this.#firstPayloadBytes) return { send: [], enqueue: false, withdraw: [] };
    const projected = (this.#heldBytes * progress.totalFiles) / progress.files;
    this.#mode = progress.files <= progress.totalFiles / 2 && projected >= 2 * this.#batchBytes ? 'streaming' : 'holding';
    const held = this.#held;
    this.#held = [];
    if (this.#mode === 'holding') return { send: [], enqueue: false, withdraw: held };
    this.#dueBytes = this.#sentBytes = this.#heldBytes;
    return { send: held, enqueue: true, withdraw: [] };
  }

  /** Streaming: send while the stories sent stay within the share of the corpus projected so far. */
  #stream(stories: DueStory[], progress: ScanProgress): StreamStep {
    const send: string[] = [];
    const withdraw: string[] = [];
    for (const s of stories) this.#dueBytes += s.bytes;
    const projected = (this.#dueBytes * progress.totalFiles) / Math.max(1, progress.files);
    for (const s of stories) {
      if (!this.#shareSent && this.#sentBytes + s.bytes <= this.#streamShare * projected) {
        send.push(s.id);
        this.#sentBytes += s.bytes;
      } else {
        this.#shareSent = true;
        withdraw.push(s.id);
      }
    }
    return { send, enqueue: false, withdraw };
  }

  /** The scan is over: the stories still held (undecided) are withdrawn. */
  end(): string[] {
    const held = this.#held;
    this.#held = [];
    return held;
  }
}
