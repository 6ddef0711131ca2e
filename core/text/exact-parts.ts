// The exact-match fields in parts. Meilisearch indexes only the first 65,536 word positions of
// each attribute and silently drops the rest, so a long text's tokens (exact-terms.ts) are stored
// as an object of parts, which Meilisearch flattens into attributes of their own (bodyExact.1,
// bodyExact.2, …): each within the position limit, each starting a little before the one before
// it ends, so that any query term lies wholly inside one part. Checked on 1.21: each nested
// attribute has its own 65,536 positions (the elements of an array share one attribute's),
// searchableAttributes ["bodyExact"] searches all of them with one weight, and no phrase matches
// across two attributes.
//
// Parts have no limit of their own: the longest article is the longest file the parser reads
// (MAX_FILE_BYTES, 5 MB, in parse-file.ts; longer files are rejected with their path and the
// reason). Measured: a 5 MB file of 1,700,000 Han characters made 37 parts (a 25.6 MB document)
// and its last word was found. Each part number is one field of the index, far below
// Meilisearch's 65,535.
import { joinRuns, positionsOf, RUN_SEPARATOR, tokenRuns } from './exact-terms.js';

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
