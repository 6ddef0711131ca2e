// Error classes the routes throw; server/error-handler.ts is the one place that turns them
// into HTTP responses ({"error": {"code", "param"?, "message"}}).

export abstract class HttpError extends Error {
  abstract readonly status: number;
  abstract readonly code: string;
}

/** A request parameter is missing, malformed or out of range. */
export class InvalidParameter extends HttpError {
  override name = 'InvalidParameter';
  readonly status = 400;
  readonly code = 'invalid_parameter';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}

/** Meilisearch is down, refusing us or too slow. */
export class SearchUnavailable extends HttpError {
  override name = 'SearchUnavailable';
  readonly status = 503;
  readonly code = 'search_unavailable';
  constructor(message = 'the search engine is unavailable, try again shortly', options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class NotFound extends HttpError {
  override name = 'NotFound';
  readonly status = 404;
  readonly code = 'not_found';
}
