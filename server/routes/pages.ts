// The HTML pages. Thin: gather data, render a view.
import { Router } from 'express';
import type { Meilisearch } from 'meilisearch';
import { documentCount } from './health.js';

export function pagesRouter(client: Meilisearch, indexName: string): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const documents = await documentCount(client, indexName);
    res.render('index', { q, documents });
  });
  return router;
}
