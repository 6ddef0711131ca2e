// eval's kept index (--data-dir): reused only when built from the same folders and pipeline,
// refused when built from others, rebuilt when its build was cut short or --rebuild is given.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { ConfigError } from '../../core/errors.js';
import { builtFrom, keptIndexPlan, writeNote } from '../../eval/kept-index.js';

function withFolder(run: (dir: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-kept-'));
  try {
    run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('a folder without a note (new, or a build cut short) is built', () => {
  withFolder((dir) => assert.equal(keptIndexPlan(dir, builtFrom(['/a'], 'articles'), false), 'build'));
});

test('an index built from the same folders and pipeline is reused', () => {
  withFolder((dir) => {
    writeNote(dir, builtFrom(['/a', '/b'], 'articles'));
    assert.equal(keptIndexPlan(dir, builtFrom(['/a', '/b'], 'articles'), false), 'reuse');
  });
});

test('an index built from other folders or another pipeline is refused, not reused', () => {
  withFolder((dir) => {
    writeNote(dir, builtFrom(['/a', '/b'], 'articles'));
    assert.throws(
      () => keptIndexPlan(dir, builtFrom(['/a'], 'articles'), false),
      (err: Error) => {
        return err instanceof ConfigError && /built from \/a, \/b, not \/a;/.test(err.message);
      },
    );
    writeNote(dir, { ...builtFrom(['/a'], 'articles'), pipelineVersion: '0000000000000000' });
    assert.throws(() => keptIndexPlan(dir, builtFrom(['/a'], 'articles'), false), /pipeline version 0000000000000000/);
  });
});

test('--rebuild builds again over another note, and forgets the note until the build is done', () => {
  withFolder((dir) => {
    writeNote(dir, builtFrom(['/b'], 'articles'));
    assert.equal(keptIndexPlan(dir, builtFrom(['/a'], 'articles'), true), 'build');
    assert.equal(keptIndexPlan(dir, builtFrom(['/a'], 'articles'), false), 'build');
  });
});
