// Grouping near-duplicate copies into stories, with hand-made articles.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { containment, fingerprint, groupCopies, type FingerprintSource } from '../../../indexer/dedupe/group.js';

const body = [
  '警方早前就七一立法會案起訴十五人，包括三張傳票，進入或逗留在會議廳範圍等罪。',
  '三十歲車房工人後來獲撤銷控罪；十二人另被加控暴動罪，其中二十歲學生早前被發拘捕令通緝中。',
  '法庭今日分六案處理涉及十一名被告的暴動和進入或逗留在會議廳範圍控罪。',
  '下午約二時，各被告陸續到庭應訊，未有就案件作回應。聆訊結束時，被告在被告欄內向旁聽席連聲高呼。',
].join('\n\n');
const otherBody =
  '天文學家捕捉到超大質量黑洞撕裂和吞噬一個大小如太陽般星體的時刻，並於今天公開影像，空前詳細地展示這段毀滅性過程。這個黑洞距離地球略超過兩億光年。';

let n = 0;
function article(over: Partial<FingerprintSource> = {}): FingerprintSource {
  n++;
  return {
    id: `hkcnews-${String(n).padStart(4, '0')}`,
    url: `https://hkcnews.com/article/${n}`,
    outlet: { id: 'hkcnews' },
    title: '【七一立法會案】11人被控暴動',
    body,
    publishedAt: '2020-08-02T16:00:00.000Z',
    ...over,
  };
}

const groupsOf = (items: FingerprintSource[]) =>
  groupCopies(items.map((a) => fingerprint(a))).groups.map((g) => [g.representative.id, ...g.copies.map((c) => c.id)]);

describe('groupCopies', () => {
  it('groups copies with an author box or an edited sentence, keeping the most complete as representative', () => {
    const a = article();
    const b = article({ body: `${body}\n\n【某人・專欄】作者是資深記者，長期關注法庭新聞。` });
    const c = article({ body: body.replace('未有就案件作回應', '沒有回應案件'), title: '【七一立法會案】 11人被控暴動 ' });
    assert.deepEqual(groupsOf([a, b, c]), [[b.id, a.id, c.id]]);
  });

  it('joins an updated story that grew to twice its length (containment)', () => {
    const first = article({ body: body.split('\n\n').slice(0, 2).join('\n\n') });
    const updated = article();
    assert.deepEqual(groupsOf([first, updated]), [[updated.id, first.id]]);
    assert.ok(containment(0.45, 100, 220) > 0.8);
  });

  it('keeps apart: other outlets, days two apart, other titles, other bodies', () => {
    const a = article();
    const items = [
      a,
      article({ outlet: { id: 'rfa' } }),
      article({ publishedAt: '2020-08-04T16:00:00.000Z' }),
      article({ title: '黑洞吞噬星體影像公開' }),
      article({ body: otherBody }),
    ];
    assert.equal(groupsOf(items).length, 5);
  });

  it('joins copies published a day apart, and undated copies only with undated ones', () => {
    const a = article();
    const nextDay = article({ publishedAt: '2020-08-03T16:00:00.000Z' });
    const undated1 = article({ publishedAt: null });
    const undated2 = article({ publishedAt: null });
    const groups = groupsOf([a, nextDay, undated1, undated2]);
    assert.equal(groups.length, 2);
  });

  it('breaks ties by the latest update, then by id', () => {
    const older = article({ updatedAt: '2020-08-03T00:00:00.000Z' });
    const newer = article({ updatedAt: '2020-08-05T00:00:00.000Z' });
    assert.equal(groupsOf([older, newer])[0]![0], newer.id);
    const x = article();
    const y = article();
    assert.equal(groupsOf([y, x])[0]![0], x.id < y.id ? x.id : y.id);
  });

  it('gives the same groups whatever the input order', () => {
    const items = [
      article(),
      article({ body: `${body}補充。` }),
      article({ body: otherBody }),
      article({ title: '另一篇', body: otherBody }),
    ];
    const expected = groupsOf(items);
    for (let seed = 1; seed <= 5; seed++) {
      const shuffled = [...items].sort((p, q) => ((p.id.charCodeAt(9) * seed) % 7) - ((q.id.charCodeAt(9) * seed) % 7));
      assert.deepEqual(groupsOf(shuffled), expected);
    }
  });

  it('compares only candidates from shared buckets, not all pairs', () => {
    // 2,000 different stories on one day, each with two copies.
    let seed = 42;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    const chars = Array.from(body.replace(/\s/g, '') + otherBody);
    const items: FingerprintSource[] = [];
    for (let i = 0; i < 2000; i++) {
      const text = Array.from({ length: 300 }, () => chars[Math.floor(random() * chars.length)]).join('');
      items.push(article({ title: `第${i}號新聞`, body: text }), article({ title: `第${i}號新聞`, body: `${text}（更新）` }));
    }
    const { groups, comparisons } = groupCopies(items.map((a) => fingerprint(a)));
    assert.equal(groups.length, 2000);
    assert.ok(comparisons < 8_000, `${comparisons} comparisons for 4,000 articles (all pairs would be 7,998,000)`);
  });
});
