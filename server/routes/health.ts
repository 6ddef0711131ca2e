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
    // Replicas of a shard hold the same stories: each shard counts once. Searches are whole while
    // every shard has a replica available.
    const shards = new Map<number | undefined, number>();
    for (const i of available) if (!shards.has(i.shard)) shards.set(i.shard, i.documents ?? 0);
    const documents = [...shards.values()].reduce((n, d) => n + d, 0);
    const whole = instances.every((i) => shards.has(i.shard));
    const body: Health =
      backend.kind === 'single'
        ? { status: 'ok', meilisearch: 'available', documents }
        : {
            status: available.length === instances.length ? 'ok' : 'degraded',
            meilisearch: whole ? 'available' : 'partial',
            documents,
            instances: instances.map(({ shard: _, ...i }) => i),
          };
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
