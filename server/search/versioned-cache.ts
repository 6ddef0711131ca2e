// A cache whose entries hold for one version of the live index: kept until the backend reports
// another version (every full, incremental or prune reindex changes it), then all dropped at once.
// Bounded in entries and in bytes, least recently used first out. Two caches use it: the verified
// long phrases (verified-cache.ts) and whole search answers (result-cache.ts).

export interface CacheLimits {
  entries: number;
  bytes: number;
}

export interface CacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

export class VersionedCache<V> {
  readonly #sizeOf: (value: V) => number;
  readonly #limits: CacheLimits;
  /** In use order: the first is the least recently used. */
  readonly #entries = new Map<string, { value: V; size: number }>();
  #version: string | undefined;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(sizeOf: (value: V) => number, limits: CacheLimits) {
    this.#sizeOf = sizeOf;
    this.#limits = limits;
  }

  /**
   * The value kept for `key` under `version`, the live index's version read by the caller just
   * before (undefined: unknown, nothing is kept), or `compute()`'s, kept when `keep` allows (a
   * partial answer is not). An index that changes while computing leaves an entry under the old
   * version, which the next lookup drops.
   */
  async get(key: string, version: string | undefined, compute: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (version !== this.#version) this.#clear(version);
    const found = this.#entries.get(key);
    if (found && version !== undefined) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, found);
      return found.value;
    }
    this.#misses++;
    const value = await compute();
    if (version !== undefined && version === this.#version && keep(value)) this.#put(key, value);
    return value;
  }

  stats(): CacheStats {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size, bytes: this.#bytes };
  }

  #clear(version: string | undefined): void {
    this.#entries.clear();
    this.#bytes = 0;
    this.#version = version;
  }

  #put(key: string, value: V): void {
    const size = this.#sizeOf(value) + 2 * key.length;
    if (size > this.#limits.bytes) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= old.size;
      this.#entries.delete(key);
    }
    this.#entries.set(key, { value, size });
    this.#bytes += size;
    for (const [k, e] of this.#entries) {
      if (this.#entries.size <= this.#limits.entries && this.#bytes <= this.#limits.bytes) break;
      this.#entries.delete(k);
      this.#bytes -= e.size;
    }
  }
}
