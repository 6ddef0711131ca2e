// One search: the query parsed into exact terms (query.ts), the hits page and disjunctive facet
// counts in one Meilisearch multi-search, then the response shape of docs/api.md with highlights
// in the reader's script.
import type { IndexFacetsJson, QueryReading, SearchHit, SearchResult } from '../api/responses.js';
import type { BackendQuery, MissingInstance, SearchBackend } from './backend.js';
import { coverageOf } from './coverage.js';
import { langOf } from './display.js';
import { facetList } from './facets.js';
import { buildFilter, quote, selectedYear, type FacetName } from './filters.js';
import { characterIndex, findInOriginal, renderMarked, snippetHtml } from './highlight.js';
import { bestWindow, countOf, haystack } from './matches.js';
import { effectiveSort, type SearchParams, type Sort } from './params.js';
import { checkLoosePhrases, leaveOutFilter, type Bounded } from './loose-phrases.js';
import { meiliQuery, parseQuery, positiveTerms, type ParsedQuery, type Term } from './query.js';

export type { SearchHit, SearchResult } from '../api/responses.js';

export interface StoredHit {
  id: string;
  url: string;
  title: string;
  titleSearch?: string;
  body?: string;
  bodySearch?: string;
  lead?: string;
  outlet: string;
  outletName: string;
  topics: string[];
  publishedAt: number | null;
  script: string;
}

// What a hit needs, by case: texts are most of what Meilisearch sends, and reading them is most
// of the server's work, so each request asks only for the texts its hits need.
const DISPLAY = ['id', 'url', 'title', 'outlet', 'outletName', 'topics', 'publishedAt', 'script'];
/** Without terms nothing is marked: the snippet is the body's opening. */
const RETRIEVE_PLAIN = [...DISPLAY, 'lead'];
/** With terms: the canonical copies to find them in, the body to cut the snippet from. */
const RETRIEVE_MARKED = [...DISPLAY, 'body', 'titleSearch', 'bodySearch'];
/** The re-ranked window: the canonical copies; its page then needs only DISPLAY and the body. */
const RETRIEVE_WINDOW = ['id', 'titleSearch', 'bodySearch'];
// Stories published at the same time are ordered by id, so that the order (and every page) is
// the same on one instance and on a network, where ties would otherwise fall by shard.
const SORT_RULES: Record<Sort, string[] | undefined> = {
  relevance: undefined,
  newest: ['publishedAt:desc', 'id:asc'],
  oldest: ['publishedAt:asc', 'id:asc'],
};

/** Relevance order: the first this many hits are re-ranked by title matches and occurrences. */
export const RERANK_WINDOW = 100;

function reading(parsed: ParsedQuery): QueryReading {
  return {
    terms: parsed.terms.map((t) => ({ text: t.text, phrase: t.phrase, exclude: t.exclude, ...(t.from ? { from: t.from } : {}) })),
    segmented: parsed.segmented,
    notes: parsed.notes,
  };
}

