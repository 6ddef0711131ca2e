// What one client may ask of the server: GET and HEAD only, no request bodies, and a number of
// searches per minute. Every request that can search is charged the searches it makes (the
// compare page one per query, an export one per batch of stories it reads), on every route but
// the static assets and /healthz, with the IETF RateLimit headers so well-behaved clients can pace
// themselves. Violations answer in the usual error shape (a page to browsers).
//
// rate-limiter-flexible, not express-rate-limit: a request here costs a number of points known
// only from its parameters (and, for an export, from its count), which rate-limiter-flexible's
// consume(key, points) takes as it is; express-rate-limit counts one hit per request, and a
// weight would have to be smuggled through its store's key.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { HttpError } from './errors.js';
import { MAX_COMPARED, MAX_QUERY_CHARS } from './search/params.js';
import { searchesOfQuery } from './search/query.js';

/** The rate limit's window: RATE_LIMIT_PER_MINUTE searches per client in this many seconds. */
export const RATE_WINDOW_S = 60;
/** The policy's name in the RateLimit headers. */
const POLICY = 'search';

export class MethodNotAllowed extends HttpError {
  override name = 'MethodNotAllowed';
  readonly status = 405;
  readonly code = 'method_not_allowed';
}

export class BodyNotAccepted extends HttpError {
  override name = 'BodyNotAccepted';
  readonly status = 413;
  readonly code = 'payload_too_large';
}

export class RateLimited extends HttpError {
  override name = 'RateLimited';
  readonly status = 429;
  readonly code = 'rate_limited';
}

/** Every route reads; nothing takes a body, so a body is refused before anyone reads it. */
export const readOnly: RequestHandler = (req, res, next) => {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.set('Allow', 'GET, HEAD');
    return next(new MethodNotAllowed(`${req.method} is not supported; this server only answers GET and HEAD`));
  }
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > 0 || req.headers['transfer-encoding'] !== undefined) {
    // The connection cannot be reused with an unread body on it.
    res.set('Connection', 'close');
    return next(new BodyNotAccepted('requests to this server carry no body'));
  }
  next();
};

/**
 * The searches a request makes, which it is charged before it runs; 0 for what never searches
 * (static assets, /healthz). A query with OR makes one search per alternative; the compare page
 * makes those of each query, and one more for the shares; every other route those of its query
 * (an export is charged its batches once it knows its count).
 */
export function searchesOf(req: Request): number {
  if (req.path === '/healthz' || req.path.startsWith('/assets/')) return 0;
  // An article is one lookup; its q only marks words.
  if (req.path.startsWith('/article/') || req.path.startsWith('/api/articles/')) return 1;
  const raw = req.query.q;
  const list = (Array.isArray(raw) ? raw : [raw]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (req.path === '/trends') {
    // More than MAX_COMPARED is refused (400) before any search.
    const queries = [...new Set(list.map((v) => v.trim()))].slice(0, MAX_COMPARED);
    const searches = queries.reduce((n, q) => n + searchesOfQuery(q), 0);
    return Math.max(1, searches + (queries.length > 0 && req.query.share === '1' ? 1 : 0));
  }
  // One q (a repeated one is refused with a 400); a query too long is refused too, before it is read.
  return list.length === 1 && Array.from(list[0]!).length <= MAX_QUERY_CHARS ? searchesOfQuery(list[0]!) : 1;
}

/** The client a limit counts: its address, an IPv6 client by its /56 (one subscriber's block). */
const clientKey = (req: Request) => ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? '');

/** IETF draft-8 headers; the partition key names the client without showing its address. */
function setHeaders(res: Response, limit: number, state: RateLimiterRes, key: string): void {
  if (res.headersSent) return;
  const partition = Buffer.from(createHash('sha256').update(key).digest('hex').slice(0, 12)).toString('base64');
  res.set('RateLimit-Policy', `"${POLICY}"; q=${limit}; w=${RATE_WINDOW_S}; pk=:${partition}:`);
  res.set('RateLimit', `"${POLICY}"; r=${state.remainingPoints}; t=${Math.max(0, Math.ceil(state.msBeforeNext / 1000))}`);
}

type Charge = (searches: number) => Promise<void>;

/**
 * `perMinute` searches per client per minute; 0 means no limit. Charges each request
 * searchesOf(req) before it runs; a route charges more with chargeSearches().
 */
export function searchRateLimit(perMinute: number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  const limiter = new RateLimiterMemory({ points: perMinute, duration: RATE_WINDOW_S });
  return (req, res, next) => {
    const searches = searchesOf(req);
    if (searches === 0) return next();
    const key = clientKey(req);
    const charge: Charge = async (n) => {
      let state: RateLimiterRes;
      try {
        state = await limiter.consume(key, n);
      } catch (refused) {
        if (!(refused instanceof RateLimiterRes)) throw refused;
        setHeaders(res, perMinute, refused, key);
        if (!res.headersSent) res.set('Retry-After', String(Math.max(1, Math.ceil(refused.msBeforeNext / 1000))));
        throw new RateLimited(
          `more than ${perMinute} searches a minute from this client (a request counts each search it makes); wait for the time in the Retry-After header`,
        );
      }
      setHeaders(res, perMinute, state, key);
    };
    res.locals.chargeSearches = charge;
    charge(searches).then(() => next(), next);
  };
}

/** Charges the request's client `searches` more (no-op without a limit); throws RateLimited past it. */
export async function chargeSearches(res: Response, searches: number): Promise<void> {
  if (searches > 0) await (res.locals.chargeSearches as Charge | undefined)?.(searches);
}
