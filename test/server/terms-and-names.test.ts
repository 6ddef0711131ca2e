// The words, people, places and organizations of a search (issue 29), against a real Meilisearch
// loaded with the fixture corpus. The truth is the parsed stories: their extracted fields
// (toIndexDocument) and their canonical text, read here independently of Meilisearch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { toIndexDocument, type IndexDocument } from '../../core/index-document.js';
import { singleBackend, type SearchBackend } from '../../server/search/backend.js';
import { inScript } from '../../server/search/display.js';
import { NAME_FACET_VALUES } from '../../server/search/filters.js';
import { parseSearchParams } from '../../server/search/params.js';
import { search } from '../../server/search/search.js';
import { MAX_ARCHIVE_SHARE, MIN_LIFT, MIN_TERM_STORIES, searchTerms, TERMS_SHOWN } from '../../server/search/terms.js';
import { MIN_SHARED, RELATED_SHOWN } from '../../server/search/related.js';
import { searchClient } from '../../server/search-client.js';
import { checkSchema } from '../helpers/openapi.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';

let ctx: LoadedApp;
let docs: IndexDocument[];
before(async () => {
  ctx = await loadedApp();
  docs = ctx.articles.map(toIndexDocument);
});
after(async () => ctx.cleanup());

type Query = Record<string, string | string[]>;
const api = async (path: string, query: Query, schema: string) => {
  const res = await request(ctx.app).get(path).query(query).expect(200);
  checkSchema(schema, res.body);
  return res.body;
};
/** Does the story contain the canonical word, in its title or its body (never across the two)? */
const contains = (d: IndexDocument, word: string) => d.titleSearch.includes(word) || d.bodySearch.includes(word);
const countBy = (list: string[][]) => {
  const m = new Map<string, number>();
  for (const values of list) for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return m;
};
type FacetValue = { value: string; label: string; count: number };

describe('the people, places and organizations facets', () => {
  it('count the names of the matching stories exactly, the most frequent first', async () => {
    const body = await api('/api/search', { q: '香港' }, 'SearchResponse');
    const matching = docs.filter((d) => contains(d, '香港'));
    assert.equal(body.total, matching.length);
    for (const [param, field] of [
      ['person', 'people'],
      ['place', 'places'],
      ['organization', 'organizations'],
    ] as const) {
      const truth = countBy(matching.map((d) => d[field]));
      const list: FacetValue[] = body.facets[param];
      assert.ok(list.length > 0 && list.length <= NAME_FACET_VALUES, `${param}: ${list.length} values`);
      for (const f of list) assert.equal(f.count, truth.get(f.value), `${param} ${f.value}`);
      const best = Math.max(...truth.values());
      assert.equal(list[0]!.count, best, `${param}: the most frequent first`);
    }
  });

  it('are disjunctive: choosing a person narrows the stories but keeps the other people’s counts', async () => {
    const all = await api('/api/search', {}, 'SearchResponse');
    const chosen = await api('/api/search', { person: '林郑月娥' }, 'SearchResponse');
    assert.equal(chosen.total, docs.filter((d) => d.people.includes('林郑月娥')).length);
    assert.ok(chosen.total > 0 && chosen.total < all.total);
    assert.deepEqual(chosen.facets.person, all.facets.person);
    // The other facets are counted over the chosen stories.
    const places = countBy(docs.filter((d) => d.people.includes('林郑月娥')).map((d) => d.places));
    for (const f of chosen.facets.place as FacetValue[]) assert.equal(f.count, places.get(f.value), f.value);
  });

  it('take a name in either script, and show names in the reader’s script', async () => {
    const hant = await api('/api/search', { person: '林鄭月娥', script: 'hant' }, 'SearchResponse');
    const hans = await api('/api/search', { person: '林郑月娥' }, 'SearchResponse');
    assert.equal(hant.total, hans.total);
    assert.deepEqual(hant.query.person, ['林郑月娥']);
    const lam = (hant.facets.person as FacetValue[]).find((f) => f.value === '林郑月娥');
    assert.equal(lam?.label, '林鄭月娥');
    for (const f of hant.facets.place as FacetValue[]) assert.equal(f.label, inScript(f.value, 'hant'));
  });

  it('refuse a name longer than a name can be, naming the parameter', async () => {
    const res = await request(ctx.app)
      .get('/api/search')
      .query({ place: '港'.repeat(41) })
      .expect(400);
    assert.equal(res.body.error.param, 'place');
  });
});

