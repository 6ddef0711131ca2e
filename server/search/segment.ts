// Splits an unspaced Han query (林郑月娥辞职) into words with jieba (@node-rs/jieba), on the
// canonical form, with the default dictionary plus names and Hong Kong and Taiwan vocabulary
// it lacks (core/text/segmenter-words.txt). Single characters never stand alone: a word of one
// character cannot be counted exactly (core/text/exact-terms.ts), so it joins its neighbours.
import type { Jieba } from '@node-rs/jieba';
import { jiebaWith, segmenterWords } from '../../core/text/jieba.js';

/** Well above any frequency in jieba's dictionary, so these words win over their pieces. */
const OWN_WORD_FREQUENCY = 100_000;

let jieba: Jieba | undefined;

function segmenter(): Jieba {
  jieba ??= jiebaWith(segmenterWords().map((word) => ({ word, tag: 'n', frequency: OWN_WORD_FREQUENCY })));
  return jieba;
}
/** Loads the dictionaries now (about half a second) rather than in the first search. */
export function warmSegmenter(): void {
  segmenter();
}

/**
 * The words of a run of Han characters (canonical form). Runs of single characters are joined
 * (林/郑/月/娥 → 林郑月娥), and a single character left over joins the word before it (or after
 * it, at the start): 香港/人 → 香港人.
 */
export function segmentHan(run: string): string[] {
  const pieces = segmenter().cut(run, false);
  const words: string[] = [];
  let singles = '';
  const flushSingles = () => {
    if (!singles) return;
    if (Array.from(singles).length > 1) words.push(singles);
    else if (words.length) words[words.length - 1] += singles;
    else words.push(singles); // joins the next word below
    singles = '';
  };
  for (const piece of pieces) {
    if (Array.from(piece).length === 1) {
      singles += piece;
      continue;
    }
    if (singles && Array.from(singles).length === 1 && !words.length) {
      words.push(singles + piece);
      singles = '';
      continue;
    }
    flushSingles();
    words.push(piece);
  }
  flushSingles();
  return words;
}
