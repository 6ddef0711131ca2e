// What `npm start` does as a process: embedded Meilisearch start/stop, locking, the MEILI_URL
// path and config validation. Runs the real entry point as a child process.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { describe, it } from 'node:test';
import { INDEX_SETTINGS, settingsToApply } from '../../core/index-settings.js';
import { isAlive } from '../../core/meili/lock.js';
import { freePort } from '../../core/meili/embedded.js';
import { startTestMeili } from '../helpers/meili.js';
import { readLock, serverFixture } from '../helpers/server-process.js';

const { start, newDataDir } = serverFixture();

async function health(port: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function waitUntil(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('npm start with the embedded Meilisearch', () => {
  it('starts, serves /healthz, and stops Meilisearch on SIGTERM leaving nothing behind', async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: dataDir });
    await server.waitFor('server.listening');
    assert.deepEqual((await health(port)).body, { status: 'ok', meilisearch: 'available', documents: 0 });

    const keyFile = path.join(dataDir, 'meili-master-key');
    assert.equal(fs.statSync(keyFile).mode & 0o777, 0o600, 'master key file is 0600');
    const lock = readLock(dataDir);
    assert.equal(lock.pid, server.child.pid);
    assert.match(lock.meiliUrl, /^http:\/\/127\.0\.0\.1:\d+$/, 'Meilisearch listens on loopback only');
    const cmdline = fs.readFileSync(`/proc/${lock.meiliPid}/cmdline`, 'utf8').split('\0');
    assert.ok(cmdline.includes('--no-analytics'));
    assert.ok(cmdline.includes(path.join(dataDir, 'meilisearch', 'data.ms')), 'data lives in DATA_DIR');
    const key = fs.readFileSync(keyFile, 'utf8').trim();
    assert.ok(!cmdline.join(' ').includes(key), 'the key is not on the command line');
    assert.ok(!JSON.stringify(server.events).includes(key), 'the key is not in the logs');

    assert.equal(await server.stop('SIGTERM'), 0);
    assert.equal(isAlive(lock.meiliPid), false, 'no orphan Meilisearch');
    assert.equal(fs.existsSync(path.join(dataDir, 'tongwen.lock')), false, 'lock released');
  });

  it('restarts on the same DATA_DIR with the same key and data', async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const first = start({ PORT: String(port), DATA_DIR: dataDir });
    await first.waitFor('server.listening');
    const lock = readLock(dataDir);
    const key = fs.readFileSync(path.join(dataDir, 'meili-master-key'), 'utf8').trim();
    const add = await fetch(`${lock.meiliUrl}/indexes/articles/documents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
      body: JSON.stringify([{ id: 'one' }, { id: 'two' }]),
    });
    assert.equal(add.status, 202);
    const deadline = Date.now() + 20_000;
    while ((await health(port)).body.documents !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await first.stop('SIGINT'), 0);

    const second = start({ PORT: String(port), DATA_DIR: dataDir });
    await second.waitFor('server.listening');
    assert.equal((await health(port)).body.documents, 2);
    assert.equal(fs.readFileSync(path.join(dataDir, 'meili-master-key'), 'utf8').trim(), key, 'key kept');
    assert.equal(await second.stop(), 0);
  });

  it('a second start on a DATA_DIR in use fails fast with a clear message', async () => {
    const dataDir = newDataDir();
    const first = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
    await first.waitFor('server.listening');
    const started = Date.now();
    const second = start({ PORT: String(await freePort()), DATA_DIR: dataDir });
    assert.equal(await second.exited, 1);
    assert.ok(Date.now() - started < 5_000, 'fails fast');
    assert.match(second.stderr, new RegExp(`DATA_DIR ${dataDir} is in use by a running tongwen server \\(pid ${first.child.pid}\\)`));
    assert.equal(readLock(dataDir).pid, first.child.pid, 'the first server keeps its lock');
    assert.equal(await first.stop(), 0);
  });

  it('after the server is killed with SIGKILL, the next start cleans up the orphan and runs', async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const first = start({ PORT: String(port), DATA_DIR: dataDir });
    await first.waitFor('server.listening');
    const { meiliPid } = readLock(dataDir);
    await first.stop('SIGKILL');
    assert.ok(isAlive(meiliPid), 'SIGKILL gives the server no chance to stop its child');

    const second = start({ PORT: String(port), DATA_DIR: dataDir });
    await second.waitFor('server.listening');
    assert.ok(second.events.some((e) => e.event === 'meilisearch.orphan_killed' && e.pid === meiliPid));
    await waitUntil(() => !isAlive(meiliPid));
    assert.equal((await health(port)).status, 200);
    assert.equal(await second.stop(), 0);
  });
});

describe('npm start with MEILI_URL', () => {
  it('brings an index made by an older version to the current settings before it serves', async () => {
    const external = await startTestMeili();
    try {
      const old = { ...INDEX_SETTINGS, sortableAttributes: ['publishedAt'] };
      await external.client.createIndex('articles', { primaryKey: 'id' }).waitTask();
      assert.equal((await external.client.index('articles').updateSettings(old).waitTask()).status, 'succeeded');
      const port = await freePort();
      const server = start({ PORT: String(port), DATA_DIR: newDataDir(), MEILI_URL: external.url, MEILI_MASTER_KEY: external.masterKey });
      await server.waitFor('server.listening');
      assert.ok(server.events.some((e) => e.event === 'index.settings_updated'));
      assert.equal(await settingsToApply(external.client.index('articles')), undefined, 'the settings are INDEX_SETTINGS');
      assert.equal((await fetch(`http://127.0.0.1:${port}/api/search?sort=newest`)).status, 200, 'a sort on id works');
      assert.equal(await server.stop(), 0);
    } finally {
      await external.cleanup();
    }
  });

  it('uses the external server and starts no binary', async () => {
    const external = await startTestMeili();
    try {
      const dataDir = newDataDir();
      const port = await freePort();
      const server = start({ PORT: String(port), DATA_DIR: dataDir, MEILI_URL: external.url, MEILI_MASTER_KEY: external.masterKey });
      await server.waitFor('server.listening');
      assert.ok(server.events.some((e) => e.event === 'meilisearch.external' && e.url === external.url));
      assert.ok(!server.events.some((e) => e.event === 'meilisearch.started'));
      assert.equal(fs.existsSync(path.join(dataDir, 'meilisearch')), false, 'no embedded data dir');
      assert.equal(fs.existsSync(path.join(dataDir, 'tongwen.lock')), false);
      assert.deepEqual((await health(port)).body, { status: 'ok', meilisearch: 'available', documents: 0 });
      assert.ok((await external.client.getRawIndex('articles')).uid === 'articles', 'index created on the external server');
      assert.equal(await server.stop(), 0);
      assert.equal((await external.client.health()).status, 'available', 'the external server is left running');
    } finally {
      await external.cleanup();
    }
  });

  it('answers 503 within 5 s while Meilisearch is down or hung, stays up, and recovers by itself', async () => {
    const external = await startTestMeili();
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: newDataDir(), MEILI_URL: external.url, MEILI_MASTER_KEY: external.masterKey });
    let restarted: Awaited<ReturnType<typeof startTestMeili>> | undefined;
    try {
      await server.waitFor('server.listening');
      const searchUrl = `http://127.0.0.1:${port}/api/search?q=${encodeURIComponent('香港')}`;
      assert.equal((await fetch(searchUrl)).status, 200);

      // Hung: the process is alive but answers nothing.
      process.kill(external.meili.pid, 'SIGSTOP');
      let started = Date.now();
      const hung = await fetch(searchUrl);
      assert.equal(hung.status, 503);
      assert.ok(Date.now() - started < 5_000, `answered in ${Date.now() - started} ms`);
      assert.equal(((await hung.json()) as { error: { code: string } }).error.code, 'search_unavailable');
      process.kill(external.meili.pid, 'SIGCONT');
      assert.equal((await fetch(searchUrl)).status, 200, 'recovers when it answers again');

      // Down: the process is gone; then a new one on the same address and data.
      await external.meili.stop();
      started = Date.now();
      const down = await health(port);
      assert.equal(down.status, 503);
      assert.ok(Date.now() - started < 5_000);
      assert.equal((down.body.error as { code: string }).code, 'search_unavailable');
      assert.equal(server.child.exitCode, null, 'the server stays up');
      restarted = await startTestMeili({ dataDir: external.dataDir, port: Number(new URL(external.url).port) });
      assert.equal((await health(port)).status, 200, 'recovers by itself');
      assert.equal((await fetch(searchUrl)).status, 200);
      await server.stop();
    } finally {
      if (restarted) await restarted.cleanup();
      else await external.cleanup();
    }
  });
});

