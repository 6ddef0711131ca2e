// feedx.net exports: a markdown header (title link, rule) over one line of the source's HTML.
//   <!--1686669304000-->           publication time, epoch ms      (format `feedx`)
//   [title](url)
//   ------
//   <html…>
// The older variant has no epoch line and a `日期：<RFC 822 date>` line under the rule.
import { ParseError } from '../errors.js';
import type { RawArticle } from '../schema.js';

const TITLE_LINK = /^\[(.*)\]\((\S+)\)\s*$/;
const RULE = /^-{3,}\s*$/;
// Sanity bounds for a news date: anything outside is a damaged header, not news.
const EARLIEST = Date.UTC(1990, 0, 1);
const LATEST = Date.UTC(2100, 0, 1);

function titleAndUrl(line: string | undefined): { title: string; url: string } {
  const m = line === undefined ? null : TITLE_LINK.exec(line.trim());
  if (!m) throw new ParseError('feedx header: expected a [title](url) line');
  const title = m[1]!.trim();
  if (!title) throw new ParseError('feedx header: the title is empty');
  if (!/^https?:\/\//.test(m[2]!)) throw new ParseError(`feedx header: not an http(s) URL: ${m[2]}`);
  return { title, url: m[2]! };
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
  const dateLine = /^\s*日期[：:]\s*(.+)$/.exec(lines[2] ?? '');
  if (!dateLine) throw new ParseError('feedx header: expected a 日期： line under the rule');
  const ms = Date.parse(dateLine[1]!.trim());
  return {
    format: 'feedx-dated',
    title,
    url,
    publishedAt: checkDate(ms, `日期 "${dateLine[1]!.trim()}"`),
    tags: [],
    body: lines.slice(3).join('\n'),
    bodyKind: 'html',
    warnings: [],
  };
}
