// One canonical script for search: simplified Chinese with mainland vocabulary. Shared by the
// indexer (documents) and the server (queries), so both sides always meet.
import { Converter } from 'opencc-js';
import type { Script } from './schema.js';

// Three steps, the same for documents and queries:
// 1. simplified → traditional characters, so that the phrase table in step 2 sees every text in
//    the script it is written for (otherwise 檔案 would become 文件 while 档案 stays 档案);
// 2. Taiwan phrases and characters → mainland simplified (軟體→软件, 滑鼠→鼠标, 連結→链接);
// 3. Hong Kong character variants that the Taiwan table leaves (衞→卫, 裏→里).
const simplifiedToTraditional = Converter({ from: 'cn', to: 't' });
const taiwanToMainland = Converter({ from: 'twp', to: 'cn' });
const hongKongToMainland = Converter({ from: 'hk', to: 'cn' });

/** Canonical search form of `text`. Idempotent; the same for a text in either script. */
export function toCanonical(text: string): string {
  return hongKongToMainland(taiwanToMainland(simplifiedToTraditional(text)));
}

// Character-level tables for script detection: a character is "traditional" if simplifying it
// changes it, "simplified" if making it traditional changes it.
const toSimplifiedChar = Converter({ from: 't', to: 'cn' });
const toTraditionalChar = Converter({ from: 'cn', to: 't' });
const charClass = new Map<string, 0 | 1 | 2>(); // 0 neutral, 1 traditional, 2 simplified

function classify(ch: string): 0 | 1 | 2 {
  let c = charClass.get(ch);
  if (c === undefined) {
    c = toSimplifiedChar(ch) !== ch ? 1 : toTraditionalChar(ch) !== ch ? 2 : 0;
    charClass.set(ch, c);
  }
  return c;
}

/**
 * `hant` when at least 90% of the script-specific characters are traditional, `hans` when at
 * least 90% are simplified, `mixed` otherwise (including text with no Chinese at all).
 */
export function detectScript(text: string): Script {
  let traditional = 0;
  let simplified = 0;
  for (const ch of text) {
    if (ch < '\u3400') continue;
    const c = classify(ch);
    if (c === 1) traditional++;
    else if (c === 2) simplified++;
  }
  const total = traditional + simplified;
  if (total === 0) return 'mixed';
  if (traditional / total >= 0.9) return 'hant';
  if (simplified / total >= 0.9) return 'hans';
  return 'mixed';
}
