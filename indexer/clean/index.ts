// Picks the outlet's cleaning rules and turns a raw body (HTML or Markdown) into paragraphs.
import MarkdownIt from 'markdown-it';
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

const markdown = new MarkdownIt({ html: true, linkify: false, typographer: false });

export function cleanBody(raw: RawArticle, outletId: string, baseUrl: string): ExtractedHtml {
  const rules = rulesFor(outletId);
  const html =
    raw.bodyKind === 'markdown'
      ? markdown.render(outletId === 'hkcnews' ? trimHkcnewsMarkdown(raw.body) : raw.body)
      : raw.body;
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
