// Searches over a network of Meilisearch instances (MEILI_INSTANCES), where the indexer placed
// each story on one shard and every replica of it (core/shards.ts, MEILI_SHARDS). Each search is
// one federated multi-search sent to one instance (in turn), with one query per shard, addressed
// to one live replica of it (`federationOptions.remote`, Community Edition with the `network`
// feature); that instance asks the others and merges hits, totals and facet counts. Each story is
// asked of exactly one instance, so nothing is counted twice. Meilisearch's federated totals are
// counts of the matching documents, not capped by maxTotalHits, so they stay exact.
//
// What this layer adds is knowing which instances are answering. Meilisearch reports a remote
// that refuses connections in `remoteErrors` at once, but waits up to 5 s for one that accepts
// connections and never answers (a stopped process, a hung host), longer than a search may take.
// So every instance is probed every second, and a shard is asked of a replica that is up. A shard
// with no replica up is left out, and its instances are named in the answer as missing: a
// partial answer says so, it is never silently short. A replica that fails during a search is
// replaced by another of its shard, if one is up, in one more try.
// A background probe marks an instance down after two failures in a row (one slow answer under
// load is not an outage); a probe after a request failed marks it down at once.
//
// Meilisearch answers a federated page at `offset` by asking every instance for its first
// offset + limit hits. So pages reach NETWORK_REACHABLE_HITS hits (not maxTotalHits), and a page
// past the first is read as ids, then its stories by id: no instance ever sends more than
// NETWORK_REACHABLE_HITS ids or more than one page of stories for a query.
//
// The reasons given in answers and /healthz are short phrases that name no URL (the errors of the
// client and of Meilisearch do): the detail goes to the server log.
import { Meilisearch, type MultiSearchQueryWithFederation } from 'meilisearch';
import type { Logger } from '../../core/log.js';
import { SearchUnavailable } from '../errors.js';
import { apiError, nodeHttpClient, type HttpClient } from '../meili-http.js';
import { callSignal } from '../search-client.js';
import { quote } from './filters.js';
import type { BackendAnswer, BackendQuery, BackendResult, InstanceHealth, MissingInstance, SearchBackend } from './backend.js';
import { indexVersion, liveDocuments, MAX_VALUES_PER_FACET, queriesOf } from './backend.js';

/**
 * A request through an instance; past this, instances are probed and the search retried once
 * without those that do not answer: 3 s + a 0.5 s probe + the retry stay well within a request's
 * deadline (REQUEST_DEADLINE_MS, 10 s).
 */
export const NETWORK_REQUEST_TIMEOUT_MS = 3_000;
export const PROBE_INTERVAL_MS = 1_000;
/**
 * Hits that pages reach on a network: the deepest offset + limit any instance is asked for, in
 * ids. Lower than one instance's MAX_TOTAL_HITS (50,000), which every instance would otherwise
 * read and send for one deep page; the same as EXPORT_MAX. Totals and facet counts are exact
 * past it; pages after it are empty and say so.
 */
export const NETWORK_REACHABLE_HITS = 10_000;
export const PROBE_TIMEOUT_MS = 500;

export interface NetworkMember {
  name: string;
  url: string;
  /** The shard whose stories it holds (core/shards.ts); replicas share it. */
  shard: number;
  /** The instance's search-only key; undefined until it could be fetched (the instance was down). */
  searchKey: string | undefined;
}

export interface NetworkBackendOptions {
  indexName: string;
  members: NetworkMember[];
  log: Logger;
  /** Fetches an instance's search-only key once it answers (it was down at start). */
  fetchKey?: (name: string) => Promise<string>;
  /** Pages reach this many hits (NETWORK_REACHABLE_HITS). */
  reachableHits?: number;
  /** Another transport (tests record the requests sent). */
  httpClient?: HttpClient;
  /** Probe instances in the background (off in tests that probe by hand). */
  probe?: boolean;
}

interface Member extends NetworkMember {
  up: boolean;
  /** Background probes failed in a row. */
  failures: number;
  reason: string | undefined;
  client: Meilisearch | undefined;
  prober: Meilisearch;
}

/** Remote errors that mean the instance is not answering (rather than answering with an error). */
const UNREACHABLE = new Set(['remote_could_not_send_request', 'remote_timeout']);

export class NetworkBackend implements SearchBackend {
  readonly kind = 'network';
  readonly indexName: string;
  readonly reachableHits: number;
  readonly #members: Member[];
  readonly #log: Logger;
  readonly #fetchKey: ((name: string) => Promise<string>) | undefined;
  readonly #http: HttpClient;
  #next = 0;
  #timer: NodeJS.Timeout | undefined;
  #probing: Promise<void> | undefined;

