// The faster trie matching of core/text/opencc.ts gives exactly opencc-js's own output: every
// converter the codebase uses, on every fixture file and on random text built from the
// characters that matter (both scripts, Taiwan and Hong Kong vocabulary, punctuation, letters,
// characters outside the BMP, ideographic description sequences).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Trie } from 'opencc-js';
import { Converter, original } from '../../core/text/opencc.js';
import { toCanonical } from '../../core/text/normalize.js';
import { articleFiles, fixtureCorpusDir } from '../helpers/corpus.js';

const converters = {
  canonical: toCanonical,
  toHans: Converter({ from: 'hk', to: 'cn' }),
  toHant: Converter({ from: 'cn', to: 'hk' }),
  toTraditional: Converter({ from: 'cn', to: 't' }),
  toSimplified: Converter({ from: 't', to: 'cn' }),
};

/** Each converter's output with opencc-js's own trie methods, then with ours. */
function both(text: string): Array<{ name: string; theirs: string; ours: string }> {
  const fast = { convert: Trie.prototype.convert, segment: Trie.prototype.segment };
  const theirs: Record<string, string> = {};
  Object.assign(Trie.prototype, original);
  try {
    for (const [name, convert] of Object.entries(converters)) theirs[name] = convert(text);
  } finally {
    Object.assign(Trie.prototype, fast);
  }
  return Object.entries(converters).map(([name, convert]) => ({ name, theirs: theirs[name]!, ours: convert(text) }));
}

describe('OpenCC conversion (core/text/opencc.ts)', () => {
  it('takes the fast path', () => {
    assert.notEqual(Trie.prototype.convert, original.convert);
    assert.notEqual(Trie.prototype.segment, original.segment);
  });

  it('gives opencc-js’s own output on every fixture file', () => {
    const files = articleFiles(fixtureCorpusDir);
    assert.ok(files.length > 100);
    for (const file of files) {
      for (const r of both(fs.readFileSync(file, 'utf8'))) assert.equal(r.ours, r.theirs, `${r.name}: ${file}`);
    }
  });

  it('gives opencc-js’s own output on random text of both scripts, vocabulary, symbols and rare characters', () => {
    const pieces = [
      '软件',
      '軟體',
      '記憶體',
      '内存',
      '滑鼠',
      '鼠标',
      '連結',
      '衞生',
      '裏面',
      '香港',
      '台灣',
      '台湾',
      '发',
      '髮',
      '發',
      '干',
      '乾',
      '幹',
      '，',
      '。',
      '「',
      '」',
      ' ',
      '\n',
      'a',
      'Z',
      '1',
      '𠮷',
      '𩸽',
      '⿰',
      '⿱',
      '⿲',
      '木',
      '目',
      '\uD800',
      '後',
      '后',
      '著',
      '着',
      '裡',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        for (const r of both(parts.join(''))) assert.equal(r.ours, r.theirs, r.name);
      }),
      { numRuns: 2000 },
    );
  });
});
