// Meilisearch checks a phrase three words at a time (each pair of neighbours, and words two
// apart), not at one place: "甲乙 乙丙 丙丁 丁戊" also matches a text with 甲乙丙丁 in one place and
// 乙丙丁戊 in another (checked on 1.21). So a Han term of five characters or more, or a phrase of
// three words or more, can match stories that do not contain it. For those terms the candidates
// are read and checked here; the stories that must not count are left out by id, so totals,
// facet counts and pages stay exact. Shorter terms are exact as they are: with overlapping
// bigrams, the first and third of three bigrams at distance 2 pin all four characters together.
import type { MissingInstance, SearchBackend } from './backend.js';
import { quote } from './filters.js';
import { countOf } from './matches.js';
import { meiliQuery, type Term } from './query.js';

export function isLoose(t: Pick<Term, 'text' | 'script'>): boolean {
  return t.script === 'han' ? Array.from(t.text).length >= 5 : t.text.split(' ').length >= 3;
}

const PAGE = 1000;

interface Candidate {
  id: string;
  titleSearch?: unknown;
  bodySearch?: unknown;
}

/**
 * Every story matching `terms` as Meilisearch reads them, with its canonical text, lower-cased.
 * Read in id order, a page at a time after the last id read: each request costs the same however
 * far in, and nothing stops at maxTotalHits (offsets stop there, and on a network every instance
 * would send all the hits before the page).
 */
async function* candidates(backend: SearchBackend, terms: Term[], missing: MissingInstance[]): AsyncGenerator<{ id: string; text: string }> {
  const q = meiliQuery({ terms });
  // A page never asks for more than a search can return (maxTotalHits caps limit too).
  const size = Math.min(PAGE, backend.reachableHits);
  let after: string | undefined;
  for (;;) {
    const answer = await backend.search<Candidate>([{
      q,
      matchingStrategy: 'all',
      filter: after === undefined ? undefined : `id > ${quote(after)}`,
      sort: ['id:asc'],
      page: 1,
      hitsPerPage: size,
      attributesToRetrieve: ['id', 'titleSearch', 'bodySearch'],
      count: false,
    }]);
    missing.push(...answer.missing);
    const { hits } = answer.results[0]!;
    for (const h of hits) {
      const text = `${typeof h.titleSearch === 'string' ? h.titleSearch : ''}\n${typeof h.bodySearch === 'string' ? h.bodySearch : ''}`.toLowerCase();
      yield { id: String(h.id), text };
    }
    if (hits.length < size) return;
    after = String(hits[hits.length - 1]!.id);
  }
}

export interface LooseCheck {
  /** The terms to send to Meilisearch: excluded loose terms are handled by `leaveOut` instead. */
  terms: Term[];
  /** Stories Meilisearch would count but that do not satisfy the query. */
  leaveOut: string[];
  /** Instances of a network that did not answer while the candidates were read. */
  missing: MissingInstance[];
}

export async function checkLoosePhrases(backend: SearchBackend, terms: Term[]): Promise<LooseCheck> {
  const loose = terms.filter(isLoose);
  if (!loose.length) return { terms, leaveOut: [], missing: [] };
  const missing: MissingInstance[] = [];
  const positives = terms.filter((t) => !t.exclude);
  const leaveOut = new Set<string>();
  const loosePositives = loose.filter((t) => !t.exclude);
  if (loosePositives.length) {
    for await (const c of candidates(backend, positives, missing)) {
      if (loosePositives.some((t) => countOf(c.text, t) === 0)) leaveOut.add(c.id);
    }
  }
  // An excluded loose term: the stories that really contain it, among those with the other terms.
  for (const x of loose.filter((t) => t.exclude)) {
    for await (const c of candidates(backend, [...positives, { ...x, exclude: false }], missing)) {
      if (countOf(c.text, x) > 0) leaveOut.add(c.id);
    }
  }
  return { terms: terms.filter((t) => !(t.exclude && isLoose(t))), leaveOut: [...leaveOut].sort(), missing };
}

/** The filter clause that leaves the stories out, or undefined when there are none. */
export function leaveOutFilter(ids: string[]): string[] | undefined {
  return ids.length ? [`id NOT IN [${ids.map(quote).join(', ')}]`] : undefined;
}
