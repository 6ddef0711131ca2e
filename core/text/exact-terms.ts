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
// Long texts are stored in parts (exact-parts.ts).

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
export const RUN_SEPARATOR = '. ';

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

/** The tokens of one run of a text, and the positions Meilisearch gives them (separators aside). */
export interface Run {
  tokens: string[];
  positions: number;
}

/** The tokens of a canonical text, run by run (Han runs as bigrams, other runs as words); no empty runs. */
export function tokenRuns(canonical: string): Run[] {
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

const ASCII_WORD = /^[a-z0-9]+$/;

/**
 * Positions one token may take in Meilisearch. Bigram tokens and ASCII words are one word; a
 * word in another script (kana, Thai, Cyrillic…) may be cut further by its segmenter, into at
 * most one word per character.
 */
export function positionsOf(token: string): number {
  return ASCII_WORD.test(token) ? 1 : Array.from(token).length;
}

/** The exact-match text of a canonical text, as one string: runs apart by RUN_SEPARATOR. */
export function exactField(canonical: string): string {
  return joinRuns(tokenRuns(canonical));
}

export function joinRuns(runs: Run[]): string {
  return runs.map((r) => r.tokens.join(' ')).join(RUN_SEPARATOR);
}

/**
 * The Meilisearch phrase that matches exactly the texts containing `term`: a Han string (two
 * characters or more) as a substring, or a sequence of non-Han words as consecutive words.
 */
export function phraseOf(term: { han: string } | { words: string[] }): string {
  return 'han' in term ? `"${bigramsOf(term.han)}"` : `"${term.words.join(' ')}"`;
}
