// Index-time extraction (core/text/extract.ts): keywords and listed names from canonical text.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadEntityNames } from '../../core/entities/names.js';
import { extractTerms } from '../../core/text/extract.js';
import { toCanonical } from '../../core/text/normalize.js';

const extract = (title: string, body: string) => extractTerms(toCanonical(title), toCanonical(body));

describe('extracting terms and names', () => {
  it('reads the name lists: every entry canonical and on one list only', () => {
    const names = loadEntityNames();
    assert.ok(names.size > 300, `${names.size} names`);
    assert.equal(names.get('林郑')?.name, '林郑月娥');
    assert.equal(names.get('港府')?.kind, 'organizations');
  });

  it('finds the same people, places and organizations in either script, under their listed names', () => {
    const hant = extract('林鄭月娥宣布撤回修例', '行政長官林鄭宣布，立法會將討論。黃之鋒在金鐘回應，民主黨表示歡迎。');
    const hans = extract('林郑月娥宣布撤回修例', '行政长官林郑宣布，立法会将讨论。黄之锋在金钟回应，民主党表示欢迎。');
    assert.deepEqual(hant, hans);
    assert.deepEqual(hans.people, ['林郑月娥', '黄之锋']);
    assert.deepEqual(hans.places, ['金钟']);
    assert.deepEqual(hans.organizations.sort(), ['民主党', '立法会']);
  });

  it('names a person by the transliterations of Taiwan and Hong Kong too: 川普 is 特朗普, 普丁 is 普京', () => {
    assert.deepEqual(extract('川普與普丁會面', '川普說，普丁與龐培歐都在場。').people.sort(), ['普京', '特朗普', '蓬佩奥'].sort());
  });

  it('takes a name only where jieba cuts it whole: 本周庭审 does not name 周庭', () => {
    assert.deepEqual(extract('', '本周庭审继续进行，法官押后裁决。').people, []);
    assert.deepEqual(extract('', '周庭今日出庭，法官押后裁决。').people, ['周庭']);
  });

  it('stores a person among the people only, not as a keyword; places and organizations are both', () => {
    const r = extract('林鄭月娥出席立法會', '林鄭月娥今日在立法會回答議員提問，談及台灣。');
    assert.deepEqual(r.people, ['林郑月娥']);
    assert.ok(!r.keywords.includes('林郑月娥'), r.keywords.join(' '));
    assert.ok(r.keywords.includes('立法会') && r.keywords.includes('台湾'), r.keywords.join(' '));
  });

  it('leaves out words any story uses: verbs of saying and thinking, Cantonese function words, site furniture', () => {
    const { keywords } = extract('', '消息引述官員形容，市民相信這是例如透過網頁查找的做法，點解佢哋唔會接受？眾新聞記者報道。');
    for (const w of ['引述', '形容', '相信', '例如', '透过', '网页', '查找', '做法', '点解', '佢哋', '接受', '众新闻']) {
      assert.ok(!keywords.includes(w), `${w} in ${keywords.join(' ')}`);
    }
  });

  it('keeps keywords of two Han characters or more, without numbers, Latin words or function words', () => {
    const { keywords } = extract(
      '新冠疫苗接种率上升',
      '卫生署表示，我们已经为300万市民接种新冠疫苗，COVID 疫苗接种中心今天继续开放。疫苗供应充足，接种中心增加名额。',
    );
    assert.ok(keywords.includes('疫苗'), keywords.join(' '));
    assert.ok(keywords.includes('接种'), keywords.join(' '));
    for (const k of keywords) {
      assert.match(k, /^\p{Script=Han}{2,}$/u, k);
      assert.ok(!['我们', '已经', '今天', '表示', '继续'].includes(k), k);
    }
  });
});
