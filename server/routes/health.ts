// GET /healthz: is Meilisearch reachable, and how many articles are searchable; on a network of
// instances, each instance and its documents. 200 while searches can be answered (a network with
// an instance down answers "degraded": searches are partial and say so), 503 when none can.
import { Router } from 'express';
import type { Health } from '../api/responses.js';
import type { SearchBackend } from '../search/backend.js';
import { SearchUnavailable } from '../errors.js';
import { apiError } from '../meili-http.js';

export function healthRouter(backend: SearchBackend): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    let instances;
    try {
      instances = await backend.health();
    } catch (err) {
      throw new SearchUnavailable('Meilisearch is unreachable', { cause: err });
    }
    const available = instances.filter((i) => i.status === 'available');
    if (available.length === 0) throw new SearchUnavailable(`no Meilisearch instance is reachable (${instances.map((i) => `${i.name}: ${i.reason ?? 'unavailable'}`).join('; ')})`);
    const documents = available.reduce((n, i) => n + (i.documents ?? 0), 0);
    const body: Health =
      backend.kind === 'single'
        ? { status: 'ok', meilisearch: 'available', documents }
        : { status: available.length === instances.length ? 'ok' : 'degraded', meilisearch: available.length === instances.length ? 'available' : 'partial', documents, instances };
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