describe('GET /api/terms', () => {
  it('lists words that stand out, each with the exact number of matching stories that contain it', async () => {
    for (const q of ['新冠', '選舉', '特朗普 -拜登']) {
      const body = await api('/api/terms', { q }, 'TermsResponse');
      const [first, excluded] = q.split(' -').map((w) => toIndexDocument({ ...ctx.articles[0]!, title: w!, body: '' }).titleSearch);
      const matching = docs.filter((d) => contains(d, first!) && !(excluded && contains(d, excluded)));
      assert.equal(body.total, matching.length, q);
      assert.ok(body.terms.length >= 3 && body.terms.length <= TERMS_SHOWN, `${q}: ${body.terms.length} words`);
      for (const t of body.terms as Array<{ text: string; stories: number }>) {
        assert.equal(t.stories, matching.filter((d) => contains(d, t.text)).length, `${q}: ${t.text}`);
        assert.ok(!t.text.includes(first!) && !first!.includes(t.text), `${q}: the query's own word is left out`);
      }
    }
  });

  it('counts each word within a query with OR exactly, each story once', async () => {
    const body = await api('/api/terms', { q: '新冠 OR 選舉' }, 'TermsResponse');
    const [a, b] = ['新冠', '選舉'].map((w) => toIndexDocument({ ...ctx.articles[0]!, title: w, body: '' }).titleSearch);
    const matching = docs.filter((d) => contains(d, a!) || contains(d, b!));
    assert.equal(body.total, matching.length);
    assert.ok(body.terms.length > 5, `${body.terms.length} words`);
    for (const t of body.terms as Array<{ text: string; stories: number }>)
      assert.equal(t.stories, matching.filter((d) => contains(d, t.text)).length, t.text);
  });

  it('ranks by the documented lift: (m / M) / (a / A), at least MIN_LIFT, at most MAX_ARCHIVE_SHARE of the archive, ordered by G²', async () => {
    const body = await api('/api/terms', { q: '新冠' }, 'TermsResponse');
    const matching = docs.filter((d) => contains(d, '新冠'));
    const m = countBy(matching.map((d) => d.keywords));
    const a = countBy(docs.map((d) => d.keywords));
    assert.equal(body.archiveTotal, docs.length);
    // Dunning's G² of [[m, M − m], [a − m, (A − M) − (a − m)]], written here apart from term-score.ts.
    const g2 = (k: number[]) => {
      const rows = [k[0]! + k[1]!, k[2]! + k[3]!];
      const cols = [k[0]! + k[2]!, k[1]! + k[3]!];
      const n = rows[0]! + rows[1]!;
      return 2 * k.reduce((sum, x, i) => (x > 0 ? sum + x * Math.log(x / ((rows[i >> 1]! * cols[i & 1]!) / n)) : sum), 0);
    };
    assert.ok(body.terms.length > 0);
    const scores = (body.terms as Array<{ text: string; lift: number; keywordStories: number; archiveKeywordStories: number }>).map((t) => {
      assert.equal(t.keywordStories, m.get(t.text), t.text);
      assert.equal(t.archiveKeywordStories, a.get(t.text), t.text);
      const p = t.keywordStories / matching.length;
      const q = t.archiveKeywordStories / docs.length;
      assert.equal(t.lift, Math.round((p / q) * 10) / 10, t.text);
      assert.ok(p / q >= MIN_LIFT && t.keywordStories >= MIN_TERM_STORIES && q <= MAX_ARCHIVE_SHARE, t.text);
      const [mm, aa] = [t.keywordStories, t.archiveKeywordStories];
      return g2([mm, matching.length - mm, aa - mm, docs.length - matching.length - (aa - mm)]);
    });
    assert.deepEqual(
      scores,
      [...scores].sort((x, y) => y - x),
    );
  });

  it('leaves out the archive’s background words, however much more frequent in the search', async () => {
    // Words among the keywords of more than MAX_ARCHIVE_SHARE of the archive's stories.
    const a = countBy(docs.map((d) => d.keywords));
    const background = new Set([...a].filter(([, n]) => n > MAX_ARCHIVE_SHARE * docs.length).map(([w]) => w));
    assert.ok(background.size > 0, 'the fixture has background words');
    for (const q of ['新冠', '選舉', '國安法', '香港']) {
      const body = await api('/api/terms', { q }, 'TermsResponse');
      for (const t of body.terms as Array<{ text: string }>) assert.ok(!background.has(t.text), `${q}: ${t.text}`);
    }
  });

  it('shows the words in the reader’s script; nothing stands out in the whole archive', async () => {
    const hant = await api('/api/terms', { q: '新冠', script: 'hant' }, 'TermsResponse');
    for (const t of hant.terms as Array<{ text: string; label: string }>) assert.equal(t.label, inScript(t.text, 'hant'));
    const everything = await api('/api/terms', {}, 'TermsResponse');
    assert.deepEqual(everything.terms, []);
  });

  it('costs two Meilisearch requests, and one more on a search that shows the panel', async () => {
    let calls = 0;
    const inner = singleBackend(searchClient(ctx.meili.url, ctx.searchKey), 'articles');
    const counting: SearchBackend = {
      ...inner,
      search: (queries, signal) => {
        calls++;
        return inner.search(queries, signal);
      },
    };
    const p = parseSearchParams({ q: '新冠' });
    await searchTerms(counting, p);
    assert.equal(calls, 2);
    calls = 0;
    const plain = await search(counting, p);
    const without = calls;
    calls = 0;
    const withTerms = await search(counting, { ...p, terms: true });
    assert.equal(calls, without + 1);
    assert.equal(plain.terms, undefined);
    assert.deepEqual(withTerms.terms?.terms, (await api('/api/terms', { q: '新冠' }, 'TermsResponse')).terms);
  });
});

