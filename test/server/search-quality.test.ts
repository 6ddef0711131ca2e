// Counts a reader can trust: for every kind of query (one word, several words, phrases,
// exclusions, unspaced Chinese, Latin words and numbers) the total and every facet count equal
// the number of stories that satisfy it, checked by plain string search over the parsed stories,
// in either script and in any word order; best matches first; every matched word marked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { contains, countBy, satisfies, truthStory, type TruthStory, type TruthTerm } from '../../eval/truth.js';
import { meiliQuery, parseQuery, positiveTerms } from '../../server/search/query.js';
import { RERANK_WINDOW, relevance } from '../../server/search/rerank.js';

let ctx: LoadedApp;
let stories: TruthStory[];
before(async () => {
  ctx = await loadedApp();
  stories = ctx.articles.map(truthStory);
});
after(async () => ctx?.cleanup());

const api = async (query: Record<string, string>) => (await request(ctx.app).get('/api/search').query(query).expect(200)).body;
const facetCounts = (list: Array<{ value: string; count: number }>) =>
  Object.fromEntries(list.filter((f) => f.count > 0).map((f) => [f.value, f.count]));

/** Total, outlet, topic and year counts of `q` equal the truth for `terms`. */
async function assertExact(q: string, terms: TruthTerm[], extra: Record<string, string> = {}): Promise<number> {
  const expected = stories.filter((s) => satisfies(s, terms));
  const body = await api({ q, ...extra });
  const label = `${q} (${terms.map((t) => (t.exclude ? '-' : '') + t.text).join(' ')})`;
  assert.equal(body.total, expected.length, `${label}: total`);
  assert.deepEqual(
    facetCounts(body.facets.outlet),
    countBy(expected, (s) => s.outlet),
    `${label}: outlet counts`,
  );
  assert.deepEqual(
    facetCounts(body.facets.topic),
    countBy(expected, (s) => s.topics),
    `${label}: topic counts`,
  );
  assert.deepEqual(
    facetCounts(body.facets.year),
    countBy(expected, (s) => s.year),
    `${label}: year counts`,
  );
  return expected.length;
}

describe('exact counts for one-word queries', () => {
  // Compound words that segmentation cuts differently (香港人, 港人, 学生 inside 大学生, 国安 inside
  // 国安法), names, and the same words in the other script.
  const words = [
    '香港人',
    '港人',
    '學生',
    '学生',
    '國安',
    '国安',
    '區議會',
    '黎智英',
    '中國人',
    '網絡安全',
    '立法會',
    '林鄭月娥',
    '民主派',
    '示威者',
    '傳人',
  ];
  for (const word of words) {
    it(`${word}: total and facet counts equal the stories containing it`, async () => {
      assert.ok((await assertExact(word, [{ text: word }])) > 0, 'the fixtures contain it');
    });
  }

  it('the same word in either script gives the same total', async () => {
    for (const [a, b] of [
      ['學生', '学生'],
      ['國安', '国安'],
      ['中國人', '中国人'],
      ['區議會', '区议会'],
      ['軟體', '软件'],
    ]) {
      assert.equal((await api({ q: a! })).total, (await api({ q: b! })).total, `${a} / ${b}`);
    }
  });

  it('every matching story is reachable through pagination, once', async () => {
    const expected = new Set(stories.filter((s) => contains(s, '香港人')).map((s) => s.id));
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const body = await api({ q: '香港人', perPage: '7', page: String(page) });
      seen.push(...body.hits.map((h: { id: string }) => h.id));
      if (page >= body.totalPages) break;
    }
    assert.equal(seen.length, expected.size);
    assert.deepEqual(new Set(seen), expected);
  });
});

