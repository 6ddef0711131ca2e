// The exact-match fields (titleExact, bodyExact) and how query terms are written against them.
// Han text is stored as the overlapping character bigrams of each Han run (香港人权 → 香港 港人
// 人权), the way Lucene's CJK analyser indexes Chinese, so a phrase of a word's bigrams matches
// exactly the texts that contain the word, however a word segmenter would cut it. Each bigram is
// written as one lower-case Latin token (bigramToken): Meilisearch would otherwise run its own
// Chinese segmenter over the bigrams, split some of them into single characters and map some
// characters onto others, and a phrase of bigrams would no longer mean the string (measured:
// 香港人 counted 569 stories for 568). Other letters and digits are stored as lower-case words,
// letter runs and digit runs apart (covid19 → covid 19). Runs are separated by ". ", a hard
// separator for Meilisearch: a phrase never matches across it (a line break is not one between
// Latin tokens: measured on 1.21, "香港，港人" then matched 香港人).
//
// Meilisearch indexes only the first 65,536 word positions of each attribute and silently drops
// the rest, so a long text is stored in parts (exactParts): an object whose values Meilisearch
// flattens into attributes of their own (bodyExact.1, bodyExact.2, …), each within the position
// limit, each starting a little before the one before it ends, so that any query term lies
// wholly inside one part. Checked on 1.21: each nested attribute has its own 65,536 positions
// (the elements of an array share one attribute's), searchableAttributes ["bodyExact"] searches
// all of them with one weight, and no phrase matches across two attributes.

const HAN = /\p{Script=Han}/u;
const SEGMENT = /\p{Script=Han}+|[^\p{Script=Han}\n]+/gu;
/** Words outside Han text: a run of letters or a run of digits (of any script but Han). */
const WORD = /(?:(?!\p{Script=Han})\p{L})+|\p{N}+/gu;

