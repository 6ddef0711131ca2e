// A full reindex sends stories to Meilisearch while it parses only when its first payload is
// complete with at most half the files parsed (indexer/reindex/stream-decision.ts); otherwise it sends them
// once the stories are known. Either way the index ends up with exactly the same documents.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Meilisearch } from 'meilisearch';
import { INDEX_SETTINGS } from '../../core/index-settings.js';
import { reindex } from '../../indexer/reindex/run.js';
import { FIXTURE, FIXTURE_TREES } from '../helpers/corpus.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';

/**
 * A full reindex into `indexName` with payloads of `batchBytes` and stories sent 20 files after
 * their best copy (the fixture corpus is smaller than the default lag); its reconciliation event.
 */
async function fullReindex(
  meili: TestMeili,
  indexName: string,
  batchBytes?: number,
  streamShare?: number,
): Promise<{ streaming: string; sentWhileParsing: number; addCopies: number }> {
  const events: Array<Record<string, unknown>> = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void events.push(JSON.parse(line) as Record<string, unknown>) });
  const dataDir = tempDir();
  try {
    await reindex({
      client: meili.client,
      indexName,
      dataDir,
      roots: FIXTURE_TREES,
      incremental: false,
      prune: false,
      log,
      batchBytes,
      streamShare,
      lag: 20,
    });
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const reconciled = events.find((e) => e.event === 'reindex.reconciled');
  assert.ok(reconciled, 'the run logs how it reconciled the stories');
  return reconciled as unknown as { streaming: string; sentWhileParsing: number; addCopies: number };
}

/** Every document of the index with every field, in id order. */
async function allDocuments(client: Meilisearch, indexName: string): Promise<unknown[]> {
  const index = client.index(indexName);
  await index.updateSettings({ displayedAttributes: ['*'] }).waitTask({ timeout: 30_000 });
  const docs: Array<{ id: string }> = [];
  for (let offset = 0; ; offset += 1000) {
    const page = await index.getDocuments<{ id: string }>({ offset, limit: 1000 });
    docs.push(...page.results);
    if (page.results.length < 1000) break;
  }
  await index.updateSettings({ displayedAttributes: INDEX_SETTINGS.displayedAttributes }).waitTask({ timeout: 30_000 });
  return docs.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

describe('a full reindex streams only when it starts early, with the same documents either way', () => {
  let meili: TestMeili;
  let whole: unknown[];
  let wholeBytes = 0;
  before(async () => {
    meili = await startTestMeili();
    const event = await fullReindex(meili, 'whole');
    assert.deepEqual(
      [event.streaming, event.sentWhileParsing],
      ['undecided', 0],
      'a corpus smaller than one payload is sent when its stories are known',
    );
    whole = await allDocuments(meili.client, 'whole');
    wholeBytes = whole.reduce<number>((n, d) => n + Buffer.byteLength(JSON.stringify(d)), 0);
  });
  after(async () => meili?.cleanup());

  it('sent as one set: exactly the grouped stories', () => {
    assert.equal(whole.length, FIXTURE.stories);
  });

  it('streamed from early on (small payloads): losers deleted, copy lists added, the same documents', async () => {
    const event = await fullReindex(meili, 'streamed', 16 * 1024, 1);
    assert.equal(event.streaming, 'streaming');
    assert.ok(event.sentWhileParsing > FIXTURE.stories / 2, `sent ${event.sentWhileParsing} while parsing`);
    assert.ok(event.addCopies > 0, 'copy lists were added to documents already sent');
    assert.deepEqual(await allDocuments(meili.client, 'streamed'), whole);
  });

  it('streamed, but only its share of the corpus (STREAM_SHARE): the rest after grouping, the same documents', async () => {
    const event = await fullReindex(meili, 'share', 16 * 1024);
    assert.equal(event.streaming, 'streaming');
    assert.ok(event.sentWhileParsing > 0, 'the first payload was sent while parsing');
    assert.ok(event.sentWhileParsing < FIXTURE.stories / 2, `sent ${event.sentWhileParsing} of ${FIXTURE.stories} while parsing`);
    assert.deepEqual(await allDocuments(meili.client, 'share'), whole);
  });

  it('a first payload complete only late: held back, nothing sent while parsing, the same documents', async () => {
    const event = await fullReindex(meili, 'held', Math.floor(wholeBytes * 0.8));
    assert.deepEqual([event.streaming, event.sentWhileParsing], ['holding', 0]);
    assert.deepEqual(await allDocuments(meili.client, 'held'), whole);
  });
});
