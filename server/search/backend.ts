// Where searches go: one Meilisearch (the default), or a network of instances, each shard asked
// once in one federated search (network-backend.ts). The search code asks for pages and exact totals in the
// same terms either way; a backend turns them into Meilisearch requests.
import type { Meilisearch, MultiSearchQuery, SearchResponse } from 'meilisearch';
import { MAX_TOTAL_HITS } from '../../core/index-settings.js';
import type { InstanceHealth as PublicInstanceHealth, MissingInstance } from '../api/responses.js';
import { apiError } from '../meili-http.js';
import { callSignal, SEARCH_TIMEOUT_MS } from '../search-client.js';

export type Filter = string | Array<string | string[]>;

/** One alternative of a query with OR: its Meilisearch `q`, and what it leaves out (long-term checks). */
export interface Alternative {
  q: string;
  filter?: Filter;
}

export interface BackendQuery {
  q: string;
  /**
   * Several alternatives (a query with OR): the query matches the stories of any of them, each
   * counted once; each is asked with its own q and filter added to `filter`, and `q` is unused.
   */
  anyOf?: Alternative[];
  filter?: Filter;
  sort?: string[];
  /** 1-based; the hits are those of offset (page - 1) × hitsPerPage. */
  page: number;
  hitsPerPage: number;
  facets?: string[];
  attributesToRetrieve?: string[];
  matchingStrategy?: 'all';
  /** false: the total is not needed (one instance then skips counting past maxTotalHits). */
  count?: false;
}

export interface BackendResult<T> {
  hits: T[];
  /** The exact number of documents that match, even past the index's maxTotalHits. */
  total: number;
  facetDistribution: Record<string, Record<string, number>>;
  processingTimeMs: number;
}

export type { MissingInstance } from '../api/responses.js';

export interface BackendAnswer<T> {
  results: Array<BackendResult<T>>;
  /** Empty when every document could be searched; otherwise the answer is partial. */
  missing: MissingInstance[];
}

/** An instance as /healthz shows it. */
export type InstanceHealth = PublicInstanceHealth;

export interface SearchBackend {
  readonly indexName: string;
  /** 'single' for one Meilisearch, 'network' for several. */
  readonly kind: 'single' | 'network';
  /**
   * Hits that pages can reach (one instance: Meilisearch's maxTotalHits; a network:
   * NETWORK_REACHABLE_HITS); totals count past it, and no hit past it is asked for.
   */
  readonly reachableHits: number;
  /**
   * `signal`: the request's (request-signal.ts); once it aborted, the calls in flight are
   * cancelled and it rejects with the signal's reason. Each call also has the backend's own timeout.
   */
  search<T = Record<string, unknown>>(queries: BackendQuery[], signal?: AbortSignal): Promise<BackendAnswer<T>>;
  /** Every instance, with the live index's documents on it (exact; on a network, of the shards it holds). */
  health(): Promise<InstanceHealth[]>;
  /**
   * A string that changes whenever the live index changes (a swap, documents added, replaced or
   * deleted): results kept for it are still true while it stays the same. Undefined when it
   * cannot be read (an instance down): nothing is then kept.
   */
  indexVersion?(signal?: AbortSignal): Promise<string | undefined>;
  /** The backend a per-request view (withSignal) searches through: what is kept per backend is kept there. */
  readonly origin?: SearchBackend;
  close(): void;
}

/** Both filters: every clause of each must hold. */
export function allOf(a: Filter | undefined, b: Filter | undefined): Filter | undefined {
  const list = [a, b].flatMap((f) => (f === undefined ? [] : typeof f === 'string' ? [f] : f));
  return list.length ? list : undefined;
}

/** The Meilisearch queries of one query: one, or one per alternative. */
export function queriesOf(q: BackendQuery): Array<{ q: string; filter?: Filter }> {
  return q.anyOf ? q.anyOf.map((a) => ({ q: a.q, filter: allOf(q.filter, a.filter) })) : [{ q: q.q, filter: q.filter }];
}

/** Values of one facet kept, per index and when merged (INDEX_SETTINGS.faceting). */
export const MAX_VALUES_PER_FACET = 1000;

/**
 * A query with alternatives as one federated search on one instance: hits merged in the query's
 * order, each story once, and a total and facet counts of the union (not capped by maxTotalHits).
 */
function federatedAnyOf(indexName: string, q: BackendQuery): Record<string, unknown> {
  const facets = q.facets?.length
    ? { facetsByIndex: { [indexName]: q.facets }, mergeFacets: { maxValuesPerFacet: MAX_VALUES_PER_FACET } }
    : {};
  return {
    federation: { offset: (q.page - 1) * q.hitsPerPage, limit: q.hitsPerPage, ...facets },
    queries: queriesOf(q).map((a) => ({
      indexUid: indexName,
      q: a.q,
      filter: a.filter,
      sort: q.sort,
      attributesToRetrieve: q.attributesToRetrieve,
      matchingStrategy: q.matchingStrategy,
    })),
  };
}

interface FederatedResponse<T> {
  hits: Array<T & { _federation?: unknown }>;
  estimatedTotalHits?: number;
  facetDistribution?: Record<string, Record<string, number>>;
  processingTimeMs?: number;
}

/** The federated form of a query, on one instance: its total is the exact count (not capped). */
export function federatedCount(indexName: string, q: BackendQuery): { federation: { limit: 0 }; queries: Array<Record<string, unknown>> } {
  return { federation: { limit: 0 }, queries: [{ indexUid: indexName, q: q.q, filter: q.filter, matchingStrategy: q.matchingStrategy }] };
}

