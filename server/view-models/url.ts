// Page URLs from search parameters: every state lives in the URL, defaults left out.
import { DEFAULT_PER_PAGE, type SearchParams } from '../search/params.js';

export type UrlState = Pick<SearchParams, 'q' | 'outlet' | 'topic' | 'from' | 'to' | 'sort' | 'page' | 'perPage' | 'script'> &
  Partial<Pick<SearchParams, 'undated' | 'person' | 'place' | 'organization'>>;

export function searchUrl(state: UrlState, path = '/'): string {
  const qs = new URLSearchParams();
  if (state.q) qs.set('q', state.q);
  for (const o of state.outlet) qs.append('outlet', o);
  for (const t of state.topic) qs.append('topic', t);
  for (const v of state.person ?? []) qs.append('person', v);
  for (const v of state.place ?? []) qs.append('place', v);
  for (const v of state.organization ?? []) qs.append('organization', v);
  if (state.from) qs.set('from', state.from);
  if (state.to) qs.set('to', state.to);
  if (state.undated) qs.set('undated', state.undated);
  if (state.sort) qs.set('sort', state.sort);
  if (state.page > 1) qs.set('page', String(state.page));
  if (state.perPage !== DEFAULT_PER_PAGE) qs.set('perPage', String(state.perPage));
  if (state.script !== 'orig') qs.set('script', state.script);
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The same state with `changes`; any change other than the page goes back to page 1. */
export function withChanges(state: UrlState, changes: Partial<UrlState>): string {
  const page = 'page' in changes ? changes.page! : 1;
  return searchUrl({ ...state, ...changes, page });
}

export const toggle = (list: string[], value: string): string[] =>
  list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
