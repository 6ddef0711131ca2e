// The parser over every file of the fixture corpus (feedx, cdt, hkcnews) and, when TONGWEN_CORPUS
// names it, of the real corpus (seed, feedx, cdt, hkcnews-sample): each document is checked
// against what its source file says, read independently here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { parseAll } from '../../indexer/parse-stream.js';
import type { ParseResult } from '../../core/schema.js';
import { TOPICS } from '../../core/topics.js';
import {
  articleFiles,
  FIXTURE,
  FIXTURE_TREES,
  feedxHeader,
  fixtureCorpusDir,
  longestHtmlParagraph,
  longestMarkdownParagraph,
  realCorpus,
  skipWithoutRealCorpus,
} from '../helpers/corpus.js';

/** Strings that only boilerplate contains; none may reach a body. */
const BOILERPLATE = [
  'feedx.net',
  'feedx.xyz',
  '获取更多RSS',
  '图像来源',
  '© 2020 AFP',
  'o-self-promo',
  '德国之声版权声明',
  '点击此处订阅',
  '感谢阅读今天的简报',
  'addtoany',
  'AddToAny',
  'Feed enhanced by',
  'Better Feed',
  'Post tags:',
  '請加入成為眾新聞的月費訂戶',
  '月費訂戶',
  'cn.letters@nytimes.com',
  '感謝閱讀今天的簡報',
  '訂閱美國之音',
  '{{<',
  '>}}',
  '网编：',
  'a2a_',
  'share-button',
  'wp-embedded-content',
];

const noWhitespace = (s: string) => s.replace(/\s+/g, '');