/**
 * One Meilisearch. Totals come from page/hitsPerPage (exact up to maxTotalHits); a total that
 * reaches that limit is counted again as a federated query, whose total Meilisearch does not cap.
 */
export function singleBackend(client: Meilisearch, indexName: string, maxTotalHits = MAX_TOTAL_HITS): SearchBackend {
  return {
    indexName,
    kind: 'single',
    reachableHits: maxTotalHits,
    async search<T>(queries: BackendQuery[], signal?: AbortSignal): Promise<BackendAnswer<T>> {
      signal?.throwIfAborted();
      const init = () => ({ signal: callSignal(signal, SEARCH_TIMEOUT_MS) });
      // Queries with alternatives are federated searches, each a request of its own; the others
      // go together in one multi-search.
      const plain = queries.filter((q) => !q.anyOf);
      const asked = plain.length
        ? client.multiSearch(
            { queries: plain.map(({ count: _, anyOf: __, ...q }): MultiSearchQuery => ({ indexUid: indexName, ...q })) },
            init(),
          )
        : Promise.resolve({ results: [] });
      const federated = queries.map((q) =>
        q.anyOf
          ? (client.multiSearch(federatedAnyOf(indexName, q) as never, init()) as unknown as Promise<FederatedResponse<T>>)
          : undefined,
      );
      const [{ results }, ...answers] = await Promise.all([asked, ...federated]);
      let next = 0;
      const out = await Promise.all(
        queries.map(async (query, i): Promise<BackendResult<T>> => {
          const answer = answers[i];
          if (answer) {
            for (const h of answer.hits) delete h._federation;
            return {
              hits: answer.hits as T[],
              total: answer.estimatedTotalHits ?? 0,
              facetDistribution: answer.facetDistribution ?? {},
              processingTimeMs: answer.processingTimeMs ?? 0,
            };
          }
          const res = results[next++] as unknown as SearchResponse<T & Record<string, unknown>>;
          let total = res.totalHits ?? res.estimatedTotalHits ?? 0;
          if (total >= maxTotalHits && query.count !== false) {
            const counted = (await client.multiSearch(federatedCount(indexName, query) as never, init())) as unknown as {
              estimatedTotalHits?: number;
            };
            total = counted.estimatedTotalHits ?? total;
          }
          return { hits: res.hits as T[], total, facetDistribution: res.facetDistribution ?? {}, processingTimeMs: res.processingTimeMs };
        }),
      );
      return { results: out, missing: [] };
    },
    async health(): Promise<InstanceHealth[]> {
      await client.health();
      return [{ name: 'meilisearch', status: 'available', documents: await liveDocuments(client, indexName) }];
    },
    indexVersion: (signal) => indexVersion(client, indexName, signal),
    close() {},
  };
}

/**
 * `backend` with every search bound to one request's signal: the search code takes a backend, and
 * whatever it searches for that request (pages of candidates, counts, batches of an export) stops
 * when the request's deadline passes or its client leaves. No call starts once the signal aborted.
 */
export function withSignal(backend: SearchBackend, signal: AbortSignal): SearchBackend {
  let version: Promise<string | undefined> | undefined;
  return {
    indexName: backend.indexName,
    kind: backend.kind,
    reachableHits: backend.reachableHits,
    async search<T>(queries: BackendQuery[]) {
      signal.throwIfAborted();
      return backend.search<T>(queries, signal);
    },
    health: () => backend.health(),
    // Read once per request: every cache the request consults sees the same index.
    ...(backend.indexVersion
      ? {
          indexVersion() {
            signal.throwIfAborted();
            version ??= backend.indexVersion!(signal);
            return version;
          },
        }
      : {}),
    origin: backend.origin ?? backend,
    // The backend outlives the request.
    close() {},
  };
}

/**
 * Documents in the live index of one instance; 0 when it does not exist yet. A federated count
 * (which the search-only key may run), so exact past maxTotalHits.
 */
export async function liveDocuments(client: Meilisearch, indexName: string): Promise<number> {
  try {
    const res = (await client.multiSearch(federatedCount(indexName, { q: '', page: 1, hitsPerPage: 0 }) as never)) as unknown as {
      estimatedTotalHits?: number;
    };
    return res.estimatedTotalHits ?? 0;
  } catch (err) {
    if (apiError(err)?.cause?.code === 'index_not_found') return 0;
    throw err;
  }
}

/**
 * Reading the live index's version, which every search does first (for the kept answers): a few
 * milliseconds when Meilisearch answers at all. A Meilisearch that stalls costs a search this much
 * more (the search then runs without the caches, and its own timeout reports the stall).
 */
export const VERSION_TIMEOUT_MS = 100;

/**
 * The live index's createdAt and updatedAt on one instance (GET /indexes/<uid>, which the server's
 * key may read). Checked on 1.21: updatedAt moves on every addition, replacement and deletion of
 * documents and on every settings change; a swap brings the other index's createdAt and
 * updatedAt. Undefined if unreadable within VERSION_TIMEOUT_MS.
 */
export async function indexVersion(client: Meilisearch, indexName: string, signal?: AbortSignal): Promise<string | undefined> {
  signal?.throwIfAborted();
  try {
    const index = await client.httpRequest.get<{ createdAt: string; updatedAt: string }>({
      path: `indexes/${encodeURIComponent(indexName)}`,
      extraRequestInit: { signal: callSignal(signal, VERSION_TIMEOUT_MS) },
    });
    return `${index.createdAt} ${index.updatedAt}`;
  } catch {
    // The request's own end (deadline, client gone) is not "unreadable": it stops the search.
    signal?.throwIfAborted();
    return undefined;
  }
}
