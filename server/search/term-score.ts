// How much a word stands out in a search, from four counts: m of the M matching stories and a of
// the archive's A stories have it among their keywords (the matching stories are part of the
// archive, so a ≥ m). The panel ranks by one score (TERM_RANKING); the others are kept, by name,
// for eval:terms, which compares them on the same index (eval/README.md).
import { z } from 'zod';

export interface TermCounts {
  m: number;
  total: number;
  a: number;
  archive: number;
}

/** (m / M) / (a / A): how many times more frequent the word is in the search than in the archive. */
export function liftOf(c: TermCounts): number {
  return c.m / c.total / (Math.max(c.a, c.m) / c.archive);
}

/** p × ln(lift), p = m / M: the word's share of the KL divergence of the search from the archive (Tomokiyo and Hurst 2003). */
function pointwiseKl(c: TermCounts): number {
  return (c.m / c.total) * Math.log(liftOf(c));
}

/** k × ln(k / expected), 0 for an empty cell. */
const cell = (k: number, expected: number) => (k > 0 ? k * Math.log(k / expected) : 0);

/**
 * Dunning's log-likelihood ratio G² of the 2×2 table (the word or not, in the search or in the
 * rest of the archive): how unlikely the word's share in the search is if the search were a
 * random sample of the archive. Large for a word many matching stories have, small for one that
 * two of a few stories happen to share.
 */
export function logLikelihood(c: TermCounts): number {
  const a = Math.max(c.a, c.m);
  const rest = c.archive - c.total;
  const k = [c.m, c.total - c.m, a - c.m, rest - (a - c.m)];
  const rows = [c.total, rest];
  const cols = [a, c.archive - a];
  let g = 0;
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) g += cell(k[i * 2 + j]!, (rows[i]! * cols[j]!) / c.archive);
  return 2 * g;
}

/** The scores eval:terms can compare, by name. */
export const TERM_RANKINGS = {
  'pointwise-kl': pointwiseKl,
  'log-likelihood': logLikelihood,
} as const satisfies Record<string, (c: TermCounts) => number>;

export type TermRankingName = keyof typeof TERM_RANKINGS;
export const termRankingName = z.enum(Object.keys(TERM_RANKINGS) as [TermRankingName, ...TermRankingName[]]);

/** The panel's ranking. */
export const TERM_RANKING: TermRankingName = 'log-likelihood';
