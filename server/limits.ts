// What one client may ask of the server: GET and HEAD only, no request bodies, and a per-client
// request rate on /api/* (express-rate-limit, with the IETF RateLimit headers so well-behaved
// clients can pace themselves). Violations answer in the usual error shape.
import type { RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { HttpError } from './errors.js';

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

/** `perMinute` requests per client per minute; 0 means no limit. */
export function apiRateLimit(perMinute: number): RequestHandler {
  if (perMinute <= 0) return (_req, _res, next) => next();
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'api',
    handler: (_req, _res, next, options) => {
      next(new RateLimited(`more than ${options.limit} requests a minute from this client; wait for the time in the Retry-After header`));
    },
  });
}
