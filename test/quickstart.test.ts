// The README's quick start, followed as a newcomer with only the clone would: the server as
// `npm start` runs it, an empty index whose page says how to load articles, then the one command
// the README gives for the demo articles, run through npm in a second process, and a page of results.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { freePort } from '../core/meili/embedded.js';
import { projectRoot } from '../core/paths.js';
import { childEnv } from './helpers/env.js';
import { stopOnExit } from './helpers/processes.js';
import { serverFixture } from './helpers/server-process.js';

const { start, newDataDir } = serverFixture();

/** The shell commands in the README's "Quick start" section, comments removed. */
function quickStartCommands(): string[] {
  const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const section = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1];
  assert.ok(section, 'the README has a Quick start section');
  return [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
    .flatMap((m) => m[1]!.split('\n'))
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

describe('the quick start', () => {
  it('ends on a page of results: npm start, then the README command that loads the demo articles', { timeout: 240_000 }, async () => {
    const commands = quickStartCommands();
    assert.ok(commands.includes('npm install && npm start'), commands.join(' | '));
    const load = commands.find((c) => c.startsWith('npm run reindex -- ') && !c.includes('/path/to/'));
    assert.ok(load, `a command that loads the demo articles: ${commands.join(' | ')}`);

    const dataDir = newDataDir();
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: dataDir });
    await server.waitFor('server.listening', 60_000);
    const base = `http://127.0.0.1:${port}`;

    const empty = await (await fetch(`${base}/`)).text();
    assert.match(empty, /索引是空的/);
    assert.ok(empty.includes(load.replace(/^npm run reindex -- /, '')), 'the empty page names the demo folder');

    // Exactly the README's command, through npm, in the project folder, on the server's DATA_DIR.
    const npm = spawn('sh', ['-c', load], { cwd: projectRoot, env: childEnv({ DATA_DIR: dataDir }), stdio: ['ignore', 'pipe', 'pipe'] });
    stopOnExit(npm);
    let output = '';
    npm.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    npm.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const code = await new Promise<number | null>((resolve) => npm.once('close', resolve));
    assert.equal(code, 0, output.slice(-3000));
    assert.match(output, /Full reindex of "articles" done in [\d.]+ s: \d+ documents live\./);

    const page = await (await fetch(`${base}/?q=${encodeURIComponent('香港')}`)).text();
    assert.doesNotMatch(page, /索引是空的/);
    const hits = page.match(/class="hit"/g)?.length ?? 0;
    assert.ok(hits >= 10, `a page of results (${hits} hits)`);
    const health = (await (await fetch(`${base}/healthz`)).json()) as { documents: number };
    assert.ok(health.documents >= 150, `${health.documents} demo stories`);
  });
});
