// GET /healthz: is Meilisearch reachable, and how many articles are searchable; on a network of
// instances, each instance and its documents. 200 while searches can be answered (a network with
// an instance down answers "degraded": searches are partial and say so), 503 when none can.
import { Router } from 'express';
import type { Health } from '../api/responses.js';
import type { InstanceHealth, SearchBackend } from '../search/backend.js';
import { SearchUnavailable } from '../errors.js';
import { apiError } from '../meili-http.js';

export function healthRouter(backend: SearchBackend): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    let instances: InstanceHealth[];
    try {
      instances = await backend.health();
    } catch (err) {
      throw new SearchUnavailable('Meilisearch is unreachable', { cause: err });
    }
    const available = instances.filter((i) => i.status === 'available');
    if (available.length === 0)
      throw new SearchUnavailable(
        `no Meilisearch instance is reachable (${instances.map((i) => `${i.name}: ${i.reason ?? 'unavailable'}`).join('; ')})`,
      );
    let body: Health;
    if (backend.kind === 'single') body = { status: 'ok', meilisearch: 'available', documents: available[0]!.documents ?? 0 };
    else {
      // An instance holds several shards, and each shard is on several: the stories are counted
      // as a search counts them, each shard once, of a replica that serves. Whole while every
      // shard has one.
      const count = await backend.search([{ q: '', page: 1, hitsPerPage: 0 }]).catch((err: unknown) => {
        if (apiError(err)?.cause?.code === 'index_not_found') return { results: [{ total: 0 }], missing: [] };
        throw new SearchUnavailable('Meilisearch is unreachable', { cause: err });
      });
      body = {
        status: available.length === instances.length ? 'ok' : 'degraded',
        meilisearch: count.missing.length === 0 ? 'available' : 'partial',
        documents: count.results[0]!.total,
        instances,
      };
    }
    res.set('Cache-Control', 'no-store').json(body);
  });
  return router;
}

/** Documents in the live index (all instances that answer); 0 when it does not exist yet. */
export async function documentCount(backend: SearchBackend): Promise<number> {
  try {
    return (await backend.search([{ q: '', page: 1, hitsPerPage: 0 }])).results[0]!.total;
  } catch (err) {
    if (apiError(err)?.cause?.code === 'index_not_found') return 0;
    throw err;
  }
}
