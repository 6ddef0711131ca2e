// One search, as the page, the API and the feed answer it: the search planned (plan.ts), then one
// Meilisearch multi-search for the page (page-hits.ts) and the disjunctive facet counts
// (facet-counts.ts), a second request for the page's hits when needed, and the answer of
// search-result.ts with the hits highlighted in the reader's script (hit.ts).
import type { SearchBackend } from './backend.js';
import { coverageOf } from './coverage-buckets.js';
import { facetCounts, facetRequests } from './facet-counts.js';
import { toHit } from './hit.js';
import { pageHits, pageRequest } from './page-hits.js';
import type { SearchParams } from './params.js';
import { planSearch, readingOf, type PlanOptions } from './plan.js';
import type { ResultCache } from './result-cache.js';
import type { SearchResult } from './search-result.js';
import type { StoredHit } from './stored-hit.js';
import { termFacetQueries, termsPanel } from './terms.js';

export interface SearchOptions extends PlanOptions {
  /** Count the matching stories per month (the coverage chart); default true. */
  coverage?: boolean;
  /** Answers kept while the live index stays the same (the server's; none in tools). */
  results?: ResultCache;
}

export async function search(backend: SearchBackend, p: SearchParams, opts: SearchOptions = {}): Promise<SearchResult> {
  if (!opts.results) return answer(backend, p, opts);
  return opts.results.get(backend, p, [opts.coverage !== false, opts.maxVerifiedCandidates ?? null], () => answer(backend, p, opts));
}

async function answer(backend: SearchBackend, p: SearchParams, opts: SearchOptions): Promise<SearchResult> {
  const withCoverage = opts.coverage !== false;
  const planned = await planSearch(backend, p, opts);
  const { parsed, sort, missing } = planned;
  const query = { ...p, normalized: parsed.normalized, sort, ...readingOf(parsed) };
  if (planned.nothing) {
    return {
      query,
      total: 0,
      page: p.page,
      perPage: p.perPage,
      totalPages: 0,
      processingTimeMs: 0,
      partial: false,
      ...(withCoverage ? { coverage: coverageOf(undefined, 0, p) } : {}),
      hits: [],
      facets: { outlet: [], topic: [], year: [], undated: 0, person: [], place: [], organization: [] },
    };
  }

  const request = pageRequest(planned, p);
  const facetQueries = facetRequests(planned, p, withCoverage);
  // The terms panel's candidates are counted in the same request (terms.ts), after the facets' queries.
  const termQueries = p.terms ? termFacetQueries(planned) : [];
  const answer = await backend.search<StoredHit>([{ ...request.main, facets: facetQueries.main }, ...facetQueries.extra, ...termQueries]);
  missing.add(answer.missing);
  const main = answer.results[0]!;
  const facetResults = answer.results.slice(0, answer.results.length - termQueries.length);
  const { facets, searchMonths } = facetCounts(facetResults, p);
  const terms = p.terms ? await termsPanel(backend, planned, [answer.results.at(-2)!, answer.results.at(-1)!], p.script) : undefined;
  if (terms) missing.add(terms.missing);
  const page = await pageHits(backend, planned, p, request, main);
  missing.add(page.missing);
  const total = main.total;
  return {
    query,
    total,
    page: p.page,
    perPage: p.perPage,
    totalPages: Math.ceil(Math.min(total, backend.reachableHits) / p.perPage),
    processingTimeMs: Math.max(...answer.results.map((r) => r.processingTimeMs)) + page.processingTimeMs,
    ...missing.fields(),
    ...(planned.bounded ? { bounded: planned.bounded } : {}),
    ...(withCoverage ? { coverage: coverageOf(searchMonths, total, p) } : {}),
    hits: page.hits.map((h) => toHit(h, planned.terms, p.script)),
    facets,
    ...(terms ? { terms: terms.panel } : {}),
  };
}
