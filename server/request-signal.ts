// One AbortSignal per request, the end of all its work: it aborts when the request's deadline
// passes (one deadline across every Meilisearch call the request makes, however many) or when the
// client goes away before the answer is finished. Routes hand it to the search code through
// withSignal() (search/backend.ts), so no Meilisearch call starts after it aborted and the calls
// in flight are cancelled.
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../core/log.js';
import { HttpError, SearchUnavailable } from './errors.js';
import { withSignal, type SearchBackend } from './search/backend.js';

/**
 * The time all of a request's Meilisearch calls together may take. A page makes a handful of
 * calls one after another (document count, long-term candidates, hits, the re-ranked page; the
 * compare page up to six at once), each with its own timeout (SEARCH_TIMEOUT_MS 4 s on one
 * instance, NETWORK_REQUEST_TIMEOUT_MS 3 s on a network, where a failed call is retried once
 * after a 0.5 s probe: 6.5 s). Under 50 concurrent searches during a reindex, p99 is 1.9 s.
 */
export const REQUEST_DEADLINE_MS = 10_000;
/**
 * An export (/api/export) reads up to EXPORT_MAX stories in batches of 100 while it streams them,
 * and waits for a slow client to take what was sent: its whole download has this deadline.
 */
export const EXPORT_DEADLINE_MS = 60_000;

/** The request's deadline passed: its work was stopped, the answer is 503. */
export class DeadlinePassed extends SearchUnavailable {
  override name = 'DeadlinePassed';
  constructor(readonly ms: number) {
    super(`the search took longer than ${ms / 1000} s and was stopped; try again, or narrow the search`);
  }
}

/** The client closed the connection before the answer was finished: nobody is left to answer. */
export class ClientGone extends HttpError {
  override name = 'ClientGone';
  // nginx's "client closed request"; never sent, it names the case in logs.
  readonly status = 499;
  readonly code = 'client_closed_request';
  constructor() {
    super('the client closed the connection before the answer was finished');
  }
}

/**
 * Gives each request a signal (res.locals.signal) that aborts after `deadlineMs` or when the client
 * leaves. A request that already has one (a route with its own deadline) keeps it.
 */
export function requestSignal(deadlineMs: number, log: Logger): RequestHandler {
  return (req, res, next) => {
    if (res.locals.signal) return next();
    const controller = new AbortController();
    const path = req.baseUrl + req.path;
    const timer = setTimeout(() => {
      log.warn({ event: 'request.deadline', method: req.method, path, ms: deadlineMs });
      controller.abort(new DeadlinePassed(deadlineMs));
    }, deadlineMs);
    timer.unref();
    // Node 20 emits the request's 'close' once its body was read, not when the client leaves;
    // the response's 'close' before it finished is the client leaving.
    res.once('close', () => {
      clearTimeout(timer);
      if (!res.writableFinished && !controller.signal.aborted) {
        log.info({ event: 'request.client_gone', method: req.method, path });
        controller.abort(new ClientGone());
      }
    });
    res.locals.signal = controller.signal;
    next();
  };
}

/** The request's signal; a response outside the middleware (a route mounted alone in a test) gets one that never aborts. */
export function signalOf(res: Response): AbortSignal {
  return (res.locals.signal as AbortSignal | undefined) ?? new AbortController().signal;
}

/** `backend` for this request's work: its searches end with the request's signal. */
export function requestBackend(backend: SearchBackend, res: Response): SearchBackend {
  return withSignal(backend, signalOf(res));
}
