// Meilisearch checks a phrase three words at a time (each pair of neighbours, and words two
// apart), not at one place: "甲乙 乙丙 丙丁 丁戊" also matches a text with 甲乙丙丁 in one place and
// 乙丙丁戊 in another (checked on 1.21). So a Han term of five characters or more, or a phrase of
// three words or more, can match stories that do not contain it. For those terms the candidates
// are read and checked here; the stories that must not count are left out by id, so totals,
// facet counts and pages stay exact. Shorter terms are exact as they are: with overlapping
// bigrams, the first and third of three bigrams at distance 2 pin all four characters together.
//
// At most MAX_VERIFIED_CANDIDATES candidates are read per search; past that the answer says so
// (`bounded`) and its total is an upper bound. The check reads the candidates' canonical texts:
// asking Meilisearch for match spans instead (showMatchesPosition, no text sent) is exact, but it
// needs the exact fields displayed and costs far more: 838 ms for the 630 candidates of
// 中华人民共和国 (48k corpus, 1.21) with only the exact fields displayed, 7.4 s with the app's
// displayed fields, against 83 ms to read and search their texts (31 ms of it Meilisearch's).
import type { Bounded } from '../api/responses.js';
import type { MissingInstance, SearchBackend } from './backend.js';
import { quote } from './filters.js';
import { countOf } from './matches.js';
import { meiliQuery, type Term } from './query.js';
import { VERIFIED_CACHE_BYTES, VERIFIED_CACHE_ENTRIES } from './verified-cache.js';
import { VersionedCache, type CacheStats } from './versioned-cache.js';

export function isLoose(t: Pick<Term, 'text' | 'script'>): boolean {
  return t.script === 'han' ? Array.from(t.text).length >= 5 : t.text.split(' ').length >= 3;
}

/**
 * Candidates read per search at most, over all its long terms: two pages. Measured on the 48k
 * corpus (27,770 stories, 1.21, a shared 2-core machine): reading and checking a candidate costs
 * 0.1–0.35 ms and about 2.5 KB. Of eight common long terms, six have 140–670 candidates
 * (中华人民共和国 630: 83–207 ms, 1.5 MB), 特首林郑月娥 1,975 (409 ms) and 立法会议员 2,763
 * (923 ms, 5 MB): 2,000 keep all but the most common exact and no search reads more than ~5 MB.
 */
export const MAX_VERIFIED_CANDIDATES = 2_000;

/** Candidates asked for at once (a page never asks for more than maxTotalHits either). */
const CANDIDATES_PER_REQUEST = 1000;

interface Candidate {
  id: string;
  titleSearch?: unknown;
  bodySearch?: unknown;
}

export type { Bounded } from '../api/responses.js';

export interface LooseCheck {
  /** The terms to send to Meilisearch: excluded loose terms are handled by `leaveOut` instead. */
  terms: Term[];
  /** Stories Meilisearch would count but that do not satisfy the query. */
  leaveOut: string[];
  /** Instances of a network that did not answer while the candidates were read. */
  missing: MissingInstance[];
  /** Present when the cap was reached. */
  bounded?: Bounded;
}

export interface LooseOptions {
  /** Candidates checked per search at most; MAX_VERIFIED_CANDIDATES unless given. */
  maxCandidates?: number;
}

/** One pass over candidates: the stories Meilisearch matches for `terms`, in id order. */
interface Scan {
  terms: Term[];
  /** The long terms to look for in each candidate's text (as required terms). */
  check: Term[];
  /** A candidate is left out when a checked term is absent (required terms) or present (an excluded one). */
  leaveOutWhen: 'absent' | 'present';
}

interface Tally {
  leaveOut: Set<string>;
  missing: MissingInstance[];
  verified: number;
  candidates: number;
}

/**
 * Reads the scan's candidates with their canonical texts, at most `budget` of them, in id order,
 * a page at a time after the last id read (each request costs the same however far in, and
 * nothing stops at maxTotalHits), and checks them. The first page also counts them all.
 */
