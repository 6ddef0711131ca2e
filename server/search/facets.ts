// Facet values → {value, label, count} lists in a stable order, labels in the reader's script.
import { OUTLET_NAMES } from '../../core/outlets.js';
import { inScript } from './display.js';
import type { FacetValue } from '../api/responses.js';
import type { DisplayScript } from './params.js';

export type { FacetValue } from '../api/responses.js';

/** `name`: a person, place or organization (canonical, shown in the reader's script). */
export type FacetKind = 'outlet' | 'topic' | 'year' | 'month' | 'name';

/** Counts from Meilisearch, plus the selected values (count 0 if absent) so they can be cleared. */
export function facetList(
  kind: FacetKind,
  counts: Record<string, number> | undefined,
  selected: string[],
  script: DisplayScript,
): FacetValue[] {
  const all = { ...(counts ?? {}) };
  for (const v of selected) all[v] ??= 0;
  const list = Object.entries(all).map(([value, count]) => ({ value, label: label(kind, value, script), count }));
  if (kind === 'year') list.sort((a, b) => b.value.localeCompare(a.value));
  else if (kind === 'month') list.sort((a, b) => a.value.localeCompare(b.value));
  else list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return list;
}

function label(kind: FacetKind, value: string, script: DisplayScript): string {
  switch (kind) {
    case 'outlet':
      return inScript(OUTLET_NAMES.get(value) ?? value, script);
    case 'topic':
    case 'name':
      return inScript(value, script);
    case 'year':
      return value;
    case 'month':
      return `${Number(value.slice(5, 7))}月`;
  }
}
