// A jieba segmenter (@node-rs/jieba) with its default dictionary and words of our own, each with
// its part-of-speech tag. The query segmenter (server/search/segment.ts) and the index-time
// extraction (core/text/extract.ts) each build one, with their own words and frequencies.
import fs from 'node:fs';
import path from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { projectRoot } from '../paths.js';

export interface OwnWord {
  word: string;
  /** jieba's part-of-speech tag: n (noun), nr (person), ns (place), nt (organization). */
  tag: string;
  frequency: number;
}

/** A segmenter with jieba's dictionary, then `words` (a later word replaces an earlier one's tag). */
export function jiebaWith(words: OwnWord[]): Jieba {
  const jieba = Jieba.withDict(dict);
  if (words.length) jieba.loadDict(new TextEncoder().encode(words.map((w) => `${w.word} ${w.frequency} ${w.tag}`).join('\n')));
  return jieba;
}

/** The lines of a word list in the repository: trimmed, without blank lines and # comments. */
export function listLines(relative: string): Array<{ line: number; text: string }> {
  return fs
    .readFileSync(path.join(projectRoot, relative), 'utf8')
    .split('\n')
    .map((text, i) => ({ line: i + 1, text: text.trim() }))
    .filter((l) => l.text && !l.text.startsWith('#'));
}

/**
 * Names and Hong Kong and Taiwan vocabulary that jieba's dictionary lacks
 * (core/text/segmenter-words.txt), in canonical form.
 */
export function segmenterWords(): string[] {
  return listLines('core/text/segmenter-words.txt').map((l) => l.text);
}
