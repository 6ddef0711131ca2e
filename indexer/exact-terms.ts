// The exact-match fields (titleExact, bodyExact) and how query terms are written against them.
// Han text is stored as the overlapping character bigrams of each Han run (香港人权 → 香港 港人
// 人权), the way Lucene's CJK analyser indexes Chinese, so a phrase of a word's bigrams matches
// exactly the texts that contain the word, however a word segmenter would cut it. Other letters
// and digits are stored as lower-case words, letter runs and digit runs apart (covid19 → covid 19).
// Runs are separated by line breaks, which Meilisearch treats as hard separators: a phrase never
// matches across them.

const HAN = /\p{Script=Han}/u;
const SEGMENT = /\p{Script=Han}+|[^\p{Script=Han}\n]+/gu;
/** Words outside Han text: a run of letters or a run of digits (of any script but Han). */
const WORD = /(?:(?!\p{Script=Han})\p{L})+|\p{N}+/gu;

export function isHan(text: string): boolean {
  return HAN.test(text);
}

/** The non-Han words of `text`, lower-cased, in order. */
export function latinWords(text: string): string[] {
  return Array.from(text.toLowerCase().matchAll(WORD), (m) => m[0]);
}

/** Space-separated bigrams of a Han run ('' for a single character, which has none). */
export function bigramsOf(han: string): string {
  const chars = Array.from(han);
  const grams: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
  return grams.join(' ');
}

/** The exact-match field of a canonical text. */
export function exactField(canonical: string): string {
  const out: string[] = [];
  for (const m of canonical.matchAll(SEGMENT)) {
    const part = HAN.test(m[0]) ? bigramsOf(m[0]) : latinWords(m[0]).join(' ');
    if (part) out.push(part);
  }
  return out.join('\n');
}

/**
 * The Meilisearch phrase that matches exactly the texts containing `term`: a Han string (two
 * characters or more) as a substring, or a sequence of non-Han words as consecutive words.
 */
export function phraseOf(term: { han: string } | { words: string[] }): string {
  return 'han' in term ? `"${bigramsOf(term.han)}"` : `"${term.words.join(' ')}"`;
}
