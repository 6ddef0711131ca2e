// One search: the hits page and disjunctive facet counts in one Meilisearch multi-search, then
// the response shape of DESIGN.md with highlights in the reader's script.
import type { Meilisearch, MultiSearchQuery, SearchResponse as MeiliResponse } from 'meilisearch';
import { toCanonical } from '../../indexer/normalize.js';
import { langOf } from './display.js';
import { facetList, type FacetValue } from './facets.js';
import { buildFilter, quote, selectedYear, type FacetName } from './filters.js';
import { snippetHtml, titleHtml, type MatchPosition } from './highlight.js';
import { effectiveSort, type SearchParams, type Sort } from './params.js';

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
  };
  total: number;
  page: number;
  perPage: number;
  totalPages: number;
  processingTimeMs: number;
  hits: SearchHit[];
  facets: { outlet: FacetValue[]; topic: FacetValue[]; year: FacetValue[]; month?: FacetValue[] };
}

interface StoredHit {
  id: string;
  url: string;
  title: string;
  titleSearch: string;
  body: string;
  bodySearch: string;
  outlet: string;
  outletName: string;
  topics: string[];
  publishedAt: number | null;
  script: string;
  _matchesPosition?: Record<string, MatchPosition[]>;
}

const RETRIEVE = ['id', 'url', 'title', 'titleSearch', 'body', 'bodySearch', 'outlet', 'outletName', 'topics', 'publishedAt', 'script'];
const SORT_RULES: Record<Sort, string[] | undefined> = {
  relevance: undefined,
  newest: ['publishedAt:desc'],
  oldest: ['publishedAt:asc'],
};

/** A query with no letters or digits (punctuation, emoji) matches nothing, rather than everything. */
export function isSearchable(normalized: string): boolean {
  return normalized === '' || /[\p{L}\p{N}]/u.test(normalized);
}

export async function search(client: Meilisearch, indexName: string, p: SearchParams): Promise<SearchResult> {
  const normalized = toCanonical(p.q);
  const sort = effectiveSort(p);
  const year = selectedYear(p);
  const query = { ...p, normalized, sort };
  if (!isSearchable(normalized)) {
    return { query, total: 0, page: p.page, perPage: p.perPage, totalPages: 0, processingTimeMs: 0, hits: [], facets: { outlet: [], topic: [], year: [] } };
  }

  // Facets whose own filter is active are counted without it (disjunctive), in extra queries.
  const own: Array<[FacetName, string]> = [['outlet', 'outlet'], ['topic', 'topics'], ['date', 'year']];
  const active = (f: FacetName) => (f === 'outlet' ? p.outlet.length > 0 : f === 'topic' ? p.topic.length > 0 : Boolean(p.from || p.to));
  const queries: MultiSearchQuery[] = [
    {
      indexUid: indexName,
      q: normalized,
      filter: buildFilter(p),
      page: p.page,
      hitsPerPage: p.perPage,
      sort: SORT_RULES[sort],
      attributesToRetrieve: RETRIEVE,
      showMatchesPosition: normalized !== '',
      facets: own.filter(([f]) => !active(f)).map(([, attr]) => attr),
    },
  ];
  for (const [f, attr] of own) {
    if (active(f)) queries.push({ indexUid: indexName, q: normalized, filter: buildFilter(p, f), limit: 0, facets: [attr] });
  }
  if (year !== undefined) {
    queries.push({ indexUid: indexName, q: normalized, filter: [...buildFilter(p, 'date'), [`year = ${year}`]], limit: 0, facets: ['month'] });
  }
  const { results } = await client.multiSearch({ queries });
  const distribution: Record<string, Record<string, number>> = {};
  for (const r of results) Object.assign(distribution, (r as MeiliResponse).facetDistribution ?? {});
  const main = results[0] as unknown as MeiliResponse<StoredHit>;

  const facets: SearchResult['facets'] = {
    outlet: facetList('outlet', distribution.outlet, p.outlet, p.script),
    topic: facetList('topic', distribution.topics, p.topic, p.script),
    year: facetList('year', distribution.year, [], p.script),
  };
  if (year !== undefined) facets.month = facetList('month', distribution.month, [], p.script);
  return {
    query,
    total: main.totalHits ?? 0,
    page: p.page,
    perPage: p.perPage,
    totalPages: main.totalPages ?? 0,
    processingTimeMs: Math.max(...results.map((r) => r.processingTimeMs)),
    hits: main.hits.map((h) => toHit(h, p.script)),
    facets,
  };
}

/** Stored documents are read defensively: an index loaded by other tools may lack fields. */
function toHit(stored: StoredHit, script: SearchParams['script']): SearchHit {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const h = { ...stored, title: text(stored.title), titleSearch: text(stored.titleSearch), body: text(stored.body), bodySearch: text(stored.bodySearch) };
  const m = h._matchesPosition ?? {};
  return {
    id: String(h.id),
    title: h.title,
    url: text(h.url),
    outlet: { id: text(h.outlet), name: text(h.outletName) },
    topics: Array.isArray(h.topics) ? h.topics.map(String) : [],
    publishedAt: typeof h.publishedAt === 'number' ? new Date(h.publishedAt).toISOString() : null,
    lang: langOf(text(h.script), script),
    titleHtml: titleHtml(h.title, h.titleSearch, m.titleSearch, script),
    snippetHtml: snippetHtml(h.body, h.bodySearch, m.bodySearch, script),
  };
}

/** One story by its id or the id of one of its copies (a search, so the search-only key can). */
export async function findArticle(client: Meilisearch, indexName: string, id: string): Promise<Record<string, unknown> | undefined> {
  const res = await client.index(indexName).search('', {
    filter: `id = ${quote(id)} OR copyIds = ${quote(id)}`,
    limit: 1,
    attributesToRetrieve: ['id', 'url', 'title', 'body', 'excerpt', 'tags', 'outlet', 'outletName', 'topics', 'publishedAt', 'updatedAt', 'author', 'image', 'script', 'alsoPublishedAs'],
  });
  return res.hits[0];
}

/** Facet values and counts of the whole index. */
export async function indexFacets(client: Meilisearch, indexName: string, script: SearchParams['script']): Promise<SearchResult['facets'] & { total: number }> {
  const res = await client.index(indexName).search('', { limit: 0, facets: ['outlet', 'topics', 'year'] });
  const d = res.facetDistribution ?? {};
  return {
    total: res.estimatedTotalHits ?? 0,
    outlet: facetList('outlet', d.outlet, [], script),
    topic: facetList('topic', d.topics, [], script),
    year: facetList('year', d.year, [], script),
  };
}
