// OR, groups and NOT, read into alternatives (server/search/query-language.ts, query.ts), and
// unspaced words of up to four characters taken as written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSearchParams } from '../../server/search/params.js';
import { MAX_ALTERNATIVES, MAX_GROUP_DEPTH, QueryTooComplex } from '../../server/search/query-language.js';
import { checkQueryLimits, MAX_TERMS, parseQuery, type QueryTree } from '../../server/search/query.js';

/** The alternatives, each as its terms in reading order, sorted for comparison. */
const alternatives = (q: string) =>
  parseQuery(q)
    .alternatives.map((alt) => alt.map((t) => `${t.exclude ? '-' : ''}${t.phrase ? `"${t.text}"` : t.text}`).join(' '))
    .sort();
const notes = (q: string) => parseQuery(q).notes.map((n) => n.code);

/** The tree as a compact string: (a | b) & c. */
function show(tree: QueryTree | undefined): string {
  if (!tree) return '';
  if ('term' in tree) return `${tree.term.exclude ? '-' : ''}${tree.term.text}`;
  return `(${tree.items.map(show).join(tree.op === 'or' ? ' | ' : ' & ')})`;
}

describe('OR and groups', () => {
  it('AND binds tighter than OR; parentheses group', () => {
    assert.deepEqual(alternatives('林鄭 OR 特首'), ['林郑', '特首']);
    assert.deepEqual(alternatives('香港 警察 OR 示威'), ['示威', '香港 警察']);
    assert.deepEqual(alternatives('香港 (警察 OR 示威)'), ['香港 示威', '香港 警察']);
    assert.deepEqual(alternatives('(新冠 OR 武漢肺炎 OR covid) 疫苗 -流感'), [
      'covid 疫苗 -流感',
      '新冠 疫苗 -流感',
      '武汉肺炎 疫苗 -流感',
    ]);
    assert.deepEqual(alternatives('(香港 OR 澳門) (選舉 OR 議會)'), ['澳门 议会', '澳门 选举', '香港 议会', '香港 选举']);
    assert.deepEqual(alternatives('"國家安全" (立法 OR 條例)'), ['"国家安全" 条例', '"国家安全" 立法']);
  });

  it('reads any script, full-width parentheses and a lone 或 as OR; AND is a no-op', () => {
    assert.deepEqual(alternatives('（新冠 或 武漢肺炎）疫苗'), ['新冠 疫苗', '武汉肺炎 疫苗']);
    assert.deepEqual(alternatives('（新冠 或 武汉肺炎）疫苗'), alternatives('(新冠 OR 武漢肺炎) 疫苗'));
    assert.deepEqual(alternatives('香港 AND 警察'), ['香港 警察']);
    assert.deepEqual(alternatives('香港 or 警察'), ['香港 or 警察'], 'lower-case or is a word');
  });

  it('a minus or NOT before a group excludes it (De Morgan)', () => {
    assert.deepEqual(alternatives('香港 -(警察 OR 示威)'), ['香港 -警察 -示威']);
    assert.deepEqual(alternatives('香港 NOT (警察 示威)'), ['香港 -示威', '香港 -警察']);
    assert.deepEqual(alternatives('香港 NOT 警察'), ['香港 -警察']);
    assert.deepEqual(alternatives('香港 -(-警察)'), ['香港 警察']);
  });

  it('merges repeated alternatives and drops those that add no story', () => {
    assert.deepEqual(alternatives('香港 OR 香港'), ['香港']);
    assert.deepEqual(alternatives('香港 OR (香港 警察)'), ['香港']);
    assert.deepEqual(alternatives('(香港 OR 台灣) (香港 OR 台灣)'), ['台湾', '香港'], 'a story with both is in both alternatives');
  });

  it('shows the tree as read, with exclusions on the words', () => {
    assert.equal(show(parseQuery('(新冠 OR 武漢肺炎 OR covid) 疫苗 -流感').tree), '((新冠 | 武汉肺炎 | covid) & 疫苗 & -流感)');
    assert.equal(parseQuery('香港 -(警察 OR 示威)').tree, undefined, 'an excluded OR is an AND of exclusions: no alternatives');
    assert.equal(parseQuery('香港 警察').tree, undefined, 'a query without OR has no tree');
    assert.equal(show(parseQuery('林鄭月娥辭職 OR 特首').tree), '((林郑月娥 & 辞职) | 特首)', 'segmented words are ANDed under their OR');
  });

  it('reads mistakes leniently, with a note', () => {
    assert.deepEqual(alternatives('OR 香港'), ['香港']);
    assert.deepEqual(notes('OR 香港'), ['dangling_or']);
    assert.deepEqual(alternatives('香港 OR'), ['香港']);
    assert.deepEqual(alternatives('香港 OR OR 台灣'), ['台湾', '香港']);
    assert.deepEqual(notes('香港 OR OR 台灣'), ['dangling_or']);
    assert.deepEqual(alternatives('(香港 OR 台灣'), ['台湾', '香港']);
    assert.deepEqual(notes('(香港 OR 台灣'), ['unbalanced_parenthesis']);
    assert.deepEqual(alternatives('香港) 台灣'), ['香港 台湾']);
    assert.deepEqual(notes('香港) 台灣'), ['unbalanced_parenthesis']);
    assert.deepEqual(alternatives('香港 ()'), ['香港']);
    assert.deepEqual(notes('香港 ()'), ['empty_group']);
    for (const q of ['OR', '()', '( OR )', '-()', 'NOT']) assert.deepEqual(alternatives(q), [], q);
  });

  it('a word that cannot be searched is left out as if not typed, also inside a group', () => {
    assert.deepEqual(alternatives('"國家安全" (法 OR 條例)'), ['"国家安全" 条例']);
    assert.deepEqual(notes('"國家安全" (法 OR 條例)'), ['single_character']);
    assert.deepEqual(alternatives('港 OR 澳'), []);
  });

  it(`refuses more than ${MAX_ALTERNATIVES} alternatives or groups nested more than ${MAX_GROUP_DEPTH} deep, saying by how much`, () => {
    const words = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
    assert.equal(parseQuery(words('w', MAX_ALTERNATIVES).join(' OR ')).alternatives.length, MAX_ALTERNATIVES);
    assert.throws(
      () => checkQueryLimits(words('w', MAX_ALTERNATIVES + 2).join(' OR ')),
      (err: Error) =>
        err instanceof QueryTooComplex &&
        err.message === `q has ${MAX_ALTERNATIVES + 2} alternatives after expanding groups; at most ${MAX_ALTERNATIVES} (2 too many)`,
    );
    // (a|b|c|d)(e|f|g|h)(i|j|k|l)(m|n|o|p) = 256: refused without expanding it.
    const product = ['a', 'e', 'i', 'm'].map((p) => `(${words(p, 4).join(' OR ')})`).join(' ');
    assert.throws(() => checkQueryLimits(product), /q has 256 alternatives after expanding groups; at most 12 \(244 too many\)/);
    const deep = `${'('.repeat(MAX_GROUP_DEPTH + 1)}香港 OR 台灣${')'.repeat(MAX_GROUP_DEPTH + 1)}`;
    assert.throws(() => checkQueryLimits(deep), /q nests groups 4 deep; at most 3 \(1 too deep\)/);
    assert.doesNotThrow(() => checkQueryLimits(`${'('.repeat(MAX_GROUP_DEPTH)}香港 OR 台灣${')'.repeat(MAX_GROUP_DEPTH)}`));
    // At the boundary: the parameter is refused with the same message.
    assert.throws(
      () => parseSearchParams({ q: words('w', MAX_ALTERNATIVES + 1).join(' OR ') }),
      (err: Error & { param?: string }) =>
        err.param === 'q' && /13 alternatives after expanding groups; at most 12 \(1 too many\)/.test(err.message),
    );
  });

  it(`keeps ${MAX_TERMS} terms per alternative`, () => {
    const many = Array.from({ length: MAX_TERMS + 1 }, (_, i) => `x${'abcdefghijkl'[i]}`).join(' ');
    const p = parseQuery(`(${many}) OR 香港`);
    assert.deepEqual(
      p.alternatives.map((a) => a.length),
      [MAX_TERMS, 1],
    );
    assert.deepEqual(notes(`(${many}) OR 香港`), ['too_many_terms']);
  });
});

describe('unspaced Chinese of up to four characters', () => {
  it('is one word, counted as a substring; longer is segmented', () => {
    for (const q of ['新冠肺炎', '社交媒體', '社交媒体', '逃犯條例', '國家安全']) {
      const p = parseQuery(q);
      assert.equal(p.terms.length, 1, q);
      assert.deepEqual(p.segmented, [], q);
    }
    assert.deepEqual(
      parseQuery('新冠肺炎疫苗').segmented.map((s) => s.from),
      ['新冠肺炎疫苗'],
    );
  });
});
