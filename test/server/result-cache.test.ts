// Whole answers are kept until the live index changes (server/search/result-cache.ts): a search
// asked again costs one version read and no search, gives the same answer byte for byte, and the
// first search after any reindex (full or incremental, by the real CLI) sees the new stories.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { loadConfig } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { searchOnlyKey } from '../../core/meili/keys.js';
import { createApp, type AppDeps } from '../../server/app.js';
import { singleBackend } from '../../server/search/backend.js';
import { parseSearchParams } from '../../server/search/params.js';
import { ResultCache } from '../../server/search/result-cache.js';
import type { SearchResult } from '../../server/search/search-result.js';
import { searchClient } from '../../server/search-client.js';
import { runCli } from '../helpers/cli.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';
import { RecordingHttp } from '../helpers/recording-http.js';

let meili: TestMeili;
let key: string;
const corpus = tempDir('tongwen-results-corpus-');
const state = tempDir('tongwen-results-state-');

/** Filler text unlike any other story's, so that no story is folded into another as a copy. */
const filler = (i: number) => Array.from({ length: 60 }, (_, k) => String.fromCodePoint(0x5000 + ((i * 61 + k * 7) % 4000))).join('');
const write = (name: string, title: string, body: string, day: number) =>
  fs.writeFileSync(
    path.join(corpus, `${name}.md`),
    `<!--${Date.UTC(2021, 0, day)}-->\n[${title}](https://www.rfi.fr/cn/test/results-${name})\n------\n\n<p>${body}</p>\n`,
  );

async function reindex(...flags: string[]): Promise<void> {
  const run = runCli(['reindex', corpus, '--json', ...flags], { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: state });
  assert.equal(await run.done, 0, run.stderr);
}

/** The app with its Meilisearch requests recorded. */
function recordedApp(deps: Partial<AppDeps> = {}) {
  const http = new RecordingHttp();
  const backend = singleBackend(searchClient(meili.url, key, http.client), 'articles');
  return { http, app: createApp({ backend, log: createLogger('silent'), ...deps }) };
}

before(async () => {
  for (let i = 0; i < 12; i++) write(`filler-${i}`, `无关报道${i}`, `${filler(i)}。`, 30 + i);
  write('a', '海港城市的夜景', '维多利亚港两岸的灯光秀吸引了不少游客。', 1);
  write('b', '海港城市的交通', '渡轮仍然是维多利亚港两岸最便宜的交通。', 5);
  meili = await startTestMeili();
  await reindex();
  key = await searchOnlyKey(meili.client, 'articles');
});
after(async () => {
  await meili?.cleanup();
  for (const d of [corpus, state]) fs.rmSync(d, { recursive: true, force: true });
});

