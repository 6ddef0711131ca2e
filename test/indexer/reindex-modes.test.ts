// Where the reindex finds Meilisearch: the running server's (same DATA_DIR), or its own embedded
// one for the length of the run. And Meilisearch task failures are surfaced, never swallowed.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { Meilisearch } from 'meilisearch';
import { isAlive } from '../../core/meili/lock.js';
import { freePort, startEmbeddedMeili } from '../../core/meili/embedded.js';
import { createLogger } from '../../core/log.js';
import { INDEX_SETTINGS } from '../../core/index-settings.js';
import { DocumentSender, TaskFailed } from '../../indexer/reindex/sender.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURE, fixtureCorpusDir } from '../helpers/corpus.js';
import { startTestMeili, tempDir } from '../helpers/meili.js';
import { ServerProcess } from '../helpers/server-process.js';

const FEEDX = path.join(fixtureCorpusDir, 'feedx');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});
const newDir = () => {
  const d = tempDir();
  dirs.push(d);
  return d;
};

describe('reindex and the embedded Meilisearch', () => {
  it('with no server running, starts the embedded Meilisearch for the run and stops it after', async () => {
    const dataDir = newDir();
    const run = runCli(['reindex', FEEDX, '--json'], { DATA_DIR: dataDir });
    assert.equal(await run.done, 0, run.stderr);
    assert.equal(JSON.parse(run.stdout).documents, FIXTURE.feedxStories);
    const started = /"event":"meilisearch.started","pid":(\d+)/.exec(run.stderr);
    assert.ok(started, 'started its own Meilisearch');
    assert.equal(isAlive(Number(started[1])), false, 'and stopped it');
    assert.equal(fs.existsSync(path.join(dataDir, 'tongwen.lock')), false);
    // The data stays in DATA_DIR for the server to serve.
    const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
    try {
      const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey });
      assert.equal((await client.index('articles').getStats()).numberOfDocuments, FIXTURE.feedxStories);
    } finally {
      await meili.stop();
    }
  });

  it('with the server running on the same DATA_DIR, uses its Meilisearch; the server sees the new documents', async () => {
    const dataDir = newDir();
    const port = await freePort();
    const server = new ServerProcess({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await server.waitFor('server.listening');
      const before = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      assert.equal(before.documents, 0);
      const run = runCli(['reindex', FEEDX], { DATA_DIR: dataDir });
      assert.equal(await run.done, 0, run.stderr);
      assert.match(run.stderr, /"event":"meilisearch.shared"/);
      assert.doesNotMatch(run.stderr, /"event":"meilisearch.started"/);
      const afterReindex = await (await fetch(`http://127.0.0.1:${port}/healthz`)).json();
      assert.equal(afterReindex.documents, FIXTURE.feedxStories);
      assert.equal(server.child.exitCode, null, 'the server keeps running');
    } finally {
      assert.equal(await server.stop(), 0);
    }
  });

  it('a server started on an empty DATA_DIR creates the index with its settings', async () => {
    const dataDir = newDir();
    const port = await freePort();
    const server = new ServerProcess({ PORT: String(port), DATA_DIR: dataDir });
    try {
      await server.waitFor('server.listening');
      const key = fs.readFileSync(path.join(dataDir, 'meili-master-key'), 'utf8').trim();
      const url = JSON.parse(fs.readFileSync(path.join(dataDir, 'tongwen.lock'), 'utf8')).meiliUrl;
      const settings = await new Meilisearch({ host: url, apiKey: key }).index('articles').getSettings();
      assert.deepEqual(settings.filterableAttributes, INDEX_SETTINGS.filterableAttributes);
      assert.deepEqual(settings.localizedAttributes, INDEX_SETTINGS.localizedAttributes);
    } finally {
      await server.stop();
    }
  });
});

describe('DocumentSender', () => {
  it('surfaces a failed Meilisearch task with its error message', async () => {
    const meili = await startTestMeili();
    try {
      await meili.client.createIndex('t', { primaryKey: 'id' }).waitTask();
      const sender = new DocumentSender(meili.client, meili.client.index('t'));
      await sender.add({ id: 'ok-1' });
      await sender.add({ id: 'not allowed!' });
      await assert.rejects(
        sender.finish(),
        (err: unknown) => err instanceof TaskFailed && /invalid_document_id/.test(err.message) && /not allowed!/.test(err.message),
      );
    } finally {
      await meili.cleanup();
    }
  });

  it('splits payloads by bytes', async () => {
    const meili = await startTestMeili();
    try {
      await meili.client.createIndex('t', { primaryKey: 'id' }).waitTask();
      const sender = new DocumentSender(meili.client, meili.client.index('t'), { batchBytes: 10_000 });
      for (let i = 0; i < 100; i++) await sender.add({ id: `d${i}`, text: 'x'.repeat(500) });
      await sender.finish();
      assert.equal(sender.indexed, 100);
      const tasks = await meili.client.tasks.getTasks({ indexUids: ['t'], types: ['documentAdditionOrUpdate'] });
      assert.ok(tasks.results.length >= 5, `${tasks.results.length} batches of at most 10 kB`);
    } finally {
      await meili.cleanup();
    }
  });
});
