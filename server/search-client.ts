// The Meilisearch client the server searches with: the search-only key, a timeout per call (a
// request's calls together have one deadline, request-signal.ts), uncompressed responses, and node:http instead of fetch (meili-http.ts).
// Meilisearch gzips large responses (the article texts the highlighter needs), which on loopback
// cost more than it saved: 43 ms per search on average against 12 ms without it (12 mixed
// queries, 1,505 stories).
import { Meilisearch } from 'meilisearch';
import { nodeHttpClient, type HttpClient } from './meili-http.js';

/** One Meilisearch call on one instance; a request's calls together have REQUEST_DEADLINE_MS. */
export const SEARCH_TIMEOUT_MS = 4_000;

/**
 * The signal of one call: the request's, ended also by the call's own timeout. meilisearch-js
 * drops its `timeout` option when the caller passes a signal (0.62: the call then waits for the
 * signal alone), so the two are combined here. Without a request signal, the client's timeout holds.
 */
export function callSignal(request: AbortSignal | undefined, timeoutMs: number): AbortSignal | undefined {
  return request ? AbortSignal.any([request, AbortSignal.timeout(timeoutMs)]) : undefined;
}

/** `httpClient`: another transport (the benchmark records the requests sent). */
export function searchClient(host: string, apiKey: string | undefined, httpClient: HttpClient = nodeHttpClient()): Meilisearch {
  return new Meilisearch({
    host,
    apiKey,
    timeout: SEARCH_TIMEOUT_MS,
    requestInit: { headers: { 'Accept-Encoding': 'identity' } },
    httpClient,
  });
}
