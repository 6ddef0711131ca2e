// Highlights in the original text. Meilisearch matches the canonical copy; we find the query's
// terms again in the canonical form of the original text (canonicalWithMap), by the rules that
// decide the counts (matches.ts), and mark the original characters they came from. So a
// simplified query marks traditional text, and 软件 marks 軟體. (Asking Meilisearch for match
// positions instead cost 40–480 ms per search on long texts; this costs about a millisecond.)
import { LEAD_CHARS } from '../../core/index-document.js';
import { canonicalWithMap } from '../../core/text/normalize.js';
import { escapeHtml, inScript } from './display.js';
import { termRanges } from './matches.js';
import type { DisplayScript } from './params.js';
import type { Term } from './query.js';

/** What a highlight needs of a term. */
export type MatchTerm = Pick<Term, 'text' | 'script'>;

/**
 * Ranges [start, end) in `original` where the canonical form matches one of `terms`.
 * `stored`: the canonical form the indexer stored (titleSearch, bodySearch), used as is when it
 * has the original's length, i.e. maps character for character, saving the OpenCC conversions.
 */
export function findInOriginal(original: string, terms: MatchTerm[], stored?: string): Array<[number, number]> {
  if (!terms.length || !original) return [];
  const { canonical, toOriginal } =
    stored !== undefined && stored.length === original.length ? { canonical: stored, toOriginal: undefined } : canonicalWithMap(original);
  const lower = canonical.toLowerCase();
  // Lower-casing keeps the length of almost every text; where it does not, only Han terms are safe.
  const caseSafe = lower.length === canonical.length;
  const hay = caseSafe ? lower : canonical;
  const ranges: Array<[number, number]> = [];
  for (const term of terms) {
    if (!caseSafe && term.script === 'latin') continue;
    for (const [s, e] of termRanges(hay, term)) {
      const start = toOriginal ? toOriginal[s]! : s;
      const end = toOriginal ? toOriginal[e]! : e;
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
  // One conversion of the whole text when it keeps its length (nearly always), not one per piece.
  if (script !== 'orig' && ranges.length) {
    const converted = inScript(text, script);
    if (converted.length === text.length) return renderMarked(converted, ranges, 'orig');
  }
  let html = '';
  let at = 0;
  for (const [s, e] of ranges) {
    html += escapeHtml(inScript(text.slice(at, s), script));
    html += `<mark>${escapeHtml(inScript(text.slice(s, e), script))}</mark>`;
    at = e;
  }
  return html + escapeHtml(inScript(text.slice(at), script));
}

export const SNIPPET_CHARS = LEAD_CHARS;

const SURROGATE = /[\uD800-\uDFFF]/;

/** A text by characters (code points), as readers count them, without splitting it when every character is one UTF-16 unit. */
function characters(text: string): { length: number; slice(start: number, end?: number): string } {
  if (!SURROGATE.test(text)) return { length: text.length, slice: (start, end) => text.slice(start, end) };
  const chars = Array.from(text);
  return { length: chars.length, slice: (start, end) => chars.slice(start, end).join('') };
}

/** The character (code point) index of UTF-16 index `unit` in `text`. */
export function characterIndex(text: string, unit: number): number {
  const before = text.slice(0, unit);
  return SURROGATE.test(before) ? Array.from(before).length : unit;
}

/**
 * A snippet of about SNIPPET_CHARS characters of `body` around the character `centre` (where
 * most of the query's terms occur together), with `terms` marked; the opening of the text when there
 * is no centre (`body` may then be the stored `lead`). `stored`: the body's canonical form
 * (bodySearch), see findInOriginal.
 */
export function snippetHtml(body: string, centre: number | undefined, terms: MatchTerm[], script: DisplayScript, stored?: string): string {
  const chars = characters(body);
  const flat = (html: string) => html.replace(/\n\n/g, ' ');
  if (centre === undefined) {
    const cut = chars.length > SNIPPET_CHARS;
    return flat(renderMarked(chars.slice(0, SNIPPET_CHARS), [], script)) + (cut ? '…' : '');
  }
  // The canonical copy has the same characters per clause (almost always the same count), so a
  // character index there is the index in the original, give or take a character.
  const start = Math.max(0, Math.min(centre - Math.floor(SNIPPET_CHARS / 3), chars.length - SNIPPET_CHARS));
  const end = Math.min(chars.length, start + SNIPPET_CHARS);
  const window = chars.slice(start, end);
  // Where the stored copy maps character for character, the window's canonical form is its slice.
  let canonicalWindow: string | undefined;
  if (stored !== undefined && stored.length === body.length) {
    const from = chars.slice(0, start).length;
    canonicalWindow = stored.slice(from, from + window.length);
  }
  const html = flat(renderMarked(window, findInOriginal(window, terms, canonicalWindow), script));
  return `${start > 0 ? '…' : ''}${html}${end < chars.length ? '…' : ''}`;
}
