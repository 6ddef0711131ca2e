// Every story a search matches, in the order its pages show them (GET /api/export): by relevance,
// the re-ranked window first (rerank.ts), then Meilisearch's order; else by date. Batch by batch,
// as Meilisearch answers, never further than pages reach.
import type { SearchBackend } from './backend.js';
import { SORT_RULES, type PlannedSearch } from './plan.js';
import { RERANK_WINDOW, rerank } from './rerank.js';
import { storiesByIds } from './stories-by-id.js';
import { RETRIEVE_WINDOW, type StoredHit } from './stored-hit.js';

/** Stories a batch of the in-order reading fetches at once (the re-ranked window is one batch). */
export const IN_ORDER_BATCH = RERANK_WINDOW;

/**
 * `attributes` of each matching story in page order, at most `max`. Instances that did not
 * answer are added to `planned.missing`.
 */
export async function* storiesInOrder(
  backend: SearchBackend,
  planned: PlannedSearch,
  attributes: string[],
  max: number,
): AsyncGenerator<Record<string, unknown>> {
  if (planned.nothing || max <= 0) return;
  const { base, terms, parsed, sort, missing } = planned;
  const filter = planned.filterFor();
  const limit = Math.min(max, backend.reachableHits);
  let sent = 0;
  let page = 1;
  if (terms.length > 0 && sort === 'relevance') {
    const window = await backend.search<StoredHit>([
      { ...base, filter, page: 1, hitsPerPage: IN_ORDER_BATCH, attributesToRetrieve: RETRIEVE_WINDOW },
    ]);
    missing.add(window.missing);
    const ids = rerank(window.results[0]!.hits, terms, parsed)
      .map((h) => h.id)
      .slice(0, limit);
    const found = await storiesByIds<Record<string, unknown> & { id: unknown }>(backend, ids, attributes);
    missing.add(found.missing);
    yield* found.stories;
    sent = ids.length;
    if (ids.length < IN_ORDER_BATCH) return;
    page = 2;
  }
  for (; sent < limit; page++) {
    const answer = await backend.search([
      { ...base, filter, sort: SORT_RULES[sort], page, hitsPerPage: IN_ORDER_BATCH, attributesToRetrieve: attributes, count: false },
    ]);
    missing.add(answer.missing);
    const { hits } = answer.results[0]!;
    for (const h of hits.slice(0, limit - sent)) yield h;
    sent += hits.length;
    if (hits.length < IN_ORDER_BATCH) return;
  }
}
