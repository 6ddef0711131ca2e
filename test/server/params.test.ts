// Query parameters read by their schemas (server/search/params.ts): the values a route gets, and
// the error it answers, naming the parameter, with the same message on every route.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidParameter } from '../../server/errors.js';
import { exportQuery, parseCompareParams, parseQuery, parseSearchParams, scriptParam, timelineQuery } from '../../server/search/params.js';

/** The InvalidParameter `read` throws, as [param, message]. */
function refusal(read: () => unknown): [string, string] {
  try {
    read();
  } catch (err) {
    assert.ok(err instanceof InvalidParameter, String(err));
    return [err.param, err.message];
  }
  assert.fail('accepted');
}

describe('search parameters', () => {
  it('absent or empty parameters take their defaults', () => {
    const defaults = {
      q: '',
      outlet: [],
      topic: [],
      person: [],
      place: [],
      organization: [],
      from: null,
      to: null,
      undated: null,
      sort: null,
      script: 'orig',
      page: 1,
      perPage: 20,
      terms: false,
    };
    assert.deepEqual(parseSearchParams({}), defaults);
    assert.deepEqual(parseSearchParams(Object.fromEntries(Object.keys(defaults).map((k) => [k, '']))), defaults);
  });

  it('reads values as the search uses them: q with its spaces collapsed, repeated filters trimmed and once each', () => {
    const p = parseSearchParams({
      q: '  香港\t 警察 ',
      outlet: [' rfi', 'rfi ', '', 'bbc'],
      topic: '国际',
      from: '2020-02-29',
      to: '2020-03-01',
      sort: 'oldest',
      script: 'hant',
      page: '3',
      perPage: '100',
      person: [' 林鄭月娥', '林郑月娥 '],
    });
    assert.deepEqual(p, {
      q: '香港 警察',
      outlet: ['rfi', 'bbc'],
      topic: ['国际'],
      person: ['林郑月娥'],
      place: [],
      organization: [],
      from: '2020-02-29',
      to: '2020-03-01',
      undated: null,
      sort: 'oldest',
      script: 'hant',
      page: 3,
      perPage: 100,
      terms: false,
    });
    assert.equal(parseSearchParams({ q: '😀'.repeat(200) }).q.length, 400, 'q is counted in characters, not UTF-16 units');
  });

  const refused: Array<[Record<string, unknown>, string, string]> = [
    [{ q: ['a', 'b'] }, 'q', 'q may be given only once'],
    [{ q: { a: '1' } }, 'q', 'q must be a plain value'],
    [{ q: '字'.repeat(201) }, 'q', 'q must be at most 200 characters'],
    [{ outlet: 'RFI' }, 'outlet', 'unknown outlet: "RFI"'],
    [{ outlet: Array.from({ length: 21 }, (_, i) => `o${i}`) }, 'outlet', 'at most 20 outlet values'],
    [{ outlet: [{}] }, 'outlet', 'outlet must be plain values'],
    [
      { topic: '不存在' },
      'topic',
      'unknown topic: "不存在"; topics are 中国, 港澳台, 国际, 财经, 科技, 健康, 环境, 文化, 体育, 教育, 法治, 社会, 评论',
    ],
    [{ from: '2021-02-29' }, 'from', 'from must be a calendar day as YYYY-MM-DD'],
    [{ to: '2021-1-01' }, 'to', 'to must be a calendar day as YYYY-MM-DD'],
    [{ from: '2021-01-02', to: '2021-01-01' }, 'from', 'from (2021-01-02) is after to (2021-01-01)'],
    [
      { undated: 'only', from: '2021-01-01' },
      'undated',
      'undated=only cannot be combined with from or to: stories without a date have no day',
    ],
    [{ undated: 'all' }, 'undated', 'undated must be one of only'],
    [{ sort: 'best' }, 'sort', 'sort must be one of relevance, newest, oldest'],
    [{ script: 'zh' }, 'script', 'script must be one of orig, hans, hant'],
    [{ page: '0' }, 'page', 'page must be a whole number from 1 to 100000'],
    [{ page: '1e3' }, 'page', 'page must be a whole number from 1 to 100000'],
    [{ perPage: '101' }, 'perPage', 'perPage must be a whole number from 1 to 100'],
    [{ perPage: ' 5' }, 'perPage', 'perPage must be a whole number from 1 to 100'],
  ];
  for (const [query, param, message] of refused) {
    it(`refuses ${JSON.stringify(query).slice(0, 50)}: ${message.slice(0, 40)}`, () => {
      assert.deepEqual(
        refusal(() => parseSearchParams(query)),
        [param, message],
      );
    });
  }

  it('names the parameter that comes first when several are wrong, whatever the order of the query string', () => {
    assert.equal(refusal(() => parseSearchParams({ perPage: '0', sort: 'x', outlet: 'X' }))[0], 'outlet');
    assert.equal(
      refusal(() => parseSearchParams({ sort: 'x', from: '2021-01-02', to: '2021-01-01' }))[0],
      'from',
      'a range backwards before a later parameter',
    );
    assert.deepEqual(
      refusal(() => parseSearchParams({ from: '2021-12-02', to: '2021-11-31' })),
      ['to', 'to must be a calendar day as YYYY-MM-DD'],
    );
    assert.equal(
      refusal(() => parseSearchParams({ outlet: [...Array.from({ length: 21 }, (_, i) => `o${i}`), 'BAD'] }))[1],
      'at most 20 outlet values',
      "a list's size before its values",
    );
  });
});

