// Meilisearch filters from validated parameters. Values are quoted and escaped, never spliced
// raw, so no parameter can change the meaning of the filter expression.
import { CHINA_OFFSET_MS } from '../../core/index-document.js';
import type { SearchParams } from './params.js';

const DAY_MS = 86_400_000;

/** A filter string literal: double-quoted, with backslashes and quotes escaped. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Start of a UTC+8 calendar day, as epoch milliseconds. */
export function dayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - CHINA_OFFSET_MS;
}

export type FacetName = 'outlet' | 'topic' | 'date' | NameFacet;

/** The name facets: parameter → the stored attribute (core/text/extract.ts). */
export const NAME_FACETS = { person: 'people', place: 'places', organization: 'organizations' } as const;
export type NameFacet = keyof typeof NAME_FACETS;

/** Values shown of each name facet: the most frequent, and the chosen ones. */
export const NAME_FACET_VALUES = 10;

/** The parameters that filter; the name filters may be absent (no name chosen). */
export type FilterParams = Omit<SearchParams, NameFacet> & Partial<Pick<SearchParams, NameFacet>>;

/** One AND-ed list of OR-groups, leaving out the filter named by `without` (disjunctive facets). */
export function buildFilter(p: FilterParams, without?: FacetName): string[][] {
  const filter: string[][] = [];
  if (without !== 'outlet' && p.outlet.length) filter.push(p.outlet.map((o) => `outlet = ${quote(o)}`));
  if (without !== 'topic' && p.topic.length) filter.push(p.topic.map((t) => `topics = ${quote(t)}`));
  for (const [param, attribute] of Object.entries(NAME_FACETS) as Array<[NameFacet, string]>) {
    const values = p[param] ?? [];
    if (without !== param && values.length) filter.push(values.map((v) => `${attribute} = ${quote(v)}`));
  }
  if (without !== 'date') {
    // Stored as null (core/index-document.ts); NOT EXISTS too, for a document written without it.
    if (p.undated === 'only') filter.push(['publishedAt IS NULL', 'publishedAt NOT EXISTS']);
    if (p.from) filter.push([`publishedAt >= ${dayStart(p.from)}`]);
    if (p.to) filter.push([`publishedAt < ${dayStart(p.to) + DAY_MS}`]);
  }
  return filter;
}

/** The one calendar year that from/to select, if they lie in the same year. */
export function selectedYear(p: Pick<SearchParams, 'from' | 'to'>): number | undefined {
  if (!p.from || !p.to) return undefined;
  return p.from.slice(0, 4) === p.to.slice(0, 4) ? Number(p.from.slice(0, 4)) : undefined;
}
