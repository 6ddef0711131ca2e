// Searches over a network of Meilisearch instances (MEILI_INSTANCES), where the indexer placed
// each story on one shard and every replica of it (core/shards.ts: N shards on a ring, each
// instance holding MEILI_REPLICAS of them in one index). Each search is one federated
// multi-search sent to one instance (in turn): for each shard one live, up-to-date replica is
// chosen, the shards are grouped by the instance chosen, and each instance chosen gets one query
// (`federationOptions.remote`, Community Edition with the `network` feature), filtered to
// `shard IN [..]` when it is asked for only some of the shards it holds. That instance asks the
// others and merges hits, totals and facet counts. Each story is asked of exactly one instance,
// so nothing is counted twice. Meilisearch's federated totals are counts of the matching
// documents, not capped by maxTotalHits, so they stay exact. Instances are chosen to cover the
// shards with as few queries as may be (fewer remotes to wait for and merge), the first one in
// turn.
//
// An instance that missed writes (it was down during a reindex) is stale: the generation it holds
// (core/meili/generation.ts) is behind the highest one seen on a replica of one of its shards
// (remembered, also while that replica is down), and no shard is asked of it until a reindex or
// `tongwen repair` brings it up to date. The probe reads every instance's generation. With one
// replica a shard has no other replica to be behind: it is asked as before.
//
// What this layer adds is knowing which instances are answering. Meilisearch reports a remote
// that refuses connections in `remoteErrors` at once, but waits up to 5 s for one that accepts
// connections and never answers (a stopped process, a hung host), longer than a search may take.
// So every instance is probed every second, and a shard is asked of a replica that is up. A shard
// with no replica up (and up to date) is left out, and its instances are named in the answer as missing: a
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
import { readGeneration } from '../../core/meili/generation.js';
import { shardFilter, shardOf } from '../../core/shards.js';
import { SearchUnavailable } from '../errors.js';
import { apiError, nodeHttpClient, type HttpClient } from '../meili-http.js';
import { callSignal } from '../search-client.js';
import { quote } from './filters.js';
import type { BackendAnswer, BackendQuery, BackendResult, Filter, InstanceHealth, MissingInstance, SearchBackend } from './backend.js';
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
  /** The shards whose stories it holds (core/shards.ts ringPlacement). */
  shards: number[];
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
  /** The generation of the live index it holds, as last probed; undefined until then. */
  generation: number | undefined;
  /** Background probes failed in a row. */
  failures: number;
  reason: string | undefined;
  client: Meilisearch | undefined;
  prober: Meilisearch;
}

/** Why a member that answers is not asked. */
const STALE = 'stale: missed writes of a reindex, not repaired yet';

/** One instance asked in a search, and the shards it is asked for. */
interface Asked {
  member: Member;
  shards: number[];
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
  readonly #shards: number;
  /** By shard, the highest generation a replica of it held when probed: those behind it are stale. */
  readonly #highest: number[];
  /** The first probe, which every search waits for (it tells which instances are up to date). */
  readonly #firstProbe: Promise<void>;
  #next = 0;
  #timer: NodeJS.Timeout | undefined;
  #probing: Promise<void> | undefined;

