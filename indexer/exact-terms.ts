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

/** Space-separated bigram tokens of a Han run ('' for a single character, which has none). */
export function bigramsOf(han: string): string {
  let out = '';
  let previous: string | undefined;
  for (let i = 0; i < han.length; ) {
    const cp = han.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    const current = letters(cp);
    if (previous !== undefined) out += (out ? ' ' : '') + BIGRAM_MARK + previous + current;
    previous = current;
  }
  return out;
}

/** The exact-match field of a canonical text. */
export function exactField(canonical: string): string {
  const out: string[] = [];
  for (const m of canonical.matchAll(SEGMENT)) {
    const part = HAN.test(m[0]) ? bigramsOf(m[0]) : latinWords(m[0]).join(' ');
    if (part) out.push(part);
  }
  return out.join(RUN_SEPARATOR);
}

/**
 * The Meilisearch phrase that matches exactly the texts containing `term`: a Han string (two
 * characters or more) as a substring, or a sequence of non-Han words as consecutive words.
 */
export function phraseOf(term: { han: string } | { words: string[] }): string {
  return 'han' in term ? `"${bigramsOf(term.han)}"` : `"${term.words.join(' ')}"`;
}
