// Highlights in the original text. Meilisearch matches the canonical copy (titleSearch,
// bodySearch); we find the query's words in it (queryWordsIn), then again in the canonical form
// of the original text (canonicalWithMap), and mark the original characters they came from. So
// a simplified query marks traditional text, and 软件 marks 軟體. (Asking Meilisearch for match
// positions instead cost 40–480 ms per search on long texts; this costs about a millisecond.)
import { canonicalWithMap, toCanonical } from '../../indexer/normalize.js';
import { escapeHtml, inScript } from './display.js';
import type { DisplayScript } from './params.js';

/** Character indexes in `canonical` where one of `words` starts (case-insensitive). */
export function occurrences(canonical: string, words: string[]): number[] {
  const hay = canonical.toLowerCase();
  const at: number[] = [];
  for (const word of words) {
    const needle = word.toLowerCase();
    for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + Math.max(1, needle.length))) at.push(i);
  }
  return at.sort((a, b) => a - b);
}

/** The occurrence with the most others within `radius` characters (the earliest of equals). */
export function densest(positions: number[], radius = 60): number | undefined {
  let best: number | undefined;
  let bestCount = -1;
  let lo = 0;
  let hi = 0;
  for (const p of positions) {
    while (positions[lo]! < p - radius) lo++;
    while (hi < positions.length && positions[hi]! <= p + radius) hi++;
    if (hi - lo > bestCount) {
      best = p;
      bestCount = hi - lo;
    }
  }
  return best;
}

/** Ranges [start, end) in `original` where a canonical form of one of `words` occurs. */
export function findInOriginal(original: string, words: string[]): Array<[number, number]> {
  if (!words.length || !original) return [];
  const { canonical, toOriginal } = canonicalWithMap(original);
  const haystack = canonical.toLowerCase();
  const caseSafe = haystack.length === canonical.length;
  const ranges: Array<[number, number]> = [];
  for (const word of words) {
    const needle = caseSafe ? word.toLowerCase() : word;
    const hay = caseSafe ? haystack : canonical;
    for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + Math.max(1, needle.length))) {
      const start = toOriginal[at]!;
      const end = toOriginal[at + needle.length]!;
      if (end > start) ranges.push([start, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

/** Escaped `text` in the reader's script with <mark> around `ranges`; nothing else is HTML. */
export function renderMarked(text: string, ranges: Array<[number, number]>, script: DisplayScript): string {
  let html = '';
  let at = 0;
  for (const [s, e] of ranges) {
    html += escapeHtml(inScript(text.slice(at, s), script));
    html += `<mark>${escapeHtml(inScript(text.slice(s, e), script))}</mark>`;
    at = e;
  }
  return html + escapeHtml(inScript(text.slice(at), script));
}

export const SNIPPET_CHARS = 120;

/**
 * A snippet of about SNIPPET_CHARS characters of `body` around the character `centre` (where
 * the densest matches are), with `words` (canonical) marked; the opening of the text when there
 * is no centre.
 */
export function snippetHtml(body: string, centre: number | undefined, words: string[], script: DisplayScript): string {
  const chars = Array.from(body);
  const flat = (html: string) => html.replace(/\n\n/g, ' ');
  if (centre === undefined) {
    const cut = chars.length > SNIPPET_CHARS;
    return flat(renderMarked(chars.slice(0, SNIPPET_CHARS).join(''), [], script)) + (cut ? '…' : '');
  }
  // The canonical copy has the same characters per clause (almost always the same count), so a
  // character index there is the index in the original, give or take a character.
  const start = Math.max(0, Math.min(centre - Math.floor(SNIPPET_CHARS / 3), chars.length - SNIPPET_CHARS));
  const end = Math.min(chars.length, start + SNIPPET_CHARS);
  const window = chars.slice(start, end).join('');
  const html = flat(renderMarked(window, findInOriginal(window, words), script));
  return `${start > 0 ? '…' : ''}${html}${end < chars.length ? '…' : ''}`;
}

/** The canonical words of a reader's query, for queryWordsIn(): computed once per search, not per hit. */
export function queryWords(query: string): string[] {
  return toCanonical(query)
    .split(/[\s"“”「」]+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/**
 * Words of a reader's query to mark in a text when Meilisearch's positions are not at hand: each
 * canonical query word that occurs in the text, or else the two-character pieces of it that do
 * (Meilisearch itself would have matched 网络 and 安全 for 网络安全).
 */
export function queryWordsIn(words: string[], canonicalText: string): string[] {
  const hay = canonicalText.toLowerCase();
  const found = new Set<string>();
  for (const word of words) {
    if (hay.includes(word.toLowerCase())) found.add(word);
    else if (/^\p{Script=Han}{3,}$/u.test(word)) {
      const chars = Array.from(word);
      for (let i = 0; i + 1 < chars.length; i++) {
        const piece = chars[i]! + chars[i + 1]!;
        if (hay.includes(piece)) found.add(piece);
      }
    }
  }
  return [...found];
}
