// The reader's query language (docs/searching.md, "Query syntax"), parsed into terms that each match
// exactly: words separated by spaces or Chinese punctuation must all occur; OR offers alternatives
// and parentheses group them (query-language.ts reads that structure); a Han word is a substring
// (either script: everything is canonical here); other words match whole; "…" is an exact phrase;
// -word and -"…" exclude. Unspaced Han of up to four characters is one word; longer, it is
// segmented and its words ANDed. Every term becomes one Meilisearch phrase over the exact fields,
// so Meilisearch's matching strategy and its own segmentation never decide a count.
import { isHan, latinWords, phraseOf } from '../../core/text/exact-terms.js';
import { toCanonical } from '../../core/text/normalize.js';
import type { QueryNote, QueryTree } from '../api/responses.js';
import {
  alternativesOf,
  type BooleanNode,
  hasAlternatives,
  type Literal,
  QueryTooComplex,
  readBoolean,
  withoutUnsearchable,
} from './query-language.js';
import { segmentHan } from './segment.js';

/** Meilisearch considers only the first ten terms of a query (checked on 1.21: an eleventh is ignored); per alternative. */
export const MAX_TERMS = 10;

/** Unspaced Han up to this many characters is one word (a reader who types 新冠肺炎 means that word); longer is segmented. */
export const MAX_UNSEGMENTED_CHARS = 4;

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

export type { QueryNote, QueryTree } from '../api/responses.js';

