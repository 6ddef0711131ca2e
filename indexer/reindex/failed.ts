// How a reindex fails: the error classes its callers branch on.

/** A reindex that failed; the live index is as it was before (for a full reindex). */
export class ReindexFailed extends Error {
  override name = 'ReindexFailed';
}

/** What a refused shrink would have removed, for the report. */
export interface ShrinkDetails {
  /** Live stories before the run. */
  live: number;
  /** Live stories the run would have removed. */
  removed: number;
  /** removed / live. */
  share: number;
  /** Where the removed stories come from: a root, or a folder that could not be read. */
  folders: Array<{ path: string; stories: number; problem?: string }>;
}

/** A run stopped before it removed more of the live index than it may without --allow-shrink. */
export class ShrinkRefused extends ReindexFailed {
  override name = 'ShrinkRefused';
  constructor(
    message: string,
    readonly details: ShrinkDetails,
  ) {
    super(message);
  }
}
