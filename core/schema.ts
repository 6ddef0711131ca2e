// The document shape every format is parsed into. Index settings join it in the reindex issue.

export type Script = 'hans' | 'hant' | 'mixed';

export interface Outlet {
  /** Short stable id used in URLs and filters, e.g. `rfi`. */
  id: string;
  /** Display name in Chinese, e.g. `法广 RFI`. */
  name: string;
}

export interface Article {
  /** Stable across runs and machines: derived from the canonical URL. Meilisearch-safe. */
  id: string;
  url: string;
  title: string;
  outlet: Outlet;
  /** ISO 8601 UTC, or null when the source gives no trustworthy date. */
  publishedAt: string | null;
  /** Last edit time when the source records one (hkcnews `last_updated`). */
  updatedAt?: string;
  /** Canonical topics (see core/topics.ts), at least one. */
  topics: string[];
  /** The source's own sections, categories and tags, as written. */
  tags: string[];
  author?: string;
  image?: string;
  /** Plain text; paragraphs separated by one blank line. */
  body: string;
  excerpt: string;
  script: Script;
}

/** What a format parser extracts before cleaning. */
export interface RawArticle {
  format: 'feedx' | 'feedx-dated' | 'front-matter';
  title: string;
  /** The URL as the source header gives it. */
  url: string;
  /** The original URL when the header URL is an archive.org wrapper. */
  originalUrl?: string;
  publishedAt: string | null;
  updatedAt?: string;
  author?: string;
  category?: string;
  tags: string[];
  /** The body as HTML (feedx) or Markdown with inline HTML (front matter). */
  body: string;
  bodyKind: 'html' | 'markdown';
  /** Problems the format parser noticed but could work around. */
  warnings: string[];
}

export interface ParseOk {
  ok: true;
  path: string;
  doc: Article;
  warnings: string[];
}

export interface ParseFailed {
  ok: false;
  path: string;
  error: string;
  /** Set when the file is a junk page (not an article), rather than damaged or unreadable. */
  junk?: true;
}

export type ParseResult = ParseOk | ParseFailed;
