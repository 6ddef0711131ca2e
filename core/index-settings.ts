// The index settings, as code. Applied when an index is created and on every reindex.
import type { Index, Settings } from 'meilisearch';
import { isDeepStrictEqual } from 'node:util';

/**
 * Pages reach this many hits. Facet counts never stop here, and totals that reach it are counted
 * again by a federated query, whose total Meilisearch does not cap (server/search/backend.ts).
 */
export const MAX_TOTAL_HITS = 50_000;

export const INDEX_SETTINGS = {
  // Only the exact-match fields are searched (every query term is a phrase over them: see
  // core/text/exact-terms.ts); title matches rank above body matches, attribute order being a rule.
  // Each is an object of parts (bodyExact.1, bodyExact.2, …), which these names cover, all with
  // the weight of their field (checked on 1.21).
  searchableAttributes: ['titleExact', 'bodyExact'],
  // A fixed locale: Meilisearch does not guess a language for each text (the fields hold only
  // Latin tokens, so no Chinese or Japanese segmenter runs on them). A pattern names a field as
  // written, not the fields nested in it (checked on 1.21), hence `.*` for the parts; the plain
  // names keep the locale of the one-string fields of an index built before the parts, until its
  // next reindex replaces them.
  localizedAttributes: [{ attributePatterns: ['titleExact', 'titleExact.*', 'bodyExact', 'bodyExact.*'], locales: ['cmn'] }],
  // `id` and `copyIds` let a search-only key fetch one story by any of its URLs' ids. The extracted
  // terms and names (core/text/extract.ts) are facets and filters too. `shard`: on a network, an
  // instance holds several shards and is asked for some of them (core/shards.ts).
  filterableAttributes: [
    'id',
    'copyIds',
    'outlet',
    'topics',
    'publishedAt',
    'year',
    'month',
    'keywords',
    'people',
    'places',
    'organizations',
    'shard',
  ],
  // `id` breaks ties between stories published at the same time, so one instance and a network
  // of them give the same order (it is filterable already: no new structure is built). Listed
  // sorted, as Meilisearch returns them, so that settingsToApply() finds nothing to change.
  sortableAttributes: ['id', 'publishedAt'],
  // `sort` first: a reader who asks for newest or oldest gets strict date order, not relevance
  // with dates as a tie-breaker. Without a sort in the query the rule does nothing.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  // What the app shows, plus the canonical copies, in which the server finds the matches to mark
  // and counts occurrences for ranking, and the body's opening for hits without terms.
  displayedAttributes: [
    'id',
    'url',
    'title',
    'body',
    'excerpt',
    'tags',
    'outlet',
    'outletName',
    'topics',
    'publishedAt',
    'updatedAt',
    'year',
    'month',
    'author',
    'image',
    'script',
    'alsoPublishedAs',
    'titleSearch',
    'bodySearch',
    'lead',
    'keywords',
    'people',
    'places',
    'organizations',
  ],
  faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { '*': 'count' } },
  // Every term is searched as a phrase, which never matches by prefix, and facet values are never
  // searched: neither structure is built (each cost seconds in every indexing batch).
  prefixSearch: 'disabled',
  facetSearch: false,
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
} satisfies Settings;

/** Settings that differ from INDEX_SETTINGS, or undefined when the index already has them all. */
export async function settingsToApply(index: Index): Promise<Settings | undefined> {
  const current = (await index.getSettings()) as Record<string, unknown>;
  const differs = Object.entries(INDEX_SETTINGS).some(([key, value]) => !isDeepStrictEqual(current[key], value));
  return differs ? INDEX_SETTINGS : undefined;
}

/** Apply INDEX_SETTINGS if needed and check the task succeeded. */
export async function applySettings(index: Index, timeoutMs = 600_000): Promise<boolean> {
  const settings = await settingsToApply(index);
  if (!settings) return false;
  const task = await index.updateSettings(settings).waitTask({ timeout: timeoutMs, interval: 200 });
  if (task.status !== 'succeeded') {
    throw new Error(`updating settings of index ${index.uid} failed: ${task.error?.message ?? task.status}`);
  }
  return true;
}
