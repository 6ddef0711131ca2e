// DATA_DIR on a disk that fills up: the reindex stops with a clear error instead of waiting on
// a Meilisearch that retries forever, and the live index is untouched. Needs a small tmpfs,
// so root with mount rights (as in CI); elsewhere the tests are skipped and say why.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { freeBytes } from '../../indexer/disk.js';
import { runCli } from '../helpers/cli.js';
import { writeBulkCorpus } from '../helpers/bulk-corpus.js';
import { FIXTURE_TREES, fixtureCorpusDir } from '../helpers/corpus.js';
import { tempDir } from '../helpers/meili.js';

const mounts: string[] = [];
after(() => {
  for (const m of mounts) {
    try {
      execFileSync('umount', ['-l', m]);
    } catch {
      // already gone
    }
    fs.rmSync(m, { recursive: true, force: true });
  }
});

/** A tmpfs of `mb` megabytes, or the reason there cannot be one. */
function smallDisk(mb: number): string | { skip: string } {
  const dir = tempDir('tongwen-small-disk-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${mb}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    return { skip: `cannot mount a tmpfs here (${(err as Error).message.split('\n')[0]})` };
  }
  mounts.push(dir);
  return dir;
}

const bulkDirs = [tempDir('tongwen-bulk-'), tempDir('tongwen-bulk-')];
after(() => {
  for (const d of bulkDirs) fs.rmSync(d, { recursive: true, force: true });
});
/** The fixtures and 16 more copies of their hkcnews articles (about 6 MB of documents): their temporary copy fits on 12 MB, the index would not. */
const SMALL = [...FIXTURE_TREES, writeBulkCorpus(bulkDirs[0]!, 16)];
/**
 * The fixtures and 20 more copies (about 11 MB of documents, with their keywords and names):
 * less than half the room left beside the live index, so the run starts, and enough to fill 48 MB
 * while Meilisearch indexes them.
 */
const LARGE = [...FIXTURE_TREES, writeBulkCorpus(bulkDirs[1]!, 20)];

describe('a full disk on DATA_DIR', () => {
  it('a disk too small for the new index: refused before Meilisearch is sent anything', async (t) => {
    const dir = smallDisk(12);
    if (typeof dir !== 'string') return t.skip(dir.skip);
    const started = Date.now();
    const run = runCli(['reindex', ...SMALL], { DATA_DIR: dir });
    assert.equal(await run.done, 1, run.stderr);
    assert.match(
      run.stderr,
      /not enough disk space: building the new index needs about \d+ MB .* and DATA_DIR .* has \d+ MB free; the live index is unchanged/,
    );
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'a message, not a stack trace');
    assert.ok(Date.now() - started < 60_000);
  });

  it('a disk that fills up while Meilisearch indexes: a clear error within seconds, tasks cancelled, live index unchanged', async (t) => {
    const dir = smallDisk(48);
    if (typeof dir !== 'string') return t.skip(dir.skip);
    // A live index first, small enough to fit.
    const first = runCli(['reindex', path.join(fixtureCorpusDir, 'feedx'), '--json'], { DATA_DIR: dir });
    assert.equal(await first.done, 0, first.stderr);
    const live = (JSON.parse(first.stdout) as { documents: number }).documents;
    const started = Date.now();
    const run = runCli(['reindex', ...LARGE], { DATA_DIR: dir });
    assert.equal(await run.done, 1, run.stderr);
    assert.match(
      run.stderr,
      /the disk of DATA_DIR .* is full \(\d+ MB free\) while Meilisearch was building the new index; the live index is unchanged/,
    );
    assert.ok(Date.now() - started < 120_000, `${Date.now() - started} ms`);
    console.log(`# disk full: failed after ${Date.now() - started} ms, ${Math.round(freeBytes(dir) / 1e6)} MB free afterwards`);

    // The live index is what it was when Meilisearch starts again on the same disk.
    const next = runCli(['reindex', path.join(fixtureCorpusDir, 'feedx'), '--incremental', '--json'], { DATA_DIR: dir });
    assert.equal(await next.done, 0, next.stderr);
    const summary = JSON.parse(next.stdout) as { documents: number; mode: string };
    assert.equal(summary.mode, 'incremental', 'its saved state still matches the live index');
    assert.equal(summary.documents, live);
  });
});