describe('exact counts for every query a reader types', () => {
  const cases: Array<[string, TruthTerm[]]> = [
    ['香港 警察', [{ text: '香港' }, { text: '警察' }]],
    ['立法會 選舉', [{ text: '立法会' }, { text: '选举' }]],
    ['林鄭月娥 辭職', [{ text: '林郑月娥' }, { text: '辞职' }]],
    ['新冠 疫苗', [{ text: '新冠' }, { text: '疫苗' }]],
    ['民主派 初選', [{ text: '民主派' }, { text: '初选' }]],
    ['Trump 中國', [{ text: 'trump' }, { text: '中国' }]],
    ['香港　學生，政府', [{ text: '香港' }, { text: '学生' }, { text: '政府' }]],
    ['軟體、台灣', [{ text: '软件' }, { text: '台湾' }]],
    ['美國 大選 2020', [{ text: '美国' }, { text: '大选' }, { text: '2020' }]],
    ['"香港人權"', [{ text: '香港人权' }]],
    ['"Donald Trump"', [{ text: 'donald trump' }]],
    ['"立法會選舉"', [{ text: '立法会选举' }]],
    ['香港 -警察', [{ text: '香港' }, { text: '警察', exclude: true }]],
    ['香港 -"立法會"', [{ text: '香港' }, { text: '立法会', exclude: true }]],
    ['-香港', [{ text: '香港', exclude: true }]],
    ['新冠 -疫苗 -Trump', [{ text: '新冠' }, { text: '疫苗', exclude: true }, { text: 'trump', exclude: true }]],
    ['TRUMP', [{ text: 'trump' }]],
    ['covid-19', [{ text: 'covid 19' }]],
  ];
  for (const [q, terms] of cases) {
    it(`${q}: total and facet counts equal the stories that satisfy it`, async () => {
      await assertExact(q, terms);
    });
  }

  it('word order does not change a count, nor does the script', async () => {
    for (const [a, b] of [
      ['香港 警察', '警察 香港'],
      ['立法會 選舉', '选举 立法会'],
      ['Trump 中國', '中国 trump'],
      ['新冠 疫苗 香港', '香港 疫苗 新冠'],
    ]) {
      assert.equal((await api({ q: a! })).total, (await api({ q: b! })).total, `${a} / ${b}`);
    }
  });

  it('counts stay exact with filters: outlet, topic and dates', async () => {
    const terms = [{ text: '香港' }, { text: '学生' }];
    const expected = stories.filter((s) => satisfies(s, terms) && s.outlet === 'hkcnews' && s.topics.includes('教育'));
    const body = await api({ q: '香港 學生', outlet: 'hkcnews', topic: '教育' });
    assert.equal(body.total, expected.length);
    const anyOutlet = stories.filter((s) => satisfies(s, terms) && s.topics.includes('教育'));
    assert.deepEqual(
      facetCounts(body.facets.outlet),
      countBy(anyOutlet, (s) => s.outlet),
      'outlet counts ignore the outlet filter',
    );
  });

  it('unspaced Chinese is read as words, all of which must occur, and says so', async () => {
    for (const [q, words] of [
      ['林郑月娥辞职', ['林郑月娥', '辞职']],
      ['香港警察暴力', ['香港', '警察', '暴力']],
      ['立法會選舉', ['立法会', '选举']],
    ] as const) {
      const body = await api({ q });
      assert.deepEqual(body.query.segmented, [{ from: words.join(''), words: [...words] }], q);
      assert.deepEqual(
        body.query.terms.map((t: { text: string }) => t.text),
        words,
        q,
      );
      await assertExact(
        q,
        words.map((text) => ({ text })),
      );
    }
    const one = await api({ q: '香港人' });
    assert.deepEqual(one.query.segmented, [], 'one word stays one word');
  });

  it('stories with the exact unspaced string rank first', async () => {
    const body = await api({ q: '立法会选举', perPage: '50' });
    const exact = body.hits.map((h: { id: string }) => contains(stories.find((s) => s.id === h.id)!, '立法会选举'));
    const firstWithout = exact.indexOf(false);
    assert.ok(exact.filter(Boolean).length > 0, 'some stories have the exact string');
    if (firstWithout >= 0)
      assert.ok(
        exact.slice(firstWithout).every((x: boolean) => !x),
        `exact-string stories first: ${exact.join(',')}`,
      );
  });

  it('ranks stories with every word in the title first, then those with more occurrences', async () => {
    const body = await api({ q: '香港', perPage: '100' });
    const info = body.hits.map((h: { id: string; titleHtml: string }) => {
      const s = stories.find((x) => x.id === h.id)!;
      const title = s.text.split('\n')[0]!;
      return { inTitle: title.includes('香港'), count: s.text.split('香港').length - 1 };
    });
    const firstNotInTitle = info.findIndex((x: { inTitle: boolean }) => !x.inTitle);
    if (firstNotInTitle >= 0)
      assert.ok(
        info.slice(firstNotInTitle).every((x: { inTitle: boolean }) => !x.inTitle),
        'title matches come first',
      );
    const bodyOnly = info.filter((x: { inTitle: boolean }) => !x.inTitle).map((x: { count: number }) => x.count);
    const inversions = bodyOnly.filter((c: number, i: number) => i > 0 && c > bodyOnly[i - 1]! + 1).length;
    assert.ok(inversions <= bodyOnly.length * 0.1, `occurrence order mostly descending (${inversions} inversions)`);
    for (const h of body.hits.slice(0, 5)) assert.match(h.titleHtml + h.snippetHtml, /<mark>香港<\/mark>/);

    const two = await api({ q: '香港 选举', perPage: '100' });
    const both = two.hits.map((h: { id: string }) => {
      const title = stories.find((x) => x.id === h.id)!.text.split('\n')[0]!;
      return title.includes('香港') && title.includes('选举');
    });
    const firstNot = both.indexOf(false);
    if (firstNot >= 0)
      assert.ok(
        both.slice(firstNot).every((x: boolean) => !x),
        'stories with both words in the title first',
      );
  });

  it("relevance pages are slices of one order: Meilisearch's first hits sorted by relevance() over their whole texts", async () => {
    // The server reads bodies only for hits whose place the titles leave open; the order must be
    // the one a full read gives, on every page and for any page size.
    for (const q of ['香港', '香港 选举', '立法会选举', '政府 -香港', 'trump']) {
      const parsed = parseQuery(q);
      const meili = await ctx.meili.client
        .index('articles')
        .search<{ id: string; titleSearch: string; bodySearch: string }>(meiliQuery(parsed), {
          matchingStrategy: 'all',
          limit: RERANK_WINDOW,
          attributesToRetrieve: ['id', 'titleSearch', 'bodySearch'],
        });
      const exact = parsed.segmented.map((x) => x.from);
      const expected = meili.hits
        .map((h, i) => ({ id: h.id, score: relevance(h, positiveTerms(parsed), exact), i }))
        .sort((a, b) => {
          for (let k = 0; k < a.score.length; k++) if (a.score[k] !== b.score[k]) return b.score[k]! - a.score[k]!;
          return a.i - b.i;
        })
        .map((h) => h.id);
      assert.ok(expected.length > 0, `${q}: some hits`);
      for (const perPage of [100, 20, 7, 3]) {
        const window = Math.floor(RERANK_WINDOW / perPage) * perPage;
        const seen: string[] = [];
        for (let page = 1; (page - 1) * perPage < Math.min(window, expected.length); page++) {
          const body = await api({ q, perPage: String(perPage), page: String(page) });
          seen.push(...body.hits.map((h: { id: string }) => h.id));
        }
        assert.deepEqual(seen, expected.slice(0, window), `${q}, ${perPage} per page`);
      }
    }
  });

  it('marks every matched word in titles and snippets, whole Latin words only', async () => {
    const body = await api({ q: '香港 警察', perPage: '50' });
    for (const h of body.hits) {
      const s = stories.find((x) => x.id === h.id)!;
      const title = s.text.split('\n')[0]!;
      for (const w of ['香港', '警察'])
        if (title.includes(w)) assert.match(h.titleHtml, new RegExp(`<mark>${w}</mark>`), `${w} in ${h.titleHtml}`);
      assert.match(h.titleHtml + h.snippetHtml, /<mark>/);
    }
    const latin = await api({ q: 'trump', perPage: '50' });
    for (const h of latin.hits) {
      for (const m of (h.titleHtml + h.snippetHtml).matchAll(/<mark>([^<]*)<\/mark>/g)) assert.equal(m[1]!.toLowerCase(), 'trump');
    }
  });

  it('the snippet shows where the words occur together', async () => {
    const body = await api({ q: '林郑月娥辞职' });
    const hit = body.hits[0];
    assert.match(hit.snippetHtml, /<mark>林[郑鄭]月娥<\/mark>/);
    assert.match(hit.snippetHtml, /<mark>(辞职|辭職)<\/mark>/);
  });
});