async function parseTree(root: string): Promise<Map<string, ParseResult>> {
  const results = new Map<string, ParseResult>();
  for await (const r of parseAll([root])) results.set(r.path, r);
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

/** Problems with one feedx-format file's result (empty when it is right). */
function checkFeedxFile(full: string, file: string, r: ParseResult): void {
  const source = fs.readFileSync(full, 'utf8');
  if (!r.ok && r.error.startsWith('duplicate:')) {
    const first = r.error.replace('duplicate: same canonical URL as ', '');
    assert.equal(feedxHeader(fs.readFileSync(first, 'utf8')).url, feedxHeader(source).url, `${file}: a duplicate has the URL of ${first}`);
    return;
  }
  assertCommonFields(file, r);
  const header = feedxHeader(source);
  const d = r.doc;
  assert.equal(d.url, header.url);
  assert.ok(
    header.title.replace(/\s+/g, ' ').startsWith(d.title),
    `title "${d.title}" is the header title "${header.title}" minus a suffix`,
  );
  assert.doesNotMatch(d.title, /法国国际广播电台 - RFI$/);
  if (header.epochMs !== undefined) assert.equal(d.publishedAt, new Date(header.epochMs).toISOString());
  else assert.equal(d.publishedAt, new Date(header.dateLine!).toISOString());
  const html = source.split(/\n-{3,}\n/)[1]!;
  const longest = longestHtmlParagraph(html);
  if (longest && !BOILERPLATE.some((s) => longest.includes(s))) {
    assert.ok(noWhitespace(d.body).includes(noWhitespace(longest)), `${file}: longest paragraph missing: ${longest.slice(0, 60)}`);
  }
}

function frontMatterOf(file: string): { fm: Record<string, unknown>; markdown: string } {
  const [, yamlText, markdown] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(fs.readFileSync(file, 'utf8'))!;
  return { fm: parseYaml(yamlText!) as Record<string, unknown>, markdown: markdown! };
}

/** A rejected front-matter file must be a page that is not an article (or damaged beyond use). */
function checkRejectedFrontMatter(file: string, r: Extract<ParseResult, { ok: false }>): 'junk' | 'mojibake' | 'duplicate' {
  if (r.error.startsWith('duplicate:')) return 'duplicate';
  const title = String(frontMatterOf(file).fm.title ?? '');
  if (/^title and category are mojibake/.test(r.error)) {
    assert.match(title, /[\u0400-\u04ff]{2}/, `${file} was rejected as mojibake but is titled ${title}`);
    return 'mojibake';
  }
  assert.match(r.error, /^not an article: /, `${file}: ${r.error}`);
  assert.ok(/眾新聞告別|Temporarily Offline/.test(title) || title.trim() === '', `${file} was rejected but is titled ${title}`);
  return 'junk';
}

function checkFrontMatterFile(full: string, file: string, r: ParseResult): void {
  assertCommonFields(file, r);
  const { fm, markdown } = frontMatterOf(full);
  const d = r.doc;
  assert.equal(d.title, String(fm.title).replace(/\s+/g, ' ').trim());
  assert.equal(d.outlet.id, 'hkcnews');
  const number = /\/article\/(\d+)/.exec(String(fm.original_url))![1];
  assert.ok(d.url === fm.original_url || d.url === `https://hkcnews.com/article/${number}`, d.url);
  if (/%EF%BF%BD/i.test(String(fm.original_url)))
    assert.equal(d.url, `https://hkcnews.com/article/${number}`, 'a damaged slug gives the canonical URL');
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
  const longest = longestMarkdownParagraph(markdown);
  if (longest)
    assert.ok(noWhitespace(d.body).includes(noWhitespace(longest)), `${file}: longest paragraph missing: ${longest.slice(0, 60)}`);
  assert.equal(d.script === 'hans', false, 'hkcnews is traditional (or English)');
}

interface TreeExpectation {
  /** Files rejected for being no article at all, by kind. */
  rejected: Partial<Record<'junk' | 'mojibake' | 'duplicate' | 'other', number>>;
}

/**
 * One tree, its files checked one by one (`perFile`: a test per file, for the fixtures) or all in one
 * test that lists every file that fails (the real corpus: hundreds of files, one line each).
 */
function describeTree(label: string, root: string, kind: 'feedx' | 'front-matter', expected: TreeExpectation, perFile: boolean): void {
  // Tests are registered synchronously (the file list is read at once, results in before()):
  // with --test-force-exit, tests registered by an async describe body may never run.
  describe(`parse ${label}`, () => {
    let results = new Map<string, ParseResult>();
    before(async () => {
      results = await parseTree(root);
    });
    const files = articleFiles(root);
    const name = (f: string) => path.relative(root, f);

    it('reports every file exactly once, and rejects exactly the files that are not articles', () => {
      assert.equal(results.size, files.length);
      const kinds: Record<string, number> = {};
      for (const r of results.values()) {
        if (r.ok) continue;
        const k = kind === 'front-matter' ? checkRejectedFrontMatter(r.path, r) : r.error.startsWith('duplicate:') ? 'duplicate' : 'other';
        kinds[k] = (kinds[k] ?? 0) + 1;
      }
      assert.deepEqual(kinds, expected.rejected);
    });

    const check = (file: string) => {
      const r = results.get(file)!;
      if (kind === 'feedx') {
        if (!r.ok && !r.error.startsWith('duplicate:')) return; // counted above
        checkFeedxFile(file, name(file), r);
      } else if (r.ok) checkFrontMatterFile(file, name(file), r);
    };
    if (perFile) {
      for (const file of files) it(`${name(file)}: header fields, clean body, longest paragraph kept`, () => check(file));
    } else {
      it(`every article: header fields, clean body, longest paragraph kept`, () => {
        const failures: string[] = [];
        for (const file of files) {
          try {
            check(file);
          } catch (err) {
            failures.push(`${name(file)}: ${(err as Error).message.split('\n')[0]}`);
          }
        }
        assert.deepEqual(failures, []);
      });
    }
  });
}

/** The files each fixture tree rejects, by kind (test/fixtures/README.md). */
const FIXTURE_REJECTED = {
  feedx: { duplicate: 2 },
  cdt: { other: 1 },
  hkcnews: { junk: 5, mojibake: 3, duplicate: 1 },
};

describe('the fixture corpus', () => {
  it('holds the files, articles and rejections its README documents', async () => {
    let articles = 0;
    let rejected = 0;
    for await (const r of parseAll(FIXTURE_TREES)) {
      if (r.ok) articles++;
      else rejected++;
    }
    assert.equal(articles + rejected, FIXTURE.files);
    assert.equal(articles, FIXTURE.articles);
    assert.equal(rejected, FIXTURE.rejected);
    assert.ok(FIXTURE.stories >= 150, 'enough stories for facets, pagination and counts to mean something');
  });

  describeTree(
    'fixtures feedx/ (feedx format, every outlet)',
    path.join(fixtureCorpusDir, 'feedx'),
    'feedx',
    { rejected: FIXTURE_REJECTED.feedx },
    true,
  );
  describeTree(
    'fixtures cdt/ (older feedx variant with 日期：)',
    path.join(fixtureCorpusDir, 'cdt'),
    'feedx',
    { rejected: FIXTURE_REJECTED.cdt },
    true,
  );
  describeTree(
    'fixtures hkcnews/ (YAML front matter)',
    path.join(fixtureCorpusDir, 'hkcnews'),
    'front-matter',
    { rejected: FIXTURE_REJECTED.hkcnews },
    true,
  );
});

describe('the real corpus', { skip: skipWithoutRealCorpus('Parsing the real corpus') }, () => {
  const root = realCorpus;
  if (!root) return;
  describeTree('seed/', path.join(root, 'seed'), 'feedx', { rejected: {} }, false);
  describeTree('feedx/', path.join(root, 'feedx'), 'feedx', { rejected: {} }, false);
  describeTree('cdt/', path.join(root, 'cdt'), 'feedx', { rejected: { duplicate: 1 } }, false);
  describeTree('hkcnews-sample/', path.join(root, 'hkcnews-sample'), 'front-matter', { rejected: { junk: 8 } }, false);
});
