// Markdown with YAML front matter (hkcnews), with small hand-written inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ParseError } from '../../../core/errors.js';
import { parseRaw } from '../../../indexer/formats/detect.js';
import { hongKongDay } from '../../../indexer/formats/front-matter.js';

const doc = (fields: string, body = '# 標題\n\n正文。\n') => `---\n${fields}\n---\n\n${body}`;
const base =
  'title: "標題"\nurl: "https://web.archive.org/web/2021/https://www.hkcnews.com/article/1/x"\noriginal_url: "https://www.hkcnews.com/article/1/x"';

describe('front-matter format', () => {
  it('reads the fields and takes the date as a day in Hong Kong time', () => {
    const raw = parseRaw(
      doc(
        `${base}\ndate: "2020-08-03"\nlast_updated: "2020-08-04 01:22:32"\nauthor: "記者"\ncategory: "眾聞"\ntags:\n  - "香港"\n  - 2020`,
      ),
    );
    assert.equal(raw.format, 'front-matter');
    assert.equal(raw.title, '標題');
    assert.equal(raw.publishedAt, '2020-08-02T16:00:00.000Z');
    assert.equal(raw.updatedAt, '2020-08-03T17:22:32.000Z');
    assert.equal(raw.author, '記者');
    assert.deepEqual(raw.tags, ['香港', '2020']);
    assert.equal(raw.originalUrl, 'https://www.hkcnews.com/article/1/x');
    assert.equal(raw.bodyKind, 'markdown');
    assert.deepEqual(raw.warnings, []);
  });

  it('an empty date gives no publishedAt and a warning, not a failure', () => {
    const raw = parseRaw(doc(`${base}\ndate: ""\nauthor: ""\ntags:`));
    assert.equal(raw.publishedAt, null);
    assert.equal(raw.author, undefined);
    assert.deepEqual(raw.tags, []);
    assert.match(raw.warnings[0]!, /date is empty/);
  });

  it('an impossible date gives a warning naming it', () => {
    const raw = parseRaw(doc(`${base}\ndate: "2020-02-30"`));
    assert.equal(raw.publishedAt, null);
    assert.match(raw.warnings[0]!, /date "2020-02-30" is not a valid YYYY-MM-DD day/);
  });

  it('hongKongDay handles month and year ends', () => {
    assert.equal(hongKongDay('2021-01-01'), '2020-12-31T16:00:00.000Z');
    assert.equal(hongKongDay('2020-13-01'), undefined);
    assert.equal(hongKongDay('01/02/2020'), undefined);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['no closing ---', '---\ntitle: "x"\nurl: "https://a.example/1"\n\nbody', /no closing --- line/],
    ['invalid YAML', doc('title: "x\nurl: [unclosed'), /invalid YAML/],
    ['a list instead of a mapping', doc('- a\n- b'), /field \(root\)/],
    ['tags that are not a list', doc(`${base}\ndate: "2020-01-01"\ntags: {a: 1}`), /field tags/],
    ['no URL at all', doc('title: "x"\ndate: "2020-01-01"'), /no url or original_url/],
  ];
  for (const [name, text, reason] of bad) {
    it(`rejects front matter with ${name}`, () => {
      assert.throws(
        () => parseRaw(text),
        (err: unknown) => err instanceof ParseError && reason.test(err.reason),
      );
    });
  }
});
