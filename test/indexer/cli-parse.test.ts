// `tongwen parse`: JSON lines for programs, a summary for people, never stopping at a bad file.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { projectRoot } from '../../core/paths.js';
import { fixtureFiles } from '../helpers/corpus.js';
import { tempDir } from '../helpers/meili.js';

const cli = path.join(projectRoot, 'dist/cli/tongwen.js');
const run = (...args: string[]) =>
  spawnSync(process.execPath, [cli, 'parse', ...args], { encoding: 'utf8', env: { ...process.env, MEILI_URL: '' } });

const dir = tempDir('tongwen-cli-parse-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.mkdirSync(path.join(dir, 'sub'));
fs.copyFileSync(fixtureFiles('feedx/rfi')[0]!, path.join(dir, 'a-good.txt'));
fs.writeFileSync(path.join(dir, 'b-bad.md'), 'no header here');
fs.writeFileSync(path.join(dir, 'sub', 'c-latin1.md'), Buffer.from([0xe9, 0xe8, 0x0a]));
fs.writeFileSync(path.join(dir, 'sub', 'ignored.json'), '{}');

describe('tongwen parse', () => {
  it('--json prints one object per article file, in order, bad ones included', () => {
    const res = run(dir, path.join(dir, 'missing'), '--json');
    assert.equal(res.status, 0, res.stderr);
    const lines = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [path.basename(l.path), l.ok]),
      [
        ['a-good.txt', true],
        ['b-bad.md', false],
        ['c-latin1.md', false],
        ['missing', false],
      ],
    );
    assert.equal(lines[0].doc.outlet.id, 'rfi');
    assert.deepEqual(lines[0].warnings, []);
    assert.match(lines[1].error, /unrecognised format/);
    assert.match(lines[2].error, /not valid UTF-8/);
    assert.match(lines[3].error, /cannot read path \(ENOENT\)/);
  });

  it('without --json prints a summary listing every rejected file with its reason', () => {
    const res = run(dir);
    assert.equal(res.status, 0);
    assert.match(res.stdout, /^Parsed 3 files in [\d.]+ s: 1 articles, 2 rejected \(0 junk pages\), 0 with warnings\./);
    assert.match(res.stdout, /Near-duplicates: 0 copies in 0 stories; 1 distinct stories\./);
    assert.match(res.stdout, /By outlet: rfi 1\./);
    assert.match(res.stdout, /b-bad\.md: unrecognised format/);
    assert.match(res.stdout, /c-latin1\.md: not valid UTF-8 text/);
  });

  it('usage errors exit 2', () => {
    assert.equal(run().status, 2);
    assert.equal(run('--bogus', dir).status, 2);
  });
});
