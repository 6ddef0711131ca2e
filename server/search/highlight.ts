// Highlights in the original text. Meilisearch matches the canonical copy (titleSearch,
// bodySearch) and reports byte ranges there; we take the matched words from it, find them again
// in the canonical form of the original text (canonicalWithMap), and mark the original
// characters they came from. So a simplified query marks traditional text, and 软件 marks 軟體.
import { canonicalWithMap, toCanonical } from '../../indexer/normalize.js';
import { escapeHtml, inScript } from './display.js';
import type { DisplayScript } from './params.js';

export interface MatchPosition {
  start: number;
  length: number;
}

/** Byte ranges (UTF-8) in `text` → the matched substrings, in order, without repeats. */
export function matchedWords(text: string, positions: MatchPosition[] | undefined): string[] {
  if (!positions?.length) return [];
  const sorted = [...positions].sort((a, b) => a.start - b.start);
  const words = new Set<string>();
  let byte = 0;
  let index = 0;
  const charAt = (target: number): number => {
    while (index < text.length && byte < target) {
      const cp = text.codePointAt(index)!;
      byte += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      index += cp > 0xffff ? 2 : 1;
    }
    return index;
  };
  for (const p of sorted) {
    const s = charAt(p.start);
    const e = charAt(p.start + p.length);
    const word = text.slice(s, e).trim();
    if (word) words.add(word);
  }
  return [...words];
}

/** First byte offset of the densest cluster of matches (most others within `radius` bytes). */
export function densestMatch(positions: MatchPosition[] | undefined, radius = 180): number | undefined {
  if (!positions?.length) return undefined;
  let best = positions[0]!.start;
  let bestCount = -1;
  for (const p of positions) {
    const count = positions.filter((o) => Math.abs(o.start - p.start) <= radius).length;
    if (count > bestCount || (count === bestCount && p.start < best)) {
      best = p.start;
      bestCount = count;
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

/** Character index in `text` of a UTF-8 byte offset (Meilisearch reports bytes). */
export function charIndexOfByte(text: string, byteOffset: number): number {
  return Array.from(Buffer.from(text).subarray(0, byteOffset).toString('utf8')).length;
}

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

export function titleHtml(title: string, titleSearch: string, positions: MatchPosition[] | undefined, script: DisplayScript): string {
  return renderMarked(title, findInOriginal(title, matchedWords(titleSearch, positions)), script);
}

/**
 * Words of a reader's query to mark in a text when Meilisearch's positions are not at hand (the
 * article page): each canonical query word that occurs in the text, or else the two-character
 * pieces of it that do (Meilisearch itself would have matched 网络 and 安全 for 网络安全).
 */
export function queryWordsIn(query: string, canonicalText: string): string[] {
  const words = toCanonical(query)
    .split(/[\s"“”「」]+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
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
