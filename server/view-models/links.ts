// Where a search's results can go from the page: CSV and JSON Lines export, the Atom feed of the
// newest, and the compare page. Each keeps the selection (query, filters, script), not the page.
import { DEFAULT_PER_PAGE } from '../search/params.js';
import { searchUrl, type UrlState } from './url.js';

/** `extra`, then the search's query, filters and script as URL parameters (not its sort or page). */
export function selection(state: UrlState, extra: Record<string, string> | Array<[string, string]> = {}): string {
  const qs = new URLSearchParams(extra);
  for (const [k, v] of new URLSearchParams(searchUrl({ ...state, sort: null, page: 1, perPage: DEFAULT_PER_PAGE }, ''))) qs.append(k, v);
  return qs.toString();
}

export function resultLinks(state: UrlState): { csv: string; jsonl: string; feed: string; compare?: string } {
  const sort: Record<string, string> = state.sort ? { sort: state.sort } : {};
  const feed = selection(state);
  return {
    csv: `/api/export?${selection(state, { format: 'csv', ...sort })}`,
    jsonl: `/api/export?${selection(state, { format: 'jsonl', ...sort })}`,
    feed: feed ? `/feed.xml?${feed}` : '/feed.xml',
    compare: state.q ? `/trends?${selection(state)}` : undefined,
  };
}