describe('the other routes read the same parameters the same way', () => {
  it('/api/timeline: the search parameters, then interval', () => {
    assert.equal(parseQuery(timelineQuery, {}).interval, 'month');
    assert.deepEqual(
      refusal(() => parseQuery(timelineQuery, { interval: 'week' })),
      ['interval', 'interval must be month or year'],
    );
    assert.deepEqual(
      refusal(() => parseQuery(timelineQuery, { interval: 'week', page: '0' })),
      ['page', 'page must be a whole number from 1 to 100000'],
    );
  });

  it('/api/export: format first and required; page and perPage are not read', () => {
    assert.deepEqual(
      refusal(() => parseQuery(exportQuery, { sort: 'x' })),
      ['format', 'format must be one of csv, jsonl'],
    );
    const read = parseQuery(exportQuery, { format: 'csv', page: 'x', perPage: '1000', q: '香港' });
    assert.equal(read.format, 'csv');
    assert.equal(read.q, '香港');
    assert.ok(!('page' in read) && !('perPage' in read));
  });

  it('script alone (articles, facets, pages): the same values and messages', () => {
    assert.equal(scriptParam(undefined), 'orig');
    assert.equal(scriptParam('hans'), 'hans');
    assert.deepEqual(
      refusal(() => scriptParam('zh')),
      ['script', 'script must be one of orig, hans, hant'],
    );
    assert.deepEqual(
      refusal(() => scriptParam(['hans', 'hant'])),
      ['script', 'script may be given only once'],
    );
  });

  it('the compare page: up to five queries, each checked as a search', () => {
    const { queries, filters, share } = parseCompareParams({ q: ['香港', ' 香港 ', '台湾'], outlet: 'rfi', share: '1' });
    assert.deepEqual(
      queries.map((p) => [p.q, p.outlet]),
      [
        ['香港', ['rfi']],
        ['台湾', ['rfi']],
      ],
    );
    assert.equal(filters.q, '');
    assert.equal(share, true);
    assert.deepEqual(
      refusal(() => parseCompareParams({ q: ['a', 'b', 'c', 'd', 'e', 'f'] })),
      ['q', 'at most 5 queries can be compared'],
    );
    assert.deepEqual(
      refusal(() => parseCompareParams({ q: ['字'.repeat(201)] })),
      ['q', 'q must be at most 200 characters'],
    );
    assert.deepEqual(
      refusal(() => parseCompareParams({ share: '2' })),
      ['share', 'share must be 1 or absent'],
    );
  });
});