async function runScan(backend: SearchBackend, scan: Scan, budget: number, tally: Tally): Promise<void> {
  const q = meiliQuery({ terms: scan.terms });
  let after: string | undefined;
  let read = 0;
  for (let first = true; ; first = false) {
    const size = Math.min(CANDIDATES_PER_REQUEST, backend.reachableHits, budget - read);
    const answer = await backend.search<Candidate>([
      {
        q,
        matchingStrategy: 'all',
        filter: after === undefined ? undefined : `id > ${quote(after)}`,
        sort: ['id:asc'],
        page: 1,
        hitsPerPage: size,
        attributesToRetrieve: ['id', 'titleSearch', 'bodySearch'],
        ...(first ? {} : { count: false as const }),
      },
    ]);
    tally.missing.push(...answer.missing);
    const { hits, total } = answer.results[0]!;
    if (first) tally.candidates += total;
    for (const h of hits) {
      const text =
        `${typeof h.titleSearch === 'string' ? h.titleSearch : ''}\n${typeof h.bodySearch === 'string' ? h.bodySearch : ''}`.toLowerCase();
      const present = scan.check.map((t) => countOf(text, t) > 0);
      if (scan.leaveOutWhen === 'absent' ? present.includes(false) : present.includes(true)) tally.leaveOut.add(String(h.id));
    }
    read += hits.length;
    tally.verified += hits.length;
    if (hits.length < size || read >= budget) return;
    after = String(hits[hits.length - 1]!.id);
  }
}

/** The passes a query needs: one over the stories with every required term, one per excluded long term. */
function scansOf(terms: Term[]): Scan[] {
  const loose = terms.filter(isLoose);
  const positives = terms.filter((t) => !t.exclude);
  const loosePositives = loose.filter((t) => !t.exclude);
  const scans: Scan[] = [];
  if (loosePositives.length) scans.push({ terms: positives, check: loosePositives, leaveOutWhen: 'absent' });
  // An excluded loose term: the stories that really contain it, among those with the other terms.
  for (const x of loose.filter((t) => t.exclude)) {
    const included = { ...x, exclude: false };
    scans.push({ terms: [...positives, included], check: [included], leaveOutWhen: 'present' });
  }
  return scans;
}

async function verify(backend: SearchBackend, terms: Term[], maxCandidates: number): Promise<Omit<LooseCheck, 'terms'>> {
  const tally: Tally = { leaveOut: new Set(), missing: [], verified: 0, candidates: 0 };
  for (const scan of scansOf(terms)) await runScan(backend, scan, maxCandidates - tally.verified, tally);
  return {
    leaveOut: [...tally.leaveOut].sort(),
    missing: tally.missing,
    ...(tally.candidates > tally.verified ? { bounded: { verified: tally.verified, candidates: tally.candidates } } : {}),
  };
}

type Verified = Omit<LooseCheck, 'terms'>;

/** An id costs about twice its length (UTF-16) and a slot in the array. */
const sizeOf = (v: Verified) => v.leaveOut.reduce((n, id) => n + 2 * id.length + 32, 64);

/** One cache per backend (its live index), shared by every route that searches it. */
const caches = new WeakMap<SearchBackend, VersionedCache<Verified>>();

function cacheOf(view: SearchBackend): VersionedCache<Verified> | undefined {
  const backend = view.origin ?? view;
  if (!backend.indexVersion) return undefined;
  let cache = caches.get(backend);
  if (!cache) {
    cache = new VersionedCache<Verified>(sizeOf, { entries: VERIFIED_CACHE_ENTRIES, bytes: VERIFIED_CACHE_BYTES });
    caches.set(backend, cache);
  }
  return cache;
}

/** How often a search found its verification kept (the benchmark reports it). */
export function verifiedCacheStats(backend: SearchBackend): CacheStats | undefined {
  return caches.get(backend.origin ?? backend)?.stats();
}

export async function checkLoosePhrases(backend: SearchBackend, terms: Term[], opts: LooseOptions = {}): Promise<LooseCheck> {
  if (!terms.some(isLoose)) return { terms, leaveOut: [], missing: [] };
  const max = opts.maxCandidates ?? MAX_VERIFIED_CANDIDATES;
  if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`maxCandidates: ${max} is not a whole number of candidates`);
  // The order of the terms does not change what is left out.
  const key = JSON.stringify([max, terms.map((t) => [t.script, t.exclude, t.text]).sort()]);
  const compute = () => verify(backend, terms, max);
  const cache = cacheOf(backend);
  // The version through the request's own view: its deadline and its client's leaving stop the read too.
  const verified = cache ? await cache.get(key, await backend.indexVersion!(), compute, (v) => v.missing.length === 0) : await compute();
  return { terms: terms.filter((t) => !(t.exclude && isLoose(t))), ...verified };
}

/** The filter clause that leaves the stories out, or undefined when there are none. */
export function leaveOutFilter(ids: string[]): string[] | undefined {
  return ids.length ? [`id NOT IN [${ids.map(quote).join(', ')}]`] : undefined;
}