/** Instances missing from any of a search's answers. */
export class Missing {
  readonly #byName = new Map<string, MissingInstance>();
  add(list: MissingInstance[]): void {
    for (const m of list) if (!this.#byName.has(m.instance)) this.#byName.set(m.instance, m);
  }
  fields(): Pick<SearchResult, 'partial' | 'missing'> {
    return this.#byName.size ? { partial: true, missing: [...this.#byName.values()] } : { partial: false };
  }
}

/** A search as Meilisearch is asked it: the query read, long phrases checked, filters built. */
export interface Prepared {
  parsed: ParsedQuery;
  /** The terms to find (not the excluded ones). */
  terms: Term[];
  sort: Sort;
  /** Typed something, but nothing in it can be searched (punctuation, emoji, single characters). */
  nothing: boolean;
  base: { q: string; matchingStrategy: 'all' };
  /** Every filter of the search, leaving out the one named (disjunctive facets). */
  filterFor(without?: FacetName): Array<string | string[]>;
  missing: Missing;
  /** Long terms had more candidates than were checked: counts are upper bounds. */
  bounded?: Bounded;
}

export async function prepare(backend: SearchBackend, p: SearchParams, opts: Pick<SearchOptions, 'maxVerifiedCandidates'> = {}): Promise<Prepared> {
  const parsed = parseQuery(p.q);
  const missing = new Missing();
  const sort = effectiveSort(p);
  const terms = positiveTerms(parsed);
  if (p.q && parsed.terms.length === 0) {
    return { parsed, terms, sort, nothing: true, base: { q: '', matchingStrategy: 'all' }, filterFor: () => [], missing };
  }
  const check = await checkLoosePhrases(backend, parsed.terms, { maxCandidates: opts.maxVerifiedCandidates });
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

export interface SearchOptions {
  /** Count the matching stories per month (the coverage chart); default true. */
  coverage?: boolean;
  /** Candidates of long terms checked per search at most (MAX_VERIFIED_CANDIDATES unless given). */
  maxVerifiedCandidates?: number;
}

export async function search(backend: SearchBackend, p: SearchParams, opts: SearchOptions = {}): Promise<SearchResult> {
  const withCoverage = opts.coverage !== false;
  const prepared = await prepare(backend, p, opts);
  const { parsed, terms, sort, base, filterFor, missing } = prepared;
  const { normalized } = parsed;
  const year = selectedYear(p);
  const query = { ...p, normalized, sort, ...reading(parsed) };
  const empty = (): SearchResult => ({ query, total: 0, page: p.page, perPage: p.perPage, totalPages: 0, processingTimeMs: 0, partial: false, ...(withCoverage ? { coverage: coverageOf(undefined, 0, p) } : {}), hits: [], facets: { outlet: [], topic: [], year: [] } });
  if (prepared.nothing) return empty();

  // The re-ranked window is a whole number of pages, so pages inside and after it never overlap.
  const windowSize = Math.floor(RERANK_WINDOW / p.perPage) * p.perPage;
  const rerank = terms.length > 0 && sort === 'relevance' && p.page * p.perPage <= windowSize;
  // Facets whose own filter is active are counted without it (disjunctive), in extra queries.
  const own: Array<[FacetName, string]> = [['outlet', 'outlet'], ['topic', 'topics'], ['date', 'year']];
  const active = (f: FacetName) => (f === 'outlet' ? p.outlet.length > 0 : f === 'topic' ? p.topic.length > 0 : Boolean(p.from || p.to));
  const pageQuery: BackendQuery = {
    ...base,
    filter: filterFor(),
    page: p.page,
    hitsPerPage: p.perPage,
    sort: SORT_RULES[sort],
    attributesToRetrieve: terms.length > 0 ? RETRIEVE_MARKED : RETRIEVE_PLAIN,
  };
  // A page after the first (outside the re-ranked window) is asked for only once the count says
  // it exists: a page past the last, or past what pages reach, gets its total and facets and no
  // hits, and Meilisearch (every instance, on a network) is not asked for hits at its offset.
  const countFirst = !rerank && p.page > 1;
  const main: BackendQuery = rerank
    ? { ...base, filter: filterFor(), page: 1, hitsPerPage: windowSize, attributesToRetrieve: RETRIEVE_WINDOW }
    : countFirst
      ? { ...base, filter: filterFor(), page: 1, hitsPerPage: 0 }
      : pageQuery;
  // `month` of the main query: the coverage chart, at no extra request.
  main.facets = [...own.filter(([f]) => !active(f)).map(([, attr]) => attr), ...(withCoverage ? ['month'] : [])];
  const queries: BackendQuery[] = [main];
  for (const [f, attr] of own) {
    if (active(f)) queries.push({ ...base, filter: filterFor(f), page: 1, hitsPerPage: 0, facets: [attr] });
  }
  if (year !== undefined) {
    queries.push({ ...base, filter: [...filterFor('date'), [`year = ${year}`]], page: 1, hitsPerPage: 0, facets: ['month'] });
  }
  const answer = await backend.search<StoredHit>(queries);
  missing.add(answer.missing);
  const { results } = answer;
  const first = results[0]!;
  const distribution: Record<string, Record<string, number>> = {};
  for (const r of results.slice(1)) Object.assign(distribution, r.facetDistribution);
  // The month list of a selected year is counted without the date filter (a later query); the
  // chart's months are those of the search itself.
  const { month: searchMonths, ...mainFacets } = first.facetDistribution;
  Object.assign(distribution, { ...mainFacets, ...distribution });
  let processingTimeMs = Math.max(...results.map((r) => r.processingTimeMs));
  let hits = first.hits;
  if (countFirst && (p.page - 1) * p.perPage < Math.min(first.total, backend.reachableHits)) {
    const page = await backend.search<StoredHit>([{ ...pageQuery, count: false }]);
    hits = page.results[0]!.hits;
    processingTimeMs += page.results[0]!.processingTimeMs;
    missing.add(page.missing);
  }
  if (rerank) {
    const page = await rerankedPage(backend, first.hits, terms, parsed, p);
    hits = page.hits;
    processingTimeMs += page.processingTimeMs;
    missing.add(page.missing);
  }

  const facets: SearchResult['facets'] = {
    outlet: facetList('outlet', distribution.outlet, p.outlet, p.script),
    topic: facetList('topic', distribution.topics, p.topic, p.script),
    year: facetList('year', distribution.year, [], p.script),
  };
  if (year !== undefined) facets.month = facetList('month', distribution.month, [], p.script);
  const total = first.total;
  return {
    query,
    total,
    page: p.page,
    perPage: p.perPage,
    totalPages: Math.ceil(Math.min(total, backend.reachableHits) / p.perPage),
    processingTimeMs,
    ...missing.fields(),
    ...(prepared.bounded ? { bounded: prepared.bounded } : {}),
    ...(withCoverage ? { coverage: coverageOf(searchMonths, total, p) } : {}),
    hits: hits.map((h) => toHit(h, terms, p.script)),
    facets,
  };
}

/**
 * How well a hit answers the query, compared in order: the unspaced string the reader typed
 * occurs as written (in the title, then anywhere); every term is in the title; how much of the
 * title the terms make up; then the body: occurrences of the terms, and whether they occur
 * together. Meilisearch's order breaks ties.
 */
export function relevance(h: { titleSearch: string; bodySearch: string }, terms: Term[], exactStrings: string[]): number[] {
  const title = h.titleSearch.toLowerCase();
  const body = haystack(h.bodySearch, terms);
  const inTitle = terms.filter((t) => countOf(title, t) > 0);
  const titleChars = Math.max(1, Array.from(title.replace(/[\s\p{P}\p{S}]/gu, '')).length);
  const covered = inTitle.reduce((n, t) => n + Array.from(t.text.replace(/ /g, '')).length, 0);
  const counts = terms.map((t) => countOf(body, t));
  const together = terms.length > 1 ? (bestWindow(body, terms)?.distinct ?? 0) : 0;
  return [
    exactStrings.some((s) => title.includes(s)) ? 1 : 0,
    exactStrings.some((s) => body.includes(s)) ? 1 : 0,
    inTitle.length === terms.length ? 1 : 0,
    inTitle.length,
    inTitle.length === terms.length ? Math.round((100 * covered) / titleChars) : 0,
    counts.reduce((a, b) => a + b, 0) + 3 * together,
  ];
}

const compare = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
};

/**
 * Relevance order: the first RERANK_WINDOW hits (Meilisearch puts title matches and close terms
 * first) ordered by relevance(); then the requested page of them, fetched by id.
 */
function ordered(window: StoredHit[], terms: Term[], parsed: ParsedQuery): StoredHit[] {
  const exactStrings = parsed.segmented.map((s) => s.from);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return window
    .map((h, i) => ({ hit: h, score: relevance({ titleSearch: text(h.titleSearch), bodySearch: text(h.bodySearch) }, terms, exactStrings), i }))
    .sort((a, b) => compare(a.score, b.score) || a.i - b.i)
    .map((h) => h.hit);
}

/** `attributes` of the stories with these ids, in the order of `ids` (an id no longer found is left out). */
async function storiesByIds<T extends { id: unknown }>(backend: SearchBackend, ids: string[], attributes: string[]): Promise<{ stories: T[]; processingTimeMs: number; missing: MissingInstance[] }> {
  if (ids.length === 0) return { stories: [], processingTimeMs: 0, missing: [] };
  const answer = await backend.search<T>([{ q: '', filter: `id IN [${ids.map(quote).join(', ')}]`, page: 1, hitsPerPage: ids.length, attributesToRetrieve: attributes }]);
  const res = answer.results[0]!;
  const byId = new Map(res.hits.map((h) => [String(h.id), h]));
  return { stories: ids.flatMap((id) => byId.get(id) ?? []), processingTimeMs: res.processingTimeMs, missing: answer.missing };
}

async function rerankedPage(backend: SearchBackend, window: StoredHit[], terms: Term[], parsed: ParsedQuery, p: SearchParams): Promise<{ hits: StoredHit[]; processingTimeMs: number; missing: MissingInstance[] }> {
  const page = ordered(window, terms, parsed).slice((p.page - 1) * p.perPage, p.page * p.perPage);
  const found = await storiesByIds<StoredHit>(backend, page.map((h) => h.id), [...DISPLAY, 'body']);
  // The canonical texts came with the window; the page's request did not fetch them again.
  const texts = new Map(page.map((w) => [w.id, w]));
  const hits = found.stories.map((h) => ({ ...h, titleSearch: texts.get(h.id)!.titleSearch, bodySearch: texts.get(h.id)!.bodySearch }));
  return { hits, processingTimeMs: found.processingTimeMs, missing: found.missing };
}

/** Stories a batch of the in-order reading fetches at once (the re-ranked window is one batch). */
export const IN_ORDER_BATCH = RERANK_WINDOW;

/**
 * Every matching story in the order the pages show them (by relevance: the re-ranked window
 * first, then Meilisearch's order; else by date), `attributes` of each, at most `max` and no
 * further than pages reach. Instances that did not answer are added to `prepared.missing`.
 */
export async function* storiesInOrder(backend: SearchBackend, prepared: Prepared, attributes: string[], max: number): AsyncGenerator<Record<string, unknown>> {
  if (prepared.nothing || max <= 0) return;
  const { base, terms, parsed, sort, missing } = prepared;
  const filter = prepared.filterFor();
  const limit = Math.min(max, backend.reachableHits);
  let sent = 0;
  let page = 1;
  if (terms.length > 0 && sort === 'relevance') {
    const window = await backend.search<StoredHit>([{ ...base, filter, page: 1, hitsPerPage: IN_ORDER_BATCH, attributesToRetrieve: RETRIEVE_WINDOW }]);
    missing.add(window.missing);
    const ids = ordered(window.results[0]!.hits, terms, parsed).map((h) => h.id).slice(0, limit);
    const found = await storiesByIds<Record<string, unknown> & { id: unknown }>(backend, ids, attributes);
    missing.add(found.missing);
    yield* found.stories;
    sent = ids.length;
    if (ids.length < IN_ORDER_BATCH) return;
    page = 2;
  }
  for (; sent < limit; page++) {
    const answer = await backend.search([{ ...base, filter, sort: SORT_RULES[sort], page, hitsPerPage: IN_ORDER_BATCH, attributesToRetrieve: attributes, count: false }]);
    missing.add(answer.missing);
    const { hits } = answer.results[0]!;
    for (const h of hits.slice(0, limit - sent)) yield h;
    sent += hits.length;
    if (hits.length < IN_ORDER_BATCH) return;
  }
}

/** Stored documents are read defensively: an index loaded by other tools may lack fields. */
function toHit(stored: StoredHit, terms: Term[], script: SearchParams['script']): SearchHit {
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const h = { ...stored, title: text(stored.title), titleSearch: text(stored.titleSearch), body: text(stored.body), bodySearch: text(stored.bodySearch) };
  const centre = terms.length > 0 ? bestWindow(haystack(h.bodySearch, terms), terms)?.centre : undefined;
  return {
    id: String(h.id),
    title: h.title,
    url: text(h.url),
    outlet: { id: text(h.outlet), name: text(h.outletName) },
    topics: Array.isArray(h.topics) ? h.topics.map(String) : [],
    publishedAt: typeof h.publishedAt === 'number' ? new Date(h.publishedAt).toISOString() : null,
    lang: langOf(text(h.script), script),
    titleHtml: renderMarked(h.title, findInOriginal(h.title, terms, h.titleSearch), script),
    snippetHtml:
      centre === undefined
        ? snippetHtml(typeof stored.lead === 'string' ? stored.lead : h.body, undefined, terms, script)
        : snippetHtml(h.body, characterIndex(h.bodySearch, centre), terms, script, h.bodySearch),
  };
}

/** Document ids are lower-case letters, digits and dashes (indexer/article-id.ts). */
const ARTICLE_ID = /^[a-z0-9-]{1,100}$/;

/**
 * One story by its id or the id of one of its copies (a search, so the search-only key can);
 * undefined for an unknown or malformed id.
 */
export async function findArticle(backend: SearchBackend, id: string): Promise<Record<string, unknown> | undefined> {
  if (!ARTICLE_ID.test(id)) return undefined;
  const { results } = await backend.search([{
    q: '',
    filter: `id = ${quote(id)} OR copyIds = ${quote(id)}`,
    page: 1,
    hitsPerPage: 1,
    attributesToRetrieve: ['id', 'url', 'title', 'body', 'excerpt', 'tags', 'outlet', 'outletName', 'topics', 'publishedAt', 'updatedAt', 'author', 'image', 'script', 'alsoPublishedAs'],
  }]);
  return results[0]!.hits[0];
}

/** Facet values and counts of the whole index. */
export async function indexFacets(backend: SearchBackend, script: SearchParams['script']): Promise<IndexFacetsJson> {
  const answer = await backend.search([{ q: '', page: 1, hitsPerPage: 0, facets: ['outlet', 'topics', 'year'] }]);
  const res = answer.results[0]!;
  const d = res.facetDistribution;
  const missing = new Missing();
  missing.add(answer.missing);
  return {
    total: res.total,
    ...missing.fields(),
    outlet: facetList('outlet', d.outlet, [], script),
    topic: facetList('topic', d.topics, [], script),
    year: facetList('year', d.year, [], script),
  };
}
