// The JSON API: /api/search, /api/terms, /api/articles/:id (and its related stories), /api/facets, /api/timeline, /api/openapi.json.
// Each route parses its query with its schema (server/search/params.ts) and answers the shape of
// server/api/responses.ts.
import { Router } from 'express';
import type { Timeline } from '../api/responses.js';
import type { SearchBackend } from '../search/backend.js';
import { NotFound } from '../errors.js';
import { openApiDocument } from '../openapi.js';
import { articleJson } from '../search/article.js';
import { DEFAULT_PER_PAGE, parseQuery, parseSearchParams, scriptQuery, termsQuery, timelineQuery } from '../search/params.js';
import { searchTerms } from '../search/terms.js';
import { relatedStories } from '../search/related.js';
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
    const { script } = parseQuery(scriptQuery, req.query);
    const found = await findArticle(requestBackend(backend, res), id);
    if (!found) throw new NotFound(`no article with id ${JSON.stringify(id)}`);
    res.set('Cache-Control', 'no-store').json(articleJson(found, script));
  });
  // The words that stand out in a search's stories: two multi-searches (candidates, then counts).
  router.get('/api/terms', async (req, res) => {
    const params = parseQuery(termsQuery, req.query);
    const p = { ...params, sort: null, page: 1, perPage: DEFAULT_PER_PAGE };
    res.set('Cache-Control', 'no-store').json(await searchTerms(requestBackend(backend, res), p));
  });
  router.get('/api/articles/:id/related', async (req, res) => {
    const id = req.params.id;
    const { script } = parseQuery(scriptQuery, req.query);
    const searching = requestBackend(backend, res);
    const found = await findArticle(searching, id);
    if (!found) throw new NotFound(`no article with id ${JSON.stringify(id)}`);
    res.set('Cache-Control', 'no-store').json(await relatedStories(searching, found, script));
  });
  router.get('/api/facets', async (req, res) => {
    const { script } = parseQuery(scriptQuery, req.query);
    res.set('Cache-Control', 'no-store').json(await indexFacets(requestBackend(backend, res), script));
  });
  router.get('/api/timeline', async (req, res) => {
    const { interval, ...params } = parseQuery(timelineQuery, req.query);
    const result = await timeline(requestBackend(backend, res), params, interval);
    const { q, outlet, topic, person, place, organization, from, to, undated } = params;
    const query = { q, normalized: toCanonical(q), outlet, topic, person, place, organization, from, to, undated };
    const body: Timeline = { query, ...result };
    res.set('Cache-Control', 'no-store').json(body);
  });
  router.get('/api/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  return router;
}
