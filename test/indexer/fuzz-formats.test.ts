// Property-based tests (fast-check) over the three file formats: files from the fixture corpus,
// truncated anywhere, with random bytes written into them, or with huge titles, attributes and
// bodies. The parser must never throw, never hang, and either give a well-formed article or a
// rejection with a reason.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseText } from '../../indexer/parse-file.js';
import { createParser, overTimeLimit, PARSE_TIME_LIMIT_MS } from '../../indexer/reindex/parse-pool.js';
import { prepareFile } from '../../indexer/reindex/prepare.js';
import { fixtureFiles } from '../helpers/corpus.js';

// One file of each format: feedx (RFI), its older variant (cdt), YAML front matter (hkcnews).
const SAMPLES = [fixtureFiles('feedx/rfi')[0]!, fixtureFiles('cdt')[5]!, fixtureFiles('hkcnews')[7]!].map((f) => ({
  path: f,
  bytes: fs.readFileSync(f),
}));
const RUNS = 150;

function checkParse(path: string, bytes: Buffer): void {
  // Must not throw. Time is not asserted here: hostile shapes of 1-5 MB go through the parse
  // pool below, whose per-file limit turns a runaway parse into a rejection.
  const r = parseText(path, bytes);
  if (!r.ok) {
    assert.equal(typeof r.error, 'string');
    assert.ok(r.error.length > 0 && r.error.length < 2_000, `reason: ${r.error.slice(0, 200)}`);
    assert.equal(r.path, path);
    return;
  }
  const d = r.doc;
  assert.match(d.id, /^[a-z0-9-]{1,100}$/);
  assert.match(d.url, /^https?:\/\//);
  assert.ok(d.title.trim().length > 0, 'an article has a title');
  assert.ok(d.body.trim().length > 0, 'and a body');
  assert.ok(d.publishedAt === null || !Number.isNaN(Date.parse(d.publishedAt)));
  assert.ok(!d.image || /^https?:\/\//.test(d.image), `image ${d.image}`);
  // The rest of the pipeline takes whatever the parser accepted.
  const prepared = prepareFile(path, bytes);
  assert.equal(prepared.ok, true);
}

describe('fuzzing the three file formats', () => {
  for (const sample of SAMPLES) {
    const name = sample.path.split('/').slice(-2).join('/');

    it(`${name}: truncated at any byte`, () => {
      fc.assert(
        fc.property(fc.nat({ max: sample.bytes.length }), (cut) => checkParse(sample.path, sample.bytes.subarray(0, cut))),
        { numRuns: RUNS },
      );
    });

    it(`${name}: random bytes written anywhere`, () => {
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat({ max: sample.bytes.length - 1 }), fc.uint8Array({ minLength: 1, maxLength: 16 })), {
            minLength: 1,
            maxLength: 8,
          }),
          (edits) => {
            const bytes = Buffer.from(sample.bytes);
            for (const [at, junk] of edits) bytes.set(junk.subarray(0, bytes.length - at), at);
            checkParse(sample.path, bytes);
          },
        ),
        { numRuns: RUNS },
      );
    });

    it(`${name}: random text inserted anywhere (markup, quotes, YAML and HTML syntax)`, () => {
      const piece = fc.oneof(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.constantFrom(
          '---\n',
          '<!--',
          '-->',
          '](',
          '[',
          '\n\n',
          '"',
          ': ',
          '<div>',
          '</p>',
          '<script>',
          '&amp;',
          '\u0000',
          '\uFEFF',
          '%E4',
          'title: x\n',
        ),
      );
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat({ max: sample.bytes.length }), piece), { minLength: 1, maxLength: 6 }), (inserts) => {
          let text = sample.bytes.toString('utf8');
          for (const [at, s] of inserts) {
            const i = Math.min(at, text.length);
            text = text.slice(0, i) + s + text.slice(i);
          }
          checkParse(sample.path, Buffer.from(text));
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('huge titles, attributes, tags and bodies are parsed or rejected, in bounded time', () => {
    const front = (title: string, extra: string, body: string) =>
      `---\ntitle: ${JSON.stringify(title)}\nurl: https://www.hkcnews.com/article/12345/fuzz\ndate: 2021-05-01T10:00:00+08:00\n${extra}---\n\n${body}\n`;
    const feedx = (title: string, body: string) =>
      `<!--1686669304000-->\n[${title}](https://www.rfi.fr/cn/fuzz-test)\n------\n\n<div>${body}</div>\n`;
    fc.assert(
      fc.property(
        fc.constantFrom(1_000, 100_000, 1_000_000),
        fc.constantFrom('港', 'a', '<b>x</b>', '"', '\n', ' '),
        fc.constantFrom('title', 'tags', 'attr', 'body', 'nest'),
        (size, unit, where) => {
          const big = unit.repeat(Math.ceil(size / unit.length));
          const body = '新聞內容。'.repeat(50);
          const cases = {
            title: [front(big, '', body), feedx(big, body)],
            tags: [front('標題', `tags: [${Array.from({ length: Math.min(size, 20_000) }, (_, i) => `t${i}`).join(', ')}]\n`, body)],
            attr: [
              front('標題', `author: ${JSON.stringify(big)}\n`, body),
              feedx('標題', `<p class="${big.replace(/"/g, '')}">${body}</p>`),
            ],
            body: [front('標題', '', big), feedx('標題', big)],
            nest: [feedx('標題', `${'<div>'.repeat(Math.min(size, 50_000))}${body}${'</div>'.repeat(Math.min(size, 50_000))}`)],
          }[where];
          for (const text of cases) checkParse(`/fuzz/${where}.md`, Buffer.from(text));
        },
      ),
      { numRuns: 40 },
    );
  });

  // Shapes that once made a regular expression quadratic (hours at 5 MB). They go through the
  // parse workers, so a regression shows as a rejection for the time limit instead of a hang.
  it('hostile shapes of 1 to 5 MB are parsed or rejected for what they are, never for time', {
    timeout: 20 * PARSE_TIME_LIMIT_MS,
  }, async () => {
    const head = '<!--1686669304000-->\n[標題](https://www.rfi.fr/cn/fuzz-test)\n------\n\n';
    const front = (body: string) =>
      `---\ntitle: "標題"\nurl: https://www.hkcnews.com/article/12345/fuzz\ndate: 2021-05-01T10:00:00+08:00\n---\n\n新聞內容。\n\n${body}\n`;
    const shapes: Record<string, (n: number) => string> = {
      'tags without >': (n) => `${head}<p>新聞內容。</p>${'<a'.repeat(n / 2)}`,
      'tag names without >': (n) => `${head}<p>新聞內容。</p><${'ab1-'.repeat(n / 4)}`,
      'title line of ](': (n) => `<!--1686669304000-->\n[${']('.repeat(n / 2)} x)\n------\n\n<p>x</p>`,
      'date line of spaces': (n) =>
        `[標題](https://chinadigitaltimes.net/chinese/1.html)\n------\n日期：${' '.repeat(n)}\u2028\n\n<p>x</p>`,
      'unclosed shortcodes': (n) => front('{{<\n'.repeat(n / 4)),
      'shortcodes closed mid-line': (n) => front('{{% x >}}x\n'.repeat(n / 10)),
      // cheerio's queries and removals were quadratic in the number of siblings
      'short paragraphs': (n) => front('段落\n\n'.repeat(n / 8)),
      'rules and images': (n) => front('\n---\n\n![](https://x.test/a.jpg)\n'.repeat(n / 32)),
      'sibling elements': (n) => `${head}${'<p>段</p><img src="x.jpg"><hr>'.repeat(n / 30)}`,
    };
    const parser = createParser(2);
    try {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...Object.keys(shapes)), fc.integer({ min: 1, max: 5 }), async (shape, mb) => {
          const path = `/fuzz/${shape.replace(/\W+/g, '-')}-${mb}mb.md`;
          const bytes = Buffer.from(shapes[shape]!(mb * 1_000_000));
          const r = await parser.prepare(path, bytes);
          assert.notDeepEqual(r, overTimeLimit(path, PARSE_TIME_LIMIT_MS), `${shape} at ${mb} MB ran past the time limit`);
          if (!r.ok) assert.ok(r.error.length > 0 && r.error.length < 2_000, `reason: ${r.error.slice(0, 200)}`);
        }),
        { numRuns: 12, endOnFailure: true }, // shrinking megabytes would only repeat the wait
      );
    } finally {
      await parser.close();
    }
  });
});
