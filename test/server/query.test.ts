// The query language, read into terms (server/search/query.ts): what a reader types and what is searched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bigramToken } from '../../core/text/exact-terms.js';
import { MAX_TERMS, meiliQuery, parseQuery } from '../../server/search/query.js';

const read = (q: string) => parseQuery(q).terms.map((t) => `${t.exclude ? '-' : ''}${t.phrase ? `"${t.text}"` : t.text}`);
const notes = (q: string) => parseQuery(q).notes.map((n) => n.code);

describe('reading a query', () => {
  it('words separated by spaces, full-width spaces or Chinese punctuation are all required', () => {
    assert.deepEqual(read('香港 警察'), ['香港', '警察']);
    assert.deepEqual(read('香港　警察，選舉、政府；學生'), ['香港', '警察', '选举', '政府', '学生']);
  });

  it('reads every term in the canonical script and vocabulary', () => {
    assert.deepEqual(read('軟體 網絡'), ['软件', '网络']);
  });

  it('quotes make an exact phrase (ASCII, curly or corner quotes); a minus excludes a word or a phrase', () => {
    assert.deepEqual(read('"香港人權" 「立法會」 “民主派”'), ['"香港人权"', '"立法会"', '"民主派"']);
    assert.deepEqual(read('香港 -警察 -"立法會"'), ['香港', '-警察', '-"立法会"']);
    assert.deepEqual(read('香港-台灣'), ['香港', '台湾'], 'a minus inside a word is no operator');
  });

  it('Latin words and numbers are lower-cased whole words; the words of one token go together', () => {
    assert.deepEqual(read('Trump 2020 COVID-19 iPhone12'), ['trump', '2020', 'covid 19', 'iphone 12']);
    assert.deepEqual(read('"Donald Trump"'), ['"donald trump"']);
    assert.deepEqual(read('iPhone手機'), ['iphone', '手机'], 'scripts are split apart');
  });

  it('unspaced Chinese longer than one word is segmented; one word stays whole', () => {
    const p = parseQuery('林鄭月娥辭職');
    assert.deepEqual(p.segmented, [{ from: '林郑月娥辞职', words: ['林郑月娥', '辞职'] }]);
    assert.deepEqual(read('香港警察暴力'), ['香港', '警察', '暴力']);
    assert.deepEqual(read('立法會選舉'), ['立法会', '选举']);
    for (const word of ['香港人', '國安法', '黎智英', '中國人', '網絡安全', '民主派', '傳人']) assert.equal(read(word).length, 1, word);
    assert.deepEqual(read('"立法會選舉"'), ['"立法会选举"'], 'quoted: the exact string');
    assert.deepEqual(read('-立法會選舉'), ['-立法会选举'], 'excluded: the string as written');
  });

  it('defined answers for odd input', () => {
    assert.deepEqual(read('"香港 警察'), ['"香港"', '"警察"']);
    assert.deepEqual(notes('"香港 警察'), ['unbalanced_quote']);
    assert.deepEqual(read('港 警察'), ['警察']);
    assert.deepEqual(notes('港'), ['single_character']);
    for (const q of ['-', '""', '- -', '！？。', '😀', '']) assert.deepEqual(read(q), [], q);
    assert.deepEqual(read('香港 香港 香港'), ['香港'], 'repeated words count once');
    assert.deepEqual(notes('"iPhone 手機"'), ['mixed_phrase']);
  });

  it(`at most ${MAX_TERMS} terms: the rest are left out and named; segmented strings are searched as written first`, () => {
    const many = parseQuery(Array.from({ length: MAX_TERMS + 2 }, (_, i) => `x${'abcdefghijkl'[i]}`).join(' '));
    assert.equal(many.terms.length, MAX_TERMS);
    assert.deepEqual(
      many.notes.map((n) => [n.code, n.text]),
      [['too_many_terms', 'xk xl']],
    );
    assert.equal(read(Array.from({ length: MAX_TERMS }, (_, i) => `w${i}`).join(' ')).length, MAX_TERMS);
    const long = '香港政府今日宣布新的防疫措施市民需要在公共场所佩戴口罩学校继续停课商场的营业时间缩短';
    const p = parseQuery(long);
    assert.equal(p.terms.length, 1);
    assert.deepEqual(notes(long), ['searched_as_written']);
  });

  it('every term becomes one Meilisearch phrase over the exact fields', () => {
    const [lin, zheng, yue] = ['林郑', '郑月', '月娥'].map(bigramToken);
    assert.equal(meiliQuery(parseQuery('林鄭月娥 -警察 Trump')), `"${lin} ${zheng} ${yue}" -"${bigramToken('警察')}" "trump"`);
    assert.match(bigramToken('香港'), /^hz[a-z]{8}$/, 'one Latin token per bigram');
  });
});

describe('punctuation inside a phrase', () => {
  it("splits it, as the text's own punctuation separates the parts", () => {
    assert.deepEqual(read('「灰，都要出分力」'), ['"都要出分力"']);
    assert.deepEqual(read('"香港，警察"'), ['"香港"', '"警察"']);
    assert.deepEqual(read('"香港 警察"'), ['"香港"', '"警察"'], 'as do spaces between Han characters');
    assert.deepEqual(read('"Donald Trump 說"'), ['"donald trump"']);
  });
});
