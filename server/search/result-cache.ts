// Whole search answers, kept until the live index changes (versioned-cache.ts): a search asked
// again with the same parameters costs one small request, the index's version, instead of the
// searches, counts and highlighting behind it. Readers repeat searches (the same news, the same
// links shared), so most answers are asked for more than once while the index stays the same.
// The version is read for every request, so no answer outlives the index it was computed on.
import { DEFAULT_RESULT_CACHE_MB } from '../../core/config.js';
import type { SearchBackend } from './backend.js';
import type { SearchParams } from './params.js';
import type { SearchResult } from './search-result.js';
import { VersionedCache, type CacheStats } from './versioned-cache.js';

/** Answers kept at most, whatever their size. */
export const RESULT_CACHE_ENTRIES = 5_000;
/**
 * Memory an answer takes, per character of its JSON: strings are held as UTF-16 and the objects
 * around them cost about as much again.
 */
const BYTES_PER_JSON_CHAR = 4;

export class ResultCache {
  readonly #cache: VersionedCache<SearchResult>;
  readonly #off: boolean;

  constructor(megabytes: number = DEFAULT_RESULT_CACHE_MB) {
    if (!Number.isSafeInteger(megabytes) || megabytes < 0) throw new RangeError(`result cache: ${megabytes} is not a whole number of MB`);
    this.#off = megabytes === 0;
    this.#cache = new VersionedCache<SearchResult>((r) => JSON.stringify(r).length * BYTES_PER_JSON_CHAR, {
      entries: megabytes === 0 ? 0 : RESULT_CACHE_ENTRIES,
      bytes: megabytes * 1024 * 1024,
    });
  }

  /**
   * The answer kept for `params` under the live index's version, or `compute()`'s, kept unless it is
   * partial (an instance was missing: asking again may find it back). Kept answers are frozen: every
   * request shares them. Without a readable version (a backend that cannot tell) nothing is kept.
   */
  async get(backend: SearchBackend, params: SearchParams, variant: unknown, compute: () => Promise<SearchResult>): Promise<SearchResult> {
    if (this.#off || !backend.indexVersion) return compute();
    const key = JSON.stringify([variant, params]);
    return this.#cache.get(
      key,
      await backend.indexVersion(),
      async () => deepFreeze(await compute()),
      (r) => !r.partial,
    );
  }

  stats(): CacheStats {
    return this.#cache.stats();
  }
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
