// Builds the Express app. No listen() here: tests drive the app with supertest, main.ts serves it.
import express from 'express';
import helmet from 'helmet';
import type { SearchBackend } from './search/backend.js';
import path from 'node:path';
import type { Logger } from '../core/log.js';
import { viewsDir } from '../core/paths.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { apiRouter } from './routes/api.js';
import { exportRouter } from './routes/export.js';
import { readOnly, searchRateLimit } from './limits.js';
import { MAX_QUERY_CHARS } from './search/params.js';
import { EXPORT_DEADLINE_MS, REQUEST_DEADLINE_MS, requestSignal } from './request-signal.js';
import { healthRouter } from './routes/health.js';
import { ResultCache } from './search/result-cache.js';
import { DEFAULT_RESULT_CACHE_MB } from '../core/config.js';
import { chartsRouter } from './routes/charts.js';
import { pagesRouter } from './routes/pages.js';
import { feedRouter } from './routes/feed.js';

export interface AppDeps {
  /** Where searches go: one Meilisearch or a network, with the least-privileged key that can search. */
  backend: SearchBackend;
  log: Logger;
  /** Searches per minute per client (searchesOf in limits.ts); 0 or absent: no limit (tests, benchmarks). */
  rateLimitPerMinute?: number;
  /** Reverse proxies whose X-Forwarded-For names the client (for the rate limit and logs). */
  trustProxy?: number;
  /** Month counts in searches and the coverage chart (COVERAGE_CHART); default on. */
  coverageChart?: boolean;
  /** All the Meilisearch calls of one request (REQUEST_DEADLINE_MS); lower in tests. */
  requestDeadlineMs?: number;
  /** The whole of one export (EXPORT_DEADLINE_MS). */
  exportDeadlineMs?: number;
  /** Candidates of long terms checked per search at most (tests lower it); MAX_VERIFIED_CANDIDATES by default. */
  maxVerifiedCandidates?: number;
  /** Memory for whole answers kept until the index changes (result-cache.ts); 0 keeps none. */
  resultCacheMb?: number;
}

export function createApp({
  backend,
  log,
  rateLimitPerMinute = 0,
  trustProxy = 0,
  coverageChart = true,
  requestDeadlineMs = REQUEST_DEADLINE_MS,
  exportDeadlineMs = EXPORT_DEADLINE_MS,
  maxVerifiedCandidates,
  resultCacheMb = DEFAULT_RESULT_CACHE_MB,
}: AppDeps): express.Express {
  const searchOptions = { coverage: coverageChart, maxVerifiedCandidates, results: new ResultCache(resultCacheMb) };
  const app = express();
  app.disable('x-powered-by');
  // No ETag (a hash of every body) on answers: the API's are no-store, and a page is rendered
  // for one search and rarely revalidated. Static assets keep their own ETags.
  app.set('etag', false);
  app.set('trust proxy', trustProxy);
  app.set('view engine', 'ejs');
  // What every template may show: the one query-length limit (params.ts).
  app.locals.maxQueryChars = MAX_QUERY_CHARS;
  app.set('views', viewsDir);
  // Served over plain HTTP on a LAN too, so no upgrade-insecure-requests. Article images live on
  // the outlets' servers (https), so those may load; scripts only from here, none inline.
  app.use(
    helmet({
      contentSecurityPolicy: { directives: { upgradeInsecureRequests: null, imgSrc: ["'self'", 'data:', 'https:'] } },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );
  app.use(readOnly);
  app.use(searchRateLimit(rateLimitPerMinute));
  app.use('/assets', express.static(path.join(viewsDir, 'assets'), { maxAge: '7d', fallthrough: false }));
  app.use('/api/export', requestSignal(exportDeadlineMs, log));
  app.use(requestSignal(requestDeadlineMs, log));
  app.use(healthRouter(backend));
  app.use(apiRouter(backend, searchOptions));
  app.use(exportRouter(backend));
  app.use(feedRouter(backend));
  app.use(chartsRouter(backend, searchOptions));
  app.use(pagesRouter(backend, searchOptions));
  app.use(notFoundHandler);
  app.use(errorHandler(log));
  return app;
}
