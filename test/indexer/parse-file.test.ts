// parseFile/parseText: from bytes to an Article or a reason, never an exception.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { MAX_FILE_BYTES, parseFile, parseText } from '../../indexer/parse-file.js';
import type { ParseResult } from '../../core/schema.js';
import { tempDir } from '../helpers/meili.js';

const dir = tempDir('tongwen-parse-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const feedx = (title: string, url: string, body: string) => `<!--1602525433000-->\n[${title}](${url})\n------\n\n${body}`;
const hk = (fields: string, body: string) => `---\n${fields}\n---\n\n${body}`;

function ok(r: ParseResult) {
  assert.ok(r.ok, !r.ok ? r.error : '');
  return r;
}
function failed(r: ParseResult): string {
  assert.equal(r.ok, false);
  return !r.ok ? r.error : '';
}

describe('parseText', () => {
  it('builds the whole Article from a feedx file', () => {
    const r = ok(
      parseText(
        'a.md',
        feedx(
          '天文学家公开黑洞影像 – 法国国际广播电台 - RFI',
          'http://www.rfi.fr//cn/contenu/20201012-x',
          '<div>12/10/2020 - 18:05</div><img src="https://s.rfi.fr/a.jpg"><p>（法新社巴黎12日电） 天文学家&nbsp;捕捉到黑洞&amp;星体。</p><p class="t-copyright">© 2020 AFP</p>',
        ),
      ),
    );
    const d = r.doc;
    assert.equal(d.title, '天文学家公开黑洞影像');
    assert.equal(d.url, 'http://www.rfi.fr//cn/contenu/20201012-x');
    assert.deepEqual(d.outlet, { id: 'rfi', name: '法广 RFI' });
    assert.equal(d.publishedAt, '2020-10-12T17:57:13.000Z');
    assert.equal(d.body, '（法新社巴黎12日电） 天文学家 捕捉到黑洞&星体。');
    assert.equal(d.image, 'https://s.rfi.fr/a.jpg');
    assert.equal(d.script, 'hans');
    assert.ok(d.topics.includes('科技'), 'keywords decide when the URL has no section');
  });

  it('gives the same id to the same article seen through http, https, www and archive.org', () => {
    const body = '<p>正文。</p>';
    const ids = [
      'http://www.rfi.fr//cn/中国/20201012-x',
      'https://rfi.fr/cn/中国/20201012-x#top',
      'https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20201012-x?utm_source=feed',
      'https://web.archive.org/web/20210101000000/https://www.rfi.fr/cn/%e4%b8%ad%e5%9b%bd/20201012-x',
    ].map((u) => ok(parseText('a.md', feedx('t', u, body))).doc.id);
    assert.equal(new Set(ids).size, 1, ids.join(' '));
    assert.match(ids[0]!, /^rfi-[0-9a-f]{20}$/);
  });

  it('names unknown outlets after their host', () => {
    const d = ok(parseText('a.md', feedx('标题', 'https://news.example.co/a/1', '<p>正文。</p>'))).doc;
    assert.deepEqual(d.outlet, { id: 'example', name: 'news.example.co' });
  });

  it('uses the article number for hkcnews URLs with a damaged slug, with a warning', () => {
    const r = ok(
      parseText(
        'a.md',
        hk(
          'title: "標題"\ndate: "2020-01-02"\nurl: "https://web.archive.org/web/2021/https://www.hkcnews.com/article/42/%EF%BF%BD%EF%BF%BD"\noriginal_url: "https://www.hkcnews.com/article/42/%EF%BF%BD%EF%BF%BD"',
          '# 標題\n\n香港的新聞正文。\n',
        ),
      ),
    );
    assert.equal(r.doc.url, 'https://hkcnews.com/article/42');
    assert.match(r.warnings.join(), /slug is damaged/);
    assert.equal(r.doc.body, '香港的新聞正文。', 'the repeated title heading is not body text');
    assert.equal(r.doc.script, 'hant');
  });

  const rejects: Array<[string, string | Buffer, RegExp]> = [
    ['a non-UTF-8 file', Buffer.from([0x3c, 0x21, 0x2d, 0x2d, 0xff, 0xfe, 0xb0, 0xa1]), /not valid UTF-8/],
    ['binary data', Buffer.from('<!--1602525433000-->\u0000\u0000'), /binary data/],
    [
      'the farewell notice',
      hk('title: "眾新聞告別    感謝讀者"\ndate: ""\nurl: "https://www.hkcnews.com/article/1/x"', '告別'),
      /site farewell notice/,
    ],
    [
      'an archive error page',
      hk('title: "Temporarily Offline"\ndate: ""\nurl: "https://www.hkcnews.com/article/2/x"', 'x'),
      /archive error page/,
    ],
    ['an empty title', hk('title: ""\ndate: "2020-01-01"\nurl: "https://www.hkcnews.com/article/3/x"', '正文'), /no title/],
    [
      'a mojibake title',
      hk('title: "еӨұжҘӯеӣһиҗҪз–‘дјјеҘҪ"\ndate: ""\ncategory: "зңҫиӘӘ"\nurl: "https://hkcnews.com/article/43693/x"', 'еӨұжҘӯ'),
      /mojibake/,
    ],
    [
      'a body that is only boilerplate',
      feedx(
        't',
        'https://www.dw.com/zh/x/a-1',
        '<div><img src="x.jpg"></div><p><em>© 2020年德国之声版权声明：本文所有内容受到著作权法保护。</em></p><hr><div>获取更多RSS：<br><a href="https://feedx.net">https://feedx.net</a></div>',
      ),
      /not an article: no text after removing boilerplate/,
    ],
    ['an invalid URL', feedx('t', 'https://[bad', '<p>x</p>'), /invalid URL/],
  ];
  for (const [name, input, reason] of rejects) {
    it(`rejects ${name} with a reason`, () => assert.match(failed(parseText('x.md', input)), reason));
  }

  it('marks junk pages (not articles) apart from damaged files', () => {
    const junk = rejects.filter(([, , reason]) => /farewell|error page|no title|boilerplate/.test(reason.source));
    assert.equal(junk.length, 4);
    for (const [, input] of junk) assert.equal((parseText('x.md', input) as { junk?: boolean }).junk, true);
    for (const [, input, reason] of rejects) {
      if (!junk.some(([, , r]) => r === reason)) assert.equal((parseText('x.md', input) as { junk?: boolean }).junk, undefined);
    }
  });
});

describe('parseFile', () => {
  it('reports a missing file', async () => {
    assert.match(failed(await parseFile(path.join(dir, 'nope.md'))), /cannot read file \(ENOENT\)/);
  });

  it('reports a directory given as a file', async () => {
    assert.match(failed(await parseFile(dir)), /not a regular file/);
  });

  it('refuses files over the size limit without reading them', async () => {
    const big = path.join(dir, 'big.md');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_FILE_BYTES + 1);
    assert.match(failed(await parseFile(big)), /over the 5242880-byte limit/);
  });
});
