// The queries a network must answer as one instance holding the same stories does, and what
// must be the same: totals, every facet count, and the hits of sorted pages (relevance order may
// break ties differently across shards). Used with one replica and with two.
import assert from 'node:assert/strict';
import type { SearchBackend } from '../../server/search/backend.js';
import { effectiveSort, parseSearchParams } from '../../server/search/params.js';
import { search } from '../../server/search/search.js';
import type { SearchResult } from '../../server/search/search-result.js';

/** Queries of every kind, built from the corpus's own facet values. */
export async function networkQueries(single: SearchBackend): Promise<Array<Record<string, string | string[]>>> {
  const all = await search(single, parseSearchParams({}));
  const outlets = all.facets.outlet.map((f) => f.value);
  const topics = all.facets.topic.map((f) => f.value);
  const years = all.facets.year.map((f) => f.value);
  const words = ['香港', '中国', '美国', '台湾', '政府', '警察', '选举', '北京', '經濟', '新聞', '抗議', '疫情'];
  const out: Array<Record<string, string | string[]>> = [{}, { sort: 'newest' }, { sort: 'oldest', page: '2' }];
  for (const w of words) out.push({ q: w }, { q: w, sort: 'newest', perPage: '7', page: '2' });
  out.push(
    { q: '香港 警察' },
    { q: '中国 美国 政府' },
    { q: '"香港政府"' },
    { q: '香港 -警察' },
    { q: '-"中国"', sort: 'oldest' },
    { q: '林鄭月娥辭職' },
    { q: '"立法會選舉"', sort: 'newest' },
  );
  out.push({ q: '中华人民共和国' }, { q: 'Trump' }, { q: '"Hong Kong"' });
  // OR and groups: one query per alternative and per shard, each story counted once.
  out.push(
    { q: '香港 OR 美國' },
    { q: '(疫情 OR 選舉) 政府 -警察', sort: 'newest', perPage: '7', page: '2' },
    { q: '(香港 OR 台灣) (政府 OR 警察)', outlet: outlets[0]! },
    { q: '中华人民共和国 OR 北京', sort: 'oldest' },
  );
  for (const o of outlets.slice(0, 4)) out.push({ outlet: o }, { q: '香港', outlet: o, sort: 'newest' });
  out.push({ q: '中国', outlet: outlets.slice(0, 2) }, { outlet: outlets.slice(1, 3), sort: 'oldest', perPage: '5', page: '3' });
  for (const t of topics.slice(0, 3)) out.push({ topic: t }, { q: '政府', topic: t, sort: 'newest' });
  out.push({ topic: topics.slice(0, 2), outlet: outlets[0]!, sort: 'newest' });
  for (const y of years.slice(0, 3))
    out.push({ from: `${y}-01-01`, to: `${y}-12-31` }, { q: '香港', from: `${y}-03-01`, to: `${y}-09-30`, sort: 'oldest' });
  out.push({ q: '香港', from: `${years[0]}-01-01`, outlet: outlets.slice(0, 3), topic: topics[0]!, sort: 'newest', perPage: '3' });
  return out;
}

/** What must be the same: totals, every facet count, and the hits of sorted pages. */
export const comparable = (r: SearchResult, sorted: boolean) => ({
  total: r.total,
  totalPages: r.totalPages,
  facets: r.facets,
  ...(sorted ? { hits: r.hits.map((h) => h.id) } : {}),
  partial: r.partial,
});

/** Every query of networkQueries gives the same answer from `network` as from `single`. */
export async function assertSameAnswers(single: SearchBackend, network: SearchBackend): Promise<void> {
  const list = await networkQueries(single);
  assert.ok(list.length >= 60, `${list.length} queries`);
  let matched = 0;
  let sortedPages = 0;
  for (const q of list) {
    const p = parseSearchParams(q);
    const sorted = effectiveSort(p) !== 'relevance';
    const [a, b] = await Promise.all([search(single, p), search(network, p)]);
    assert.deepEqual(comparable(b, sorted), comparable(a, sorted), `query ${JSON.stringify(q)}`);
    // Relevance order may break ties differently across shards: the same stories, page for page, when they fit one page.
    if (!sorted && a.total <= p.perPage)
      assert.deepEqual(b.hits.map((h) => h.id).sort(), a.hits.map((h) => h.id).sort(), `query ${JSON.stringify(q)}`);
    if (a.total > 0) matched++;
    if (sorted && a.hits.length > 1) sortedPages++;
  }
  assert.ok(matched >= 40, `${matched} of ${list.length} queries match stories`);
  assert.ok(sortedPages >= 15, `${sortedPages} sorted pages compared hit by hit`);
}
