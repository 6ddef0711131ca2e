// The query mix of bench:search: distinct searches built from the indexed stories with a fixed
// seed, as readers ask them (one word, several words, unspaced Chinese, phrases, exclusions,
// Latin words and numbers, one in ten with OR between two or three words, in either script; some with an outlet, topic or date filter, some
// sorted by date, some asking for a later page, some for results in the reader's script), and a
// sequence of them with the repetition of a real search log: by Zipf's law, a few searches very
// often and a long tail once.
import { Converter } from '../core/text/opencc.js';
import { random } from '../eval/random.js';
import { hanWords, latinTitleWords } from '../eval/title-words.js';

const toTraditional = Converter({ from: 'cn', to: 'hk' });

export interface StorySample {
  title: string;
  outlet: string;
  topics: string[];
  /** YYYY-MM in UTC+8, when dated. */
  month?: string;
}

export type BenchQuery = Record<string, string>;

/** The mix every search benchmark drives: distinct searches, searches in the sequence (Zipf repetition), default seed. */
export const DISTINCT = 240;
export const SEQUENCE = 2000;
export const DEFAULT_SEED = 20261127;

// One search in ten with OR: researchers name a subject several ways (新冠 / 武漢肺炎); most
// readers type words and no operators.
const KINDS = ['one word', 'one word', 'two words', 'two words', 'three words', 'unspaced', 'phrase', 'exclusion', 'latin', 'or'] as const;

/** The AND query of an OR query's words (`(a OR b) c` → `a b c`): what OR is measured against. */
export function andOfOr(q: string): string {
  return q
    .replace(/\bOR\b/g, ' ')
    .replace(/[()（）]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** `n` distinct searches (query string and parameters). */
export function buildQueries(stories: StorySample[], n: number, seed: number): Array<{ kind: string; params: BenchQuery }> {
  const next = random(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  let traditional = false;
  const script = (q: string) => {
    if (next() >= 0.5) return q;
    traditional = true;
    return toTraditional(q);
  };
  const out: Array<{ kind: string; params: BenchQuery }> = [{ kind: 'browse', params: {} }];
  const seen = new Set<string>(['{}']);
  for (let attempt = 0; out.length < n && attempt < n * 100; attempt++) {
    const kind = KINDS[attempt % KINDS.length]!;
    traditional = false;
    const story = pick(stories);
    const words = hanWords(story.title);
    let q: string | undefined;
    if (kind === 'one word' && words.length) q = script(pick(words));
    else if (kind === 'two words' && words.length >= 2)
      q = script(
        [...words]
          .sort(() => next() - 0.5)
          .slice(0, 2)
          .join(' '),
      );
    else if (kind === 'three words' && words.length >= 3)
      q = script(
        [...words]
          .sort(() => next() - 0.5)
          .slice(0, 3)
          .join(' '),
      );
    else if (kind === 'unspaced' && words.length >= 2) {
      const i = Math.floor(next() * (words.length - 1));
      q = script(words[i]! + words[i + 1]!);
    } else if (kind === 'phrase' && words.length)
      q = script(`"${words.reduce((a, b) => (Array.from(b).length > Array.from(a).length ? b : a))}"`);
    else if (kind === 'exclusion' && words.length >= 2) q = script(`${words[0]} -${pick(words.slice(1))}`);
    else if (kind === 'or' && words.length >= 2) {
      // Another story's word as the second alternative: stories with either, or both.
      const other = hanWords(pick(stories).title).filter((w) => !words.includes(w));
      const roll = next();
      if (other.length && roll < 0.6) q = script(`${pick(words)} OR ${pick(other)}`);
      else if (other.length && roll < 0.85) q = script(`(${words[0]} OR ${pick(other)}) ${pick(words.slice(1))}`);
      else if (other.length >= 2) q = script(`${pick(words)} OR ${other[0]} OR ${other[1]}`);
    } else if (kind === 'latin') {
      const latin = latinTitleWords(story.title);
      if (latin.length) q = words.length && next() < 0.5 ? `${pick(latin)} ${script(pick(words))}` : pick(latin);
    }
    if (!q) continue;
    const params: BenchQuery = { q };
    // Filters taken from the story itself, so that the search has results.
    const roll = next();
    if (roll < 0.15) params.outlet = story.outlet;
    else if (roll < 0.25 && story.topics.length) params.topic = pick(story.topics);
    else if (roll < 0.35 && story.month) {
      params.from = `${story.month.slice(0, 4)}-01-01`;
      params.to = `${story.month.slice(0, 4)}-12-31`;
    }
    const order = next();
    if (order < 0.15) params.sort = 'newest';
    else if (order < 0.2) params.sort = 'oldest';
    if (next() < 0.15) params.page = String(2 + Math.floor(next() * 2));
    // Some readers ask for results in their own script: the one they typed the query in.
    if (next() < 0.3) params.script = traditional ? 'hant' : 'hans';
    const key = JSON.stringify(params);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, params });
  }
  return out;
}

/**
 * A sequence of `length` picks from `count` searches with Zipf weights (rank^-1): the first few
 * make up much of the traffic, the tail once or twice (each at least once). Returns indexes.
 */
export function zipfSequence(count: number, length: number, seed: number): number[] {
  const next = random(seed + 1);
  const weights = Array.from({ length: count }, (_, i) => 1 / (i + 1));
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let sum = 0;
  for (const w of weights) {
    sum += w / total;
    cumulative.push(sum);
  }
  const sequence = Array.from({ length }, () => {
    const r = next();
    const i = cumulative.findIndex((c) => c >= r);
    return i < 0 ? count - 1 : i;
  });
  // Every search at least once: the tail is what a cache cannot help with.
  const seen = new Set(sequence);
  for (let i = 0; i < count; i++) if (!seen.has(i)) sequence.splice(Math.floor(next() * sequence.length), 0, i);
  return sequence;
}
