// Meilisearch checks a phrase three words at a time (each pair of neighbours, and words two
// apart), not at one place: "甲乙 乙丙 丙丁 丁戊" also matches a text with 甲乙丙丁 in one place and
// 乙丙丁戊 in another (checked on 1.21). So a Han term of five characters or more, or a phrase of
// three words or more, can match stories that do not contain it. For those terms the candidates
// are checked here; the stories that must not count are left out by id, so totals, facet counts
// and pages stay exact. Shorter terms are exact as they are: with overlapping bigrams, the first
// and third of three bigrams at distance 2 pin all four characters together.
//
// The check sends no text: asked with showMatchesPosition, Meilisearch (1.21) gives a story that
// has the whole phrase its span in an exact field, and one that has it only in pieces no span.
// Spans of several terms of one query are mixed, so each long term is checked by a query of its
// own, over the candidates' ids. At most MAX_VERIFIED_CANDIDATES candidates are checked per
// search; past that the answer says so (`bounded`) and its total is an upper bound.
import type { MissingInstance, SearchBackend } from './backend.js';
import { quote } from './filters.js';
import { meiliQuery, type Term } from './query.js';
import { VerifiedCache } from './verified-cache.js';

export function isLoose(t: Pick<Term, 'text' | 'script'>): boolean {
  return t.script === 'han' ? Array.from(t.text).length >= 5 : t.text.split(' ').length >= 3;
}

/**
 * Candidates checked per search at most, over all its long terms. Measured on the 48k corpus
 * (see the report in loose-phrases.test.ts's header and bench/README): checking by span costs
 * about 0.1 ms a candidate on Meilisearch's side, so 2,000 keep the check near the cost of an
 * ordinary search, and cover every long term of the 48k stories but the few most common.
 */
export const MAX_VERIFIED_CANDIDATES = 2_000;

/** Candidates asked for at once (a page never asks for more than maxTotalHits either). */
const PAGE = 1000;

/** Exact-match attributes: titleExact, bodyExact and the overflow fields of long bodies (bodyExact…). */
export function isExactAttribute(name: string): boolean {
  return name === 'titleExact' || name.startsWith('bodyExact');
}

interface Spanned {
  id: unknown;
  _matchesPosition?: Record<string, unknown[]>;
}

/** The story has the whole phrase in one place of an exact field. */
function hasSpan(h: Spanned): boolean {
  return Object.entries(h._matchesPosition ?? {}).some(([attribute, spans]) => isExactAttribute(attribute) && spans.length > 0);
}

/** Some candidates were not checked: the total counts them, so it is an upper bound. */
export interface Bounded {
  /** Candidates checked. */
  verified: number;
  /** Candidates to check: stories Meilisearch matched for the long terms (per long excluded term, again). */
  candidates: number;
}

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
  /** The long terms to look for in each candidate (as required terms). */
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

/** The ids among `ids` whose story has `term` in one place, one set per term (one request). */
async function containing(backend: SearchBackend, ids: string[], terms: Term[], missing: MissingInstance[]): Promise<Array<Set<string>>> {
  const filter = `id IN [${ids.map(quote).join(', ')}]`;
  const answer = await backend.search<Spanned>(terms.map((t) => ({
    q: meiliQuery({ terms: [{ ...t, exclude: false }] }),
    matchingStrategy: 'all' as const,
    filter,
    page: 1,
    hitsPerPage: ids.length,
    attributesToRetrieve: ['id'],
    showMatchesPosition: true as const,
    count: false as const,
  })));
  missing.push(...answer.missing);
  return answer.results.map((r) => new Set(r.hits.filter(hasSpan).map((h) => String(h.id))));
}

/**
 * Reads the scan's candidates, at most `budget` of them, a page at a time after the last id read
 * (each request costs the same however far in, and nothing stops at maxTotalHits), and checks
 * them. A scan of one term is checked by the spans of its own hits; otherwise each page's ids
 * are asked again, one query per checked term.
 */
async function runScan(backend: SearchBackend, scan: Scan, budget: number, tally: Tally): Promise<void> {
  const q = meiliQuery({ terms: scan.terms });
  const direct = scan.terms.length === 1;
  let after: string | undefined;
  let read = 0;
  for (let first = true; ; first = false) {
    const size = Math.min(PAGE, backend.reachableHits, budget - read);
    const answer = await backend.search<Spanned>([{
      q,
      matchingStrategy: 'all',
      filter: after === undefined ? undefined : `id > ${quote(after)}`,
      sort: ['id:asc'],
      page: 1,
      hitsPerPage: size,
      attributesToRetrieve: ['id'],
      ...(direct ? { showMatchesPosition: true as const } : {}),
      // The first page counts the candidates: whether the cap was reached, and by how much.
      ...(first ? {} : { count: false as const }),
    }]);
    tally.missing.push(...answer.missing);
    const { hits, total } = answer.results[0]!;
    if (first) tally.candidates += total;
    if (hits.length === 0) return;
    const ids = hits.map((h) => String(h.id));
    const present = direct ? [new Set(hits.filter(hasSpan).map((h) => String(h.id)))] : await containing(backend, ids, scan.check, tally.missing);
    for (const id of ids) {
      const leave = scan.leaveOutWhen === 'absent' ? present.some((s) => !s.has(id)) : present.some((s) => s.has(id));
      if (leave) tally.leaveOut.add(id);
    }
    read += ids.length;
    tally.verified += ids.length;
    if (hits.length < size || read >= budget) return;
    after = ids[ids.length - 1];
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
const caches = new WeakMap<SearchBackend, VerifiedCache<Verified>>();

function cacheOf(backend: SearchBackend): VerifiedCache<Verified> | undefined {
  if (!backend.indexVersion) return undefined;
  let cache = caches.get(backend);
  if (!cache) caches.set(backend, (cache = new VerifiedCache<Verified>(() => backend.indexVersion!(), sizeOf)));
  return cache;
}

/** How often a search found its verification kept (the benchmark reports it). */
export function verifiedCacheStats(backend: SearchBackend): ReturnType<VerifiedCache<Verified>['stats']> | undefined {
  return caches.get(backend)?.stats();
}

export async function checkLoosePhrases(backend: SearchBackend, terms: Term[], opts: LooseOptions = {}): Promise<LooseCheck> {
  if (!terms.some(isLoose)) return { terms, leaveOut: [], missing: [] };
  const max = opts.maxCandidates ?? MAX_VERIFIED_CANDIDATES;
  if (!Number.isSafeInteger(max) || max < 0) throw new RangeError(`maxCandidates: ${max} is not a whole number of candidates`);
  // The order of the terms does not change what is left out.
  const key = JSON.stringify([max, terms.map((t) => [t.script, t.exclude, t.text]).sort()]);
  const compute = () => verify(backend, terms, max);
  const cache = cacheOf(backend);
  const verified = cache ? await cache.get(key, compute, (v) => v.missing.length === 0) : await compute();
  return { terms: terms.filter((t) => !(t.exclude && isLoose(t))), ...verified };
}

/** The filter clause that leaves the stories out, or undefined when there are none. */
export function leaveOutFilter(ids: string[]): string[] | undefined {
  return ids.length ? [`id NOT IN [${ids.map(quote).join(', ')}]`] : undefined;
}
