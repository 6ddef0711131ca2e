// The truth a count is checked against (by eval:counts and the tests), computed by plain string
// search over the parsed stories, not with the search code: a story satisfies a query when every
// included term occurs in its title or body and no excluded term does. Han terms are substrings of the
// canonical text; other words are whole words, case-insensitive, consecutive within a stretch
// of text that has no Han character or line break.
import { toCanonical } from '../core/text/normalize.js';

export interface TruthTerm {
  text: string;
  exclude?: boolean;
}

export interface TruthStory {
  id: string;
  outlet: string;
  topics: string[];
  year?: string;
  text: string;
  /** The non-Han stretches of the text, as lower-case word lists. */
  stretches: string[][];
}

export function truthStory(a: {
  id: string;
  outlet: { id: string };
  topics: string[];
  publishedAt: string | null;
  title: string;
  body: string;
}): TruthStory {
  const text = toCanonical(`${a.title}\n${a.body}`).toLowerCase();
  const stretches = text
    .split(/[\p{Script=Han}\n]+/u)
    .map((s) => s.match(/\p{L}+|\p{N}+/gu) ?? [])
    .filter((w) => w.length > 0);
  const year = a.publishedAt ? new Date(Date.parse(a.publishedAt) + 8 * 3600_000).toISOString().slice(0, 4) : undefined;
  return { id: a.id, outlet: a.outlet.id, topics: a.topics, year, text, stretches };
}

function hasWords(story: TruthStory, words: string[]): boolean {
  return story.stretches.some((s) => s.some((_, i) => words.every((w, j) => s[i + j] === w)));
}

export function contains(story: TruthStory, term: string): boolean {
  const t = toCanonical(term).toLowerCase();
  return /\p{Script=Han}/u.test(t) ? story.text.includes(t) : hasWords(story, t.split(/\s+/));
}

export function satisfies(story: TruthStory, terms: TruthTerm[]): boolean {
  return terms.every((t) => contains(story, t.text) !== Boolean(t.exclude));
}

export function countBy(stories: TruthStory[], key: (s: TruthStory) => string | string[] | undefined): Record<string, number> {
  const m: Record<string, number> = {};
  for (const s of stories) for (const k of [key(s)].flat()) if (k !== undefined) m[k] = (m[k] ?? 0) + 1;
  return m;
}
