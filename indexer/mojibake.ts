// Damaged archive text: UTF-8 bytes of Chinese decoded with a Cyrillic code page, e.g. 眾說 → зңҫиӘӘ.
// The code page is a Kazakh variant with no decoder in Node, so such text is detected, not repaired.

const CYRILLIC = /[\u0400-\u04ff]/g;
const HAN = /[\u3400-\u9fff]/g;

/** True when the text has several Cyrillic letters and far fewer Han characters than that. */
export function looksLikeMojibake(text: string): boolean {
  const cyrillic = text.match(CYRILLIC)?.length ?? 0;
  const han = text.match(HAN)?.length ?? 0;
  return cyrillic >= 2 && cyrillic > han * 4;
}
