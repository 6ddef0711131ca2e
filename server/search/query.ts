// The reader's query language (docs/searching.md, "Query syntax"), parsed into terms that each match
// exactly: words separated by spaces or Chinese punctuation must all occur; a Han word is a
// substring (either script: everything is canonical here); other words match whole; "…" is an
// exact phrase; -word and -"…" exclude. Unspaced Han longer than one word is segmented and its
// words ANDed. Every term becomes one Meilisearch phrase over the exact fields, so Meilisearch's
// matching strategy and its own segmentation never decide a count.
import { isHan, latinWords, phraseOf } from '../../core/text/exact-terms.js';
import { toCanonical } from '../../core/text/normalize.js';
import type { QueryNote } from '../api/responses.js';
import { segmentHan } from './segment.js';

/** Meilisearch considers only the first ten terms of a query (checked on 1.21: an eleventh is ignored). */
export const MAX_TERMS = 10;

export interface Term {
  /** Canonical text: Han characters, or lower-case words joined by spaces. */
  text: string;
  script: 'han' | 'latin';
  /** Typed in quotes. */
  phrase: boolean;
  exclude: boolean;
  /** The unspaced Han string this word was cut from, when the query was segmented. */
  from?: string;
}

export type { QueryNote } from '../api/responses.js';

export interface ParsedQuery {
  /** The query in canonical script and vocabulary, as the terms were read from it. */
  normalized: string;
  terms: Term[];
  /** Unspaced strings read as several words: each with its words, and the exact string. */
  segmented: Array<{ from: string; words: string[] }>;
  notes: QueryNote[];
}

const QUOTES: Record<string, string> = { '"': '"', '“': '”', '「': '」', '『': '』', '”': '”' };

interface RawToken {
  text: string;
  phrase: boolean;
  exclude: boolean;
}

/** Splits the canonical query into words and phrases, with their minus signs. */
function tokenize(q: string, notes: QueryNote[]): RawToken[] {
  const tokens: RawToken[] = [];
  let i = 0;
  const chars = Array.from(q);
  // Separators: whitespace, and punctuation or symbols that are not quotes or a leading minus.
  const isSeparator = (c: string) => /[\s\p{P}\p{S}]/u.test(c) && !(c in QUOTES) && c !== '-';
  while (i < chars.length) {
    const c = chars[i]!;
    if (isSeparator(c)) {
      i++;
      continue;
    }
    let exclude = false;
    let at = i;
    if (c === '-') {
      const next = chars[i + 1];
      if (next === undefined || isSeparator(next) || next === '-') {
        i++; // a lone minus is not an operator on anything
        continue;
      }
      exclude = true;
      at = i + 1;
    }
    const open = chars[at]!;
    if (open in QUOTES) {
      const close = QUOTES[open]!;
      let end = at + 1;
      while (end < chars.length && chars[end] !== close && !(close === '”' && chars[end] === '"')) end++;
      if (end >= chars.length)
        notes.push({ code: 'unbalanced_quote', message: 'unbalanced quote: the phrase runs to the end of the query' });
      tokens.push({ text: chars.slice(at + 1, end).join(''), phrase: true, exclude });
      i = end + 1;
      continue;
    }
    let end = at;
    while (end < chars.length && !isSeparator(chars[end]!) && !(chars[end]! in QUOTES)) end++;
    tokens.push({ text: chars.slice(at, end).join(''), phrase: false, exclude });
    i = end;
  }
  return tokens;
}

/** Han runs and non-Han words of a token, in order. */
function parts(text: string): Array<{ script: 'han' | 'latin'; text: string }> {
  const out: Array<{ script: 'han' | 'latin'; text: string }> = [];
  for (const m of text.matchAll(/\p{Script=Han}+|[^\p{Script=Han}]+/gu)) {
    if (isHan(m[0])) out.push({ script: 'han', text: m[0] });
    else {
      const words = latinWords(m[0]);
      if (words.length) out.push({ script: 'latin', text: words.join(' ') });
    }
  }
  return out;
}

