// The parser over every file of the shared corpus (seed, feedx, cdt, hkcnews-sample): each
// document is checked against what its source file says, read independently here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parseAll } from '../../indexer/parse-stream.js';
import type { ParseResult } from '../../indexer/schema.js';
import { TOPICS } from '../../indexer/topics.js';
import { corpusDir, corpusFiles, feedxHeader, longestHtmlParagraph, longestMarkdownParagraph } from '../helpers/corpus.js';

/** Strings that only boilerplate contains; none may reach a body. */
const BOILERPLATE = [
  'feedx.net', 'feedx.xyz', '获取更多RSS', '图像来源', '© 2020 AFP', 'o-self-promo', '德国之声版权声明',
  '点击此处订阅', '感谢阅读今天的简报', 'addtoany', 'AddToAny', 'Feed enhanced by', 'Better Feed', 'Post tags:',
  '請加入成為眾新聞的月費訂戶', '月費訂戶', '{{<', '>}}', '网编：', 'a2a_', 'share-button', 'wp-embedded-content',
];

const noWhitespace = (s: string) => s.replace(/\s+/g, '');

async function parseTree(sub: string): Promise<Map<string, ParseResult>> {
  const results = new Map<string, ParseResult>();
  for await (const r of parseAll([path.join(corpusDir, sub)])) results.set(r.path, r);
  return results;
}

