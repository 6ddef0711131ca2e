// What the reindex shows a person at a terminal (a progress bar, readable warnings, the summary)
// and what it gives programs (JSON log lines): the decision, the readable lines, and a real run
// in a pseudo-terminal (util-linux `script`).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../core/paths.js';
import { readableLine, reindexOutput } from '../../indexer/commands/reindex-output.js';
import { FIXTURE, FIXTURE_TREES } from '../helpers/corpus.js';
import { childEnv } from '../helpers/env.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';
import { stopOnExit } from '../helpers/processes.js';

describe('reindex output', () => {
  it('a terminal gets the bar and readable lines; --json or a stderr that is not a terminal gets JSON log lines', () => {
    assert.deepEqual(reindexOutput({ json: false, stderrIsTTY: true }), { progressBar: true, jsonLogs: false });
    assert.deepEqual(reindexOutput({ json: true, stderrIsTTY: true }), { progressBar: false, jsonLogs: true });
    assert.deepEqual(reindexOutput({ json: false, stderrIsTTY: false }), { progressBar: false, jsonLogs: true });
    assert.deepEqual(reindexOutput({ json: true, stderrIsTTY: false }), { progressBar: false, jsonLogs: true });
  });

  it('shows warnings and errors as one readable line each, and leaves the rest to the bar and the summary', () => {
    const line = (o: object) => readableLine(JSON.stringify({ time: 1, pid: 2, ...o }));
    assert.equal(line({ level: 30, event: 'reindex.scan_started', files: 190 }), undefined);
    assert.equal(
      line({ level: 40, event: 'reindex.low_disk', freeBytes: 10, msg: 'disk space may run out' }),
      'warning: disk space may run out (reindex.low_disk; freeBytes 10)',
    );
    assert.equal(
      line({ level: 40, event: 'reindex.full_instead', reason: 'no state', roots: ['a'] }),
      'warning: reindex.full_instead (reason no state, roots ["a"])',
    );
    assert.equal(
      line({ level: 50, event: 'reindex.failed', reason: 'boom', err: { stack: 'Error: boom\n    at x' } }),
      'error: reindex.failed (reason boom)\nError: boom\n    at x',
    );
  });
});

const scriptPath = ['/usr/bin/script', '/bin/script'].find((p) => fs.existsSync(p));

describe('tongwen reindex on a terminal', { skip: scriptPath ? false : 'util-linux script is not installed' }, () => {
  let meili: TestMeili;
  let dataDir: string;
  before(async () => {
    dataDir = tempDir('tongwen-tty-');
    meili = await startTestMeili();
  });
  after(async () => {
    await meili?.cleanup();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The reindex in a pseudo-terminal: everything it writes, as the terminal gets it. */
  function onTerminal(args: string[]): Promise<{ code: number | null; screen: string }> {
    const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const command = [process.execPath, path.join(projectRoot, 'dist/cli/tongwen.js'), 'reindex', ...args].map(quote).join(' ');
    const child = spawn(scriptPath!, ['-qfec', command, '/dev/null'], {
      env: childEnv({ MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: dataDir }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopOnExit(child);
    let screen = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (screen += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => (screen += c));
    return new Promise((resolve) => child.once('close', (code) => resolve({ code, screen })));
  }

  it('shows the progress bar and a readable summary, and no JSON log line', async () => {
    const { code, screen } = await onTerminal(FIXTURE_TREES);
    assert.equal(code, 0, screen);
    assert.match(screen, new RegExp(`files ${FIXTURE.files}/${FIXTURE.files} \\| sent \\d+ \\| indexed \\d+`), 'the bar');
    assert.match(screen, /Full reindex of "articles" done in [\d.]+ s: \d+ documents live\./);
    assert.match(screen, /Rejected files:/);
    assert.doesNotMatch(screen, /\{"level":/);
  });

  it('with --json, logs JSON lines and prints the summary as JSON, without a bar', async () => {
    const { code, screen } = await onTerminal([...FIXTURE_TREES, '--json']);
    assert.equal(code, 0, screen);
    assert.match(screen, /\{"level":30,[^\n]*"event":"reindex\.scan_started"/);
    assert.match(screen, /\{"index":"articles","mode":"full"/);
    assert.doesNotMatch(screen, /docs\/s/);
  });
});
