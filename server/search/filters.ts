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

export type FacetName = 'outlet' | 'topic' | 'date';

/** One AND-ed list of OR-groups, leaving out the filter named by `without` (disjunctive facets). */
export function buildFilter(p: SearchParams, without?: FacetName): string[][] {
  const filter: string[][] = [];
  if (without !== 'outlet' && p.outlet.length) filter.push(p.outlet.map((o) => `outlet = ${quote(o)}`));
  if (without !== 'topic' && p.topic.length) filter.push(p.topic.map((t) => `topics = ${quote(t)}`));
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
