// The server searches with a search-only API key, never the master key: looked up (or created
// once) at start-up with the master key, so a leaked server key can read but never write.
import type { Meilisearch } from 'meilisearch';
import { searchKey } from '../indexer/meili/keys.js';

export function searchOnlyKey(master: Meilisearch, indexName: string): Promise<string> {
  return searchKey(master, indexName);
}