describe('the server restarts its embedded Meilisearch when it dies', () => {
  it('a killed Meilisearch gives 503s, is restarted with backoff on the same address and data, and searches recover', async () => {
    const dataDir = newDataDir();
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: dataDir });
    await server.waitFor('server.listening');
    const healthUrl = `http://127.0.0.1:${port}/healthz`;
    const first = readLock(dataDir);
    assert.equal((await fetch(healthUrl)).status, 200);

    process.kill(first.meiliPid, 'SIGKILL');
    await server.waitFor('meilisearch.crashed');
    const started = Date.now();
    const down = await fetch(`http://127.0.0.1:${port}/api/search?q=x`);
    assert.ok([200, 503].includes(down.status), `got ${down.status}`);
    if (down.status === 503) assert.equal(((await down.json()) as { error: { code: string } }).error.code, 'search_unavailable');
    assert.ok(Date.now() - started < 5_000);

    const restarted = await server.waitFor('meilisearch.restarted', 20_000);
    assert.equal(restarted.attempt, 1);
    const second = readLock(dataDir);
    assert.notEqual(second.meiliPid, first.meiliPid, 'a new process');
    assert.equal(second.meiliUrl, first.meiliUrl, 'on the same address');
    assert.ok(isAlive(second.meiliPid));
    const health = await fetch(healthUrl);
    assert.equal(health.status, 200, 'searches work again');

    // Dying again at once: the next delay is longer (backoff), and it still comes back.
    process.kill(second.meiliPid, 'SIGKILL');
    await waitUntil(() => server.events.filter((e) => e.event === 'meilisearch.restarted').length === 2, 20_000);
    const delays = server.events.filter((e) => e.event === 'meilisearch.restart_scheduled').map((e) => e.delayMs as number);
    assert.deepEqual(delays, [500, 1000]);
    assert.equal((await fetch(healthUrl)).status, 200);
    assert.equal(server.child.exitCode, null, 'the server never went down');

    // A normal stop is not a crash: no restart, nothing left running.
    const last = readLock(dataDir).meiliPid;
    assert.equal(await server.stop(), 0);
    assert.equal(isAlive(last), false);
    assert.equal(server.events.filter((e) => e.event === 'meilisearch.crashed').length, 2);
  });
});

