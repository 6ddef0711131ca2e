// Tells the three article formats apart by content (never by folder or extension).
import { ParseError } from '../../core/errors.js';
import type { RawArticle } from '../../core/schema.js';
import { parseFeedx, parseFeedxDated } from './feedx.js';
import { parseFrontMatter } from './front-matter.js';

export type FormatName = RawArticle['format'];

/** BOM and CRLF removed, so the format parsers see one kind of text. */
export function normalizeNewlines(text: string): string {
  return text.replace(/^\ufeff/, '').replace(/\r\n?/g, '\n');
}

export function detectFormat(text: string): FormatName {
  const head = text.trimStart().slice(0, 4000);
  if (/^<!--\s*\d{9,14}\s*-->/.test(head)) return 'feedx';
  if (/^---\n/.test(head)) return 'front-matter';
  if (/^\[[^\n]*\]\([^\n]+\)\s*\n-{3,}\s*\n\s*日期[：:]/.test(head)) return 'feedx-dated';
  throw new ParseError(
    'unrecognised format: expected a feedx header (<!--epoch-ms--> then [title](url)), ' +
      'an older feedx header ([title](url), ------, 日期：…) or YAML front matter (---)',
  );
}

export function parseRaw(text: string): RawArticle {
  const clean = normalizeNewlines(text);
  switch (detectFormat(clean)) {
    case 'feedx':
      return parseFeedx(clean);
    case 'feedx-dated':
      return parseFeedxDated(clean);
    case 'front-matter':
      return parseFrontMatter(clean);
  }
}
