// Counts a reader can trust: a one-word query in either script reports exactly the articles that
// contain the word (title or body, after normalization), all reachable by paging, best first.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { toCanonical } from '../../indexer/normalize.js';
import { planQuery } from '../../server/search/search.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';

let ctx: LoadedApp;
let haystacks: Array<{ id: string; outlet: string; title: string; text: string }>;
before(async () => {
  ctx = await loadedApp();
  haystacks = ctx.articles.map((a) => ({ id: a.id, outlet: a.outlet.id, title: toCanonical(a.title), text: toCanonical(`${a.title}\n${a.body}`) }));
});
after(async () => ctx.cleanup());

const api = async (query: Record<string, string>) => (await request(ctx.app).get('/api/search').query(query).expect(200)).body;
const truth = (word: string) => haystacks.filter((h) => h.text.includes(toCanonical(word)));

describe('exact counts for one-word queries', () => {
  // Compound words that segmentation cuts differently (香港人, 港人, 学生 inside 大学生, 国安 inside
  // 国安法), names, and the same words in the other script.
  const words = ['香港人', '港人', '學生', '学生', '國安', '国安', '區議會', '黎智英', '中國人', '網絡安全', '立法會', '林鄭月娥', '民主派', '示威者', '傳人'];
  for (const word of words) {
    it(`${word}: total and outlet counts equal the articles containing it`, async () => {
      const expected = truth(word);
      const body = await api({ q: word });
      assert.equal(body.total, expected.length);
      const byOutlet: Record<string, number> = {};
      for (const h of expected) byOutlet[h.outlet] = (byOutlet[h.outlet] ?? 0) + 1;
      assert.deepEqual(Object.fromEntries(body.facets.outlet.map((f: { value: string; count: number }) => [f.value, f.count])), byOutlet);
    });
  }

  it('the same word in either script gives the same total', async () => {
    for (const [a, b] of [['學生', '学生'], ['國安', '国安'], ['中國人', '中国人'], ['區議會', '区议会']]) {
      assert.equal((await api({ q: a! })).total, (await api({ q: b! })).total, `${a} / ${b}`);
    }
  });

  it('every matching article is reachable through pagination, once', async () => {
    const expected = new Set(truth('香港人').map((h) => h.id));
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const body = await api({ q: '香港人', perPage: '7', page: String(page) });
      seen.push(...body.hits.map((h: { id: string }) => h.id));
      if (page >= body.totalPages) break;
    }
    assert.equal(seen.length, expected.size);
    assert.deepEqual(new Set(seen), expected);
  });

  it('ranks articles with the word in the title first, then those with more occurrences', async () => {
    const word = toCanonical('香港');
    const body = await api({ q: '香港', perPage: '100' });
    const info = body.hits.map((h: { id: string }) => {
      const a = haystacks.find((x) => x.id === h.id)!;
      return { inTitle: a.title.includes(word), count: a.text.split(word).length - 1 };
    });
    const firstNotInTitle = info.findIndex((x: { inTitle: boolean }) => !x.inTitle);
    if (firstNotInTitle >= 0) assert.ok(info.slice(firstNotInTitle).every((x: { inTitle: boolean }) => !x.inTitle), 'title matches come first');
    const bodyOnly = info.filter((x: { inTitle: boolean }) => !x.inTitle).map((x: { count: number }) => x.count);
    const inversions = bodyOnly.filter((c: number, i: number) => i > 0 && c > bodyOnly[i - 1]! + 1).length;
    assert.ok(inversions <= bodyOnly.length * 0.1, `occurrence order mostly descending (${inversions} inversions)`);
    for (const h of body.hits.slice(0, 5)) assert.match(h.titleHtml + h.snippetHtml, /<mark>香港<\/mark>/);
  });
});

describe('other queries keep Meilisearch relevance; quotes mean the exact string', () => {
  it('multi-word and mixed queries are word queries', () => {
    for (const q of ['香港 選舉', 'Huawei 华为', '美國 大選 2020', 'Trump']) assert.equal(planQuery(toCanonical(q)).mode, 'words', q);
    for (const q of ['香港人', '"香港人權"', '黎智英']) assert.equal(planQuery(toCanonical(q)).mode, 'exact', q);
  });

  it('multi-word queries still find articles', async () => {
    assert.ok((await api({ q: '香港 選舉' })).total > 0);
    assert.ok((await api({ q: '美國 大選 2020' })).total > 0);
  });

  it('a quoted query matches the exact string', async () => {
    const expected = truth('香港人權');
    const body = await api({ q: '"香港人權"', perPage: '100' });
    assert.equal(body.total, expected.length);
    for (const h of body.hits) assert.match(h.titleHtml + h.snippetHtml, /<mark>香港人[權权]<\/mark>/);
  });
});
