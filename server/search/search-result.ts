// What a search answers (GET /api/search, the search page, the feed): the response shape of
// DESIGN.md. Types only; search.ts builds it.
import type { MissingInstance } from './backend.js';
import type { Coverage } from './coverage-buckets.js';
import type { FacetValue } from './facets.js';
import type { Bounded } from './loose-phrases.js';
import type { SearchParams, Sort } from './params.js';
import type { QueryNote } from './query.js';

export interface SearchHit {
  id: string;
  title: string;
  url: string;
  outlet: { id: string; name: string };
  topics: string[];
  publishedAt: string | null;
  /** BCP 47 language tag of titleHtml/snippetHtml as shown (zh-Hans, zh-Hant). */
  lang: string;
  titleHtml: string;
  snippetHtml: string;
}

/** How the query was read: its terms, the unspaced strings read as words, and notes. */
export interface QueryReading {
  terms: Array<{ text: string; phrase: boolean; exclude: boolean; from?: string }>;
  segmented: Array<{ from: string; words: string[] }>;
  notes: QueryNote[];
}

export interface SearchResult {
  query: {
    q: string;
    normalized: string;
    outlet: string[];
    topic: string[];
    from: string | null;
    to: string | null;
    sort: Sort;
    page: number;
    perPage: number;
    script: SearchParams['script'];
  } & QueryReading;
  total: number;
  page: number;
  perPage: number;
  totalPages: number;
  processingTimeMs: number;
  /**
   * True when some Meilisearch instance of a network did not answer: totals, counts and hits
   * are then those of the others, and `missing` names the instances left out.
   */
  partial: boolean;
  missing?: MissingInstance[];
  /**
   * Present when the query has long terms (loose-phrases.ts) with more candidates than are checked
   * per search: `total`, the facet counts and the hits may then include up to
   * candidates − verified stories that do not satisfy the query; `total` is an upper bound.
   */
  bounded?: Bounded;
  /** Matching stories per month (per year over long spans): the chart on the search page. Absent when COVERAGE_CHART is off. */
  coverage?: Coverage;
  hits: SearchHit[];
  facets: { outlet: FacetValue[]; topic: FacetValue[]; year: FacetValue[]; month?: FacetValue[] };
}
