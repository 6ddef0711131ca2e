// The facet counts of a search (outlet, topic, year, and the months of a selected year), exact
// and disjunctive: a facet whose own filter is active is counted without it, in an extra query,
// so that the reader sees what choosing another value would give. Also the whole index's facets.
import type { IndexFacetsJson } from '../api/responses.js';
import type { BackendQuery, BackendResult, SearchBackend } from './backend.js';
import { facetList } from './facets.js';
import { NAME_FACET_VALUES, NAME_FACETS, selectedYear, type FacetName, type NameFacet } from './filters.js';
import { Missing } from './missing.js';
import type { SearchParams } from './params.js';
import type { PlannedSearch } from './plan.js';
import type { SearchResult } from './search-result.js';

/** Each facet's filter and the attribute Meilisearch counts it by. */
const OWN: Array<[FacetName, string]> = [
  ['outlet', 'outlet'],
  ['topic', 'topics'],
  ['date', 'year'],
  ...(Object.entries(NAME_FACETS) as Array<[NameFacet, string]>),
];

const active = (f: FacetName, p: SearchParams) => {
  if (f === 'outlet') return p.outlet.length > 0;
  if (f === 'topic') return p.topic.length > 0;
  if (f === 'date') return Boolean(p.from || p.to || p.undated);
  return p[f].length > 0;
};

export interface FacetRequests {
  /** Facets the search's own query counts (`month`: the coverage chart, at no extra request). */
  main: string[];
  /** Queries that count the active facets without their filter, then the months of a selected year. */
  extra: BackendQuery[];
}

export function facetRequests(planned: PlannedSearch, p: SearchParams, withCoverage: boolean): FacetRequests {
  const { base, filterFor } = planned;
  const main = [...OWN.filter(([f]) => !active(f, p)).map(([, attr]) => attr), ...(withCoverage ? ['month'] : [])];
  const extra: BackendQuery[] = [];
  for (const [f, attr] of OWN) {
    if (active(f, p)) extra.push({ ...base, filter: filterFor(f), page: 1, hitsPerPage: 0, facets: [attr] });
  }
  const year = selectedYear(p);
  if (year !== undefined) {
    extra.push({ ...base, filter: [...filterFor('date'), [`year = ${year}`]], page: 1, hitsPerPage: 0, facets: ['month'] });
  }
  return { main, extra };
}

/**
 * The facets from the answers to the main query and the FacetRequests' extra queries (in that
 * order), and the months of the search itself (the coverage chart).
 */
export function facetCounts(
  results: Array<BackendResult<unknown>>,
  p: SearchParams,
): { facets: SearchResult['facets']; searchMonths: Record<string, number> | undefined } {
  const distribution: Record<string, Record<string, number>> = {};
  for (const r of results.slice(1)) Object.assign(distribution, r.facetDistribution);
  // The month list of a selected year is counted without the date filter (a later query); the
  // chart's months are those of the search itself.
  const { month: searchMonths, ...mainFacets } = results[0]!.facetDistribution;
  Object.assign(distribution, { ...mainFacets, ...distribution });
  const facets: SearchResult['facets'] = {
    outlet: facetList('outlet', distribution.outlet, p.outlet, p.script),
    topic: facetList('topic', distribution.topics, p.topic, p.script),
    year: facetList('year', distribution.year, [], p.script),
    undated: undatedCount(results, p),
    person: nameList(distribution.people, p.person, p.script),
    place: nameList(distribution.places, p.place, p.script),
    organization: nameList(distribution.organizations, p.organization, p.script),
  };
  if (selectedYear(p) !== undefined) facets.month = facetList('month', distribution.month, [], p.script);
  return { facets, searchMonths };
}

/** A name facet: its NAME_FACET_VALUES most frequent values, and any chosen value beyond them. */
function nameList(counts: Record<string, number> | undefined, selected: string[], script: SearchParams['script']) {
  const list = facetList('name', counts, selected, script);
  return list.filter((f, i) => i < NAME_FACET_VALUES || selected.includes(f.value));
}

/**
 * The stories without a date, among those the years are counted over: the total of that query
 * (the main one, or the extra one without the date filter) less its dated stories.
 */
function undatedCount(results: Array<BackendResult<unknown>>, p: SearchParams): number {
  const before = OWN.findIndex(([f]) => f === 'date');
  const counted = active('date', p) ? results[1 + OWN.slice(0, before).filter(([f]) => active(f, p)).length]! : results[0]!;
  const dated = Object.values(counted.facetDistribution.year ?? {}).reduce((a, b) => a + b, 0);
  return Math.max(0, counted.total - dated);
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
