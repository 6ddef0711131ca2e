// The words that stand out in a search's stories, as Media Cloud's "top words" or Elasticsearch's
// significant_text: words much more frequent among the matching stories than in the archive.
// Candidates come from the stories' stored keywords (core/text/extract.ts), counted as a facet
// over the matching stories and over the whole archive (two queries, asked with the search's own
// multi-search); the words shown are then counted exactly, as every count in Tongwen: one
// multi-search with one query per word (the search's terms and the word as a substring, either
// script), which also counts, by keyword, the archive's stories for words outside its top values.
//
// For a word w, with m stories of the M matching ones and a of the archive's A having w among
// their keywords: share in the search p = m / M, in the archive q = a / A, lift = p / q. A word
// is shown when its lift is at least MIN_LIFT, m at least MIN_TERM_STORIES and q at most
// MAX_ARCHIVE_SHARE, ranked by Dunning's log-likelihood G² (term-score.ts): how unlikely its
// share in the search would be if the search were a random sample of the archive. Measured on
// the 48k (eval/README.md): words that a lift of 2 let through were the archive's own background
// (香港 in 33% of its stories, 中国, 政府, 市民), ranked high by the pointwise KL used before.
import type { TermsAnswer, TermsPanel } from '../api/responses.js';
import { phraseOf } from '../../core/text/exact-terms.js';
import type { BackendQuery, BackendResult, MissingInstance, SearchBackend } from './backend.js';
import { inScript } from './display.js';
import { quote } from './filters.js';
import type { DisplayScript, SearchParams } from './params.js';
import { planSearch, type PlannedSearch } from './plan.js';
import { MAX_TERMS } from './query.js';
import { liftOf, TERM_RANKING, TERM_RANKINGS, type TermRankingName } from './term-score.js';

/** Words shown at most. */
export const TERMS_SHOWN = 30;
/** Words counted exactly at most (the best by estimated score), of which TERMS_SHOWN are kept. */
export const TERM_CANDIDATES = 45;
/** A word stands out only if its share in the search is at least this many times its share in the archive. */
export const MIN_LIFT = 2;
/**
 * A word among the keywords of more than this share of the archive's stories is its background
 * vocabulary (香港, 政府, 市民 on the 48k), not what one search is about: never shown.
 */
export const MAX_ARCHIVE_SHARE = 0.1;
/** A word stands out only if at least this many matching stories have it among their keywords. */
export const MIN_TERM_STORIES = 2;

/** The stored keywords' attribute. */
const KEYWORDS = 'keywords';

export type StandingTerm = TermsPanel['terms'][number];

/** The two facet queries that find the candidates: the matching stories' keywords, and the archive's. */
export function termFacetQueries(planned: PlannedSearch): BackendQuery[] {
  return [
    { ...planned.base, filter: planned.filterFor(), page: 1, hitsPerPage: 0, facets: [KEYWORDS] },
    { q: '', page: 1, hitsPerPage: 0, facets: [KEYWORDS] },
  ];
}

interface Candidate {
  word: string;
  m: number;
  /** Archive stories with the word as a keyword, when the archive's facet listed it. */
  a?: number;
  /** Upper bound of `a` when the facet did not list it (its list is cut at maxValuesPerFacet). */
  aAtMost: number;
  score: number;
}

const scoreOf = (m: number, total: number, a: number, archive: number, ranking: TermRankingName) => {
  const counts = { m, total, a, archive };
  return { lift: liftOf(counts), score: TERM_RANKINGS[ranking](counts) };
};

/**
 * The candidates from the answers to termFacetQueries: words with at least MIN_TERM_STORIES
 * stories, not part of the query, the best TERM_CANDIDATES by score (with an unknown archive
 * count at its upper bound: a lower bound of the score).
 */
export function termCandidates(
  matching: BackendResult<unknown>,
  archive: BackendResult<unknown>,
  planned: PlannedSearch,
  ranking: TermRankingName = TERM_RANKING,
): Candidate[] {
  const inSearch = matching.facetDistribution[KEYWORDS] ?? {};
  const inArchive = archive.facetDistribution[KEYWORDS] ?? {};
  const archiveValues = Object.values(inArchive);
  // The facet lists values by count, cut at maxValuesPerFacet: a word it leaves out has at most
  // the smallest count listed. A list shorter than the index's cap is whole.
  const cut = archiveValues.length >= 1000 ? Math.min(...archiveValues) : 0;
  const queryWords = planned.parsed.terms.map((t) => t.text);
  const out: Candidate[] = [];
  for (const [word, m] of Object.entries(inSearch)) {
    if (m < MIN_TERM_STORIES) continue;
    // A word of five characters or more is one phrase Meilisearch checks three bigrams at a time
    // (loose-phrases.ts): its count could include stories with only its pieces. Counted exactly or not shown.
    if (Array.from(word).length > 4) continue;
    if (queryWords.some((t) => t.includes(word) || word.includes(t))) continue;
    const a = inArchive[word];
    const aAtMost = a ?? Math.max(cut, m);
    const { lift, score } = scoreOf(m, matching.total, aAtMost, archive.total, ranking);
    // An unlisted word has at most the facet's smallest count: far below MAX_ARCHIVE_SHARE.
    if (a !== undefined && (lift < MIN_LIFT || a > MAX_ARCHIVE_SHARE * archive.total)) continue;
    out.push({ word, m, ...(a !== undefined ? { a } : {}), aAtMost, score });
  }
  return out.sort((x, y) => y.score - x.score || (x.word < y.word ? -1 : 1)).slice(0, TERM_CANDIDATES);
}

