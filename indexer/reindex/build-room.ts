// Whether a full reindex's new index fits on DATA_DIR beside the live one, checked once, before
// Meilisearch gets the first payload: fail now, not hours in.
import type { Logger } from '../../core/log.js';
import { DiskFullError, freeBytes, mb } from '../disk.js';
import type { ScanProgress } from './first-pass.js';

/** How much bigger Meilisearch's database grows than the JSON it is sent (measured: 2.60 GB for 452 MB). */
const DB_GROWTH = 6;

export class BuildRoom {
  #checked = false;

  constructor(
    readonly dataDir: string,
    readonly log: Logger,
  ) {}

  /**
   * Checks the room for the documents projected from those parsed so far (`parsedBytes` after
   * `progress.files` of `progress.totalFiles` files); only the first call checks.
   */
  checkOnce(parsedBytes: number, progress: ScanProgress): void {
    if (this.#checked) return;
    this.#checked = true;
    const documentBytes = (parsedBytes * progress.totalFiles) / Math.max(1, progress.files);
    const free = freeBytes(this.dataDir);
    const need = DB_GROWTH * documentBytes;
    const detail = `building the new index needs about ${mb(need)} (Meilisearch takes about ${DB_GROWTH}× the ${mb(documentBytes)} of documents) and DATA_DIR ${this.dataDir} has ${mb(free)} free`;
    // Below twice the documents it cannot fit; below the estimate it may not, so say so and try.
    if (free < 2 * documentBytes) throw new DiskFullError(`not enough disk space: ${detail}; the live index is unchanged`);
    if (free < need) this.log.warn({ event: 'reindex.low_disk', freeBytes: free, needBytes: need }, `disk space may run out: ${detail}`);
  }
}
