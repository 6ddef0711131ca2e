// Overlapping character bigrams of the Han runs of canonical text (香港人权 → 香港 港人 人权), the
// way Lucene's CJK analyser indexes Chinese. A phrase of a word's bigrams matches exactly the
// texts that contain the word, however the word segmenter would have cut it.

const HAN_RUN = /\p{Script=Han}+/gu;

/** Space-separated bigrams of every Han run of `canonical`; runs are separated by a line break. */
export function hanBigrams(canonical: string): string {
  const runs: string[] = [];
  for (const m of canonical.matchAll(HAN_RUN)) {
    const chars = Array.from(m[0]);
    if (chars.length < 2) continue;
    const grams: string[] = [];
    for (let i = 0; i + 1 < chars.length; i++) grams.push(chars[i]! + chars[i + 1]!);
    runs.push(grams.join(' '));
  }
  return runs.join('\n');
}

/** A single Han word of 2–6 characters (after normalization), the kind of query counted exactly. */
export function isHanWord(canonical: string): boolean {
  return /^\p{Script=Han}{2,6}$/u.test(canonical);
}