  constructor(opts: NetworkBackendOptions) {
    this.indexName = opts.indexName;
    this.reachableHits = opts.reachableHits ?? NETWORK_REACHABLE_HITS;
    this.#http = opts.httpClient ?? nodeHttpClient();
    this.#log = opts.log;
    this.#fetchKey = opts.fetchKey;
    this.#shards = opts.members.reduce((n, m) => Math.max(n, ...m.shards.map((k) => k + 1)), 0);
    this.#highest = Array.from({ length: this.#shards }, () => 0);
    this.#members = opts.members.map((m) => ({
      ...m,
      generation: undefined,
      up: m.searchKey !== undefined,
      failures: 0,
      reason: m.searchKey === undefined ? 'unreachable when the server started' : undefined,
      client: m.searchKey === undefined ? undefined : this.#client(m.url, m.searchKey),
      prober: new Meilisearch({ host: m.url, timeout: PROBE_TIMEOUT_MS, httpClient: this.#http }),
    }));
    this.#firstProbe = this.probe(false);
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
   * Which instances answer now, and the generation each holds; one probe at a time. `strict`
   * (after a failed request): one failure marks an instance down; otherwise two in a row do.
   */
  probe(strict = true): Promise<void> {
    this.#probing ??= Promise.all(this.#members.map((m) => this.#probeOne(m, strict)))
      .then(() => {
        for (const m of this.#members)
          if (m.up && m.generation !== undefined) for (const k of m.shards) this.#highest[k] = Math.max(this.#highest[k]!, m.generation);
        for (const m of this.#members) {
          const stale = m.up && m.generation !== undefined && m.shards.some((k) => m.generation! < this.#highest[k]!);
          if (stale && m.reason !== STALE)
            this.#log.warn({ event: 'meilisearch.instance_stale', instance: m.name, generation: m.generation, shards: m.shards });
          m.reason = stale ? STALE : m.up ? undefined : m.reason;
        }
      })
      .finally(() => {
        this.#probing = undefined;
      });
    return this.#probing;
  }

  async #probeOne(m: Member, strict: boolean): Promise<void> {
    try {
      if (!m.client) {
        await m.prober.health();
        if (this.#fetchKey) m.client = this.#client(m.url, await this.#fetchKey(m.name));
      }
      // Reading the generation with the search key also shows that the instance answers.
      m.generation = m.client
        ? await readGeneration(m.client, this.indexName, 'search-key', AbortSignal.timeout(PROBE_TIMEOUT_MS))
        : undefined;
      m.failures = 0;
      if (!m.up && m.client) this.#log.info({ event: 'meilisearch.instance_up', instance: m.name });
      m.up = m.client !== undefined;
      m.reason = m.up ? undefined : 'no search key yet';
    } catch (err) {
      // A new instance in place of a dead one (same name, new data) has new keys: fetch them again.
      if (apiError(err)?.cause?.code === 'invalid_api_key') {
        m.client = undefined;
        this.#markDown(m, 'its search key was refused', (err as Error).message);
        return;
      }
      m.failures++;
      if (strict || m.failures >= 2) this.#markDown(m, 'unreachable', (err as Error).message);
    }
  }

  /**
   * Up, with a search key, and holding the highest generation seen of every shard it holds: its
   * answers are current. (One behind a replica of one shard missed writes to all of its shards:
   * a run writes every instance it reaches, or drops it for the rest of the run.)
   */
  #serves(m: Member): boolean {
    return m.up && m.client !== undefined && m.generation !== undefined && m.shards.every((k) => m.generation! >= this.#highest[k]!);
  }

  /** `reason` is public; `detail` (which may hold the instance's URL) only reaches the log. */
  #markDown(m: Member, reason: string, detail: string): void {
    if (m.up) this.#log.warn({ event: 'meilisearch.instance_down', instance: m.name, reason, detail });
    m.up = false;
    m.reason = reason;
  }

  /**
   * For each shard that has a replica serving, one such replica, the shards grouped by the
   * instance chosen: the instances in turn order (from `turn`), each taking every shard it holds
   * that is not covered yet, the one that covers most first. So with R replicas as few instances
   * are asked as may be, and each instance is in turn the first asked, which sends the search.
   */
  #route(turn: number): { asked: Asked[]; entry: Member | undefined } {
    const serving = this.#members.filter((m) => this.#serves(m));
    const start = serving.length ? turn % serving.length : 0;
    const order = [...serving.slice(start), ...serving.slice(0, start)];
    const open = new Set(order.flatMap((m) => m.shards));
    const asked: Asked[] = [];
    while (open.size > 0) {
      let best: Asked | undefined;
      for (const member of order) {
        const shards = member.shards.filter((k) => open.has(k));
        if (shards.length > (best?.shards.length ?? 0)) best = { member, shards };
      }
      asked.push(best!);
      for (const k of best!.shards) open.delete(k);
    }
    return { asked, entry: asked[0]?.member };
  }