describe('GET /api/articles/:id/related', () => {
  const DAY = 86_400_000;
  const wordsOf = (d: IndexDocument) => new Set([...d.keywords, ...d.people, ...d.places, ...d.organizations]);
  /** The related stories by their definition, from the parsed stories. */
  const truth = (d: IndexDocument) => {
    const mine = wordsOf(d);
    return docs
      .filter((o) => o.outlet !== d.outlet && o.publishedAt !== null && Math.abs(o.publishedAt - d.publishedAt!) <= 3 * DAY)
      .map((o) => ({ o, shared: [...wordsOf(o)].filter((w) => mine.has(w)).length, distance: Math.abs(o.publishedAt! - d.publishedAt!) }))
      .filter((r) => r.shared >= MIN_SHARED)
      .sort((x, y) => y.shared - x.shared || x.distance - y.distance || (x.o.id < y.o.id ? -1 : 1))
      .slice(0, RELATED_SHOWN)
      .map((r) => r.o.id);
  };

  it('lists the stories of other outlets within three days that share the most words and names', async () => {
    const withRelated = docs.filter((d) => d.publishedAt !== null && truth(d).length > 0);
    assert.ok(withRelated.length >= 3, `${withRelated.length} fixture stories have related stories`);
    for (const d of withRelated) {
      const body = await api(`/api/articles/${d.id}/related`, {}, 'RelatedResponse');
      assert.deepEqual(
        body.related.map((r: { id: string }) => r.id),
        truth(d),
        d.id,
      );
      for (const r of body.related as Array<{ id: string; outlet: { id: string }; shared: string[] }>) {
        assert.notEqual(r.outlet.id, d.outlet);
        const other = docs.find((o) => o.id === r.id)!;
        const mine = wordsOf(d);
        assert.deepEqual(new Set(r.shared), new Set([...wordsOf(other)].filter((w) => mine.has(w))));
      }
    }
  });

  it('lists nothing for a story without a date, and 404 for an unknown story', async () => {
    const undated = docs.find((d) => d.publishedAt === null)!;
    const body = await api(`/api/articles/${undated.id}/related`, {}, 'RelatedResponse');
    assert.deepEqual([body.window, body.related], [null, []]);
    await request(ctx.app).get('/api/articles/no-such-story/related').expect(404);
  });
});
