// Load generation shared by the search benchmarks: autocannon over a cycle of requests, with
// latency percentiles kept to 0.01 ms, and the sample of indexed stories the query mix is built from.
import autocannon from 'autocannon';
import type { Meilisearch } from 'meilisearch';
import type { StorySample } from './queries.js';

/** Titles, outlets, topics and months of up to 3,000 indexed stories, spread over the index. */
export async function sampleStories(admin: Meilisearch): Promise<StorySample[]> {
  const index = admin.index('articles');
  const total = (await index.getStats()).numberOfDocuments;
  const out: StorySample[] = [];
  for (const offset of [0, Math.floor(total / 3), Math.floor((2 * total) / 3)]) {
    const page = await index.getDocuments<{ title: string; outlet: string; topics: string[]; month?: string }>({
      offset,
      limit: 1000,
      fields: ['title', 'outlet', 'topics', 'month'],
    });
    for (const d of page.results)
      out.push({
        title: String(d.title ?? ''),
        outlet: String(d.outlet ?? ''),
        topics: Array.isArray(d.topics) ? d.topics : [],
        month: d.month,
      });
  }
  return out;
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Latency percentiles in ms, to 0.01 ms (autocannon's own histogram keeps whole ms). */
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! * 100) / 100;
}

/**
 * Load on `url` with `requests` in a cycle per connection (autocannon). `perSearch`: how many
 * consecutive requests make one search (Meilisearch gets one to four per search); a search's
 * latency is then the sum of its requests' times, as the server waits for them one after another,
 * and the rate counts searches.
 */
export function run(
  url: string,
  requests: autocannon.Request[],
  connections: number,
  duration: number,
  perSearch?: number[],
): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    // Each connection walks the requests from the first, in order: its search, requests done, time so far.
    const walkers = new Map<object, { search: number; sum: number; done: number }>();
    const instance = autocannon({ url, connections, duration, requests }, (err, result) => {
      if (err) return reject(err);
      latencies.sort((a, b) => a - b);
      resolve({
        requestsPerSecond: Math.round((latencies.length / duration) * 10) / 10,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        errors: result.errors + result.non2xx,
      });
    });
    instance.on('response', (client: object, statusCode: number, _bytes: number, responseTime: number) => {
      if (!perSearch) {
        if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
        return;
      }
      let w = walkers.get(client);
      if (!w) {
        w = { search: 0, sum: 0, done: 0 };
        walkers.set(client, w);
      }
      w.sum += responseTime;
      w.done++;
      if (w.done === perSearch[w.search]) {
        if (statusCode >= 200 && statusCode < 300) latencies.push(w.sum);
        w.search = (w.search + 1) % perSearch.length;
        w.sum = 0;
        w.done = 0;
      }
    });
  });
}
