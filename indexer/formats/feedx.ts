// feedx.net exports: a markdown header (title link, rule) over one line of the source's HTML.
//   <!--1686669304000-->           publication time, epoch ms      (format `feedx`)
//   [title](url)
//   ------
//   <html…>
// The older variant has no epoch line and a `日期：<RFC 822 date>` line under the rule.
import { ParseError } from '../../core/errors.js';
import type { RawArticle } from '../../core/schema.js';

const RULE = /^-{3,}\s*$/;
// Sanity bounds for a news date: anything outside is a damaged header, not news.
const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function titleAndUrl(line: string | undefined): { title: string; url: string } {
  const link = line === undefined ? undefined : splitTitleLink(line.trim());
  if (!link) throw new ParseError('feedx header: expected a [title](url) line');
  const title = link.title.trim();
  if (!title) throw new ParseError('feedx header: the title is empty');
  if (!/^https?:\/\//.test(link.url)) throw new ParseError(`feedx header: not an http(s) URL: ${link.url}`);
  return { title, url: link.url };
}

const LINE_BREAK = /[\n\r\u2028\u2029]/;

/**
 * `[title](url)` on one line: the URL is what lies between the last `](` and the final `)`, and
 * holds no space; the title is what comes before. The same reading as /^\[(.*)\]\((\S+)\)$/
 * (greedy title) in one pass: that expression took quadratic time on a long line of `](`.
 */
export function splitTitleLink(line: string): { title: string; url: string } | undefined {
  if (!line.startsWith('[') || !line.endsWith(')') || LINE_BREAK.test(line)) return undefined;
  // The last `](` that leaves a URL of at least one character. An earlier one gives a URL that
  // holds this one's, so it has a space whenever this one's has: this is the only candidate.
  const at = line.lastIndexOf('](', line.length - 4);
  if (at < 1) return undefined;
  const url = line.slice(at + 2, -1);
  return /\s/.test(url) ? undefined : { title: line.slice(1, at), url };
}

const DATE_LABEL = /^\s*日期[：:]/;

/**
 * The value of a `日期：<date>` line, trimmed: the same reading as /^\s*日期[：:]\s*(.+)$/ in one
 * pass (that expression took quadratic time on a long run of spaces ending in U+2028).
 */
export function dateValue(line: string): string | undefined {
  const label = DATE_LABEL.exec(line);
  if (!label) return undefined;
  const rest = line.slice(label[0].length);
  // `\s*` takes the leading spaces, but `(.+)` needs one character, which may be a space.
  const value = rest.trimStart() || rest.slice(-1);
  return value && !LINE_BREAK.test(value) ? value.trim() : undefined;
}

function checkDate(ms: number, what: string): string {
  if (!Number.isFinite(ms) || ms < EARLIEST || ms > LATEST) {
    throw new ParseError(`feedx header: ${what} is not a plausible publication time`);
  }
  return new Date(ms).toISOString();
}

export function parseFeedx(text: string): RawArticle {
  const lines = text.trimStart().split('\n');
  const epoch = /^<!--\s*(\d{9,14})\s*-->/.exec(lines[0] ?? '');
  if (!epoch) throw new ParseError('feedx header: expected <!--epoch-ms--> on the first line');
  const { title, url } = titleAndUrl(lines[1]);
  if (!RULE.test(lines[2] ?? '')) throw new ParseError('feedx header: expected ------ under the title line');
  return {
    format: 'feedx',
    title,
    url,
    publishedAt: checkDate(Number(epoch[1]), `epoch ${epoch[1]}`),
    tags: [],
    body: lines.slice(3).join('\n'),
    bodyKind: 'html',
    warnings: [],
  };
}

export function parseFeedxDated(text: string): RawArticle {
  const lines = text.trimStart().split('\n');
  const { title, url } = titleAndUrl(lines[0]);
  if (!RULE.test(lines[1] ?? '')) throw new ParseError('feedx header: expected ------ under the title line');
  const date = dateValue(lines[2] ?? '');
  if (date === undefined) throw new ParseError('feedx header: expected a 日期： line under the rule');
  return {
    format: 'feedx-dated',
    title,
    url,
    publishedAt: checkDate(Date.parse(date), `日期 "${date}"`),
    tags: [],
    body: lines.slice(3).join('\n'),
    bodyKind: 'html',
    warnings: [],
  };
}
