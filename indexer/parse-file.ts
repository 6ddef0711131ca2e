// One article file → ParseResult. Never throws for bad input: every problem becomes a reason.
import fs from 'node:fs/promises';
import { articleId, canonicalUrl, unwrapArchiveUrl } from './article-id.js';
import { cleanBody } from './clean/index.js';
import { JunkPage, ParseError } from '../core/errors.js';
import { parseRaw } from './formats/detect.js';
import { looksLikeMojibake } from './mojibake.js';
import { detectScript } from '../core/text/normalize.js';
import { outletFor, stripTitleSuffix, urlSection } from '../core/outlets.js';
import type { Article, ParseResult, RawArticle } from '../core/schema.js';
import { assignTopics, type Topic } from '../core/topics.js';

/** Larger files are not news articles (the biggest real one is well under 1 MB). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
const EXCERPT_CHARS = 120;

/** Pages that sit under article URLs in the archive but are not articles. */
const NOT_ARTICLE_TITLES: Array<[RegExp, string]> = [
  [/^眾新聞告別\s*感謝讀者$/, 'not an article: the site farewell notice (眾新聞告別 感謝讀者)'],
  [/^Temporarily Offline$/i, 'not an article: an archive error page (Temporarily Offline)'],
];

const FALLBACK_TOPIC: Record<string, Topic> = { hkcnews: '港澳台', cdt: '中国', rfa: '中国' };

/**
 * The file's bytes, or the reason it cannot be an article file; `code` (an errno code such as
 * EACCES) when the file could not be read at all, as opposed to being read and refused.
 */
export async function readArticleFile(path: string): Promise<{ bytes: Buffer } | { error: string; code?: string }> {
  try {
    const stat = await fs.stat(path);
    if (!stat.isFile()) return { error: 'not a regular file' };
    if (stat.size > MAX_FILE_BYTES) {
      return { error: `file is ${stat.size} bytes, over the ${MAX_FILE_BYTES}-byte limit for one article` };
    }
    return { bytes: await fs.readFile(path) };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { error: `cannot read file (${e.code ?? e.message})`, code: e.code ?? 'error' };
  }
}

export async function parseFile(path: string): Promise<ParseResult> {
  const read = await readArticleFile(path);
  return 'error' in read ? { ok: false, path, error: read.error } : parseText(path, read.bytes);
}

export function parseText(path: string, bytes: Buffer | string): ParseResult {
  try {
    let text: string;
    if (typeof bytes === 'string') text = bytes;
    else {
      try {
        text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        throw new ParseError('not valid UTF-8 text');
      }
    }
    if (text.includes('\u0000')) throw new ParseError('binary data (NUL bytes), not an article');
    const warnings: string[] = [];
    const doc = buildArticle(parseRaw(text), warnings);
    return { ok: true, path, doc, warnings };
  } catch (err) {
    if (err instanceof JunkPage) return { ok: false, path, error: err.reason, junk: true };
    if (err instanceof ParseError) return { ok: false, path, error: err.reason };
    // A bug, not bad input; still one file's problem, so it is reported with it and the rest goes on.
    return {
      ok: false,
      path,
      error: `the parser failed on this file (${(err as Error).name}: ${(err as Error).message}); please report it`,
    };
  }
}

function buildArticle(raw: RawArticle, warnings: string[]): Article {
  warnings.push(...raw.warnings);
  const title = raw.title.replace(/\s+/g, ' ').trim();
  if (!title) throw new JunkPage('not an article: no title');
  for (const [pattern, reason] of NOT_ARTICLE_TITLES) if (pattern.test(title)) throw new JunkPage(reason);
  if (looksLikeMojibake(title) || (raw.category && looksLikeMojibake(raw.category))) {
    throw new ParseError('title and category are mojibake (UTF-8 decoded with a Cyrillic code page): no trustworthy text');
  }

  const sourceUrl = raw.originalUrl || unwrapArchiveUrl(raw.url);
  let canonical: URL;
  try {
    canonical = canonicalUrl(sourceUrl);
  } catch {
    throw new ParseError(`invalid URL: ${sourceUrl}`);
  }
  const outlet = outletFor(canonical);
  // A damaged slug (U+FFFD runs) would make a broken link; the canonical form is a working one.
  const damagedSlug = /%EF%BF%BD/i.test(sourceUrl);
  if (damagedSlug) warnings.push('URL slug is damaged (%EF%BF%BD); using the canonical URL');
  const url = damagedSlug ? canonical.href : sourceUrl;

  const cleaned = cleanBody(raw, outlet.id, url);
  const tags = [...new Set(raw.tags.concat(cleaned.tags).filter((t) => !looksLikeMojibake(t)))];
  if (tags.length < raw.tags.length) warnings.push('dropped tags that are mojibake');
  const body = cleaned.paragraphs.join('\n\n');
  if (!/[\p{L}\p{N}]/u.test(body)) throw new JunkPage('not an article: no text after removing boilerplate');

  const section = urlSection(canonical);
  const sections = [section, raw.category].filter((s): s is string => Boolean(s));
  const displayTitle = stripTitleSuffix(title, canonical);
  const chars = Array.from(cleaned.paragraphs.join(' '));
  const excerpt = chars.length > EXCERPT_CHARS ? `${chars.slice(0, EXCERPT_CHARS).join('').trimEnd()}…` : chars.join('');

  const doc: Article = {
    id: articleId(outlet.id, canonical),
    url,
    title: displayTitle,
    outlet,
    publishedAt: raw.publishedAt,
    topics: assignTopics({
      sections,
      title: displayTitle,
      lead: chars.slice(0, 300).join(''),
      fallback: FALLBACK_TOPIC[outlet.id] ?? '国际',
    }),
    tags: [...new Set([...sections, ...tags])],
    body,
    excerpt,
    script: detectScript(`${displayTitle}\n${body}`),
  };
  if (raw.updatedAt) doc.updatedAt = raw.updatedAt;
  const author = raw.author ?? cleaned.author;
  if (author) doc.author = author;
  if (cleaned.image) doc.image = cleaned.image;
  return doc;
}
