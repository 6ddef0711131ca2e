// No test can hang: a test file whose setup starts Meilisearch, a server process and Chromium and
// then fails (without cleaning up anything itself) is run with exactly the flags of `npm test`.
// The run must fail within a minute and leave none of those processes running.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { projectRoot } from '../../core/paths.js';
import { childEnv } from '../helpers/env.js';
import { tempDir } from '../helpers/meili.js';
import { isRunning } from '../helpers/processes.js';

const dir = tempDir('tongwen-setup-failure-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The node flags of package.json's "test" script, without its folder argument. */
function testFlags(): string[] {
  const script = (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { scripts: { test: string } }).scripts
    .test;
  const words = script.split(/\s+/);
  assert.equal(words[0], 'node', `the test script runs node: ${script}`);
  return words.slice(1).filter((w) => w.startsWith('--'));
}

const helper = (name: string) => pathToFileURL(path.join(projectRoot, 'dist', 'test', 'helpers', name)).href;

// The file under test: starts everything, records its descendants, then throws in before().
const FAILING_FILE = `
import { before, describe, it } from 'node:test';
import fs from 'node:fs';
import { chromium } from ${JSON.stringify(import.meta.resolve('playwright-core'))};
import { startTestMeili, tempDir } from ${JSON.stringify(helper('meili.js'))};
import { ServerProcess } from ${JSON.stringify(helper('server-process.js'))};
import { freePort } from ${JSON.stringify(pathToFileURL(path.join(projectRoot, 'dist', 'core', 'meili', 'embedded.js')).href)};
import { descendants } from ${JSON.stringify(helper('processes.js'))};

describe('a suite whose setup fails', () => {
  before(async () => {
    await startTestMeili();
    const port = await freePort();
    const server = new ServerProcess({ PORT: String(port), DATA_DIR: tempDir() });
    await server.waitFor('server.listening', 60_000);
    await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    fs.writeFileSync(${JSON.stringify(path.join(dir, 'pids.json'))}, JSON.stringify(descendants(process.pid)));
    throw new Error('setup fails on purpose');
  });
  it('never runs', () => {});
});
`;

describe('a test whose setup fails', () => {
  it('fails the run within a minute of the failure and stops every process it started', { timeout: 180_000 }, async () => {
    const file = path.join(dir, 'setup-fails.test.mjs');
    fs.writeFileSync(file, FAILING_FILE);
    // As a fresh `npm test` run: not as a file of this run (node:test marks those in NODE_TEST_CONTEXT).
    const child = spawn(process.execPath, [...testFlags(), file], {
      cwd: projectRoot,
      env: childEnv({ NODE_TEST_CONTEXT: undefined }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const pidsFile = path.join(dir, 'pids.json');
    // Time from the failure (the moment the setup wrote its process list and threw) to the exit.
    let failedAt = 0;
    const watch = setInterval(() => {
      if (!failedAt && fs.existsSync(pidsFile)) failedAt = Date.now();
    }, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), 150_000);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    clearInterval(watch);
    clearTimeout(killer);
    if (!failedAt && fs.existsSync(pidsFile)) failedAt = Date.now();
    const exitedAfterMs = Date.now() - failedAt;

    assert.ok(failedAt > 0, `the setup reached its failure: ${output.slice(-2000)}`);
    assert.notEqual(code, 0, 'the run fails');
    assert.match(output, /setup fails on purpose/, 'and says why');
    assert.ok(exitedAfterMs < 60_000, `exited ${exitedAfterMs} ms after the failure`);

    const started = JSON.parse(fs.readFileSync(pidsFile, 'utf8')) as Array<{ pid: number; command: string }>;
    const kinds = (re: RegExp) => started.filter((p) => re.test(p.command)).length;
    assert.ok(kinds(/meilisearch/) >= 2, `the test's and the server's Meilisearch were running: ${JSON.stringify(started)}`);
    assert.ok(kinds(/tongwen\.js serve/) >= 1, 'the server process was running');
    assert.ok(kinds(/chrom/) >= 1, 'Chromium was running');
    // Give a SIGTERMed server its grace period to stop its own Meilisearch.
    const deadline = Date.now() + 15_000;
    let left = started.filter((p) => isRunning(p.pid));
    while (left.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      left = left.filter((p) => isRunning(p.pid));
    }
    assert.deepEqual(left, [], 'no process of the failed setup is left running');
  });
});
