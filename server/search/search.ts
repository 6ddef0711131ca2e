// One search: the hits page and disjunctive facet counts in one Meilisearch multi-search, then
// the response shape of DESIGN.md with highlights in the reader's script.
import { MeilisearchApiError, type Meilisearch, type MultiSearchQuery, type SearchResponse as MeiliResponse } from 'meilisearch';
import { hanBigrams, isHanWord } from '../../indexer/bigrams.js';
import { toCanonical } from '../../indexer/normalize.js';
import { langOf } from './display.js';
import { facetList, type FacetValue } from './facets.js';
import { buildFilter, quote, selectedYear, type FacetName } from './filters.js';
import { densest, findInOriginal, occurrences, queryWords, queryWordsIn, renderMarked, snippetHtml } from './highlight.js';
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

export interface StoredHit {
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
}

const RETRIEVE = ['id', 'url', 'title', 'titleSearch', 'body', 'bodySearch', 'outlet', 'outletName', 'topics', 'publishedAt', 'script'];
const SORT_RULES: Record<Sort, string[] | undefined> = {
  relevance: undefined,
  newest: ['publishedAt:desc'],
  oldest: ['publishedAt:asc'],
};

/** Relevance for one-word queries: the first this many hits are re-ranked by occurrences. */
export const RERANK_WINDOW = 100;

/**
 * How a query is run. A single Han word of 2–6 characters, or any quoted Han string, is an
 * `exact` query: a phrase of its bigrams over the bigram fields, which matches exactly the
 * articles containing the string (counts a reader can trust). Anything else is a `words` query
 * over the segmented canonical fields, with Meilisearch's relevance.
 */
export interface QueryPlan {
  mode: 'words' | 'exact';
  q: string;
  /** The string an exact query looks for. */
  word?: string;
  attributesToSearchOn: string[];
}

export function planQuery(normalized: string): QueryPlan {
  const quoted = /^"\s*([^"]+?)\s*"$/.exec(normalized);
  const inner = quoted ? quoted[1]! : normalized;
  if ((quoted && /^\p{Script=Han}{2,}$/u.test(inner)) || (!quoted && isHanWord(normalized))) {
    return { mode: 'exact', q: `"${hanBigrams(inner)}"`, word: inner, attributesToSearchOn: ['titleBigrams', 'bodyBigrams'] };
  }
  return { mode: 'words', q: normalized, attributesToSearchOn: ['titleSearch', 'bodySearch', 'tagsSearch'] };
}

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

  const plan = planQuery(normalized);
  // The re-ranked window is a whole number of pages, so pages inside and after it never overlap.
  const windowSize = Math.floor(RERANK_WINDOW / p.perPage) * p.perPage;
  const rerank = plan.mode === 'exact' && sort === 'relevance' && p.page * p.perPage <= windowSize;
  const base = { indexUid: indexName, q: plan.q, attributesToSearchOn: plan.attributesToSearchOn };
  // Facets whose own filter is active are counted without it (disjunctive), in extra queries.
  const own: Array<[FacetName, string]> = [['outlet', 'outlet'], ['topic', 'topics'], ['date', 'year']];
  const active = (f: FacetName) => (f === 'outlet' ? p.outlet.length > 0 : f === 'topic' ? p.topic.length > 0 : Boolean(p.from || p.to));
  const main: MultiSearchQuery = rerank
    ? { ...base, filter: buildFilter(p), page: 1, hitsPerPage: windowSize, attributesToRetrieve: ['id', 'titleSearch', 'bodySearch'] }
    : {
        ...base,
        filter: buildFilter(p),
        page: p.page,
        hitsPerPage: p.perPage,
        sort: SORT_RULES[sort],
        attributesToRetrieve: RETRIEVE,
      };
  main.facets = own.filter(([f]) => !active(f)).map(([, attr]) => attr);
  const queries: MultiSearchQuery[] = [main];
  for (const [f, attr] of own) {
    if (active(f)) queries.push({ ...base, filter: buildFilter(p, f), limit: 0, facets: [attr] });
  }
  if (year !== undefined) {
    queries.push({ ...base, filter: [...buildFilter(p, 'date'), [`year = ${year}`]], limit: 0, facets: ['month'] });
  }
  let results;
  try {
    ({ results } = await client.multiSearch({ queries }));
  } catch (err) {
    // No document has the searched fields yet (an empty index): nothing can match.
    if (err instanceof MeilisearchApiError && /attributes_to_search_on/.test(err.cause?.code ?? '')) {
      return { query, total: 0, page: p.page, perPage: p.perPage, totalPages: 0, processingTimeMs: 0, hits: [], facets: { outlet: [], topic: [], year: [] } };
    }
    throw err;
  }
  const distribution: Record<string, Record<string, number>> = {};
  for (const r of results) Object.assign(distribution, (r as MeiliResponse).facetDistribution ?? {});
  const first = results[0] as unknown as MeiliResponse<StoredHit>;
  let processingTimeMs = Math.max(...results.map((r) => r.processingTimeMs));
  let hits = first.hits;
  if (rerank) {
    const page = await rerankedPage(client, indexName, first.hits, plan.word!, p);
    hits = page.hits;
    processingTimeMs += page.processingTimeMs;
  }

  const facets: SearchResult['facets'] = {
    outlet: facetList('outlet', distribution.outlet, p.outlet, p.script),
    topic: facetList('topic', distribution.topics, p.topic, p.script),
    year: facetList('year', distribution.year, [], p.script),
  };
  if (year !== undefined) facets.month = facetList('month', distribution.month, [], p.script);
  const total = first.totalHits ?? 0;
  const words = normalized ? queryWords(normalized) : [];
  return {
    query,
    total,
    page: p.page,
    perPage: p.perPage,
    totalPages: Math.ceil(total / p.perPage),
    processingTimeMs,
    hits: hits.map((h) => toHit(h, plan, words, p.script)),
    facets,
  };
}