  async search<T>(queries: BackendQuery[], signal?: AbortSignal): Promise<BackendAnswer<T>> {
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      await this.#firstProbe;
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
   * otherwise its ids first, then the stories of those ids, each of the one instance asked for
   * its shard, so that instances send one page of stories however deep the page. Hits past
   * reachableHits are not asked for. (Reading the first page as ids first too, so that each
   * instance sends ids rather than its own first page of texts, was measured slower on
   * 2026-12-04: bench:network --quick, three instances, R = 1, median 38 ms against 24 ms at one
   * connection; the round trip it adds costs more than the texts it saves.)
   */
  async #answer(client: Meilisearch, q: BackendQuery, included: Asked[], signal: AbortSignal | undefined): Promise<FederatedAnswer> {
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
    // Each story is asked of the one instance asked for its shard (its shard follows from its id),
    // and an instance that holds none of the page's stories is not asked at all.
    const mine = new Map<Asked, string[]>();
    for (const id of ids) {
      const holder = included.find((a) => a.shards.includes(shardOf(id, this.#shards)));
      if (holder) mine.set(holder, [...(mine.get(holder) ?? []), id]);
    }
    const stories = await send({
      federation: { offset: 0, limit: ids.length },
      queries: [...mine].map(([a, its]) => ({
        indexUid: this.indexName,
        q: '',
        filter: `id IN [${its.map(quote).join(', ')}]`,
        attributesToRetrieve: q.attributesToRetrieve,
        federationOptions: { weight: 1, remote: a.member.name },
      })),
    });
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
    included: Asked[],
    offset: number,
    limit: number,
  ): { federation: Record<string, unknown>; queries: MultiSearchQueryWithFederation[] } {
    const facets = q.facets?.length
      ? { facetsByIndex: { [this.indexName]: q.facets }, mergeFacets: { maxValuesPerFacet: MAX_VALUES_PER_FACET } }
      : {};
    return {
      federation: { offset, limit, ...facets },
      // Each shard once, per alternative of a query with OR: each story is counted once, however many it satisfies.
      queries: included.flatMap(({ member, shards }) =>
        queriesOf(q).map((a) => ({
          indexUid: this.indexName,
          q: a.q,
          filter: withShards(a.filter, shardFilter(member, shards)),
          sort: q.sort,
          attributesToRetrieve: q.attributesToRetrieve,
          matchingStrategy: q.matchingStrategy,
          federationOptions: { weight: 1, remote: member.name },
        })),
      ),
    };
  }

  /**
   * The answer; `replaceable` when a replica failed during the search and another replica of its
   * shard is up. Missing: every instance of a shard that was not asked (none of it was up), and
   * an instance asked that failed.
   */
  #merge<T>(answers: FederatedAnswer[], included: Asked[]): { answer: BackendAnswer<T>; replaceable: boolean } {
    const missing = new Map<string, string>();
    const asked = new Set(included.flatMap((a) => a.shards));
    for (const k of Array.from({ length: this.#shards }, (_, n) => n).filter((n) => !asked.has(n)))
      for (const m of this.#members) if (m.shards.includes(k)) missing.set(m.name, m.reason ?? 'unreachable');
    let replaceable = false;
    const results = answers.map((a): BackendResult<T> => {
      for (const [name, error] of Object.entries(a.remoteErrors ?? {})) {
        const m = this.#members.find((x) => x.name === name);
        const reason = UNREACHABLE.has(error.code) ? 'unreachable' : `answered with an error (${error.code})`;
        missing.set(name, reason);
        if (m && UNREACHABLE.has(error.code)) {
          this.#markDown(m, reason, error.message);
          const lost = included.find((a) => a.member === m)?.shards ?? [];
          replaceable ||= lost.every((k) => this.#members.some((x) => x.shards.includes(k) && this.#serves(x)));
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
    await this.#firstProbe;
    return Promise.all(
      this.#members.map(async (m): Promise<InstanceHealth> => {
        // One that the probes found down is not asked again (it may take seconds to not answer);
        // one that is stale is not asked for searches either.
        if (!m.client || !this.#serves(m))
          return { name: m.name, status: 'unavailable', reason: m.reason ?? (m.client ? 'not answered a probe yet' : 'no search key') };
        try {
          return { name: m.name, status: 'available', documents: await liveDocuments(m.client, this.indexName) };
        } catch (err) {
          this.#log.warn({ event: 'meilisearch.health_failed', instance: m.name, detail: (err as Error).message });
          return { name: m.name, status: 'unavailable', reason: 'did not answer the document count' };
        }
      }),
    );
  }

  /**
   * Every instance's version of the live index; undefined while one of them is down, or when one
   * does not answer in time (VERSION_TIMEOUT_MS: the search that follows finds out why).
   */
  async indexVersion(signal?: AbortSignal): Promise<string | undefined> {
    if (this.#members.some((m) => !m.up || !m.client)) return undefined;
    const versions = await Promise.all(this.#members.map((m) => indexVersion(m.client!, this.indexName, signal)));
    return versions.some((v) => v === undefined) ? undefined : versions.map((v, i) => `${this.#members[i]!.name}=${v}`).join(' ');
  }

  close(): void {
    if (this.#timer) clearInterval(this.#timer);
  }
}

/** The query's filter, and the shards asked of an instance (ANDed) when there is such a filter. */
function withShards(filter: Filter | undefined, shards: string | undefined): Filter | undefined {
  if (shards === undefined) return filter;
  if (filter === undefined || filter === '' || (Array.isArray(filter) && filter.length === 0)) return shards;
  return Array.isArray(filter) ? [...filter, shards] : [filter, shards];
}

interface FederatedAnswer {
  hits: Array<Record<string, unknown>>;
  estimatedTotalHits?: number;
  facetDistribution?: Record<string, Record<string, number>>;
  processingTimeMs?: number;
  remoteErrors?: Record<string, { message: string; code: string }>;
}