describe('whole answers kept until the index changes', { timeout: 120_000 }, () => {
  it('a repeated search gives the same bytes for one version read and no search', async () => {
    const { http, app } = recordedApp();
    const first = await request(app).get('/api/search').query({ q: '维多利亚港', script: 'hant' }).expect(200);
    const searches = http.searches().length;
    const sent = http.sent.length;
    assert.ok(searches > 0);
    const again = await request(app).get('/api/search').query({ q: '维多利亚港', script: 'hant' }).expect(200);
    assert.equal(again.text, first.text);
    assert.equal(http.searches().length, searches, 'no search was sent for the repeat');
    assert.deepEqual(
      http.sent.slice(sent).map((r) => new URL(r.url).pathname),
      ['/indexes/articles'],
      'only the version of the live index was read',
    );
    assert.equal(first.body.total, 2);
  });

  it('other parameters are other answers, each the one the search computes', async () => {
    const cached = recordedApp().app;
    for (const query of [
      { q: '维多利亚港' },
      { q: '维多利亚港', script: 'hans' },
      { q: '维多利亚港 渡轮' },
      { q: '维多利亚港', sort: 'newest' },
    ]) {
      const uncached = recordedApp({ resultCacheMb: 0 }).app;
      await request(cached).get('/api/search').query(query).expect(200);
      const kept = await request(cached).get('/api/search').query(query).expect(200);
      const fresh = await request(uncached).get('/api/search').query(query).expect(200);
      assert.deepEqual({ ...kept.body, processingTimeMs: 0 }, { ...fresh.body, processingTimeMs: 0 }, JSON.stringify(query));
    }
  });

  it('the search page repeated is the same page, for fewer searches', async () => {
    const { http, app } = recordedApp();
    const first = await request(app).get('/').query({ q: '维多利亚港' }).set('Accept', 'text/html').expect(200);
    const searches = http.searches().length;
    const again = await request(app).get('/').query({ q: '维多利亚港' }).set('Accept', 'text/html').expect(200);
    assert.equal(again.text, first.text);
    assert.ok(http.searches().length - searches < searches, 'the repeat asked for fewer searches than the first');
  });

  it('the first search after an incremental reindex counts the new story', async () => {
    const { app } = recordedApp();
    const total = async () => (await request(app).get('/api/search').query({ q: '维多利亚港' }).expect(200)).body.total as number;
    assert.equal(await total(), 2);
    write('c', '海港城市的天气', '台风过后维多利亚港恢复平静。', 9);
    await reindex('--incremental');
    assert.equal(await total(), 3);
  });

  it('the first search after a full reindex (a swap) sees the story gone', async () => {
    const { app } = recordedApp();
    const total = async () => (await request(app).get('/api/search').query({ q: '维多利亚港' }).expect(200)).body.total as number;
    assert.equal(await total(), 3);
    fs.rmSync(path.join(corpus, 'c.md'));
    await reindex();
    assert.equal(await total(), 2);
  });

  it('RESULT_CACHE_MB 0 keeps nothing: a repeat searches again', async () => {
    const { http, app } = recordedApp({ resultCacheMb: 0 });
    await request(app).get('/api/search').query({ q: '渡轮' }).expect(200);
    const searches = http.searches().length;
    await request(app).get('/api/search').query({ q: '渡轮' }).expect(200);
    assert.equal(http.searches().length, 2 * searches);
  });
});

describe('what is kept', () => {
  const backend = () => singleBackend(searchClient(meili.url, key), 'articles');
  const answer = (partial: boolean) =>
    ({ total: 1, partial, hits: [{ id: 'x', title: 'a' }], facets: { outlet: [] } }) as unknown as SearchResult;

  it('a partial answer (an instance missing) is not kept', async () => {
    const cache = new ResultCache(1);
    const params = parseSearchParams({ q: '渡轮' });
    let computed = 0;
    const compute = async () => {
      computed++;
      return answer(true);
    };
    await cache.get(backend(), params, 'v', compute);
    await cache.get(backend(), params, 'v', compute);
    assert.equal(computed, 2);
    assert.equal(cache.stats().entries, 0);
  });

  it('a kept answer is frozen: no request can change what the next one gets', async () => {
    const cache = new ResultCache(1);
    const kept = await cache.get(backend(), parseSearchParams({ q: '渡轮' }), 'v', async () => answer(false));
    assert.throws(() => {
      (kept.hits[0] as { title: string }).title = 'changed';
    }, TypeError);
    assert.equal(cache.stats().entries, 1);
  });
});

describe('RESULT_CACHE_MB', () => {
  const env = (value: string) => ({ DATA_DIR: tempDir('tongwen-results-config-'), RESULT_CACHE_MB: value });
  it('is 64 MB unless set, and 0 turns the cache off', () => {
    assert.equal(loadConfig({ DATA_DIR: tempDir('tongwen-results-config-') }).resultCacheMb, 64);
    assert.equal(loadConfig(env('0')).resultCacheMb, 0);
  });
  it('rejects what is not a whole number of megabytes within the bound, naming the variable', () => {
    for (const bad of ['-1', '1.5', 'lots', '20000']) {
      assert.throws(
        () => loadConfig(env(bad)),
        (err: unknown) => err instanceof ConfigError && /RESULT_CACHE_MB: must be a whole number/.test(err.message),
      );
    }
  });
});