describe('query syntax: defined answers for odd input, never a 500', () => {
  it('an unbalanced quote runs to the end of the query, and says so', async () => {
    const body = await api({ q: '"香港 警察' });
    assert.equal(body.query.notes[0].code, 'unbalanced_quote');
    assert.deepEqual(
      body.query.terms.map((t: { text: string; phrase: boolean }) => [t.text, t.phrase]),
      [
        ['香港', true],
        ['警察', true],
      ],
    );
    await assertExact('"香港 警察', [{ text: '香港' }, { text: '警察' }]);
  });

  it('only operators, punctuation or emoji: no terms, no results, and the notes say why', async () => {
    for (const q of ['-', '""', '- -', '！？。', '😀😀', '...', '———']) {
      const body = await api({ q });
      assert.equal(body.total, 0, q);
      assert.deepEqual(body.query.terms, [], q);
    }
    const or = await api({ q: 'OR' });
    assert.equal(or.total, 0);
    assert.equal(or.query.notes[0].code, 'dangling_or');
  });

  it('OR between words: either word, each story once (at least as many as each, at most their sum)', async () => {
    const body = await api({ q: '香港 OR 警察' });
    assert.deepEqual(body.query.notes, []);
    const [a, b, both] = await Promise.all([api({ q: '香港' }), api({ q: '警察' }), api({ q: '香港 警察' })]);
    assert.equal(body.total, a.total + b.total - both.total);
  });

  it('a single Han character is left out with a note; with nothing else left, no results', async () => {
    const body = await api({ q: '港' });
    assert.equal(body.total, 0);
    assert.equal(body.query.notes[0].code, 'single_character');
    const mixed = await api({ q: '港 警察' });
    assert.deepEqual(
      mixed.query.terms.map((t: { text: string }) => t.text),
      ['警察'],
    );
    await assertExact('港 警察', [{ text: '警察' }]);
  });

  it(`more than ten terms: the first ten are searched, the rest named in a note; a long unspaced string is searched as written`, async () => {
    const words = ['香港', '政府', '市民', '学生', '警察', '选举', '新冠', '疫苗', '立法会', '民主派', '特首', '法庭'];
    const body = await api({ q: words.join(' ') });
    assert.equal(body.query.terms.length, 10);
    assert.deepEqual(
      body.query.notes.map((n: { code: string; text: string }) => [n.code, n.text]),
      [['too_many_terms', '特首 法庭']],
    );
    await assertExact(
      words.join(' '),
      words.slice(0, 10).map((text) => ({ text })),
    );
    const page = (
      await request(ctx.app)
        .get('/')
        .query({ q: words.join(' ') })
        .expect(200)
    ).text;
    assert.match(page, /<p class="note">一次最多搜索 10 个词/);
    const long = '香港政府今日宣布新的防疫措施市民需要在公共场所佩戴口罩学校继续停课商场的营业时间缩短餐厅晚上不可以堂食';
    const unspaced = await api({ q: long });
    assert.deepEqual(
      unspaced.query.terms.map((t: { text: string }) => t.text),
      [long],
    );
    assert.equal(unspaced.query.notes[0].code, 'searched_as_written');
    await request(ctx.app)
      .get('/api/search')
      .query({ q: '港'.repeat(200) })
      .expect(200);
    await request(ctx.app)
      .get('/api/search')
      .query({ q: '港'.repeat(1000) })
      .expect(400);
  });
});

