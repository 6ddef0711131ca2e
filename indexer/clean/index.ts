// Picks the outlet's cleaning rules and turns a raw body (HTML or Markdown) into paragraphs.
import MarkdownIt from 'markdown-it';
import { ParseError } from '../../core/errors.js';
import type { RawArticle } from '../../core/schema.js';
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

/**
 * Upper bound of the element nesting, from one linear pass over the tags. A tag is `<`, an
 * optional `/`, a name, then everything up to the next `>` (a `/` just before it closes the tag
 * itself). A regular expression for this took quadratic time on `<a` repeated with no `>`.
 */
export function htmlDepth(html: string): number {
  let depth = 0;
  let max = 0;
  let at = html.indexOf('<');
  while (at !== -1) {
    const closing = html[at + 1] === '/';
    const nameStart = closing ? at + 2 : at + 1;
    let nameEnd = nameStart;
    if (isAsciiLetter(html.charCodeAt(nameStart))) {
      while (isNameChar(html.charCodeAt(nameEnd))) nameEnd++;
    }
    if (nameEnd === nameStart) {
      at = html.indexOf('<', at + 1); // not a tag: `<` followed by something other than a name
      continue;
    }
    const end = html.indexOf('>', nameEnd);
    if (end === -1) break; // no `>` left, so no later `<` opens a tag either
    if (closing) depth = Math.max(0, depth - 1);
    else if (html[end - 1] !== '/' && !VOID.has(html.slice(nameStart, nameEnd).toLowerCase())) {
      max = Math.max(max, ++depth);
    }
    at = html.indexOf('<', end + 1);
  }
  return max;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isNameChar(c: number): boolean {
  return isAsciiLetter(c) || (c >= 48 && c <= 57) || c === 45;
}

function checkNesting(html: string): void {
  const depth = htmlDepth(html);
  if (depth > MAX_HTML_DEPTH) throw new ParseError(`HTML nested ${depth} levels deep (more than ${MAX_HTML_DEPTH}): not a news page`);
}

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

export function cleanBody(raw: RawArticle, outletId: string, baseUrl: string): ExtractedHtml {
  const rules = rulesFor(outletId);
  const html = raw.bodyKind === 'markdown' ? markdown.render(outletId === 'hkcnews' ? trimHkcnewsMarkdown(raw.body) : raw.body) : raw.body;
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