  constructor(opts: NetworkBackendOptions) {
    this.indexName = opts.indexName;
    this.reachableHits = opts.reachableHits ?? NETWORK_REACHABLE_HITS;
    this.#http = opts.httpClient ?? nodeHttpClient();
    this.#log = opts.log;
    this.#fetchKey = opts.fetchKey;
    this.#members = opts.members.map((m) => ({
      ...m,
      up: m.searchKey !== undefined,
      failures: 0,
      reason: m.searchKey === undefined ? 'unreachable when the server started' : undefined,
      client: m.searchKey === undefined ? undefined : this.#client(m.url, m.searchKey),
      prober: new Meilisearch({ host: m.url, timeout: PROBE_TIMEOUT_MS, httpClient: this.#http }),
    }));
    if (opts.probe !== false) {
      this.#timer = setInterval(() => void this.probe(false), PROBE_INTERVAL_MS);
      this.#timer.unref();
    }
  }

  #client(url: string, key: string): Meilisearch {
    return new Meilisearch({
      host: url,
      apiKey: key,
      timeout: NETWORK_REQUEST_TIMEOUT_MS,
      requestInit: { headers: { 'Accept-Encoding': 'identity' } },
      httpClient: this.#http,
    });
  }

  /**
   * Which instances answer /health now; one probe at a time. `strict` (after a failed request):
   * one failure marks an instance down; otherwise two in a row do.
   */
  probe(strict = true): Promise<void> {
    this.#probing ??= Promise.all(this.#members.map((m) => this.#probeOne(m, strict)))
      .then(() => undefined)
      .finally(() => {
        this.#probing = undefined;
      });
    return this.#probing;
  }

  async #probeOne(m: Member, strict: boolean): Promise<void> {
    try {
      await m.prober.health();
      m.failures = 0;
      if (!m.client && this.#fetchKey) m.client = this.#client(m.url, await this.#fetchKey(m.name));
      if (!m.up) this.#log.info({ event: 'meilisearch.instance_up', instance: m.name });
      m.up = m.client !== undefined;
      m.reason = m.up ? undefined : 'no search key yet';
    } catch (err) {
      m.failures++;
      if (strict || m.failures >= 2) this.#markDown(m, 'unreachable', (err as Error).message);
    }
  }

  /** `reason` is public; `detail` (which may hold the instance's URL) only reaches the log. */
  #markDown(m: Member, reason: string, detail: string): void {
    if (m.up) this.#log.warn({ event: 'meilisearch.instance_down', instance: m.name, reason, detail });
    m.up = false;
    m.reason = reason;
  }

  /**
   * One replica that is up for each shard that has one, and the instance the search is sent
   * through (one of them). Turn by turn, each shard's replicas take their share of the searches,
   * and each instance asked is the entry in turn: every replica is both asked through another
   * and the entry.
   */
  #route(turn: number): { asked: Member[]; entry: Member | undefined } {
    const byShard = new Map<number, Member[]>();
    for (const m of this.#members) if (m.up && m.client) byShard.set(m.shard, [...(byShard.get(m.shard) ?? []), m]);
    const round = Math.floor(turn / Math.max(1, byShard.size));
    const asked = [...byShard.values()].map((replicas) => replicas[round % replicas.length]!);
    return { asked, entry: asked[turn % Math.max(1, asked.length)] };
  }

  async search<T>(queries: BackendQuery[], signal?: AbortSignal): Promise<BackendAnswer<T>> {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      const { asked: included, entry } = this.#route(this.#next++);
      if (!entry) throw new SearchUnavailable('no Meilisearch instance of the network is reachable');
      try {
        const answers = await Promise.all(queries.map((q) => this.#answer(entry.client!, q, included, signal)));
        const merged = this.#merge<T>(answers, included);
        // A replica failed during the search and another of its shard is up: ask that one.
        if (attempt < 2 && merged.replaceable) continue;
        return merged.answer;
      } catch (err) {
        // Meilisearch answered with an error: the query is at fault, not the network. The
        // request's deadline passed or its client left: nothing more is asked.
        if (apiError(err) || attempt >= 2 || signal?.aborted) throw err;
        // Refused or timed out: the entry, or a remote that accepts connections but does not
        // answer. Probe them all, then try once more with replicas that are up.
        this.#log.warn({ event: 'meilisearch.network_retry', entry: entry.name, reason: (err as Error).message });
        await this.probe();
      }
    }
  }

  /**
   * One query: in one federated search when it starts at the first hit (or wants ids only);
   * otherwise its ids first, then the stories of those ids, so that instances send one page of
   * stories however deep the page. Hits past reachableHits are not asked for.
   */
  async #answer(client: Meilisearch, q: BackendQuery, included: Member[], signal: AbortSignal | undefined): Promise<FederatedAnswer> {
    const offset = (q.page - 1) * q.hitsPerPage;
    const limit = Math.max(0, Math.min(q.hitsPerPage, this.reachableHits - offset));
    const send = (body: object) =>
      client.multiSearch(body as never, { signal: callSignal(signal, NETWORK_REQUEST_TIMEOUT_MS) }) as unknown as Promise<FederatedAnswer>;
    const idsOnly = q.attributesToRetrieve?.length === 1 && q.attributesToRetrieve[0] === 'id';
    if (offset === 0 || limit === 0 || idsOnly) return send(this.#federated(q, included, offset, limit));
    const page = await send(this.#federated({ ...q, attributesToRetrieve: ['id'] }, included, offset, limit));
    const ids = page.hits.map((h) => String(h.id));
    if (ids.length === 0) return page;
    signal?.throwIfAborted();
    const byId = {
      q: '',
      filter: `id IN [${ids.map(quote).join(', ')}]`,
      page: 1,
      hitsPerPage: ids.length,
      attributesToRetrieve: q.attributesToRetrieve,
    };
    const stories = await send(this.#federated(byId, included, 0, ids.length));
    const found = new Map(stories.hits.map((h) => [String(h.id), h]));
    return {
      ...page,
      // A story gone between the two requests (a reindex swapped in) is left out.
      hits: ids.map((id) => found.get(id)).filter((h) => h !== undefined),
      processingTimeMs: (page.processingTimeMs ?? 0) + (stories.processingTimeMs ?? 0),
      remoteErrors: { ...stories.remoteErrors, ...page.remoteErrors },
    };
  }

  #federated(
    q: BackendQuery,
    included: Member[],
    offset: number,
    limit: number,
  ): { federation: Record<string, unknown>; queries: MultiSearchQueryWithFederation[] } {
    const facets = q.facets?.length
      ? { facetsByIndex: { [this.indexName]: q.facets }, mergeFacets: { maxValuesPerFacet: MAX_VALUES_PER_FACET } }
      : {};
    return {
      federation: { offset, limit, ...facets },
      // Each shard once per alternative (a query with OR): each story is counted once, however many it satisfies.
      queries: included.flatMap((m) =>
        queriesOf(q).map((a) => ({
          indexUid: this.indexName,
          q: a.q,
          filter: a.filter,
          sort: q.sort,
          attributesToRetrieve: q.attributesToRetrieve,
          matchingStrategy: q.matchingStrategy,
          federationOptions: { weight: 1, remote: m.name },
        })),
      ),
    };
  }

  /**
   * The answer; `replaceable` when a replica failed during the search and another replica of its
   * shard is up. Missing: every instance of a shard that was not asked (none of it was up), and
   * an instance asked that failed.
   */
  #merge<T>(answers: FederatedAnswer[], included: Member[]): { answer: BackendAnswer<T>; replaceable: boolean } {
    const missing = new Map<string, string>();
    const asked = new Set(included.map((m) => m.shard));
    for (const m of this.#members) if (!asked.has(m.shard)) missing.set(m.name, m.reason ?? 'unreachable');
    let replaceable = false;
    const results = answers.map((a): BackendResult<T> => {
      for (const [name, error] of Object.entries(a.remoteErrors ?? {})) {
        const m = this.#members.find((x) => x.name === name);
        const reason = UNREACHABLE.has(error.code) ? 'unreachable' : `answered with an error (${error.code})`;
        missing.set(name, reason);
        if (m && UNREACHABLE.has(error.code)) {
          this.#markDown(m, reason, error.message);
          replaceable ||= this.#members.some((x) => x.shard === m.shard && x.up && x.client);
        } else this.#log.warn({ event: 'meilisearch.remote_error', instance: name, code: error.code, detail: error.message });
      }
      for (const h of a.hits) delete (h as { _federation?: unknown })._federation;
      return {
        hits: a.hits as T[],
        total: a.estimatedTotalHits ?? 0,
        facetDistribution: a.facetDistribution ?? {},
        processingTimeMs: a.processingTimeMs ?? 0,
      };
    });
    return { answer: { results, missing: [...missing].map(([instance, reason]): MissingInstance => ({ instance, reason })) }, replaceable };
  }

  async health(): Promise<InstanceHealth[]> {
    return Promise.all(
      this.#members.map(async (m): Promise<InstanceHealth> => {
        // One that the probes found down is not asked again (it may take seconds to not answer).
        if (!m.client || !m.up) return { name: m.name, shard: m.shard, status: 'unavailable', reason: m.reason ?? 'no search key' };
        try {
          return { name: m.name, shard: m.shard, status: 'available', documents: await liveDocuments(m.client, this.indexName) };
        } catch (err) {
          this.#log.warn({ event: 'meilisearch.health_failed', instance: m.name, detail: (err as Error).message });
          return { name: m.name, shard: m.shard, status: 'unavailable', reason: 'did not answer the document count' };
        }
      }),
    );
  }

  /** Every instance's version of the live index; undefined while one of them is down. */
  async indexVersion(signal?: AbortSignal): Promise<string | undefined> {
    if (this.#members.some((m) => !m.up || !m.client)) return undefined;
    const versions = await Promise.all(this.#members.map((m) => indexVersion(m.client!, this.indexName, signal)));
    return versions.some((v) => v === undefined) ? undefined : versions.map((v, i) => `${this.#members[i]!.name}=${v}`).join(' ');
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}

interface FederatedAnswer {
  hits: Array<Record<string, unknown>>;
  estimatedTotalHits?: number;
  facetDistribution?: Record<string, Record<string, number>>;
  processingTimeMs?: number;
  remoteErrors?: Record<string, { message: string; code: string }>;
}
