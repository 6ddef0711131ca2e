// Running out of disk on DATA_DIR. Meilisearch, when its disk is full, does not fail its task:
// it retries forever, so a reindex would wait for hours. We watch the free space ourselves and
// turn "full" into one clear error, and our own writes' ENOSPC into the same error with the file.
import fs from 'node:fs';

export class DiskFullError extends Error {
  override name = 'DiskFullError';
}

/** Below this, DATA_DIR counts as full: Meilisearch writes in pages of many MB. */
export const MIN_FREE_BYTES = 16 * 1024 * 1024;

export function freeBytes(dir: string): number {
  const s = fs.statfsSync(dir);
  return s.bavail * s.bsize;
}

export const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;

/** Throws DiskFullError when `dir` has less than MIN_FREE_BYTES left. */
export function checkNotFull(dir: string, while_: string): void {
  const free = freeBytes(dir);
  if (free < MIN_FREE_BYTES) {
    throw new DiskFullError(`the disk of DATA_DIR ${dir} is full (${mb(free)} free) ${while_}; free some space and run it again`);
  }
}

/** An fs error from writing `file`, as DiskFullError when the disk (or quota) is full. */
export function writeError(err: unknown, file: string): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new DiskFullError(`cannot write ${file}: the disk is full (${code}); free some space and run it again`);
  return err instanceof Error ? err : new Error(String(err));
}