export function parseQuery(raw: string): ParsedQuery {
  const notes: QueryNote[] = [];
  const segmented: ParsedQuery['segmented'] = [];
  const terms: Term[] = [];
  const add = (t: Term) => {
    if (!terms.some((x) => x.text === t.text && x.exclude === t.exclude && x.script === t.script)) terms.push(t);
  };
  const tooShort = (han: string) =>
    notes.push({
      code: 'single_character',
      text: han,
      message: `"${han}" is one character: words need at least two Han characters to be counted exactly, so it was left out`,
    });

  const normalized = toCanonical(raw);
  for (const token of tokenize(normalized, notes)) {
    if (!token.phrase && !token.exclude && token.text === 'OR') {
      notes.push({ code: 'or_unsupported', message: 'OR is not supported: every word must occur' });
      continue;
    }
    const pieces = parts(token.text);
    if (token.phrase) {
      // A phrase's Han characters must occur together, its other words consecutively. Spaces and
      // punctuation inside split a Chinese phrase into parts, as they split the text itself:
      // 「灰，都要出分力」 is 灰 and 都要出分力; "香港 警察" is 香港 and 警察.
      if (pieces.some((p) => p.script === 'han') && pieces.some((p) => p.script === 'latin')) {
        notes.push({
          code: 'mixed_phrase',
          text: token.text,
          message: `"${token.text}" mixes Chinese and other words: each part must occur, not necessarily together`,
        });
      }
      for (const chunk of token.text.split(/[\p{P}\p{S}]+/u)) {
        for (const piece of parts(chunk)) {
          if (piece.script === 'latin') add({ text: piece.text, script: 'latin', phrase: true, exclude: token.exclude });
          else if (Array.from(piece.text).length < 2) tooShort(piece.text);
          else add({ text: piece.text, script: 'han', phrase: true, exclude: token.exclude });
        }
      }
      continue;
    }
    for (const piece of pieces) {
      if (piece.script === 'latin') {
        // covid-19, iPhone12: the words of one unspaced token are read together, as a phrase.
        add({ text: piece.text, script: 'latin', phrase: false, exclude: token.exclude });
        continue;
      }
      if (Array.from(piece.text).length < 2) {
        tooShort(piece.text);
        continue;
      }
      // An excluded string is excluded as written; an included one is read as words.
      const words = token.exclude ? [piece.text] : segmentHan(piece.text).filter((w) => Array.from(w).length >= 2);
      if (words.length > 1) {
        segmented.push({ from: piece.text, words });
        for (const w of words) add({ text: w, script: 'han', phrase: false, exclude: false, from: piece.text });
      } else add({ text: piece.text, script: 'han', phrase: false, exclude: token.exclude });
    }
  }

  // Over the limit because of segmentation: search those strings as written instead.
  for (const s of [...segmented].reverse()) {
    if (terms.length <= MAX_TERMS) break;
    const first = terms.findIndex((t) => t.from === s.from);
    const kept = terms.filter((t) => t.from !== s.from);
    kept.splice(first, 0, { text: s.from, script: 'han', phrase: false, exclude: false });
    terms.splice(0, terms.length, ...kept);
    segmented.splice(segmented.indexOf(s), 1);
    notes.push({
      code: 'searched_as_written',
      text: s.from,
      message: `"${s.from}" was searched as written: as words it would pass the limit of ${MAX_TERMS} terms`,
    });
  }
  if (terms.length > MAX_TERMS) {
    const dropped = terms.splice(MAX_TERMS);
    const text = dropped.map((t) => (t.exclude ? '-' : '') + t.text).join(' ');
    notes.push({ code: 'too_many_terms', text, message: `only the first ${MAX_TERMS} terms were searched; left out: ${text}` });
  }
  return { normalized, terms, segmented, notes };
}

/** The Meilisearch `q` for terms: one phrase per term, excluded ones with a minus. */
export function meiliQuery(query: { terms: Term[] }): string {
  return query.terms
    .map((t) => (t.exclude ? '-' : '') + phraseOf(t.script === 'han' ? { han: t.text } : { words: t.text.split(' ') }))
    .join(' ');
}

/** The included terms, whose occurrences are marked and ranked. */
export function positiveTerms(parsed: ParsedQuery): Term[] {
  return parsed.terms.filter((t) => !t.exclude);
}
