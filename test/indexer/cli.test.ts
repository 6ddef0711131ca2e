// The `tongwen` command line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../../core/paths.js';

const cli = path.join(projectRoot, 'dist/cli/tongwen.js');
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

describe('tongwen CLI', () => {
  it('--help lists the commands and exits 0', () => {
    const res = run('--help');
    assert.equal(res.status, 0);
    assert.match(res.stdout, /Usage: tongwen <command>/);
    assert.match(res.stdout, /serve/);
  });

  it('an unknown command is a usage error (exit 2)', () => {
    const res = run('frobnicate');
    assert.equal(res.status, 2);
    assert.match(res.stderr, /unknown command 'frobnicate'/);
  });
});
