// Verified long phrases are kept until the live index changes: a repeated search is answered
// from the cache, and the first search after any reindex (full, incremental, prune), run with the
// real CLI, sees the new stories, never the kept result.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { searchOnlyKey } from '../../core/meili/keys.js';
import { createApp } from '../../server/app.js';
import { singleBackend, type SearchBackend } from '../../server/search/backend.js';
import { verifiedCacheStats } from '../../server/search/loose-phrases.js';
import { VersionedCache } from '../../server/search/versioned-cache.js';
import { VERIFIED_CACHE_BYTES, VERIFIED_CACHE_ENTRIES } from '../../server/search/verified-cache.js';
import { searchClient } from '../../server/search-client.js';
import { runCli } from '../helpers/cli.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';

const WHOLE = '报道里有完整的甲乙丙丁戊己，也有别的字。';
const PIECES = '这篇只有甲乙丙丁，后面又有乙丙丁戊己，却从来没有连在一起。';
const Q = '"甲乙丙丁戊己"';

/** Filler text unlike any other story's, so that no story is folded into another as a copy. */
const filler = (i: number) => Array.from({ length: 60 }, (_, k) => String.fromCodePoint(0x5000 + ((i * 61 + k * 7) % 4000))).join('');

let meili: TestMeili;
const corpus = tempDir('tongwen-cache-corpus-');
const state = tempDir('tongwen-cache-state-');
const write = (name: string, title: string, body: string, day: number) =>
  fs.writeFileSync(
    path.join(corpus, `${name}.md`),
    `<!--${Date.UTC(2020, 0, day)}-->\n[${title}](https://www.rfi.fr/cn/test/cache-${name})\n------\n\n<p>${body}</p>\n`,
  );

async function reindex(...flags: string[]): Promise<void> {
  const run = runCli(['reindex', corpus, '--json', ...flags], { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: state });
  assert.equal(await run.done, 0, run.stderr);
}

before(async () => {
  for (let i = 0; i < 20; i++) write(`filler-${i}`, `无关报道${i}`, filler(i), 40 + 3 * i);
  write('a', '完整的一篇', WHOLE, 1);
  write('b', '片段的一篇', PIECES, 8);
  meili = await startTestMeili();
});
after(async () => {
  await meili?.cleanup();
  for (const d of [corpus, state]) fs.rmSync(d, { recursive: true, force: true });
});

describe('verified long phrases are kept until the next reindex', () => {
  let backend: SearchBackend;
  let capped: SearchBackend;
  const total = async (b: SearchBackend, cap?: number) =>
    (
      await request(createApp({ backend: b, log: createLogger('silent'), maxVerifiedCandidates: cap }))
        .get('/api/search')
        .query({ q: Q })
        .expect(200)
    ).body as { total: number; bounded?: unknown };
  const misses = (b: SearchBackend) => verifiedCacheStats(b)?.misses ?? 0;

  before(async () => {
    await reindex();
    const key = await searchOnlyKey(meili.client, 'articles');
    backend = singleBackend(searchClient(meili.url, key), 'articles');
    capped = singleBackend(searchClient(meili.url, key), 'articles');
  });

  it('a repeated search is answered from the cache', async () => {
    assert.equal((await total(backend)).total, 1);
    assert.equal((await total(backend)).total, 1);
    assert.deepEqual(verifiedCacheStats(backend), { ...verifiedCacheStats(backend), hits: 1, misses: 1 });
  });

  it('a full reindex (a swap): the next search checks again and counts the changed story', async () => {
    write('b', '片段的一篇', WHOLE, 8);
    await reindex();
    const before = misses(backend);
    assert.equal((await total(backend)).total, 2, 'the story that now has the phrase counts');
    assert.equal(misses(backend), before + 1);
  });

  it('an incremental reindex (documents added): a new story with only the pieces is left out', async () => {
    write('d', '又一篇片段', PIECES, 15);
    await reindex('--incremental');
    const before = misses(backend);
    assert.equal((await total(backend)).total, 2, 'the new pieces-only story is checked and left out');
    assert.equal(misses(backend), before + 1);
  });

  it('an incremental reindex with prune (documents deleted): the next search sees them gone', async () => {
    // Kept under a cap of two: three candidates, so the count is bounded.
    assert.deepEqual((await total(capped, 2)).bounded, { verified: 2, candidates: 3 });
    fs.rmSync(path.join(corpus, 'a.md'));
    await reindex('--incremental', '--prune');
    const before = misses(capped);
    const after = await total(capped, 2);
    assert.equal(after.total, 1);
    assert.equal(after.bounded, undefined, 'two candidates are left, within the cap');
    assert.equal(misses(capped), before + 1);
  });
});

describe('the cache is bounded', () => {
  it('keeps at most its entries, dropping the least recently used', async () => {
    const cache = new VersionedCache<string[]>(() => 10, { entries: 2, bytes: 1_000 });
    const computed: string[] = [];
    const get = (k: string) =>
      cache.get(k, 'v1', async () => {
        computed.push(k);
        return [k];
      });
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) await get(k);
    assert.deepEqual(computed, ['a', 'b', 'c', 'b'], 'b was the least recently used when c came');
    assert.equal(cache.stats().entries, 2);
  });

  it('keeps at most its bytes, and nothing larger than them', async () => {
    const cache = new VersionedCache<string[]>((v) => v.length * 100, { entries: 100, bytes: 350 });
    for (const k of ['a', 'b', 'c', 'd']) await cache.get(k, 'v1', async () => [k]);
    assert.ok(cache.stats().bytes <= 350);
    assert.equal(cache.stats().entries, 3);
    await cache.get('big', 'v1', async () => ['1', '2', '3', '4']);
    assert.equal(cache.stats().entries, 3, 'a value over the byte cap is not kept');
  });

  it('keeps nothing when the version is unknown, and empties itself when it changes', async () => {
    const cache = new VersionedCache<string[]>(() => 10, { entries: VERIFIED_CACHE_ENTRIES, bytes: VERIFIED_CACHE_BYTES });
    await cache.get('a', 'v1', async () => ['a']);
    await cache.get('b', 'v2', async () => ['b']);
    assert.equal(cache.stats().entries, 1);
    await cache.get('b', undefined, async () => ['b']);
    assert.deepEqual([cache.stats().entries, cache.stats().hits], [0, 0]);
  });
});
