// The last middlewares: a 404 for unknown routes, and one error handler that answers JSON to
// API clients and a friendly page to browsers, never a stack trace.
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { MeilisearchRequestError, MeilisearchRequestTimeOutError } from 'meilisearch';
import { apiError } from './meili-http.js';
import type { Logger } from '../core/log.js';
import { HttpError, NotFound, SearchUnavailable } from './errors.js';
import { ClientGone, DeadlinePassed } from './request-signal.js';
import type { DisplayScript } from './search/params.js';
import { QueryTooComplex } from './search/query-language.js';
import { cookieScript, requestedScript } from './routes/reader-script.js';
import { errorPageModel } from './view-models/error-page.js';

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFound(`no page at ${req.path}`));
};

/** Connection refused, reset or timed out: the engine is unavailable, not our bug. */
export function toHttpError(err: unknown): HttpError | undefined {
  if (err instanceof HttpError) return err;
  // The request's signal cancelled the call: its reason (the deadline, the client gone) says why.
  if (err instanceof MeilisearchRequestError && err.cause instanceof HttpError) return err.cause;
  // Meilisearch answered but failed (5xx) or the index is missing: unavailable, not our bug.
  const answered = apiError(err);
  if (answered) {
    return answered.response.status >= 500 || answered.cause?.code === 'index_not_found'
      ? new SearchUnavailable(undefined, { cause: err })
      : undefined;
  }
  if (err instanceof MeilisearchRequestError || err instanceof MeilisearchRequestTimeOutError) {
    return new SearchUnavailable(undefined, { cause: err });
  }
  return undefined;
}

/** The reader's script for an error page: the route's, else the URL's, else the remembered one (a bad `script` is the error). */
function errorScript(req: Request, res: Response): DisplayScript {
  if (res.locals.script) return res.locals.script as DisplayScript;
  try {
    return requestedScript(req);
  } catch {
    return cookieScript(req);
  }
}

function wantsJson(path: string): boolean {
  // Feed readers show no error page; the JSON error names what to fix.
  return path.startsWith('/api/') || path === '/healthz' || path === '/feed.xml';
}

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toHttpError(err);
    if (known instanceof ClientGone) {
      log.info({ event: 'request.abandoned', method: req.method, path: req.path });
      res.destroy();
      return;
    }
    if (res.headersSent) {
      // The answer had begun (an export streaming): it can only be cut short.
      log.error({
        event: 'request.failed',
        method: req.method,
        path: req.path,
        afterHeaders: true,
        err: known ? { name: known.name, message: known.message } : err,
      });
      res.destroy();
      return;
    }
    const status = known?.status ?? (typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500);
    const code = known?.code ?? (status === 500 ? 'internal_error' : 'bad_request');
    const message = known?.message ?? (status === 500 ? 'internal server error' : 'bad request');
    const param = known && 'param' in known ? (known.param as string) : undefined;
    if (status >= 500) {
      log.error({
        event: 'request.failed',
        method: req.method,
        path: req.path,
        status,
        err: known ? { name: known.name, message: known.message } : err,
      });
    }
    const body = { error: { code, ...(param ? { param } : {}), message } };
    res.status(status);
    if (wantsJson(req.path)) {
      res.json(body);
      return;
    }
    res.format({
      html: () => {
        const query = req.query as Record<string, unknown>;
        const deadlineMs = known instanceof DeadlinePassed ? known.ms : undefined;
        const tooComplex = known instanceof QueryTooComplex ? { limit: known.limit, found: known.found, max: known.max } : undefined;
        res.render(
          'error',
          errorPageModel({
            status,
            param,
            path: req.path,
            query,
            script: errorScript(req, res),
            deadlineMs,
            ...(tooComplex ? { tooComplex } : {}),
          }),
        );
      },
      json: () => res.json(body),
      default: () => res.type('text/plain').send(message),
    });
  };
}
