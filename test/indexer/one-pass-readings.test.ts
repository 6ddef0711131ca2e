// The indexer's one-pass readings of tags, header lines and shortcodes read exactly what the
// regular expressions they replace read (those took quadratic time on hostile files). The old
// expressions serve here as the reference, on short random strings made of the characters that
// matter to them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { removeShortcodes } from '../../indexer/clean/hkcnews.js';
import { htmlDepth } from '../../indexer/clean/index.js';
import { dateValue, splitTitleLink } from '../../indexer/formats/feedx.js';

const RUNS = 3_000;
const textOf = (...units: string[]) => fc.array(fc.constantFrom(...units), { maxLength: 40 }).map((a) => a.join(''));

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
function depthByRegex(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g)) {
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID.has(m[2]!.toLowerCase())) max = Math.max(max, ++depth);
  }
  return max;
}

function titleLinkByRegex(line: string): { title: string; url: string } | undefined {
  const m = /^\[(.*)\]\((\S+)\)\s*$/.exec(line);
  return m ? { title: m[1]!, url: m[2]! } : undefined;
}

const dateByRegex = (line: string) => /^\s*日期[：:]\s*(.+)$/.exec(line)?.[1]?.trim();
const shortcodesByRegex = (md: string) => md.replace(/^[ \t]*\{\{[<%][\s\S]*?[%>]\}\}[ \t]*$/gm, '');

describe('one-pass readings of hostile-shaped text', () => {
  it('htmlDepth counts tags as the tag expression did', () => {
    const html = textOf('<', '>', '/', '</', '/>', 'a', 'B', 'br', 'IMG', '1', '-', ' ', '"', 'x=');
    fc.assert(
      fc.property(html, (s) => assert.equal(htmlDepth(s), depthByRegex(s), JSON.stringify(s))),
      { numRuns: RUNS },
    );
  });

  it('the [title](url) line is split as the title-link expression split it', () => {
    const line = textOf('[', ']', '(', ')', '](', 'a', ' ', '\u3000', '\u2028', 'h');
    fc.assert(
      fc.property(line, (s) => {
        const trimmed = `[${s}`.trim();
        assert.deepEqual(splitTitleLink(trimmed), titleLinkByRegex(trimmed), JSON.stringify(trimmed));
      }),
      { numRuns: RUNS },
    );
  });

  it('the 日期： value is read as the date-line expression read it', () => {
    const line = textOf('日期', '：', ':', ' ', '\t', '\u2028', '\u3000', 'M', '1');
    fc.assert(
      fc.property(line, (s) => assert.equal(dateValue(s), dateByRegex(s), JSON.stringify(s))),
      { numRuns: RUNS },
    );
  });

  it('shortcodes are removed as the shortcode expression removed them', () => {
    const md = textOf('{{<', '{{%', '>}}', '%}}', '{', '}', '<', '%', '>', '\n', '\r', '\u2028', ' ', '\t', 'x');
    fc.assert(
      fc.property(md, (s) => assert.equal(removeShortcodes(s), shortcodesByRegex(s), JSON.stringify(s))),
      { numRuns: RUNS },
    );
  });
});
