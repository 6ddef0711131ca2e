// Error classes for configuration and input problems; callers branch on the class, not the text.

/** The environment or command line asks for something impossible. Names the variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
  }
}

/** Another Tongwen process already owns this DATA_DIR. */
export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError';
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    readonly ownerRole: string,
  ) {
    super(`DATA_DIR ${dataDir} is in use by a running tongwen ${ownerRole} (pid ${ownerPid}); stop it first or choose another DATA_DIR`);
  }
}

/** The embedded Meilisearch could not be started or did not become healthy. */
export class MeiliStartError extends Error {
  override name = 'MeiliStartError';
}

/** An article file that cannot become a document. `reason` says why, for the report. */
export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    readonly reason: string,
    readonly path?: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
  }
}

/** A page that sits where an article would, but is not one (a site notice, an error page, an empty body). */
export class JunkPage extends ParseError {
  override name = 'JunkPage';
}
