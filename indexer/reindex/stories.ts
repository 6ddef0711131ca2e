// Articles → stories, for either mode: the near-duplicate grouping (dedupe/group.ts) timed and
// logged, the state's map of live stories to their copies, and a story's document with its copies
// and its keywords and names.
import { withTerms, type IndexDocument } from '../../core/index-document.js';
import type { Logger } from '../../core/log.js';
import { groupCopies, type Fingerprint, type Group } from '../dedupe/group.js';
import type { ReindexOptions } from './options.js';
import type { ReindexState } from './state.js';

/** The stories of these articles, and how many articles are copies of another. */
export function groupStories(fingerprints: Fingerprint[], log: Logger): { groups: Group[]; copies: number } {
  const started = Date.now();
  const { groups, comparisons } = groupCopies(fingerprints);
  const copies = fingerprints.length - groups.length;
  log.info({
    event: 'reindex.grouped',
    articles: fingerprints.length,
    stories: groups.length,
    copies,
    comparisons,
    ms: Date.now() - started,
  });
  return { groups, copies };
}

/** Representative id → the ids of its copies, as the state keeps it. */
export function liveMap(groups: Group[]): ReindexState['live'] {
  const live: ReindexState['live'] = {};
  for (const g of groups) live[g.representative.id] = g.copies.map((c) => c.id);
  return live;
}

/** A story's document lists its copies: their URLs, titles and dates for readers, their ids for old links. */
export function withCopies<T extends { id: string }>(doc: T, g: Group): T & Pick<IndexDocument, 'alsoPublishedAs' | 'copyIds'> {
  const alsoPublishedAs = g.copies.map((c) => ({
    id: c.id,
    url: c.url,
    ...(c.title === undefined ? {} : { title: c.title }),
    ...(c.published === undefined ? {} : { publishedAt: c.published }),
  }));
  return { ...doc, alsoPublishedAs, copyIds: g.copies.map((c) => c.id) };
}

/**
 * What a run does to a document before it sends it as a story: add its keywords and names
 * (withTerms), extracted here rather than when its file is parsed, so that the copies that fold
 * into another story (about two in five articles of the real corpus) cost no extraction.
 */
export function storyTerms(opts: Pick<ReindexOptions, 'extractTerms'>): (doc: IndexDocument) => IndexDocument {
  return opts.extractTerms === false ? (doc) => doc : withTerms;
}
