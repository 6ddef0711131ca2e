// One stored story → the article JSON of /api/articles/:id (and the article page), in the
// reader's script.
import { inScript, langOf } from './display.js';
import type { DisplayScript } from './params.js';

export interface ArticleJson {
  id: string;
  url: string;
  title: string;
  outlet: { id: string; name: string };
  publishedAt: string | null;
  updatedAt: string | null;
  topics: string[];
  tags: string[];
  author: string | null;
  image: string | null;
  excerpt: string;
  paragraphs: string[];
  script: string;
  lang: string;
  alsoPublishedAs: Array<{ id: string; url: string }>;
}

const iso = (ms: unknown) => (typeof ms === 'number' ? new Date(ms).toISOString() : null);
const str = (v: unknown) => (typeof v === 'string' ? v : '');

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
    script: str(doc.script),
    lang: langOf(str(doc.script), script),
    alsoPublishedAs: (doc.alsoPublishedAs as ArticleJson['alsoPublishedAs'] | undefined) ?? [],
  };
}
