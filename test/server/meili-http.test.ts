// The server's HTTP client for Meilisearch (server/meili-http.ts) against a real Meilisearch: the
// same answers as the client's own fetch, and failures that map to the same HTTP errors.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Meilisearch, MeilisearchApiError, MeilisearchRequestError } from 'meilisearch';
import { SearchUnavailable } from '../../server/errors.js';
import { toHttpError } from '../../server/error-handler.js';
import { decode } from '../../server/meili-http.js';
import { searchClient } from '../../server/search-client.js';
import { startTestMeili, type TestMeili } from '../helpers/meili.js';

describe('the server’s Meilisearch HTTP client', () => {
  let meili: TestMeili;
  let ours: Meilisearch;
  before(async () => {
    meili = await startTestMeili();
    const task = await meili.client
      .index('docs')
      .addDocuments([
        { id: 'a', text: '香港 警察' },
        { id: 'b', text: '台灣 選舉 香港' },
        // Long enough that the answer is decoded by transcoding, with characters outside the BMP.
        { id: 'c', text: `香港 ${'𠮷野家 「中文」 text, 𝔘nicode ✓ '.repeat(400)}` },
      ])
      .waitTask({ timeout: 30_000 });
    assert.equal(task.status, 'succeeded');
    await meili.client.index('docs').updateFilterableAttributes(['id']).waitTask({ timeout: 30_000 });
    ours = searchClient(meili.url, meili.masterKey);
  });
  after(async () => meili?.cleanup());

  it('answers searches and multi-searches exactly as the client’s own fetch does', async () => {
    const fetchClient = new Meilisearch({ host: meili.url, apiKey: meili.masterKey });
    const strip = (r: { processingTimeMs?: number }) => ({ ...r, processingTimeMs: 0 });
    const params = { filter: 'id IN [a, b, c]', attributesToRetrieve: ['id', 'text'] };
    assert.deepEqual(strip(await ours.index('docs').search('香港', params)), strip(await fetchClient.index('docs').search('香港', params)));
    const queries = [
      { indexUid: 'docs', q: '香港' },
      { indexUid: 'docs', q: '選舉', limit: 0 },
    ];
    const a = await ours.multiSearch({ queries });
    const b = await fetchClient.multiSearch({ queries });
    assert.deepEqual(a.results.map(strip), b.results.map(strip));
    assert.equal(a.results[0]!.hits.length, 3);
  });

  it('decodes UTF-8 bodies exactly as Buffer.toString does, large or small, valid or not', () => {
    const samples = ['', '{}', '香港'.repeat(10), JSON.stringify({ t: '𠮷野家 香港 ✓ 😀 abc\n'.repeat(2000) }), 'a'.repeat(10_000)];
    for (const s of samples) assert.equal(decode(Buffer.from(s, 'utf8')), s);
    const broken = Buffer.concat([Buffer.from('香港'.repeat(3000)), Buffer.from([0xe9, 0xa6]), Buffer.from('尾')]);
    assert.equal(decode(broken), broken.toString('utf8'));
  });

  it('a Meilisearch error keeps its status and code: a bad filter is our bug (500), a missing index is unavailable (503)', async () => {
    const badFilter = await ours
      .index('docs')
      .search('香港', { filter: 'text = 1' })
      .catch((e: unknown) => e);
    const api = badFilter instanceof MeilisearchRequestError ? badFilter.cause : badFilter;
    assert.ok(api instanceof MeilisearchApiError);
    assert.equal(api.response.status, 400);
    assert.equal(api.cause?.code, 'invalid_search_filter');
    assert.equal(toHttpError(badFilter), undefined);
    const missing = await ours
      .index('nothing-here')
      .search('香港')
      .catch((e: unknown) => e);
    assert.ok(toHttpError(missing) instanceof SearchUnavailable);
  });

  it('a refused connection is unavailable (503)', async () => {
    const nowhere = searchClient('http://127.0.0.1:9', undefined);
    const err = await nowhere
      .index('docs')
      .search('香港')
      .catch((e: unknown) => e);
    assert.ok(err instanceof MeilisearchRequestError);
    assert.ok(toHttpError(err) instanceof SearchUnavailable);
  });
});