function assertCleanBody(file: string, body: string): void {
  assert.ok(body.length > 0, `${file}: empty body`);
  assert.doesNotMatch(body, /<\/?[a-z][a-z0-9]*[\s>/]/i, `${file}: HTML tag left in body`);
  assert.doesNotMatch(body, /&(?:[a-z]+|#\d+|#x[0-9a-f]+);/i, `${file}: entity left in body`);
  assert.doesNotMatch(body, /\n{3,}|[ \t]\n|\n[ \t]|\u00a0/, `${file}: untidy whitespace`);
  for (const s of BOILERPLATE) assert.ok(!body.includes(s), `${file}: boilerplate "${s}" left in body`);
}

function assertCommonFields(file: string, r: ParseResult): asserts r is Extract<ParseResult, { ok: true }> {
  assert.ok(r.ok, `${file}: rejected: ${!r.ok ? r.error : ''}`);
  const d = r.doc;
  assert.match(d.id, /^[a-z0-9-]{1,100}$/, `${file}: id is Meilisearch-safe`);
  assert.ok(d.topics.length >= 1 && d.topics.every((t) => (TOPICS as readonly string[]).includes(t)), `${file}: topics ${d.topics}`);
  assert.ok(['hans', 'hant', 'mixed'].includes(d.script));
  assert.ok(d.excerpt.length > 0 && Array.from(d.excerpt).length <= 121, `${file}: excerpt`);
  assert.ok(d.body.replace(/\n\n/g, ' ').startsWith(d.excerpt.replace(/…$/, '')), `${file}: excerpt is the start of the text`);
  if (d.image) assert.match(d.image, /^https?:\/\/[^\s]+$/);
  assertCleanBody(file, d.body);
}

const feedxTrees = ['seed', 'feedx', 'cdt'];

for (const tree of feedxTrees) {
  describe(`parse ${tree}/ (feedx formats)`, async () => {
    const results = await parseTree(tree);
    const files = corpusFiles(tree);

    it('reports every file exactly once', () => {
      assert.equal(results.size, files.length);
    });

    for (const file of files) {
      const name = path.relative(corpusDir, file);
      const source = fs.readFileSync(file, 'utf8');
      const r = results.get(file)!;
      if (!r.ok && r.error.startsWith('duplicate:')) {
        it(`${name} is reported as a duplicate of an earlier file with the same URL`, () => {
          const first = r.error.replace('duplicate: same canonical URL as ', '');
          assert.equal(feedxHeader(fs.readFileSync(first, 'utf8')).url, feedxHeader(source).url);
        });
        continue;
      }
      it(`${name}: header fields, clean body, longest paragraph kept`, () => {
        assertCommonFields(name, r);
        const header = feedxHeader(source);
        const d = r.doc;
        assert.equal(d.url, header.url);
        assert.ok(header.title.replace(/\s+/g, " ").startsWith(d.title), `title "${d.title}" is the header title "${header.title}" minus a suffix`);
        assert.doesNotMatch(d.title, /法国国际广播电台 - RFI$/);
        if (header.epochMs !== undefined) assert.equal(d.publishedAt, new Date(header.epochMs).toISOString());
        else assert.equal(d.publishedAt, new Date(header.dateLine!).toISOString());
        const html = source.split(/\n-{3,}\n/)[1]!;
        const longest = longestHtmlParagraph(html);
        if (longest && !BOILERPLATE.some((s) => longest.includes(s))) {
          assert.ok(noWhitespace(d.body).includes(noWhitespace(longest)), `longest paragraph missing: ${longest.slice(0, 60)}`);
        }
      });
    }
  });
}

describe('parse hkcnews-sample/ (YAML front matter)', async () => {
  const results = await parseTree('hkcnews-sample');
  const files = corpusFiles('hkcnews-sample');

  it('reports every file exactly once', () => assert.equal(results.size, files.length));

  it('rejects exactly the non-article pages, each with a reason', () => {
    const rejected = [...results.values()].filter((r) => !r.ok);
    for (const r of rejected) {
      const title = String((parseYaml(fs.readFileSync(r.path, 'utf8').split('\n---\n')[0]!.replace(/^---\n/, '')) as { title: string }).title);
      assert.match(title, /眾新聞告別|Temporarily Offline/, `${r.path} was rejected but is titled ${title}`);
      assert.match(!r.ok ? r.error : '', /^not an article: /);
    }
    assert.equal(rejected.length, 8);
  });

  for (const file of files) {
    const r = results.get(file)!;
    if (!r.ok) continue;
    const name = path.relative(corpusDir, file);
    it(`${name}: front matter fields, clean body, longest paragraph kept`, () => {
      assertCommonFields(name, r);
      const source = fs.readFileSync(file, 'utf8');
      const [, yamlText, markdown] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(source)!;
      const fm = parseYaml(yamlText!) as Record<string, unknown>;
      const d = r.doc;
      assert.equal(d.title, String(fm.title).replace(/\s+/g, ' ').trim());
      assert.equal(d.outlet.id, 'hkcnews');
      const number = /\/article\/(\d+)/.exec(String(fm.original_url))![1];
      assert.ok(d.url === fm.original_url || d.url === `https://hkcnews.com/article/${number}`, d.url);
      assert.doesNotMatch(d.url, /web\.archive\.org/);
      if (fm.date) {
        const hk = new Date(Date.parse(d.publishedAt!) + 8 * 3600_000).toISOString().slice(0, 10);
        assert.equal(hk, fm.date, 'publishedAt is the start of the front-matter day in Hong Kong');
      } else {
        assert.equal(d.publishedAt, null);
        assert.ok(r.warnings.some((w) => w.startsWith('date is empty')));
      }
      if (fm.author) assert.equal(d.author, fm.author);
      for (const tag of (fm.tags as string[] | null) ?? []) assert.ok(d.tags.includes(String(tag)), `tag ${tag}`);
      if (fm.category) assert.ok(d.tags.includes(String(fm.category)));
      if (fm.category === '眾說') assert.ok(d.topics.includes('评论'), 'opinion pieces are 评论');
      const longest = longestMarkdownParagraph(markdown!);
      if (longest) assert.ok(noWhitespace(d.body).includes(noWhitespace(longest)), `longest paragraph missing: ${longest.slice(0, 60)}`);
      assert.equal(d.script === 'hans', false, 'hkcnews is traditional (or English)');
    });
  }
});
