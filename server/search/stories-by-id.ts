// Stories fetched by id, as searches with an id filter (so that the search-only key can, and a
// network answers as for any search): the page of a re-ranked window, an export's first batch,
// and one article by its id or the id of one of its copies.
import type { MissingInstance, SearchBackend } from './backend.js';
import { quote } from './filters.js';

/** `attributes` of the stories with these ids, in the order of `ids` (an id no longer found is left out). */
export async function storiesByIds<T extends { id: unknown }>(
  backend: SearchBackend,
  ids: string[],
  attributes: string[],
): Promise<{ stories: T[]; processingTimeMs: number; missing: MissingInstance[] }> {
  if (ids.length === 0) return { stories: [], processingTimeMs: 0, missing: [] };
  const answer = await backend.search<T>([
    { q: '', filter: `id IN [${ids.map(quote).join(', ')}]`, page: 1, hitsPerPage: ids.length, attributesToRetrieve: attributes },
  ]);
  const res = answer.results[0]!;
  const byId = new Map(res.hits.map((h) => [String(h.id), h]));
  return { stories: ids.flatMap((id) => byId.get(id) ?? []), processingTimeMs: res.processingTimeMs, missing: answer.missing };
}

/** Document ids are lower-case letters, digits and dashes (indexer/article-id.ts). */
const ARTICLE_ID = /^[a-z0-9-]{1,100}$/;

/** What the article page and /api/articles/:id show of a story. */
const ARTICLE_FIELDS = [
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
  'author',
  'image',
  'script',
  'alsoPublishedAs',
  // What the related stories are found by (related.ts).
  'keywords',
  'people',
  'places',
  'organizations',
];

/** One story by its id or the id of one of its copies; undefined for an unknown or malformed id. */
export async function findArticle(backend: SearchBackend, id: string): Promise<Record<string, unknown> | undefined> {
  if (!ARTICLE_ID.test(id)) return undefined;
  const { results } = await backend.search([
    {
      q: '',
      filter: `id = ${quote(id)} OR copyIds = ${quote(id)}`,
      page: 1,
      hitsPerPage: 1,
      attributesToRetrieve: ARTICLE_FIELDS,
    },
  ]);
  return results[0]!.hits[0];
}
