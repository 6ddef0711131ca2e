// The Meilisearch client the server searches with: the search-only key, a timeout below the
// 5 s a request may take, uncompressed responses, and node:http instead of fetch (meili-http.ts).
// Meilisearch gzips large responses (the article texts the highlighter needs), which on loopback
// cost more than it saved: 43 ms per search on average against 12 ms without it (12 mixed
// queries, 1,505 stories).
import { Meilisearch } from 'meilisearch';
import { nodeHttpClient, type HttpClient } from './meili-http.js';

export const SEARCH_TIMEOUT_MS = 4_000;

/** `httpClient`: another transport (the benchmark records the requests sent). */
export function searchClient(host: string, apiKey: string | undefined, httpClient: HttpClient = nodeHttpClient()): Meilisearch {
  return new Meilisearch({ host, apiKey, timeout: SEARCH_TIMEOUT_MS, requestInit: { headers: { 'Accept-Encoding': 'identity' } }, httpClient });
}
