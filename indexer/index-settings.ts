// The index settings, as code. Applied when an index is created and on every reindex.
import type { Index, Settings } from 'meilisearch';
import { isDeepStrictEqual } from 'node:util';

/** Facet counts and totals are exact up to this many hits (the 48k corpus fits). */
export const MAX_TOTAL_HITS = 50_000;

export const INDEX_SETTINGS = {
  // Title matches rank above body matches: attribute order is a ranking rule. The bigram fields
  // are searched only by one-word queries (attributesToSearchOn), the others never.
  searchableAttributes: ['titleSearch', 'bodySearch', 'tagsSearch', 'titleBigrams', 'bodyBigrams'],
  // Without this, short all-Han strings can be detected as Japanese and segmented as such.
  localizedAttributes: [{ attributePatterns: ['titleSearch', 'bodySearch', 'tagsSearch', 'titleBigrams', 'bodyBigrams'], locales: ['cmn'] }],
  // `id` and `copyIds` let a search-only key fetch one story by any of its URLs' ids.
  filterableAttributes: ['id', 'copyIds', 'outlet', 'topics', 'publishedAt', 'year', 'month'],
  sortableAttributes: ['publishedAt'],
  // `sort` first: a reader who asks for newest or oldest gets strict date order, not relevance
  // with dates as a tie-breaker. Without a sort in the query the rule does nothing.
  rankingRules: ['sort', 'words', 'typo', 'proximity', 'attribute', 'exactness'],
  // What the app shows, plus the canonical copies: Meilisearch reports match positions only in
  // displayed attributes, and the server maps them back onto the original text.
  displayedAttributes: [
    'id', 'url', 'title', 'body', 'excerpt', 'tags', 'outlet', 'outletName', 'topics',
    'publishedAt', 'updatedAt', 'year', 'month', 'author', 'image', 'script', 'alsoPublishedAs',
    'titleSearch', 'bodySearch', 'titleBigrams', 'bodyBigrams',
  ],
  faceting: { maxValuesPerFacet: 1000, sortFacetValuesBy: { '*': 'count' } },
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
