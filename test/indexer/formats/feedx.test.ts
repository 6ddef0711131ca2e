// The two feedx header formats, with small hand-written inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParseError } from '../../../core/errors.js';
import { detectFormat, parseRaw } from '../../../indexer/formats/detect.js';

const feedx = (header: string, body = '<p>正文第一段。</p>') => `${header}\n\n${body}\n`;

describe('feedx format', () => {
  it('reads the epoch, title and URL from the header and keeps the HTML body', () => {
    const raw = parseRaw(feedx('<!--1686669304000-->\n[北约 [更新] 新闻](https://www.rfi.fr/cn/国际/20230613-x)\n------'));
    assert.equal(raw.format, 'feedx');
    assert.equal(raw.title, '北约 [更新] 新闻');
    assert.equal(raw.url, 'https://www.rfi.fr/cn/国际/20230613-x');
    assert.equal(raw.publishedAt, '2023-06-13T15:15:04.000Z');
    assert.match(raw.body, /<p>正文第一段。<\/p>/);
  });

  it('accepts CRLF line endings and a byte-order mark', () => {
    const raw = parseRaw('\ufeff<!--1686669304000-->\r\n[标题](https://www.bbc.com/zhongwen/simp/world-1)\r\n------\r\n\r\n<p>x</p>');
    assert.equal(raw.title, '标题');
  });

  it('reads the older variant: no epoch line, a 日期： line in RFC 822', () => {
    const text = '[标题](https://chinadigitaltimes.net/chinese/2020/07/x/)\n------\n日期：Thu, 02 Jul 2020 17:14:14 +0000\n\n<p>正文</p>';
    assert.equal(detectFormat(text), 'feedx-dated');
    const raw = parseRaw(text);
    assert.equal(raw.format, 'feedx-dated');
    assert.equal(raw.publishedAt, '2020-07-02T17:14:14.000Z');
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no title line', '<!--1686669304000-->\nnot a link\n------', /expected a \[title\]\(url\) line/],
    ['an empty title', '<!--1686669304000-->\n[](https://a.example/x)\n------', /title is empty/],
    ['a non-http URL', '<!--1686669304000-->\n[t](javascript:alert(1))\n------', /not an http\(s\) URL/],
    ['no rule', '<!--1686669304000-->\n[t](https://a.example/x)\n<p>x</p>', /expected ------/],
    ['an implausible epoch', '<!--999999999-->\n[t](https://a.example/x)\n------', /not a plausible publication time/],
    ['an unparseable 日期', '[t](https://a.example/x)\n------\n日期：someday\n', /日期 "someday" is not a plausible/],
  ];
  for (const [name, header, reason] of bad) {
    it(`rejects a header with ${name}`, () => {
      assert.throws(
        () => parseRaw(feedx(header)),
        (err: unknown) => err instanceof ParseError && reason.test(err.reason),
      );
    });
  }

  it('rejects text in no known format with a reason', () => {
    for (const text of ['', 'just some text', '<html><body>x</body></html>', '[t](https://a.example)\n------\n<p>no date</p>']) {
      assert.throws(
        () => parseRaw(text),
        (err: unknown) => err instanceof ParseError && /unrecognised format/.test(err.reason),
      );
    }
  });
});
