// Long article text made up by a generator, never taken from real articles: clauses of common Han
// characters in a seeded order, with a few numbers and Latin words, punctuated like news prose.
// Tests place a word of characters the generator never writes (MARKER_CHARS) anywhere in it and
// know that it occurs there and nowhere else.
import fs from 'node:fs';
import path from 'node:path';
import { toCanonical } from '../../core/text/normalize.js';
import { random } from '../../eval/random.js';

const POOL =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经' +
  '十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研手';

/** Characters the generator never writes: words made of them occur only where a test puts them. */
export const MARKER_CHARS = '鑫龘靐齉爨麤';

const LATIN = ['covid', 'nato', 'g20', 'who', 'apec'];

/**
 * `chars` characters of news-like prose: clauses of 4 to 20 Han characters ended by ，、。 or ；,
 * now and then a year or a Latin word between them, and a paragraph break (a blank line) every 20
 * sentences or so. In canonical form already (core/text/normalize.ts), so that a character's place
 * in the text is its place in the copy the indexer stores.
 */
export function longChineseText(chars: number, seed: number): string {
  const next = random(seed);
  const pick = <T>(list: ArrayLike<T>) => list[Math.floor(next() * list.length)]!;
  let out = '';
  let length = 0;
  while (length < chars) {
    let clause = '';
    const n = 4 + Math.floor(next() * 17);
    for (let i = 0; i < n; i++) clause += pick(POOL);
    const r = next();
    if (r < 0.05) clause += `${2000 + Math.floor(next() * 25)}年`;
    else if (r < 0.08) clause += ` ${pick(LATIN)} `;
    const end = next();
    clause += end < 0.6 ? '，' : end < 0.7 ? '、' : end < 0.95 ? '。' : '；';
    if (end >= 0.7 && end < 0.95 && next() < 0.05) clause += '\n\n';
    out += clause;
    length += clause.length;
  }
  // Canonical twice can differ from canonical once (行程 → 进程 → …): convert until it stays.
  for (let pass = 0; toCanonical(out) !== out; pass++) {
    if (pass === 5) throw new Error(`the generated text (seed ${seed}) does not settle in canonical form`);
    out = toCanonical(out);
  }
  return out.slice(0, chars);
}

/** `text` with `word` written over it from character `at` (the text keeps its length). */
export function withWordAt(text: string, word: string, at: number): string {
  return text.slice(0, at) + word + text.slice(at + word.length);
}

/**
 * Writes a feedx (RFI) article file with this title and body, one <p> per paragraph, and returns
 * its path. `n` makes its URL and date distinct.
 */
export function writeFeedxArticle(dir: string, n: number, title: string, body: string): string {
  const ms = Date.UTC(2023, 0, 1 + 7 * n);
  const html = body
    .split('\n\n')
    .map((p) => `<p>${p}</p>`)
    .join('\n');
  const file = path.join(dir, `long-${n}.md`);
  fs.writeFileSync(file, `<!--${ms}-->\n[${title}](https://www.rfi.fr/cn/test/long-${n})\n------\n\n${html}\n`);
  return file;
}
