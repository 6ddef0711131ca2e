// Article → the document Meilisearch stores. Search fields are the canonical (simplified,
// mainland-vocabulary) form; the original text is kept beside them for display.
import { exactParts, type ExactParts } from './text/exact-parts.js';
import { extractTerms, type ExtractedTerms } from './text/extract.js';
import { toCanonical } from './text/normalize.js';
import type { Article } from './schema.js';

export interface IndexDocument {
  id: string;
  url: string;
  title: string;
  body: string;
  /** The body's first LEAD_CHARS characters and one more (to tell whether it goes on). */
  lead: string;
  excerpt: string;
  tags: string[];
  /** Outlet id: the filter and facet value. */
  outlet: string;
  outletName: string;
  topics: string[];
  /** Epoch milliseconds (numeric, so Meilisearch can filter ranges and sort), or null. */
  publishedAt: number | null;
  updatedAt: number | null;
  /** Calendar year and month in Hong Kong/Beijing time (UTC+8), for facets. */
  year?: number;
  month?: string;
  author?: string;
  image?: string;
  script: Article['script'];
  /**
   * Other URLs of the same story (near-duplicate copies grouped at index time), with each copy's
   * title and publication time (epoch ms) for the story's page; those two are absent in indexes
   * built before they were kept. A copy's outlet is the story's (copies share their outlet).
   */
  alsoPublishedAs: Array<{ id: string; url: string; title?: string; publishedAt?: number | null }>;
  /** The copies' ids, filterable, so an old link to a copy finds its story. */
  copyIds: string[];
  titleSearch: string;
  bodySearch: string;
  /**
   * The searched fields (core/text/exact-terms.ts, exact-parts.ts): Han bigrams and lower-case words of the
   * canonical text, in parts that each fit Meilisearch's positions per attribute.
   */
  titleExact: ExactParts;
  bodyExact: ExactParts;
  /**
   * What the story is about (core/text/extract.ts), canonical, filterable and faceted: its top
   * keywords (the terms of a search are aggregated from these) and the listed people, places
   * and organizations it names.
   */
  keywords: string[];
  people: string[];
  places: string[];
  organizations: string[];
}

/**
 * Characters of a result's snippet. A hit without a match in its body shows the opening, which
 * the server reads from `lead` instead of the whole body.
 */
export const LEAD_CHARS = 120;

/** Hong Kong and Beijing have been UTC+8 without daylight saving since 1979. */
export const CHINA_OFFSET_MS = 8 * 3600_000;

/** The whole document of an article: its text, its exact fields and what it is about. */
export function toIndexDocument(a: Article): IndexDocument {
  return withTerms(toBaseDocument(a));
}

/**
 * The document without its keywords and names (empty lists): what a reindex prepares for every
 * file. Extraction is the costliest step and only a story that is sent needs it (not the copies
 * that fold into another story), so the reindex adds it with withTerms() when it sends one.
 */
export function toBaseDocument(a: Article): IndexDocument {
  const published = a.publishedAt === null ? null : Date.parse(a.publishedAt);
  const doc: IndexDocument = {
    id: a.id,
    url: a.url,
    title: a.title,
    body: a.body,
    lead: Array.from(a.body.slice(0, 2 * (LEAD_CHARS + 1)))
      .slice(0, LEAD_CHARS + 1)
      .join(''),
    excerpt: a.excerpt,
    tags: a.tags,
    outlet: a.outlet.id,
    outletName: a.outlet.name,
    topics: a.topics,
    publishedAt: published,
    updatedAt: a.updatedAt ? Date.parse(a.updatedAt) : null,
    script: a.script,
    alsoPublishedAs: [],
    copyIds: [],
    titleSearch: toCanonical(a.title),
    bodySearch: toCanonical(a.body),
    titleExact: {},
    bodyExact: {},
    keywords: [],
    people: [],
    places: [],
    organizations: [],
  };
  doc.titleExact = exactParts(doc.titleSearch);
  doc.bodyExact = exactParts(doc.bodySearch);
  if (published !== null) {
    const local = new Date(published + CHINA_OFFSET_MS).toISOString();
    doc.year = Number(local.slice(0, 4));
    doc.month = local.slice(0, 7);
  }
  if (a.author) doc.author = a.author;
  if (a.image) doc.image = a.image;
  return doc;
}

/** The document with its keywords and names, extracted from its canonical title and body. */
export function withTerms<T extends Pick<IndexDocument, 'titleSearch' | 'bodySearch'>>(doc: T): T & ExtractedTerms {
  return { ...doc, ...extractTerms(doc.titleSearch, doc.bodySearch) };
}