export interface ParsedQuery {
  /** The query in canonical script and vocabulary, as the terms were read from it. */
  normalized: string;
  /** Every term of every alternative, once: what is marked in hits and shown as read. */
  terms: Term[];
  /**
   * A story matches when it satisfies every term of one alternative (and none of its excluded
   * ones). One alternative for a query without OR; at most MAX_ALTERNATIVES.
   */
  alternatives: Term[][];
  /** How the query was read, as a tree of terms, when it offers alternatives (has an OR). */
  tree?: QueryTree;
  /** Unspaced strings read as several words: each with its words, and the exact string. */
  segmented: Array<{ from: string; words: string[] }>;
  notes: QueryNote[];
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

/** A piece of a word or phrase that can be searched: a Han string of two characters or more, or non-Han words. */
interface Piece {
  text: string;
  script: 'han' | 'latin';
  phrase: boolean;
  exclude: boolean;
}

/** What of a word or phrase can be searched, with notes on what cannot (single characters, mixed phrases). */
function piecesOf(l: Literal, notes: QueryNote[]): Piece[] {
  const out: Piece[] = [];
  // Repeated notes are merged once the whole query is read (parseQuery).
  const note = (n: QueryNote) => notes.push(n);
  const han = (text: string, phrase: boolean) => {
    if (Array.from(text).length >= 2) out.push({ text, script: 'han', phrase, exclude: l.exclude });
    else
      note({
        code: 'single_character',
        text,
        message: `"${text}" is one character: words need at least two Han characters to be counted exactly, so it was left out`,
      });
  };
  if (!l.phrase) {
    for (const piece of parts(l.text)) {
      // covid-19, iPhone12: the words of one unspaced token are read together, as a phrase.
      if (piece.script === 'latin') out.push({ text: piece.text, script: 'latin', phrase: false, exclude: l.exclude });
      else han(piece.text, false);
    }
    return out;
  }
  // A phrase's Han characters must occur together, its other words consecutively. Spaces and
  // punctuation inside split a Chinese phrase into parts, as they split the text itself:
  // 「灰，都要出分力」 is 灰 and 都要出分力; "香港 警察" is 香港 and 警察.
  const all = parts(l.text);
  if (all.some((p) => p.script === 'han') && all.some((p) => p.script === 'latin')) {
    note({
      code: 'mixed_phrase',
      text: l.text,
      message: `"${l.text}" mixes Chinese and other words: each part must occur, not necessarily together`,
    });
  }
  for (const chunk of l.text.split(/[\p{P}\p{S}]+/u)) {
    for (const piece of parts(chunk)) {
      if (piece.script === 'latin') out.push({ text: piece.text, script: 'latin', phrase: true, exclude: l.exclude });
      else han(piece.text, true);
    }
  }
  return out;
}

/**
 * The terms of a piece: an included unspaced Han string longer than MAX_UNSEGMENTED_CHARS is
 * read as its words (with `from`); anything else is one term.
 */
function termsOf(p: Piece): Term[] {
  const long = p.script === 'han' && !p.phrase && !p.exclude && Array.from(p.text).length > MAX_UNSEGMENTED_CHARS;
  const words = long ? segmentHan(p.text).filter((w) => Array.from(w).length >= 2) : [];
  if (words.length > 1) return words.map((w) => ({ text: w, script: 'han', phrase: false, exclude: false, from: p.text }));
  return [{ text: p.text, script: p.script, phrase: p.phrase, exclude: p.exclude }];
}

const sameTerm = (a: Term, b: Term) => a.text === b.text && a.exclude === b.exclude && a.script === b.script;

/** Terms once each, in order. */
function distinct(terms: Term[]): Term[] {
  return terms.filter((t, i) => terms.findIndex((x) => sameTerm(x, t)) === i);
}

/**
 * An alternative's terms within MAX_TERMS: segmented strings searched as written instead (the last
 * first), then the terms past the limit left out, each with a note.
 */
function withinLimit(terms: Term[], notes: QueryNote[]): Term[] {
  const out = [...terms];
  const froms = [...new Set(out.flatMap((t) => (t.from ? [t.from] : [])))];
  for (const from of froms.reverse()) {
    if (out.length <= MAX_TERMS) break;
    const first = out.findIndex((t) => t.from === from);
    const kept = out.filter((t) => t.from !== from);
    kept.splice(first, 0, { text: from, script: 'han', phrase: false, exclude: false });
    out.splice(0, out.length, ...distinct(kept));
    notes.push({
      code: 'searched_as_written',
      text: from,
      message: `"${from}" was searched as written: as words it would pass the limit of ${MAX_TERMS} terms`,
    });
  }
  if (out.length > MAX_TERMS) {
    const dropped = out.splice(MAX_TERMS);
    const text = dropped.map((t) => (t.exclude ? '-' : '') + t.text).join(' ');
    notes.push({ code: 'too_many_terms', text, message: `only the first ${MAX_TERMS} terms were searched; left out: ${text}` });
  }
  return out;
}

/** A term as the answer shows it. */
export const termReading = (t: Term) => ({ text: t.text, phrase: t.phrase, exclude: t.exclude, ...(t.from ? { from: t.from } : {}) });

/** The tree of terms, as the answer shows it: a segmented word is the AND of its words. */
function treeOf(node: BooleanNode, termsOfLiteral: (l: Literal) => Term[]): QueryTree {
  if (node.kind !== 'literal') return { op: node.kind, items: node.items.map((n) => treeOf(n, termsOfLiteral)) };
  const terms = distinct(termsOfLiteral(node.literal));
  return terms.length === 1 ? { term: termReading(terms[0]!) } : { op: 'and', items: terms.map((t) => ({ term: termReading(t) })) };
}

/** Every word and phrase of the tree (the same object wherever it occurs). */
function literalsOf(node: BooleanNode): Literal[] {
  return node.kind === 'literal' ? [node.literal] : node.items.flatMap(literalsOf);
}

/** The boolean reading alone, without segmenting: what the limits are checked on. */
function readStructure(
  normalized: string,
  notes: QueryNote[],
): { node?: BooleanNode; pieces: Map<Literal, Piece[]>; alternatives: Literal[][] } {
  const read = readBoolean(normalized, notes);
  const pieces = new Map<Literal, Piece[]>();
  for (const l of read ? literalsOf(read) : []) pieces.set(l, piecesOf(l, notes));
  const node = read && withoutUnsearchable(read, (l) => pieces.get(l)!.length > 0);
  return { node, pieces, alternatives: node ? alternativesOf(node) : [] };
}

/**
 * Throws QueryTooComplex when `raw` passes MAX_ALTERNATIVES or MAX_GROUP_DEPTH (params.ts checks
 * every query with it, so a search never starts with one).
 */
export function checkQueryLimits(raw: string): void {
  readStructure(toCanonical(raw), []);
}

/** The searches a query makes, one per alternative (at least one); what the rate limit charges. */
export function searchesOfQuery(raw: string): number {
  try {
    return Math.max(1, readStructure(toCanonical(raw), []).alternatives.length);
  } catch (err) {
    // Refused before any search (a 400).
    if (err instanceof QueryTooComplex) return 1;
    throw err;
  }
}

export function parseQuery(raw: string): ParsedQuery {
  const notes: QueryNote[] = [];
  const normalized = toCanonical(raw);
  const { node, pieces, alternatives: literalAlternatives } = readStructure(normalized, notes);
  const memo = new Map<Piece, Term[]>();
  const segment = (p: Piece) => memo.get(p) ?? memo.set(p, termsOf(p)).get(p)!;
  const literalTerms = (l: Literal) => pieces.get(l)!.flatMap(segment);
  const alternatives = literalAlternatives.map((alt) => withinLimit(distinct(alt.flatMap(literalTerms)), notes));
  const terms = distinct(alternatives.flat());
  // The strings read as words, unless every alternative with them searched them as written.
  const segmented: ParsedQuery['segmented'] = [];
  for (const words of [...memo.values()]) {
    const from = words[0]?.from;
    if (from === undefined || segmented.some((s) => s.from === from)) continue;
    const asWords = alternatives.some((alt) => alt.some((t) => t.from === from));
    const asWritten = alternatives.some((alt) => alt.some((t) => !t.from && t.text === from && !t.exclude));
    if (asWords || !asWritten) segmented.push({ from, words: words.map((w) => w.text) });
  }
  return {
    normalized,
    terms,
    alternatives,
    ...(node && hasAlternatives(node) ? { tree: treeOf(node, literalTerms) } : {}),
    segmented,
    notes: notes.filter((n, i) => notes.findIndex((x) => x.code === n.code && x.text === n.text) === i),
  };
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
