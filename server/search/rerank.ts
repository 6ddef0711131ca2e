// Relevance order within the first RERANK_WINDOW hits: Meilisearch puts title matches and close
// terms first, and relevance() orders that window by what a reader means by a good answer. A page
// inside the window is then fetched by id, with only the fields it shows.
import type { MissingInstance, SearchBackend } from './backend.js';
import { bestWindow, countOf, haystack } from './matches.js';
import type { SearchParams } from './params.js';
import type { ParsedQuery, Term } from './query.js';
import { storiesByIds } from './stories-by-id.js';
import { DISPLAY, type StoredHit } from './stored-hit.js';

/** Relevance order: the first this many hits are re-ranked by title matches and occurrences. */
export const RERANK_WINDOW = 100;

/**
 * How well a hit answers the query, compared in order: the unspaced string the reader typed
 * occurs as written (in the title, then anywhere); every term is in the title; how much of the
 * title the terms make up; then the body: occurrences of the terms, and whether they occur
 * together. Meilisearch's order breaks ties.
 */
export function relevance(h: { titleSearch: string; bodySearch: string }, terms: Term[], exactStrings: string[]): number[] {
  const title = h.titleSearch.toLowerCase();
  const body = haystack(h.bodySearch, terms);
  const inTitle = terms.filter((t) => countOf(title, t) > 0);
  const titleChars = Math.max(1, Array.from(title.replace(/[\s\p{P}\p{S}]/gu, '')).length);
  const covered = inTitle.reduce((n, t) => n + Array.from(t.text.replace(/ /g, '')).length, 0);
  const counts = terms.map((t) => countOf(body, t));
  const together = terms.length > 1 ? (bestWindow(body, terms)?.distinct ?? 0) : 0;
  return [
    exactStrings.some((s) => title.includes(s)) ? 1 : 0,
    exactStrings.some((s) => body.includes(s)) ? 1 : 0,
    inTitle.length === terms.length ? 1 : 0,
    inTitle.length,
    inTitle.length === terms.length ? Math.round((100 * covered) / titleChars) : 0,
    counts.reduce((a, b) => a + b, 0) + 3 * together,
  ];
}

const compare = (a: number[], b: number[]) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return b[i]! - a[i]!;
  return 0;
};

/**
 * With alternatives (OR): first how many alternatives the hit satisfies (a story about 新冠 and
 * 武汉肺炎 answers `新冠 OR 武汉肺炎` better than one about either), then relevance() by the
 * best of them.
 */
export function orRelevance(h: { titleSearch: string; bodySearch: string }, alternatives: Term[][], exactStrings: string[]): number[] {
  const text = haystack(`${h.titleSearch}\n${h.bodySearch}`, alternatives.flat());
  const satisfied = alternatives.filter((alt) => alt.every((t) => countOf(text, t) > 0 !== t.exclude));
  const scores = (satisfied.length ? satisfied : alternatives).map((alt) =>
    relevance(
      h,
      alt.filter((t) => !t.exclude),
      exactStrings,
    ),
  );
  return [satisfied.length, ...scores.reduce((best, s) => (compare(s, best) < 0 ? s : best))];
}

/** The window's hits (with their canonical texts, RETRIEVE_WINDOW) ordered by relevance(). */
export function rerank(window: StoredHit[], terms: Term[], parsed: ParsedQuery): StoredHit[] {
  const exactStrings = parsed.segmented.map((s) => s.from);
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const score = (h: { titleSearch: string; bodySearch: string }) =>
    parsed.alternatives.length > 1 ? orRelevance(h, parsed.alternatives, exactStrings) : relevance(h, terms, exactStrings);
  return window
    .map((h, i) => ({
      hit: h,
      score: score({ titleSearch: text(h.titleSearch), bodySearch: text(h.bodySearch) }),
      i,
    }))
    .sort((a, b) => compare(a.score, b.score) || a.i - b.i)
    .map((h) => h.hit);
}

/** The requested page of the re-ranked window, fetched by id. */
export async function rerankedPage(
  backend: SearchBackend,
  window: StoredHit[],
  terms: Term[],
  parsed: ParsedQuery,
  p: Pick<SearchParams, 'page' | 'perPage'>,
): Promise<{ hits: StoredHit[]; processingTimeMs: number; missing: MissingInstance[] }> {
  const page = rerank(window, terms, parsed).slice((p.page - 1) * p.perPage, p.page * p.perPage);
  const found = await storiesByIds<StoredHit>(
    backend,
    page.map((h) => h.id),
    [...DISPLAY, 'body'],
  );
  // The canonical texts came with the window; the page's request did not fetch them again.
  const texts = new Map(page.map((w) => [w.id, w]));
  const hits = found.stories.map((h) => ({ ...h, titleSearch: texts.get(h.id)!.titleSearch, bodySearch: texts.get(h.id)!.bodySearch }));
  return { hits, processingTimeMs: found.processingTimeMs, missing: found.missing };
}
