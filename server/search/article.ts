// One stored story → the article JSON of /api/articles/:id (and the article page), in the
// reader's script.
import { Article, type ArticleJson } from '../api/responses.js';
import { inScript, langOf } from './display.js';
import type { DisplayScript } from './params.js';

export type { ArticleJson } from '../api/responses.js';

const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const str = (v: unknown) => (typeof v === 'string' ? v : '');
/** An index written by other tools may hold any script: `mixed` then claims nothing. */
const scriptOf = (v: unknown): ArticleJson['script'] => Article.shape.script.safeParse(v).data ?? 'mixed';

/** The stored copies, read defensively: an older index kept only their ids and URLs. */
function copiesOf(stored: unknown, script: DisplayScript): ArticleJson['alsoPublishedAs'] {
  if (!Array.isArray(stored)) return [];
  return stored.map((c: Record<string, unknown>) => ({
    id: str(c.id),
    url: str(c.url),
    title: typeof c.title === 'string' ? inScript(c.title, script) : null,
    publishedAt: iso(c.publishedAt),
  }));
}

export function articleJson(doc: Record<string, unknown>, script: DisplayScript): ArticleJson {
  const body = str(doc.body);
  return {
    id: str(doc.id),
    url: str(doc.url),
    title: inScript(str(doc.title), script),
    outlet: { id: str(doc.outlet), name: str(doc.outletName) },
    publishedAt: iso(doc.publishedAt),
    updatedAt: iso(doc.updatedAt),
    topics: (doc.topics as string[] | undefined) ?? [],
    tags: (doc.tags as string[] | undefined) ?? [],
    author: typeof doc.author === 'string' ? doc.author : null,
    // Checked again here: an index written by an older indexer may hold a non-web URL.
    image: typeof doc.image === 'string' && /^https?:\/\//i.test(doc.image) ? doc.image : null,
    excerpt: inScript(str(doc.excerpt), script),
    paragraphs: body ? inScript(body, script).split('\n\n') : [],
    script: scriptOf(doc.script),
    lang: langOf(str(doc.script), script),
    alsoPublishedAs: copiesOf(doc.alsoPublishedAs, script),
  };
}