describe('slow clients', () => {
  it('a client that never finishes its request headers is answered 408 and cut off within about 12 s', async () => {
    const port = await freePort();
    const server = start({ PORT: String(port), DATA_DIR: newDataDir() });
    await server.waitFor('server.listening');
    const started = Date.now();
    const { reply, ms } = await new Promise<{ reply: string; ms: number }>((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.write('GET /api/search?q=x HTTP/1.1\r\nHost: localhost\r\n'));
      let reply = '';
      socket.setEncoding('utf8').on('data', (c: string) => (reply += c));
      socket.on('close', () => resolve({ reply, ms: Date.now() - started }));
      socket.on('error', reject);
    });
    assert.match(reply, /^HTTP\/1\.1 408/);
    assert.ok(ms >= 9_000 && ms < 14_000, `closed after ${ms} ms`);
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'others are still served');
    assert.equal(await server.stop(), 0);
  });
});

describe('configuration is validated at start-up', () => {
  const KEY = 'a-master-key-of-32-bytes-0123456';
  const TWO = 'ms0=http://127.0.0.1:7700,ms1=http://127.0.0.1:7701';
  const cases: Array<[string, Record<string, string>, RegExp]> = [
    ['a non-numeric PORT', { PORT: 'abc' }, /PORT: must be an integer port number/],
    ['an out-of-range PORT', { PORT: '70000' }, /PORT: must be an integer port number/],
    ['a malformed MEILI_URL', { MEILI_URL: 'localhost:7700' }, /MEILI_URL: must be an http/],
    ['a bad INDEX_NAME', { INDEX_NAME: 'my index' }, /INDEX_NAME: may contain only/],
    ['a negative RATE_LIMIT_PER_MINUTE', { RATE_LIMIT_PER_MINUTE: '-1' }, /RATE_LIMIT_PER_MINUTE: must be a whole number/],
    ['a TRUST_PROXY that is not a count', { TRUST_PROXY: 'yes' }, /TRUST_PROXY: must be the number of reverse proxies/],
    [
      'MEILI_INSTANCES with one instance',
      { MEILI_INSTANCES: 'ms0=http://127.0.0.1:7700', MEILI_MASTER_KEY: KEY },
      /MEILI_INSTANCES: name at least two instances/,
    ],
    [
      'MEILI_INSTANCES beside MEILI_URL',
      { MEILI_INSTANCES: TWO, MEILI_URL: 'http://127.0.0.1:7702', MEILI_MASTER_KEY: KEY },
      /MEILI_URL: set either MEILI_URL .* or MEILI_INSTANCES/,
    ],
    [
      'a MEILI_INSTANCES entry that is not name=url',
      { MEILI_INSTANCES: `${TWO},http://127.0.0.1:7703`, MEILI_MASTER_KEY: KEY },
      /MEILI_INSTANCES: "http:\/\/127.0.0.1:7703" is not name=value/,
    ],
    [
      'an instance named twice',
      { MEILI_INSTANCES: 'ms0=http://127.0.0.1:7700,ms0=http://127.0.0.1:7701', MEILI_MASTER_KEY: KEY },
      /instance name "ms0" is given twice/,
    ],
    [
      'an instance URL that is not http',
      { MEILI_INSTANCES: 'ms0=http://127.0.0.1:7700,ms1=127.0.0.1:7701', MEILI_MASTER_KEY: KEY },
      /the URL of ms1 must be an http/,
    ],
    ['an instance without a master key', { MEILI_INSTANCES: TWO, MEILI_MASTER_KEYS: `ms0=${KEY}` }, /instance ms1 needs a master key/],
    [
      'a master key for an unknown instance',
      { MEILI_INSTANCES: TWO, MEILI_MASTER_KEYS: `ms0=${KEY},ms1=${KEY},ms9=${KEY}` },
      /MEILI_MASTER_KEYS: entry 3 of 3 \(counting by commas\) is not <instance>=<key> for an instance of MEILI_INSTANCES \(ms0, ms1\)/,
    ],
  ];
  for (const [name, env, message] of cases) {
    it(`rejects ${name} with a clear message and exit code 1`, async () => {
      const server = start({ DATA_DIR: newDataDir(), ...env });
      assert.equal(await server.exited, 1);
      assert.match(server.stderr, message);
      assert.doesNotMatch(server.stderr, /\n\s+at /, 'no stack trace');
    });
  }

  it('rejects an unwritable DATA_DIR', async () => {
    const file = path.join(newDataDir(), 'a-file');
    fs.writeFileSync(file, '');
    const server = start({ PORT: String(await freePort()), DATA_DIR: path.join(file, 'data') });
    assert.equal(await server.exited, 1);
    assert.match(server.stderr, /DATA_DIR: .*a-file\/data is not a writable directory \(ENOTDIR\)/);
  });

  it('reports a PORT already in use and stops its Meilisearch', async () => {
    const port = await freePort();
    const blocker = start({ PORT: String(port), DATA_DIR: newDataDir() });
    await blocker.waitFor('server.listening');
    const dataDir = newDataDir();
    const server = start({ PORT: String(port), DATA_DIR: dataDir });
    assert.equal(await server.exited, 1);
    const failed = server.events.find((e) => e.event === 'server.listen_failed');
    assert.match(String(failed?.reason), new RegExp(`PORT: ${port} is already in use`));
    const started = server.events.find((e) => e.event === 'meilisearch.started');
    assert.equal(isAlive(Number(started?.pid)), false, 'no orphan');
    assert.equal(fs.existsSync(path.join(dataDir, 'tongwen.lock')), false);
    await blocker.stop();
  });
});
