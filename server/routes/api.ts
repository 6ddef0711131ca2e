// The JSON API: /api/search, /api/articles/:id, /api/facets, /api/openapi.json.
import { Router } from 'express';
import type { SearchBackend } from '../search/backend.js';
import { NotFound } from '../errors.js';
import { openApiDocument } from '../openapi.js';
import { articleJson } from '../search/article.js';
import { intervalParam, parseSearchParams, scriptParam } from '../search/params.js';
import { toCanonical } from '../../core/text/normalize.js';
import { timeline } from '../search/timeline.js';
import { indexFacets } from '../search/facet-counts.js';
import { search, type SearchOptions } from '../search/search.js';
import { findArticle } from '../search/stories-by-id.js';
import { requestBackend } from '../request-signal.js';


export function apiRouter(backend: SearchBackend, opts: SearchOptions = {}): Router {
  const router = Router();
  router.get('/api/search', async (req, res) => {
    const params = parseSearchParams(req.query as Record<string, unknown>);
    res.set('Cache-Control', 'no-store').json(await search(requestBackend(backend, res), params, opts));
  });
  router.get('/api/articles/:id', async (req, res) => {
    const id = req.params.id;
    const script = scriptParam(req.query.script);
    const found = await findArticle(requestBackend(backend, res), id);
    if (!found) throw new NotFound(`no article with id ${JSON.stringify(id)}`);
    res.set('Cache-Control', 'no-store').json(articleJson(found, script));
  });
  router.get('/api/facets', async (req, res) => {
    res.set('Cache-Control', 'no-store').json(await indexFacets(requestBackend(backend, res), scriptParam(req.query.script)));
  });
  router.get('/api/timeline', async (req, res) => {
    const params = parseSearchParams(req.query as Record<string, unknown>);
    const interval = intervalParam(req.query.interval);
    const result = await timeline(requestBackend(backend, res), params, interval);
    const { q, outlet, topic, from, to } = params;
    res.set('Cache-Control', 'no-store').json({ query: { q, normalized: toCanonical(q), outlet, topic, from, to }, ...result });
  });
  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  return router;
}
