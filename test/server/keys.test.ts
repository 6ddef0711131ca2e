// Keys: the master key never leaves DATA_DIR (no response, page, log line or error carries it);
// the server searches with a search-only key, the reindex works with a key that cannot manage
// keys; rotating the master key retires every key derived from the old one.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { Meilisearch } from 'meilisearch';
import { freePort } from '../../core/meili/embedded.js';
import { REINDEX_ACTIONS, SERVER_ACTIONS } from '../../core/meili/keys.js';
import { runCli } from '../helpers/cli.js';
import { fixtureCorpusDir } from '../helpers/corpus.js';
import { readLock, serverFixture } from '../helpers/server-process.js';

const { start, newDataDir } = serverFixture({ LOG_LEVEL: 'trace' });
const masterKeyOf = (dataDir: string) => fs.readFileSync(path.join(dataDir, 'meili-master-key'), 'utf8').trim();

/** Everything a client can see of a response. */
async function seen(url: string, init?: RequestInit): Promise<string> {
  const res = await fetch(url, init);
  return `${res.status} ${JSON.stringify([...res.headers])} ${await res.text()}`;
}

describe('keys', () => {
  it('the master key appears in no response, page, log line or error, whatever happens', async () => {
    const dataDir = newDataDir();
    const reindex = runCli(['reindex', path.join(fixtureCorpusDir, 'feedx')], { DATA_DIR: dataDir, LOG_LEVEL: 'trace' });
    assert.equal(await reindex.done, 0, reindex.stderr);
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: dataDir, RATE_LIMIT_PER_MINUTE: '8' });
    await server.waitFor('server.listening');
    const base = `http://127.0.0.1:${port}`;
    const key = masterKeyOf(dataDir);
    const outputs: string[] = [reindex.stdout, reindex.stderr];
    const visit = async () => {
      for (const url of [
        '/',
        '/?q=香港',
        '/article/nope',
        '/nowhere',
        '/healthz',
        '/api/search?q=香港',
        '/api/search?page=0',
        '/api/facets',
        '/api/articles/x',
        '/api/openapi.json',
      ]) {
        outputs.push(await seen(base + url), await seen(base + url, { headers: { Accept: 'text/html' } }));
      }
      outputs.push(await seen(`${base}/api/search`, { method: 'POST', body: 'x' }));
    };
    await visit(); // includes 429s: more than 8 /api requests
    // Meilisearch gone: the errors and the crash/restart log lines.
    process.kill(readLock(dataDir).meiliPid, 'SIGKILL');
    await server.waitFor('meilisearch.crashed');
    await visit();
    await server.waitFor('meilisearch.restarted', 20_000);
    await visit();
    assert.equal(await server.stop(), 0);
    outputs.push(JSON.stringify(server.events), server.stderr);

    const all = outputs.join('\n');
    assert.match(all, /"code":"rate_limited"/, 'the rate limit was exercised');
    assert.match(all, /"code":"search_unavailable"|"status":"unavailable"|503/, 'the outage was exercised');
    assert.equal(all.includes(key), false, 'the master key leaked');
    // Nor any key derived from it: keys are never logged or shown.
    const meiliKeyPattern = /[0-9a-f]{64}/;
    assert.equal(meiliKeyPattern.test(JSON.stringify(server.events)), false, 'an API key in the server log');
    assert.equal(meiliKeyPattern.test(reindex.stderr), false, 'an API key in the reindex log');
  });

  it('the reindex key can build and swap indexes but cannot manage keys', async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: dataDir });
    await server.waitFor('server.listening');
    const run = runCli(['reindex', path.join(fixtureCorpusDir, 'feedx'), '--json'], { DATA_DIR: dataDir });
    assert.equal(await run.done, 0, run.stderr);
    const master = new Meilisearch({ host: readLock(dataDir).meiliUrl, apiKey: masterKeyOf(dataDir) });
    const keys = (await master.getKeys()).results;
    const reindexKey = keys.find((k) => k.description?.startsWith('Tongwen reindex'));
    assert.ok(reindexKey, 'the reindex created its own key');
    assert.deepEqual([...reindexKey.actions].sort(), [...REINDEX_ACTIONS].sort());
    const asReindex = new Meilisearch({ host: readLock(dataDir).meiliUrl, apiKey: reindexKey.key });
    await assert.rejects(asReindex.getKeys(), /invalid|forbidden|not allowed/i);
    await assert.rejects(asReindex.createKey({ actions: ['*'], indexes: ['*'], expiresAt: null }), /invalid|forbidden|not allowed/i);
    const searchKey = keys.find((k) => k.description?.startsWith('Tongwen server'));
    assert.deepEqual(searchKey?.actions, SERVER_ACTIONS);
    assert.deepEqual(searchKey?.indexes, ['articles', 'tongwen-meta']);
    assert.equal(await server.stop(), 0);
  });

  it('rotating the master key (new key file, restart) retires the old keys and everything keeps working', async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    let server = start({ PORT: String(port), DATA_DIR: dataDir });
    await server.waitFor('server.listening');
    const oldMaster = masterKeyOf(dataDir);
    const url = readLock(dataDir).meiliUrl;
    const oldSearchKey = (await new Meilisearch({ host: url, apiKey: oldMaster }).getKeys()).results.find((k) =>
      k.description?.startsWith('Tongwen server'),
    )!.key;
    assert.equal(await server.stop(), 0);

    // The documented rotation: write a new key into the file (or set MEILI_MASTER_KEY for an
    // external Meilisearch) and restart.
    fs.writeFileSync(path.join(dataDir, 'meili-master-key'), `${crypto.randomBytes(32).toString('base64url')}\n`, { mode: 0o600 });
    server = start({ PORT: String(port), DATA_DIR: dataDir });
    await server.waitFor('server.listening');
    const newUrl = readLock(dataDir).meiliUrl;
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/search?q=x`)).status, 200, 'the server works with its new search key');
    for (const old of [oldMaster, oldSearchKey]) {
      const res = await fetch(`${newUrl}/indexes/articles/search?q=x`, { headers: { Authorization: `Bearer ${old}` } });
      assert.equal(res.status, 403, 'an old key is refused');
    }
    const run = runCli(['reindex', path.join(fixtureCorpusDir, 'feedx')], { DATA_DIR: dataDir });
    assert.equal(await run.done, 0, run.stderr);
    assert.equal(await server.stop(), 0);
  });
});
