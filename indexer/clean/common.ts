// Boilerplate shared by every source: markup that never carries article text, and what the
// feedx exporter wraps around each article (its metadata line, image captions, RSS footer).
import type { CleanRules } from './rules.js';

export const commonRules: CleanRules = {
  remove: [
    'script',
    'style',
    'noscript',
    'template',
    'svg',
    'iframe',
    'object',
    'embed',
    'video',
    'audio',
    'form',
    'button',
    'input',
    'select',
    'textarea',
    'figure',
    'figcaption',
    'img',
    'picture',
    'hr',
    '[aria-hidden="true"]',
    '[hidden]',
    // feedx: image captions are <div><small style="color: #999;">…</small></div>
    'small[style*="#999"]',
    // feedx footer: <div>获取更多RSS：<a href="https://feedx.net">…</a></div>
    'div:has(> a[href*="feedx.net"])',
    'div:has(> a[href*="feedx.xyz"])',
  ],
  dropParagraphs: [
    /^获取更多RSS[:：]?/,
    /^https?:\/\/feedx\.(?:net|xyz)\/?$/,
    // RFA's staff-credit line, also in articles that CDT and others republish:
    // （记者：韩洁   责编：申铧   网编：洪伟）
    /^[（(]?(?:记者|記者|编译|編譯|特约记者|特約記者|撰稿)[：:].{0,80}(?:责编|責編|网编|網編)[：:][^。]{0,40}[）)]?$/,
    /^[（(]?(?:责编|責編)[：:].{0,40}(?:网编|網編)[：:][^。]{0,40}[）)]?$/,
  ],
};

/** feedx puts the author and time in the first <div><i>…</i></div>; it is metadata, not text. */
export const FEEDX_META_DATE =
  /(?:\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?Z?|[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} (?:GMT|[+-]\d{4})|\d{2}\/\d{2}\/\d{4} - \d{2}:\d{2})\s*$/;