/**
 * The words that stand out, counted exactly: one multi-search of a query per candidate (the
 * search and the word) and one per candidate whose archive count the facet did not give.
 */
export async function countTerms(
  backend: SearchBackend,
  planned: PlannedSearch,
  candidates: Candidate[],
  totals: { matching: number; archive: number },
  script: DisplayScript,
  ranking: TermRankingName = TERM_RANKING,
): Promise<{ terms: StandingTerm[]; missing: MissingInstance[] }> {
  if (candidates.length === 0) return { terms: [], missing: [] };
  const filter = planned.filterFor();
  // The word is one more term of the query, in each alternative of a query with OR.
  const withWord = (word: string): Pick<BackendQuery, 'q' | 'anyOf'> => {
    const phrase = phraseOf({ han: word });
    const { anyOf } = planned.base;
    return anyOf
      ? { q: '', anyOf: anyOf.map((a) => ({ ...a, q: `${a.q} ${phrase}`.trim() })) }
      : { q: `${planned.base.q} ${phrase}`.trim() };
  };
  const queries: BackendQuery[] = candidates.map((c) => ({
    ...withWord(c.word),
    matchingStrategy: 'all',
    filter,
    page: 1,
    hitsPerPage: 0,
  }));
  const unknown = candidates.filter((c) => c.a === undefined);
  for (const c of unknown) queries.push({ q: '', filter: `${KEYWORDS} = ${quote(c.word)}`, page: 1, hitsPerPage: 0 });
  const answer = await backend.search(queries);
  const archiveCount = new Map(unknown.map((c, i) => [c.word, answer.results[candidates.length + i]!.total]));
  // Keywords are canonical (simplified): the original script of a word is not known.
  const shown = (w: string) => inScript(w, script === 'hant' ? 'hant' : 'hans');
  const terms = candidates
    .map((c, i) => {
      const a = c.a ?? archiveCount.get(c.word)!;
      const { lift, score } = scoreOf(c.m, totals.matching, a, totals.archive, ranking);
      return {
        term: {
          text: c.word,
          label: shown(c.word),
          stories: answer.results[i]!.total,
          keywordStories: c.m,
          archiveKeywordStories: Math.max(a, c.m),
          lift: Math.round(lift * 10) / 10,
        },
        score,
        lift,
      };
    })
    .filter((t) => t.lift >= MIN_LIFT && t.term.archiveKeywordStories <= MAX_ARCHIVE_SHARE * totals.archive && t.term.stories > 0)
    .sort((x, y) => y.score - x.score || (x.term.text < y.term.text ? -1 : 1))
    .slice(0, TERMS_SHOWN)
    .map((t) => t.term);
  return { terms, missing: answer.missing };
}

/** Can the words be counted within this search? Meilisearch reads only MAX_TERMS terms of a query (of each alternative). */
export function termsCountable(planned: PlannedSearch): boolean {
  return !planned.nothing && planned.parsed.alternatives.every((alt) => alt.length < MAX_TERMS);
}

/**
 * The panel from the answers to termFacetQueries (asked with the search's own multi-search):
 * one more multi-search counts the words.
 */
export async function termsPanel(
  backend: SearchBackend,
  planned: PlannedSearch,
  facets: [BackendResult<unknown>, BackendResult<unknown>],
  script: DisplayScript,
  ranking: TermRankingName = TERM_RANKING,
): Promise<{ panel: TermsPanel; missing: MissingInstance[] }> {
  const [matching, archive] = facets;
  const base = { archiveTotal: archive.total, countable: termsCountable(planned) };
  if (!base.countable) return { panel: { ...base, terms: [] }, missing: [] };
  const candidates = termCandidates(matching, archive, planned, ranking);
  const totals = { matching: matching.total, archive: archive.total };
  const { terms, missing } = await countTerms(backend, planned, candidates, totals, script, ranking);
  return { panel: { ...base, terms }, missing };
}

/**
 * /api/terms: the search planned, its candidates found (one multi-search), then counted (one
 * more). `ranking` other than the panel's is for eval:terms.
 */
export async function searchTerms(backend: SearchBackend, p: SearchParams, ranking: TermRankingName = TERM_RANKING): Promise<TermsAnswer> {
  const planned = await planSearch(backend, p);
  const query = { q: p.q, normalized: planned.parsed.normalized, outlet: p.outlet, topic: p.topic, person: p.person, place: p.place };
  const selection = { ...query, organization: p.organization, from: p.from, to: p.to, undated: p.undated };
  if (planned.nothing) {
    const archive = await backend.search([{ q: '', page: 1, hitsPerPage: 0 }]);
    planned.missing.add(archive.missing);
    return {
      query: selection,
      total: 0,
      archiveTotal: archive.results[0]!.total,
      countable: false,
      terms: [],
      ...planned.missing.fields(),
    };
  }
  const answer = await backend.search(termFacetQueries(planned));
  planned.missing.add(answer.missing);
  const [matching, archive] = answer.results as [BackendResult<unknown>, BackendResult<unknown>];
  const { panel, missing } = await termsPanel(backend, planned, [matching, archive], p.script, ranking);
  planned.missing.add(missing);
  return { query: selection, total: matching.total, ...panel, ...planned.missing.fields() };
}
