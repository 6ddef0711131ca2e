// opencc-js, with a faster inner loop. Every conversion step is a trie (a Map per character)
// matched at each position of the text, and our canonical form takes ten such passes; most
// characters start no entry of a given pass's dictionaries, yet each still costs a Map lookup.
// Here each trie also keeps a bit per code point that starts an entry, and those that start
// none are passed over at once: the same longest-match rules, 2.4× faster on news text (OpenCC
// was a third of the indexer's parsing time). Everything in the codebase gets Converter from
// this module, so every conversion takes the same path. Texts with ideographic description
// characters (U+2FF0–U+2FFF), which opencc-js reads as units of several characters, and tries
// without the internal `map` this relies on (another opencc-js version) use opencc-js's own code.
// test/core/opencc.test.ts checks the two give the same output.
import { Converter as build, Trie, type ConverterFunction, type ConverterOptions } from 'opencc-js';

const built = new Map<string, ConverterFunction>();

/**
 * opencc-js's Converter, built once per direction: a converter holds its dictionaries' tries
 * (tens of MB, a good fraction of a second to build), and several modules convert the same way
 * (the canonical form's Hong Kong step is also the display's simplified script).
 */
export function Converter(options: ConverterOptions): ConverterFunction {
  const key = `${options.from}>${options.to}`;
  let convert = built.get(key);
  if (!convert) {
    convert = build(options);
    built.set(key, convert);
  }
  return convert;
}

type TrieNode = Map<number, TrieNode> & { trie_val?: string };
interface TrieInternals {
  map?: unknown;
  starts?: { bits: Uint32Array; size: number };
}

/** opencc-js's own methods, kept for texts and tries the fast path does not take (and the tests). */
export const original = { convert: Trie.prototype.convert, segment: Trie.prototype.segment };

const DESCRIPTION = /[\u2ff0-\u2fff]/;

/** The root of the trie and its set of starting code points (rebuilt if entries were added). */
function starts(trie: Trie): { root: TrieNode; bits: Uint32Array } | undefined {
  const t = trie as unknown as TrieInternals;
  if (!(t.map instanceof Map)) return undefined;
  const root = t.map as TrieNode;
  if (!t.starts || t.starts.size !== root.size) {
    const bits = new Uint32Array(0x110000 >>> 5);
    for (const cp of root.keys()) bits[cp >>> 5]! |= 1 << (cp & 31);
    t.starts = { bits, size: root.size };
  }
  return { root, bits: t.starts.bits };
}

/** End of the longest entry matching at `at` (0 if none), and its replacement. */
function longest(root: TrieNode, text: string, at: number): { end: number; value: string | undefined } {
  let node: TrieNode | undefined = root;
  let end = 0;
  let value: string | undefined;
  for (let i = at; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    node = node.get(cp);
    if (node === undefined) break;
    if (node.trie_val !== undefined) {
      end = i;
      value = node.trie_val;
    }
  }
  return { end, value };
}

Trie.prototype.convert = function convert(this: Trie, text: string): string {
  const s = starts(this);
  if (!s || DESCRIPTION.test(text)) return original.convert.call(this, text);
  let out = '';
  let copied = 0; // text before this index is in `out`
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    if ((s.bits[cp >>> 5]! >>> (cp & 31)) & 1) {
      const m = longest(s.root, text, i);
      if (m.end > 0) {
        out += text.slice(copied, i) + m.value;
        i = copied = m.end;
        continue;
      }
    }
    i += cp > 0xffff ? 2 : 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
};

Trie.prototype.segment = function segment(this: Trie, text: string): string[] {
  const s = starts(this);
  if (!s || DESCRIPTION.test(text)) return original.segment.call(this, text);
  const out: string[] = [];
  let unmatched = -1; // start of the run of characters no entry matched
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const end = (s.bits[cp >>> 5]! >>> (cp & 31)) & 1 ? longest(s.root, text, i).end : 0;
    if (end > 0) {
      if (unmatched >= 0) out.push(text.slice(unmatched, i));
      unmatched = -1;
      out.push(text.slice(i, end));
      i = end;
    } else {
      if (unmatched < 0) unmatched = i;
      i += cp > 0xffff ? 2 : 1;
    }
  }
  if (unmatched >= 0) out.push(text.slice(unmatched));
  return out;
};
