// The corpora tests read: the project's fixture corpus (always), the real corpus when
// TONGWEN_CORPUS names it (tests that need scale), and independent readings of their files that
// tests compare the parser against (computed here with simple rules, not with the parser's code).
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'cheerio/slim';
import { FIXTURE_TREES, fixtureCorpusDir, missingCorpusMessage, realCorpusDir } from '../../core/corpus-location.js';

export { FIXTURE_TREES, fixtureCorpusDir };

/** The real corpus folder, or undefined (tests that need it are then skipped). */
export const realCorpus = realCorpusDir();

/** For `describe(name, { skip }, …)`: false with the real corpus, else the reason, naming the variable. */
export function skipWithoutRealCorpus(what: string): string | false {
  return realCorpus ? false : missingCorpusMessage(what);
}

/** Article files (.md, .txt) under `root`, recursively, sorted. */
export function articleFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (/\.(md|txt)$/.test(e.name)) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** Files of one fixture tree (`feedx`, `cdt`, `hkcnews`, or a subfolder like `feedx/rfi`). */
export const fixtureFiles = (sub: string) => articleFiles(path.join(fixtureCorpusDir, sub));

export interface SourceHeader {
  title: string;
  url: string;
  epochMs?: number;
  dateLine?: string;
}

export function feedxHeader(text: string): SourceHeader {
  const lines = text.split('\n');
  const hasEpoch = /^<!--(\d+)-->/.exec(lines[0]!);
  const link = /^\[(.*)\]\((\S+)\)$/.exec(lines[hasEpoch ? 1 : 0]!.trim())!;
  const dateLine = hasEpoch ? undefined : /^日期：(.*)$/.exec(lines[2]!)?.[1];
  return { title: link[1]!, url: link[2]!, epochMs: hasEpoch ? Number(hasEpoch[1]) : undefined, dateLine };
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The longest <p> of a feedx HTML body, as text. */
export function longestHtmlParagraph(html: string): string {
  const $ = load(html);
  let best = '';
  $('p').each((_, el) => {
    if ($(el).find('p, div').length) return; // only leaf paragraphs
    if (/caption/.test($(el).attr('class') ?? '')) return; // image captions are not article text
    const text = squash($(el).text());
    if (text.length > best.length) best = text;
  });
  return best;
}

/** The longest plain-prose paragraph of a Markdown body (no markup characters in it). */
export function longestMarkdownParagraph(markdown: string): string {
  let best = '';
  // The subscription appeal and the author box after it are boilerplate.
  const article = markdown.split(/^(?:請加入成為眾新聞的月費訂戶|!\[博客|\*\*博客)/m)[0]!;
  for (const block of article.split(/\n\s*\n/)) {
    const text = squash(block);
    if (/[<>[\]{}*#|`_]/.test(text) || !/\p{L}/u.test(text)) continue;
    if (/^\s*(?:\d+\.|[-+*])\s/m.test(block)) continue; // list items lose their markers

    if (text.length > best.length) best = text;
  }
  return best;
}

/**
 * What the fixture corpus holds, as test/fixtures/README.md documents it; parse-corpus.test.ts
 * checks these numbers against the parser, the other tests rely on them.
 */
export const FIXTURE = {
  /** Article files (.md) under test/fixtures/corpus. */
  files: 190,
  /** Files that parse as articles. */
  articles: 178,
  /** Near-duplicate copies folded into their stories (rfi 1, voa 1, cdt 1, hkcnews 3). */
  copies: 6,
  hkcnewsCopies: 3,
  /** Stories: one document each in the index. */
  stories: 172,
  /** Stories in feedx/ alone (65 files: 2 duplicates rejected, 2 copies folded). */
  feedxStories: 61,
  /** Files rejected with a reason: 5 junk pages, 3 mojibake, 3 duplicate URLs, 1 broken header. */
  rejected: 12,
} as const;