describe('the search page says how the query was read', () => {
  const page = async (query: Record<string, string>) => (await request(ctx.app).get('/').query(query).expect(200)).text;

  it("unspaced Chinese: the words searched, in the reader's script, and a link to the exact string", async () => {
    const html = await page({ q: '林鄭月娥辭職' });
    assert.match(
      html,
      /<p class="reading">搜索：<b>林鄭月娥<\/b> \+ <b>辭職<\/b> · <a href="([^"]+)">只搜完整字符串「林鄭月娥辭職」<\/a><\/p>/,
    );
    const href = /<p class="reading">[\s\S]*?<a href="([^"]+)"/.exec(html)![1]!.replace(/&amp;/g, '&');
    const exact = await api(Object.fromEntries(new URL(href, 'http://x').searchParams));
    assert.deepEqual(
      exact.query.terms.map((t: { text: string; phrase: boolean }) => [t.text, t.phrase]),
      [['林郑月娥辞职', true]],
    );
    const hans = await page({ q: '林鄭月娥辭職', script: 'hans' });
    assert.match(hans, /<b>林郑月娥<\/b> \+ <b>辞职<\/b>/);
  });

  it("notes for what was left out, in the reader's script", async () => {
    const html = await page({ q: '港 OR 警察 OR', script: 'hant' });
    assert.match(html, /<p class="note">「港」只有一個字/);
    assert.match(html, /<p class="note">OR 兩邊都須有詞/);
  });

  it('a search tips page documents the syntax, with working examples', async () => {
    assert.match(await page({ q: '香港' }), /<a href="\/help">搜索技巧<\/a>/);
    const help = (await request(ctx.app).get('/help').expect(200).expect('Content-Type', /html/)).text;
    for (const phrase of ['所有词都须出现', '整词', 'OR（大写）', '括号', '最多 12 个备选', '最多 10 个'])
      assert.ok(help.includes(phrase), phrase);
    const examples = [...help.matchAll(/<a href="\/\?q=([^"&]+)"><code>/g)].map((m) => decodeURIComponent(m[1]!));
    assert.ok(examples.length >= 6);
    for (const q of examples) assert.ok((await api({ q })).total > 0, `the example ${q} finds stories`);
  });
});
