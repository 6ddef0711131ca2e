// Text in the reader's script: the article's own (orig), simplified or traditional. Character
// conversion only, so an article's words stay its own.
import { Converter } from '../../core/text/opencc.js';
import type { Lang } from '../api/responses.js';
import type { DisplayScript } from './params.js';

const toHans = Converter({ from: 'hk', to: 'cn' });
const toHant = Converter({ from: 'cn', to: 'hk' });

export function inScript(text: string, script: DisplayScript): string {
  return script === 'hans' ? toHans(text) : script === 'hant' ? toHant(text) : text;
}

/** BCP 47 tag for text shown in `script`, given the article's own script. */
export function langOf(articleScript: string, script: DisplayScript): Lang {
  const s = script === 'orig' ? articleScript : script;
  return s === 'hant' ? 'zh-Hant' : s === 'hans' ? 'zh-Hans' : 'zh';
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
