// 眾新聞 (hkcnews): the body is Markdown. Boilerplate: Hugo video shortcodes, the title repeated
// as a heading, the monthly-subscription appeal and, after it, the columnist's author box.
import type { CleanRules } from './rules.js';

export const hkcnewsRules: CleanRules = {
  remove: [],
  dropParagraphs: [/^請加入成為眾新聞的月費訂戶/, /^月費訂戶\s*網址/, /^【[^】]{1,40}・[^】]{1,40}】.{20,}$/],
};

// The article ends at a rule (---) followed by the appeal or by the author box (avatar image,
// **博客 | name**, 【name・column】bio).
const END_OF_ARTICLE = /\n[ \t]*(?:-{3,}|\*{3,})[ \t]*\n\s*(?:請加入成為眾新聞的月費訂戶|!\[博客|\*\*博客)/;
const APPEAL = /^請加入成為眾新聞的月費訂戶/m;

/** Markdown with shortcodes removed and everything after the article's end cut off. */
export function trimHkcnewsMarkdown(markdown: string): string {
  const text = removeShortcodes(markdown);
  const end = END_OF_ARTICLE.exec(text) ?? APPEAL.exec(text);
  return end ? text.slice(0, end.index) : text;
}

// A shortcode opens at the start of a line ({{< or {{%) and closes at the end of a line
// (>}} or %}}), possibly some lines further down.
const SHORTCODE_OPEN = /^[ \t]*\{\{[<%]/gm;
const SHORTCODE_CLOSE = /[%>]\}\}[ \t]*$/gm;

/**
 * Hugo shortcodes removed: what /^[ \t]*\{\{[<%][\s\S]*?[%>]\}\}[ \t]*$/gm removes, in one pass.
 * That expression looked for a closing from every opening line, quadratic on many `{{<` lines.
 */
export function removeShortcodes(markdown: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    SHORTCODE_OPEN.lastIndex = from;
    const open = SHORTCODE_OPEN.exec(markdown);
    if (!open) break;
    SHORTCODE_CLOSE.lastIndex = SHORTCODE_OPEN.lastIndex;
    // No closing after this opening means none after any later one either.
    if (!SHORTCODE_CLOSE.exec(markdown)) break;
    out += markdown.slice(from, open.index);
    from = SHORTCODE_CLOSE.lastIndex;
  }
  return out + markdown.slice(from);
}
