// A story as Meilisearch returns it to a search, and which of its fields each kind of request
// asks for: texts are most of what Meilisearch sends, and reading them is most of the server's
// work, so each request asks only for the texts its hits need.

export interface StoredHit {
  id: string;
  url: string;
  title: string;
  titleSearch?: string;
  body?: string;
  bodySearch?: string;
  lead?: string;
  outlet: string;
  outletName: string;
  topics: string[];
  publishedAt: number | null;
  script: string;
  /** The story's other copies: a hit says how many. */
  alsoPublishedAs?: unknown;
}

/** What every hit shows. */
export const DISPLAY = ['id', 'url', 'title', 'outlet', 'outletName', 'topics', 'publishedAt', 'script', 'alsoPublishedAs'];
/** Without terms nothing is marked: the snippet is the body's opening. */
export const RETRIEVE_PLAIN = [...DISPLAY, 'lead'];
/** With terms: the canonical copies to find them in, the body to cut the snippet from. */
export const RETRIEVE_MARKED = [...DISPLAY, 'body', 'titleSearch', 'bodySearch'];
/** The re-ranked window: the canonical copies; its page then needs only DISPLAY and the body. */
export const RETRIEVE_WINDOW = ['id', 'titleSearch', 'bodySearch'];
