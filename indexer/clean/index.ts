// Picks the outlet's cleaning rules and turns a raw body (HTML or Markdown) into paragraphs.
import MarkdownIt from 'markdown-it';
import { ParseError } from '../errors.js';
import type { RawArticle } from '../schema.js';
import { bbcRules } from './bbc.js';
import { cdtRules } from './cdt.js';
import { commonRules } from './common.js';
import { dwRules } from './dw.js';
import { hkcnewsRules, trimHkcnewsMarkdown } from './hkcnews.js';
import { extractHtml, type ExtractedHtml } from './html-to-text.js';
import { nytimesRules } from './nytimes.js';
import { rfaRules } from './rfa.js';
import { rfiRules } from './rfi.js';
import { mergeRules, type CleanRules } from './rules.js';
import { voaRules } from './voa.js';

const OUTLET_RULES: Record<string, CleanRules> = {
  rfi: rfiRules,
  bbc: bbcRules,
  dw: dwRules,
  voa: voaRules,
  nytimes: nytimesRules,
  rfa: rfaRules,
  cdt: cdtRules,
  hkcnews: hkcnewsRules,
};
const merged = new Map<string, CleanRules>();

function rulesFor(outletId: string): CleanRules {
  let rules = merged.get(outletId);
  if (!rules) {
    const own = OUTLET_RULES[outletId];
    rules = own ? mergeRules(commonRules, own) : commonRules;
    merged.set(outletId, rules);
  }
  return rules;
}

/**
 * Deeper HTML than this is not a news page: the deepest of the 48,641 corpus files has 11 levels.
 * Hostile nesting would make the HTML parser's tree walk take seconds or overflow the stack.
 */
export const MAX_HTML_DEPTH = 200;
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Upper bound of the element nesting, from a linear scan of the tags. */
export function htmlDepth(html: string): number {
  let depth = 0;
  let max = 0;
  for (const m of html.matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9-]*)[^>]*?(\/?)>/g)) {
    if (m[1]) depth = Math.max(0, depth - 1);
    else if (!m[3] && !VOID.has(m[2]!.toLowerCase())) max = Math.max(max, ++depth);
  }
  return max;
}

function checkNesting(html: string): void {
  const depth = htmlDepth(html);
  if (depth > MAX_HTML_DEPTH) throw new ParseError(`HTML nested ${depth} levels deep (more than ${MAX_HTML_DEPTH}): not a news page`);
}

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

export function cleanBody(raw: RawArticle, outletId: string, baseUrl: string): ExtractedHtml {
  const rules = rulesFor(outletId);
  const html =
    raw.bodyKind === 'markdown'
      ? markdown.render(outletId === 'hkcnews' ? trimHkcnewsMarkdown(raw.body) : raw.body)
      : raw.body;
  checkNesting(html);
  const extracted = extractHtml(html, rules, baseUrl);
  // The title is often repeated as the first heading or line; it is not body text.
  const title = raw.title.replace(/\s+/g, ' ').trim();
  const paragraphs: string[] = [];
  for (const p of extracted.paragraphs) {
    if (paragraphs.length === 0 && p === title) continue;
    paragraphs.push(p);
  }
  return { ...extracted, paragraphs };
}
