// Where a query's terms occur in a canonical text, by the same rules that decide the counts
// (core/text/exact-terms.ts): a Han term as a substring, other words whole and case-insensitive,
// several words consecutively (with only spaces or punctuation between them, never a line break
// or a Han character). Used to rank hits and to mark matches.
import type { Term } from './query.js';

const regexCache = new Map<string, RegExp>();

function latinPattern(words: string[]): RegExp {
  const key = words.join(' ');
  let re = regexCache.get(key);
  if (!re) {
    const one = (w: string) => {
      const escaped = w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      // A letter run may not continue into more letters, a digit run into more digits.
      return /^\p{N}/u.test(w)
        ? `(?<!\\p{N})${escaped}(?!\\p{N})`
        : `(?<!(?!\\p{Script=Han})\\p{L})${escaped}(?!(?!\\p{Script=Han})\\p{L})`;
    };
    re = new RegExp(words.map(one).join('[^\\p{L}\\p{N}\\n]*'), 'gu');
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

/** [start, end) of each occurrence of `term` in `hay` (canonical text, lower-cased by the caller). */
export function termRanges(hay: string, term: Pick<Term, 'text' | 'script'>): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  if (term.script === 'han') {
    for (let at = hay.indexOf(term.text); at >= 0; at = hay.indexOf(term.text, at + term.text.length))
      out.push([at, at + term.text.length]);
    return out;
  }
  const re = latinPattern(term.text.split(' '));
  re.lastIndex = 0;
  for (let m = re.exec(hay); m; m = re.exec(hay)) {
    out.push([m.index, m.index + m[0].length]);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** `text` as terms are looked for in it: lower-cased only when a term is Latin (Han has no case). */
export function haystack(text: string, terms: Array<Pick<Term, 'script'>>): string {
  return terms.some((t) => t.script === 'latin') ? text.toLowerCase() : text;
}

export function countOf(hay: string, term: Pick<Term, 'text' | 'script'>): number {
  return termRanges(hay, term).length;
}

/**
 * The place in `hay` where most of the terms occur together: the occurrence whose window of
 * ±radius characters holds the most distinct terms, then the most occurrences; with how many
 * distinct terms that window holds.
 */
export function bestWindow(
  hay: string,
  terms: Array<Pick<Term, 'text' | 'script'>>,
  radius = 60,
): { centre: number; distinct: number } | undefined {
  const hits: Array<{ at: number; term: number }> = [];
  terms.forEach((t, i) => {
    for (const [at] of termRanges(hay, t)) hits.push({ at, term: i });
  });
  if (!hits.length) return undefined;
  hits.sort((a, b) => a.at - b.at);
  let best: { centre: number; distinct: number } | undefined;
  let bestScore = -1;
  let lo = 0;
  let hi = 0;
  const inWindow = new Map<number, number>();
  for (const h of hits) {
    while (hi < hits.length && hits[hi]!.at <= h.at + radius) {
      inWindow.set(hits[hi]!.term, (inWindow.get(hits[hi]!.term) ?? 0) + 1);
      hi++;
    }
    while (hits[lo]!.at < h.at - radius) {
      const t = hits[lo]!.term;
      const n = inWindow.get(t)! - 1;
      if (n) inWindow.set(t, n);
      else inWindow.delete(t);
      lo++;
    }
    const score = inWindow.size * 10_000 + (hi - lo);
    if (score > bestScore) {
      bestScore = score;
      best = { centre: h.at, distinct: inWindow.size };
    }
  }
  return best;
}
