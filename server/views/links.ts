// Where a search's results can go from the page: CSV and JSON Lines export, the Atom feed of the
// newest, and the compare page. Each keeps the selection (query, filters, script), not the page.
import type { UrlState } from './url.js';

function selection(state: UrlState, extra: Record<string, string> = {}): string {
  const qs = new URLSearchParams(extra);
  if (state.q) qs.set('q', state.q);
  for (const o of state.outlet) qs.append('outlet', o);
  for (const t of state.topic) qs.append('topic', t);
  if (state.from) qs.set('from', state.from);
  if (state.to) qs.set('to', state.to);
  if (state.script !== 'orig') qs.set('script', state.script);
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
