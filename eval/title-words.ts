// The words of a title as a reader would type them, in canonical form: Han words of two
// characters or more (jieba, as the query parser segments), and Latin words and numbers.
// The evaluations and benchmarks build their queries from these.
import { toCanonical } from '../core/text/normalize.js';
import { segmentHan } from '../server/search/segment.js';

export function hanWords(title: string): string[] {
  const canonical = toCanonical(title);
  return [...new Set((canonical.match(/\p{Script=Han}+/gu) ?? []).flatMap(segmentHan).filter((w) => Array.from(w).length >= 2))];
}

/** Latin words of three letters or more and four-digit numbers (years), lower-cased. */
export function latinTitleWords(title: string): string[] {
  return [...new Set((title.match(/[A-Za-z]{3,}|\d{4}/g) ?? []).map((w) => w.toLowerCase()))];
}

export function titleWords(title: string): string[] {
  return [...hanWords(title), ...latinTitleWords(title)];
}