/**
 * One-word queries, relevance order: the first RERANK_WINDOW hits (Meilisearch puts title
 * matches first) ordered by title match, then by the number of occurrences in the body; then
 * the requested page of them, fetched by id.
 */
async function rerankedPage(client: Meilisearch, indexName: string, window: Array<StoredHit>, word: string, p: SearchParams): Promise<{ hits: StoredHit[]; processingTimeMs: number }> {
  const count = (text: unknown) => (typeof text === 'string' ? text.split(word).length - 1 : 0);
  const score = (h: StoredHit) => (count(h.titleSearch) > 0 ? 1_000_000 : 0) + count(h.bodySearch);
  const ordered = window.map((h, i) => ({ id: h.id, score: score(h), i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const ids = ordered.slice((p.page - 1) * p.perPage, p.page * p.perPage).map((h) => h.id);
  if (ids.length === 0) return { hits: [], processingTimeMs: 0 };
  const res = await client.index(indexName).search<StoredHit>('', {
    filter: `id IN [${ids.map(quote).join(', ')}]`,
    limit: ids.length,
    attributesToRetrieve: RETRIEVE,
  });
  const byId = new Map(res.hits.map((h) => [h.id, h]));
  return { hits: ids.map((id) => byId.get(id)).filter((h): h is NonNullable<typeof h> => h !== undefined), processingTimeMs: res.processingTimeMs };
}

/** Stored documents are read defensively: an index loaded by other tools may lack fields. */
function toHit(stored: StoredHit, plan: QueryPlan, queryWords: string[], script: SearchParams['script']): SearchHit {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const h = { ...stored, title: text(stored.title), titleSearch: text(stored.titleSearch), body: text(stored.body), bodySearch: text(stored.bodySearch) };
  return {
    id: String(h.id),
    title: h.title,
    url: text(h.url),
    outlet: { id: text(h.outlet), name: text(h.outletName) },
    topics: Array.isArray(h.topics) ? h.topics.map(String) : [],
    publishedAt: typeof h.publishedAt === 'number' ? new Date(h.publishedAt).toISOString() : null,
    lang: langOf(text(h.script), script),
    ...highlights(h, plan, queryWords, script),
  };
}

function highlights(h: { title: string; titleSearch: string; body: string; bodySearch: string }, plan: QueryPlan, queryWords: string[], script: SearchParams['script']) {
  // An exact query matched exactly `word`; other queries mark the query's words found in the text.
  const words = plan.mode === 'exact' ? [plan.word!] : queryWords.length ? queryWordsIn(queryWords, `${h.titleSearch}\n${h.bodySearch}`) : [];
  const centre = densest(occurrences(h.bodySearch, words));
  return {
    titleHtml: renderMarked(h.title, findInOriginal(h.title, words), script),
    snippetHtml: snippetHtml(h.body, centre === undefined ? undefined : Array.from(h.bodySearch.slice(0, centre)).length, words, script),
  };
}

/** Document ids are lower-case letters, digits and dashes (indexer/article-id.ts). */
const ARTICLE_ID = /^[a-z0-9-]{1,100}$/;

/**
 * One story by its id or the id of one of its copies (a search, so the search-only key can);
 * undefined for an unknown or malformed id.
 */
export async function findArticle(client: Meilisearch, indexName: string, id: string): Promise<Record<string, unknown> | undefined> {
  if (!ARTICLE_ID.test(id)) return undefined;
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
