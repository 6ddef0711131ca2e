// GET /api/timeline, the compare page and the chart fragment: a search's coverage over time in
// one Meilisearch request (the month facet counts of the search, no hits).
import type { Timeline } from '../api/responses.js';
import type { MissingInstance, SearchBackend } from './backend.js';
import { coverageOf, type Interval } from './coverage-buckets.js';
import type { SearchParams } from './params.js';
import { planSearch } from './plan.js';

export interface MonthCounts {
  months: Record<string, number>;
  total: number;
  missing: MissingInstance[];
}

/** Stories of a search per `YYYY-MM`, and its total (which also counts the undated ones). */
export async function monthCounts(backend: SearchBackend, p: SearchParams): Promise<MonthCounts> {
  const planned = await planSearch(backend, p);
  if (planned.nothing) return { months: {}, total: 0, missing: [] };
  const answer = await backend.search([{ ...planned.base, filter: planned.filterFor(), page: 1, hitsPerPage: 0, facets: ['month'] }]);
  planned.missing.add(answer.missing);
  const { total, facetDistribution } = answer.results[0]!;
  return { months: facetDistribution.month ?? {}, total, missing: planned.missing.fields().missing ?? [] };
}

/** /api/timeline's answer but its query. */
export type TimelineResult = Omit<Timeline, 'query'>;

export async function timeline(backend: SearchBackend, p: SearchParams, interval?: Interval): Promise<TimelineResult> {
  const counts = await monthCounts(backend, p);
  return {
    ...coverageOf(counts.months, counts.total, p, interval),
    total: counts.total,
    partial: counts.missing.length > 0,
    ...(counts.missing.length ? { missing: counts.missing } : {}),
  };
}
