// The two kinds of lists eval:terms judges against, read and checked here. The blind lists
// (eval/terms-queries.json) were written from general knowledge before looking at any output.
// The judgments (eval/terms-judgments.json) were made afterwards by pooling, as TREC does: the
// words and people several ranking methods showed, each judged relevant or not under the rule
// written at the top of that file. They are kept apart so that each precision can be read alone.
import fs from 'node:fs';
import { toCanonical } from '../core/text/normalize.js';

/** A query with the words and people a reader expects, written blind. */
export interface BlindList {
  q: string;
  terms: string[];
  people: string[];
}

/** A query's pooled judgments: what was shown and judged relevant, and what was judged not. */
export interface Judgment {
  q: string;
  relevantTerms: string[];
  notRelevantTerms: string[];
  relevantPeople: string[];
  notRelevantPeople: string[];
}

const strings = (file: string, where: string, value: unknown): string[] => {
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw new Error(`${file}: ${where} is not a list of strings`);
  return (value as string[]).map(toCanonical);
};

export function readBlindLists(file: string): BlindList[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { queries?: unknown };
  if (!Array.isArray(data.queries)) throw new Error(`${file}: no "queries" list`);
  return data.queries.map((q: Partial<BlindList>, i) => {
    if (typeof q.q !== 'string') throw new Error(`${file}: query ${i + 1} needs q`);
    return {
      q: q.q,
      terms: strings(file, `query ${i + 1} (${q.q}) terms`, q.terms),
      people: strings(file, `query ${i + 1} (${q.q}) people`, q.people),
    };
  });
}

/**
 * The judgments by query, for queries of the blind lists only; a word judged both relevant and
 * not relevant for one query is an error (a reviewer could not tell which holds).
 */
export function readJudgments(file: string, queries: BlindList[]): Map<string, Judgment> {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { rule?: unknown; queries?: unknown };
  if (typeof data.rule !== 'string' || !Array.isArray(data.queries)) throw new Error(`${file}: needs "rule" and a "queries" list`);
  const known = new Set(queries.map((q) => q.q));
  const out = new Map<string, Judgment>();
  for (const [i, raw] of (data.queries as Array<Partial<Judgment>>).entries()) {
    const where = `query ${i + 1} (${raw.q})`;
    if (typeof raw.q !== 'string' || !known.has(raw.q)) throw new Error(`${file}: ${where} is not a query of the blind lists`);
    if (out.has(raw.q)) throw new Error(`${file}: ${where} is judged twice`);
    const j: Judgment = {
      q: raw.q,
      relevantTerms: strings(file, `${where} relevantTerms`, raw.relevantTerms ?? []),
      notRelevantTerms: strings(file, `${where} notRelevantTerms`, raw.notRelevantTerms ?? []),
      relevantPeople: strings(file, `${where} relevantPeople`, raw.relevantPeople ?? []),
      notRelevantPeople: strings(file, `${where} notRelevantPeople`, raw.notRelevantPeople ?? []),
    };
    for (const [yes, no, kind] of [
      [j.relevantTerms, j.notRelevantTerms, 'word'],
      [j.relevantPeople, j.notRelevantPeople, 'person'],
    ] as const) {
      const both = yes.filter((w) => no.includes(w));
      if (both.length) throw new Error(`${file}: ${where} judges the ${kind} ${both.join(', ')} both relevant and not`);
    }
    out.set(j.q, j);
  }
  return out;
}

/** A word is expected blind when it is one of the expected words, contains one or is contained in one. */
export const blindWord = (word: string, list: BlindList) => list.terms.some((e) => e === word || word.includes(e) || e.includes(word));
export const blindPerson = (name: string, list: BlindList) => list.people.includes(name);

/** A verdict shown in the listing: expected blind, judged relevant, judged not, or not judged. */
export type Verdict = 'blind' | 'relevant' | 'not' | 'unjudged';

export function wordVerdict(word: string, list: BlindList, judged: Judgment | undefined): Verdict {
  if (blindWord(word, list)) return 'blind';
  if (judged?.relevantTerms.includes(word)) return 'relevant';
  if (judged?.notRelevantTerms.includes(word)) return 'not';
  return 'unjudged';
}

export function personVerdict(name: string, list: BlindList, judged: Judgment | undefined): Verdict {
  if (blindPerson(name, list)) return 'blind';
  if (judged?.relevantPeople.includes(name)) return 'relevant';
  if (judged?.notRelevantPeople.includes(name)) return 'not';
  return 'unjudged';
}
