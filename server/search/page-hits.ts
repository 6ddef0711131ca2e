// The hits of the requested page, and how they are asked for. Inside the re-ranked window
// (relevance order with terms), the search's query asks for the window and the page is taken from
// it (rerank.ts). A later page outside it is asked for only once the count says it exists: a page
// past the last, or past what pages reach, gets its total and facets and no hits, and Meilisearch
// (every instance, on a network) is not asked for hits at its offset. Else the search's query
// asks for the page itself.
import type { BackendQuery, BackendResult, MissingInstance, SearchBackend } from './backend.js';
import type { SearchParams } from './params.js';
import { SORT_RULES, type PlannedSearch } from './plan.js';
import { RERANK_WINDOW, rerankedPage } from './rerank.js';
import { RETRIEVE_MARKED, RETRIEVE_PLAIN, RETRIEVE_WINDOW, type StoredHit } from './stored-hit.js';

export interface PageRequest {
  how: 'rerank' | 'count first' | 'page';
  /** The search's own query (its facets are added by the caller). */
  main: BackendQuery;
  /** The page itself. */
  page: BackendQuery;
}

export interface PageHits {
  hits: StoredHit[];
  /** Meilisearch's time for the requests made after the search's own. */
  processingTimeMs: number;
  missing: MissingInstance[];
}

export function pageRequest(planned: PlannedSearch, p: SearchParams): PageRequest {
  const { base, filterFor, terms, sort } = planned;
  const page: BackendQuery = {
    ...base,
    filter: filterFor(),
    page: p.page,
    hitsPerPage: p.perPage,
    sort: SORT_RULES[sort],
    attributesToRetrieve: terms.length > 0 ? RETRIEVE_MARKED : RETRIEVE_PLAIN,
  };
  // The re-ranked window is a whole number of pages, so pages inside and after it never overlap.
  const windowSize = Math.floor(RERANK_WINDOW / p.perPage) * p.perPage;
  if (terms.length > 0 && sort === 'relevance' && p.page * p.perPage <= windowSize) {
    return {
      how: 'rerank',
      page,
      main: { ...base, filter: filterFor(), page: 1, hitsPerPage: windowSize, attributesToRetrieve: RETRIEVE_WINDOW },
    };
  }
  if (p.page > 1) return { how: 'count first', page, main: { ...base, filter: filterFor(), page: 1, hitsPerPage: 0 } };
  return { how: 'page', page, main: page };
}

/** The page's hits, given the answer to the request's main query. */
export async function pageHits(
  backend: SearchBackend,
  planned: PlannedSearch,
  p: SearchParams,
  request: PageRequest,
  main: BackendResult<StoredHit>,
): Promise<PageHits> {
  if (request.how === 'rerank') return rerankedPage(backend, main.hits, planned.terms, planned.parsed, p);
  if (request.how === 'count first' && (p.page - 1) * p.perPage < Math.min(main.total, backend.reachableHits)) {
    const answer = await backend.search<StoredHit>([{ ...request.page, count: false }]);
    return { hits: answer.results[0]!.hits, processingTimeMs: answer.results[0]!.processingTimeMs, missing: answer.missing };
  }
  return { hits: main.hits, processingTimeMs: 0, missing: [] };
}
