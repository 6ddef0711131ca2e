// GET /healthz: is Meilisearch reachable, and how many articles are searchable.
import { Router } from 'express';
import type { Meilisearch } from 'meilisearch';
import { apiError } from '../meili-http.js';
import { SearchUnavailable } from '../errors.js';

export function healthRouter(client: Meilisearch, indexName: string): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    try {
      await client.health();
    } catch (err) {
      throw new SearchUnavailable('Meilisearch is unreachable', { cause: err });
    }
    const documents = await documentCount(client, indexName);
    res.set('Cache-Control', 'no-store').json({ status: 'ok', meilisearch: 'available', documents });
  });
  return router;
}

/**
 * Documents in the live index; 0 when it does not exist yet. Counted with a search, which the
 * server's search-only key may do (exact up to the index's maxTotalHits).
 */
export async function documentCount(client: Meilisearch, indexName: string): Promise<number> {
  try {
    return (await client.index(indexName).search('', { page: 1, hitsPerPage: 0 })).totalHits ?? 0;
  } catch (err) {
    if (apiError(err)?.cause?.code === 'index_not_found') return 0;
    throw err;
  }
}
