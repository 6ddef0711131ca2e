// A search as Meilisearch is asked it, whatever is then asked (a page, counts, an export): the
// query read into exact terms (query.ts), long phrases checked (loose-phrases.ts), the filters
// built (filters.ts), and the sort. Also how the query was read, for the answer. A query with
// alternatives (OR) is asked as one federated search with one query per alternative, each with
// its own long phrases checked: Meilisearch then counts each story once, however many
// alternatives it satisfies (checked on 1.21: totals and facet counts are those of the union).
import type { Alternative, SearchBackend } from './backend.js';
import { buildFilter, type FacetName } from './filters.js';
import { checkLoosePhrases, isLoose, leaveOutFilter, MAX_VERIFIED_CANDIDATES, type Bounded } from './loose-phrases.js';
import { Missing } from './missing.js';
import { effectiveSort, type SearchParams, type Sort } from './params.js';
import { meiliQuery, parseQuery, positiveTerms, termReading, type ParsedQuery, type Term } from './query.js';
import type { QueryReading } from './search-result.js';

export interface PlannedSearch {
  parsed: ParsedQuery;
  /** The terms to find (not the excluded ones). */
  terms: Term[];
  sort: Sort;
  /** Typed something, but nothing in it can be searched (punctuation, emoji, single characters). */
  nothing: boolean;
  /** The query: `q` for one alternative, `anyOf` for several (`q` is then empty). */
  base: { q: string; matchingStrategy: 'all'; anyOf?: Alternative[] };
  /** Every filter of the search, leaving out the one named (disjunctive facets). */
  filterFor(without?: FacetName): Array<string | string[]>;
  /** Instances missing from the answers so far; whoever asks Meilisearch adds to it. */
  missing: Missing;
  /** Long terms had more candidates than were checked: counts are upper bounds. */
  bounded?: Bounded;
}

// Stories published at the same time are ordered by id, so that the order (and every page) is
// the same on one instance and on a network, where ties would otherwise fall by shard.
export const SORT_RULES: Record<Sort, string[] | undefined> = {
  relevance: undefined,
  newest: ['publishedAt:desc', 'id:asc'],
  oldest: ['publishedAt:asc', 'id:asc'],
};

export interface PlanOptions {
  /** Candidates of long terms checked per search at most (MAX_VERIFIED_CANDIDATES unless given). */
  maxVerifiedCandidates?: number;
}

export async function planSearch(backend: SearchBackend, p: SearchParams, opts: PlanOptions = {}): Promise<PlannedSearch> {
  const parsed = parseQuery(p.q);
  const missing = new Missing();
  const sort = effectiveSort(p);
  const terms = positiveTerms(parsed);
  if (p.q && parsed.terms.length === 0) {
    return { parsed, terms, sort, nothing: true, base: { q: '', matchingStrategy: 'all' }, filterFor: () => [], missing };
  }
  if (parsed.alternatives.length <= 1) {
    const check = await checkLoosePhrases(backend, parsed.alternatives[0] ?? [], { maxCandidates: opts.maxVerifiedCandidates });
    missing.add(check.missing);
    const leaveOut = leaveOutFilter(check.leaveOut);
    return {
      parsed,
      terms,
      sort,
      nothing: false,
      // matchingStrategy 'all': Meilisearch may never drop a term to find more documents.
      base: { q: meiliQuery(check), matchingStrategy: 'all' },
      filterFor: (without?: FacetName) => [...buildFilter(p, without), ...(leaveOut ? [leaveOut] : [])],
      missing,
      ...(check.bounded ? { bounded: check.bounded } : {}),
    };
  }
  // The candidates a search may check are shared by the alternatives that have long terms.
  const checked = parsed.alternatives.filter((alt) => alt.some(isLoose)).length;
  const budget = Math.floor((opts.maxVerifiedCandidates ?? MAX_VERIFIED_CANDIDATES) / Math.max(1, checked));
  const anyOf: Alternative[] = [];
  let bounded: Bounded | undefined;
  const checks = await Promise.all(parsed.alternatives.map((alt) => checkLoosePhrases(backend, alt, { maxCandidates: budget })));
  for (const check of checks) {
    missing.add(check.missing);
    const leaveOut = leaveOutFilter(check.leaveOut);
    anyOf.push({ q: meiliQuery(check), ...(leaveOut ? { filter: [leaveOut] } : {}) });
    if (check.bounded) {
      bounded = {
        verified: (bounded?.verified ?? 0) + check.bounded.verified,
        candidates: (bounded?.candidates ?? 0) + check.bounded.candidates,
      };
    }
  }
  return {
    parsed,
    terms,
    sort,
    nothing: false,
    base: { q: '', matchingStrategy: 'all', anyOf },
    filterFor: (without?: FacetName) => buildFilter(p, without),
    missing,
    ...(bounded ? { bounded } : {}),
  };
}

/** How the query was read, as the answer says it. */
export function readingOf(parsed: ParsedQuery): QueryReading {
  return {
    terms: parsed.terms.map(termReading),
    alternatives: parsed.alternatives.map((alt) => ({ terms: alt.map(termReading) })),
    ...(parsed.tree ? { tree: parsed.tree } : {}),
    segmented: parsed.segmented,
    notes: parsed.notes,
  };
}
