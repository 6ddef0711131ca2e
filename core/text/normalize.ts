// One canonical script for search: simplified Chinese with mainland vocabulary. Shared by the
// indexer (documents) and the server (queries), so both sides always meet.
import { Converter } from './opencc.js';
import type { Script } from '../schema.js';

// Three steps, the same for documents and queries:
// 1. simplified → traditional characters, so that the phrase table in step 2 sees every text in
//    the script it is written for (otherwise 檔案 would become 文件 while 档案 stays 档案);
// 2. Taiwan phrases and characters → mainland simplified (軟體→软件, 滑鼠→鼠标, 連結→链接);
// 3. Hong Kong character variants that the Taiwan table leaves (衞→卫, 裏→里).
// The dictionaries take about 90 MB, so they are built on first use: a reindex's main thread
// whose parsing all happens in workers, or that finds nothing changed, never needs them.
let steps: Array<(text: string) => string> | undefined;

function convertClause(clause: string): string {
  steps ??= [Converter({ from: 'cn', to: 't' }), Converter({ from: 'twp', to: 'cn' }), Converter({ from: 'hk', to: 'cn' })];
  return steps[2]!(steps[1]!(steps[0]!(clause)));
}

// canonicalWithMap() converts clause by clause, split at punctuation and spaces (dictionary
// phrases do not span them), so it can say where each canonical character came from and the
// server can mark matches in the original text. toCanonical() converts the whole text at once,
// twice as fast; on 2,000 hkcnews bodies the two gave identical output, and where they could
// differ, the only effect is a missing highlight.
const BOUNDARY = /[\s\p{P}\p{S}]+/gu;

function* clauses(text: string): Generator<string> {
  let last = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    if (m.index > last) yield text.slice(last, m.index);
    yield m[0];
    last = m.index + m[0].length;
  }
  if (last < text.length) yield text.slice(last);
}

/** Canonical search form of `text`. Idempotent; the same for a text in either script. */
export function toCanonical(text: string): string {
  return convertClause(text);
}

export interface CanonicalText {
  canonical: string;
  /** For each UTF-16 index of `canonical` (and one past the end), the index in the original. */
  toOriginal: Int32Array;
}

/** toCanonical(text) together with a map from canonical positions back to `text`. */
export function canonicalWithMap(text: string): CanonicalText {
  // Most texts keep their length when converted (character for character): one conversion of
  // the whole and an identity map, instead of one per clause (the server does this per hit).
  const whole = convertClause(text);
  if (whole.length === text.length) {
    const toOriginal = new Int32Array(text.length + 1);
    for (let i = 0; i <= text.length; i++) toOriginal[i] = i;
    return { canonical: whole, toOriginal };
  }
  let canonical = '';
  const map: number[] = [];
  let offset = 0;
  for (const clause of clauses(text)) {
    const converted = convertClause(clause);
    if (converted.length === clause.length) {
      for (let i = 0; i < converted.length; i++) map.push(offset + i);
    } else {
      for (const i of alignClause(clause, converted)) map.push(offset + i);
    }
    canonical += converted;
    offset += clause.length;
  }
  map.push(offset);
  return { canonical, toOriginal: Int32Array.from(map) };
}

/**
 * For a clause whose conversion changed its length (記憶體 → 内存), the original index of each
 * converted character: a minimal edit alignment on per-character conversions. Characters that
 * line up map to their partner; the others map to the start of the original span they replace,
 * so a range over a replaced phrase maps back onto the whole phrase.
 */
function alignClause(original: string, converted: string): number[] {
  const a = Array.from(original, (ch) => convertClause(ch));
  const b = Array.from(converted);
  const aUnits = Array.from(original).map((ch) => ch.length);
  const n = a.length;
  const m = b.length;
  const cost: number[][] = Array.from({ length: n + 1 }, (_, i) =>
    Array.from({ length: m + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= m; j++) {
      const same = a[i - 1] === b[j - 1] ? 0 : 1;
      cost[i]![j] = Math.min(cost[i - 1]![j - 1]! + same, cost[i - 1]![j]! + 1, cost[i]![j - 1]! + 1);
    }
  }
  const partner = new Array<number>(m).fill(-1); // original character index, for exact matches
  let i = n;
  let j = m;
  while (i > 0 && j > 0) {
    const same = a[i - 1] === b[j - 1];
    if (cost[i]![j] === cost[i - 1]![j - 1]! + (same ? 0 : 1)) {
      if (same) partner[j - 1] = i - 1;
      i--;
      j--;
    } else if (cost[i]![j] === cost[i - 1]![j]! + 1) i--;
    else j--;
  }
  const origin: number[] = [];
  let next = 0; // first original character after the last exact match
  for (let k = 0; k < m; k++) {
    if (partner[k]! >= 0) {
      origin.push(partner[k]!);
      next = partner[k]! + 1;
    } else origin.push(next);
  }
  // Character index → UTF-16 index in the original; each converted character's UTF-16 units.
  const unitStart: number[] = [];
  let u = 0;
  for (const len of aUnits) {
    unitStart.push(u);
    u += len;
  }
  const result: number[] = [];
  b.forEach((ch, k) => {
    for (let unit = 0; unit < ch.length; unit++) result.push(unitStart[origin[k]!] ?? u);
  });
  return result;
}

// Character-level tables for script detection: a character is "traditional" if simplifying it
// changes it, "simplified" if making it traditional changes it. Built on first use, like the
// steps above; each code point's class is worked out once and kept in a table indexed by it
// (0 not yet known, then 1 + the class), as every file asks for thousands of characters.
let charTables: { toSimplified: (text: string) => string; toTraditional: (text: string) => string } | undefined;
const charClass = new Uint8Array(0x110000);

function classify(codePoint: number): 0 | 1 | 2 {
  let known = charClass[codePoint]!;
  if (known === 0) {
    charTables ??= { toSimplified: Converter({ from: 't', to: 'cn' }), toTraditional: Converter({ from: 'cn', to: 't' }) };
    const ch = String.fromCodePoint(codePoint);
    known = 1 + (charTables.toSimplified(ch) !== ch ? 1 : charTables.toTraditional(ch) !== ch ? 2 : 0);
    charClass[codePoint] = known;
  }
  return (known - 1) as 0 | 1 | 2;
}

/**
 * `hant` when at least 90% of the script-specific characters are traditional, `hans` when at
 * least 90% are simplified, `mixed` otherwise (including text with no Chinese at all).
 */
export function detectScript(text: string): Script {
  let traditional = 0;
  let simplified = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    i += cp > 0xffff ? 2 : 1;
    if (cp < 0x3400) continue;
    const c = classify(cp);
    if (c === 1) traditional++;
    else if (c === 2) simplified++;
  }
  const total = traditional + simplified;
  if (total === 0) return 'mixed';
  if (traditional / total >= 0.9) return 'hant';
  if (simplified / total >= 0.9) return 'hans';
  return 'mixed';
}
