// A full reindex sends stories while files are still being parsed, so that Meilisearch indexes
// while the indexer parses (before, parsing ran first, alone: a third of a full reindex of the
// 48k tarball).
// Which copy represents a story is only known when every article is in (dedupe/group.ts), so
// meanwhile the best copy so far of each likely story (same outlet and title key, days at most
// one apart) is sent once LAG more files have been scanned without a better copy turning up:
// copies mostly sit close together in walk order (on the 48k tarball a lag of 500 files leaves
// 48 stories whose sent copy loses later, against 1,910 without a lag), and a copy that was
// indexed and then deleted costs Meilisearch twice. After grouping, reconcile() says how to make
// the index exactly the grouped stories: delete the copies that were sent and lost, send the
// representatives not sent yet, and add each sent story's copies to its document.
import { preferred, type Group } from '../dedupe/group.js';

/** Files scanned after a story's best copy so far before it is sent. */
export const LAG = 500;

interface Seen {
  id: string;
  day: number | null;
  length: number;
  updated: number;
}

interface Story {
  best: Seen;
  /** Scan position at which `best` arrived. */
  since: number;
}

export interface Reconciliation {
  /** Sent, but not a story's representative. */
  remove: string[];
  /** Representatives not sent yet. */
  send: Group[];
  /** Sent representatives whose copies their document does not list yet. */
  addCopies: Group[];
}

export class ProvisionalStories {
  /** outlet and title key → the likely stories with that title. */
  readonly #stories = new Map<string, Story[]>();
  /** Stories in the order their best copy arrived; an entry is stale once a better copy came. */
  readonly #queue: Array<{ story: Story; since: number }> = [];
  #head = 0;
  readonly #sent = new Set<string>();

  constructor(readonly lag = LAG) {}

  get sent(): number {
    return this.#sent.size;
  }

  /** An article was accepted, as the `position`-th file scanned. */
  arrived(a: Seen & { outlet: string; titleKey: string }, position: number): void {
    const key = `${a.outlet}\n${a.titleKey}`;
    const seen: Seen = { id: a.id, day: a.day, length: a.length, updated: a.updated };
    let stories = this.#stories.get(key);
    if (!stories) {
      stories = [];
      this.#stories.set(key, stories);
    }
    let story = stories.find((s) => (s.best.day === null || a.day === null ? s.best.day === a.day : Math.abs(s.best.day - a.day) <= 1));
    if (story && preferred(seen, story.best) >= 0) return;
    if (story) Object.assign(story, { best: seen, since: position });
    else {
      story = { best: seen, since: position };
      stories.push(story);
    }
    this.#queue.push({ story, since: position });
  }

  /** The ids to send now that `position` files have been scanned. */
  due(position: number): string[] {
    const out: string[] = [];
    while (this.#head < this.#queue.length && this.#queue[this.#head]!.since <= position - this.lag) {
      const { story, since } = this.#queue[this.#head++]!;
      if (story.since === since && !this.#sent.has(story.best.id)) {
        this.#sent.add(story.best.id);
        out.push(story.best.id);
      }
    }
    if (this.#head > 4096) {
      this.#queue.splice(0, this.#head);
      this.#head = 0;
    }
    return out;
  }

  /** Ids handed out by due() that were not sent after all: reconcile() treats them as unsent. */
  withdraw(ids: string[]): void {
    for (const id of ids) this.#sent.delete(id);
  }

  reconcile(groups: Group[]): Reconciliation {
    const representatives = new Set(groups.map((g) => g.representative.id));
    return {
      remove: [...this.#sent].filter((id) => !representatives.has(id)),
      send: groups.filter((g) => !this.#sent.has(g.representative.id)),
      addCopies: groups.filter((g) => this.#sent.has(g.representative.id) && g.copies.length > 0),
    };
  }
}