export function isHan(text: string): boolean {
  return HAN.test(text);
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/** The non-Han words of `text`, lower-cased, in order. */
export function latinWords(text: string): string[] {
  // Most non-Han runs of a Chinese text are punctuation alone: no need to lower-case and scan them.
  if (!LETTER_OR_DIGIT.test(text)) return [];
  return Array.from(text.toLowerCase().matchAll(WORD), (m) => m[0]);
}

/** Between runs: a hard separator, so that no phrase spans two runs. */
const RUN_SEPARATOR = '. ';

/** Han bigram tokens start with this; no word of any language does, so they never meet a real word. */
const BIGRAM_MARK = 'hz';

/** A code point as four letters a–z (26⁴ covers every Han code point). */
function letters(codePoint: number): string {
  let out = LETTERS.get(codePoint);
  if (out === undefined) {
    out = '';
    for (let i = 0, n = codePoint; i < 4; i++, n = Math.floor(n / 26)) out = String.fromCharCode(97 + (n % 26)) + out;
    LETTERS.set(codePoint, out);
  }
  return out;
}
// Every body has a thousand bigrams or more: each character's letters are worked out once per
// process (at most the ~100,000 Han code points).
const LETTERS = new Map<number, string>();

/** One bigram as one Latin token: 香港 → hz + four letters per character. */
export function bigramToken(pair: string): string {
  const [a, b] = Array.from(pair);
  return BIGRAM_MARK + letters(a!.codePointAt(0)!) + letters(b!.codePointAt(0)!);
}

/** The bigram tokens of a Han run (none for a single character). */
function bigramTokens(han: string): string[] {
  const out: string[] = [];
  let previous: string | undefined;
  for (let i = 0; i < han.length; ) {
    const cp = han.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    const current = letters(cp);
    if (previous !== undefined) out.push(BIGRAM_MARK + previous + current);
    previous = current;
  }
  return out;
}

/** Space-separated bigram tokens of a Han run ('' for a single character, which has none). */
export function bigramsOf(han: string): string {
  return bigramTokens(han).join(' ');
}

interface Run {
  tokens: string[];
  /** Positions its tokens take (positionsOf), separators aside. */
  positions: number;
}

/** The tokens of a canonical text, run by run (Han runs as bigrams, other runs as words); no empty runs. */
function tokenRuns(canonical: string): Run[] {
  const runs: Run[] = [];
  for (const m of canonical.matchAll(SEGMENT)) {
    if (HAN.test(m[0])) {
      const tokens = bigramTokens(m[0]);
      if (tokens.length) runs.push({ tokens, positions: tokens.length });
    } else {
      const tokens = latinWords(m[0]);
      if (tokens.length) runs.push({ tokens, positions: tokens.reduce((n, t) => n + positionsOf(t), 0) });
    }
  }
  return runs;
}

/** Meilisearch keeps word positions 0 to 65,535 of an attribute (MAX_POSITION_PER_ATTRIBUTE in milli). */
export const MEILI_LAST_POSITION = 65_535;

/**
 * The last position a part may use. Positions are counted here as Meilisearch counts them
 * (measured on 1.21: a word is 1 position after the word before it, 8 after a hard separator),
 * so a part could run to MEILI_LAST_POSITION; 535 positions are kept spare in case a token is
 * ever cut into more words than positionsOf() allows for.
 */
export const PART_LAST_POSITION = 65_000;

/** Positions a word after a hard separator (the run separator) is from the word before it. */
const AFTER_HARD_SEPARATOR = 8;

/**
 * Tokens each part repeats from the end of the one before it: at least the tokens of the longest
 * query term, so a term that a part boundary would cut lies whole in the next part. A query has
 * at most 200 characters (MAX_QUERY_CHARS, server/search/params.ts) and a term has at most one
 * token per character; twice that, because the canonical form of a query (OpenCC phrase
 * conversion) can be a little longer than what was typed.
 */
export const PART_OVERLAP_TOKENS = 400;

const ASCII_WORD = /^[a-z0-9]+$/;

/**
 * Positions one token may take. Bigram tokens and ASCII words are one word for Meilisearch; a
 * word in another script (kana, Thai, Cyrillic…) may be cut further by its segmenter, into at
 * most one word per character.
 */
function positionsOf(token: string): number {
  return ASCII_WORD.test(token) ? 1 : Array.from(token).length;
}

/** Exact-match tokens in parts, keyed '1', '2', …: what Meilisearch stores as field.1, field.2, …. */
export type ExactParts = Record<string, string>;

/**
 * The exact-match field of a canonical text: its tokens in parts of at most PART_LAST_POSITION + 1
 * positions, each part after the first starting PART_OVERLAP_TOKENS tokens before the end of the
 * one before it. A text that fits has one part: every story of the real corpus does (the
 * longest, 43,114 characters, takes 55,555 positions; Chinese news takes about 1.4 positions a
 * character, so a part holds about 47,000). An empty text has none.
 */
export function exactParts(canonical: string): ExactParts {
  const runs = tokenRuns(canonical);
  if (!runs.length) return {};
  const positions = runs.reduce((n, r) => n + r.positions, 0) + (AFTER_HARD_SEPARATOR - 1) * (runs.length - 1);
  if (positions - 1 <= PART_LAST_POSITION) return { 1: joinRuns(runs) };

  const tokens: string[] = [];
  /** Whether the token at the same index opens a run (follows a hard separator). */
  const opensRun: boolean[] = [];
  for (const run of runs) {
    run.tokens.forEach((t, i) => {
      tokens.push(t);
      opensRun.push(i === 0);
    });
  }
  const parts: ExactParts = {};
  let part = 0;
  for (let start = 0; start < tokens.length; ) {
    let text = tokens[start]!;
    let last = positionsOf(tokens[start]!) - 1;
    let end = start + 1;
    for (; end < tokens.length; end++) {
      const at = last + (opensRun[end] ? AFTER_HARD_SEPARATOR : 1);
      const to = at + positionsOf(tokens[end]!) - 1;
      if (to > PART_LAST_POSITION) break;
      text += (opensRun[end] ? RUN_SEPARATOR : ' ') + tokens[end];
      last = to;
    }
    parts[String(++part)] = text;
    if (end === tokens.length) break;
    // A part shorter than the overlap (only with words far longer than any real one) would not
    // move on: the next one then starts where it ended.
    start = end - PART_OVERLAP_TOKENS > start ? end - PART_OVERLAP_TOKENS : end;
  }
  return parts;
}

function joinRuns(runs: Run[]): string {
  return runs.map((r) => r.tokens.join(' ')).join(RUN_SEPARATOR);
}

/** The exact-match text of a canonical text, as one string (what exactParts cuts into parts). */
export function exactField(canonical: string): string {
  return joinRuns(tokenRuns(canonical));
}

/**
 * The Meilisearch phrase that matches exactly the texts containing `term`: a Han string (two
 * characters or more) as a substring, or a sequence of non-Han words as consecutive words.
 */
export function phraseOf(term: { han: string } | { words: string[] }): string {
  return 'han' in term ? `"${bigramsOf(term.han)}"` : `"${term.words.join(' ')}"`;
}
