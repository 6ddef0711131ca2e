// A full reindex's stories sent while its files are still parsed: each accepted article joins the
// provisional stories (provisional.ts), the stories that fall due go to the stream decision
// (stream-decision.ts), and what it says to send goes to the new index. After grouping,
// reconcile() says what the index still needs.
import type { IndexDocument } from '../../core/index-document.js';
import type { Group } from '../dedupe/group.js';
import type { BuildRoom } from './build-room.js';
import type { DocumentCache } from './doc-cache.js';
import type { ScanProgress } from './first-pass.js';
import type { IndexWriter } from './index-writer.js';
import type { PreparedArticle } from './prepare.js';
import { ProvisionalStories, type Reconciliation } from './provisional.js';
import { StreamDecision, type StreamMode } from './stream-decision.js';

export interface SendWhileParsingOptions {
  /** The new index's writer. */
  writer: IndexWriter;
  /** Where the parsed documents are, by id. */
  cache: DocumentCache;
  /** Bytes per payload (sender.ts). */
  batchBytes: number;
  /** Files scanned after a story's best copy so far before it is sent (provisional.ts). */
  lag?: number;
  /** The share of the corpus sent while parsing (stream-decision.ts). */
  streamShare?: number;
  /** Checked before the first payload goes, if Meilisearch's disk is watched. */
  room?: BuildRoom;
  /** What a story's document gets before it is sent: its keywords and names (stories.ts). */
  terms: (doc: IndexDocument) => IndexDocument;
}

export class SendWhileParsing {
  readonly #opts: SendWhileParsingOptions;
  readonly #stories: ProvisionalStories;
  readonly #decision: StreamDecision;

  constructor(opts: SendWhileParsingOptions) {
    this.#opts = opts;
    this.#stories = new ProvisionalStories(opts.lag);
    this.#decision = new StreamDecision({ batchBytes: opts.batchBytes, streamShare: opts.streamShare });
  }

  /** 'streaming', 'holding' (first payload complete too late) or 'undecided' (never complete). */
  get mode(): StreamMode {
    return this.#decision.mode;
  }

  /** Stories sent while parsing, and not withdrawn. */
  get sent(): number {
    return this.#stories.sent;
  }

  /** An article this run keeps (the first with its id), as the `progress.files`-th file scanned. */
  async arrived(article: PreparedArticle, progress: ScanProgress): Promise<void> {
    const { cache, writer, room, terms } = this.#opts;
    this.#stories.arrived({ id: article.doc.id, ...article.fingerprint }, progress.files);
    const due = this.#stories.due(progress.files).map((id) => ({ id, bytes: cache.bytes(id) }));
    const step = this.#decision.due(due, progress);
    this.#stories.withdraw(step.withdraw);
    if (step.enqueue) room?.checkOnce(cache.size, progress);
    for (const id of step.send) await writer.add(terms(cache.get(id)));
    if (step.enqueue) await writer.enqueue();
  }

  /** The scan is over: what was held undecided is sent with the rest. */
  scanEnded(): void {
    this.#stories.withdraw(this.#decision.end());
  }

  /** What the new index needs, beyond what was sent, to hold exactly these stories. */
  reconcile(groups: Group[]): Reconciliation {
    return this.#stories.reconcile(groups);
  }
}
