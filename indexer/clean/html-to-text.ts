// HTML → plain paragraphs with a real HTML parser (cheerio on htmlparser2). Block elements and
// <br> end a paragraph; entities are decoded by the parser; whitespace is collapsed.
import { load, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import type { CleanRules } from './rules.js';
import { FEEDX_META_DATE } from './common.js';
import { gatherTopLevel, removeNodes } from './dom.js';

const BLOCK = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'header',
  'footer',
  'aside',
  'nav',
  'blockquote',
  'pre',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'dl',
  'dt',
  'dd',
  'table',
  'tr',
  'td',
  'th',
  'figure',
  'figcaption',
  'address',
  'center',
  'br',
]);
const BREAK = '\u0000';

export interface ExtractedHtml {
  paragraphs: string[];
  /** First content image (absolute http(s) URL), before images are removed. */
  image?: string;
  /** Author from the feedx metadata line, if it names one. */
  author?: string;
  /** WordPress post tags (a[rel=tag]) found in the footer. */
  tags: string[];
}

export function extractHtml(html: string, rules: CleanRules, baseUrl: string): ExtractedHtml {
  const $ = load(html);
  const page = gatherTopLevel($);
  const author = removeFeedxMeta($, page);
  const image = firstImage($, baseUrl);
  const tags = $('small a[rel="tag"]')
    .map((_, el) => $(el).text().trim())
    .get()
    .filter(Boolean);
  for (const selector of rules.remove) removeNodes($(selector).toArray());
  const parts: string[] = [];
  for (const node of $.root().contents().toArray()) collectText(node, parts);
  const paragraphs = parts
    .join('')
    .split(BREAK)
    .map((p) => p.replace(/\s+/g, ' ').trim())
    .filter((p) => p.length > 0 && !rules.dropParagraphs.some((re) => re.test(p)));
  return { paragraphs, image, author, tags };
}

function collectText(node: AnyNode, out: string[]): void {
  if (node.type === 'text') {
    out.push(node.data);
    return;
  }
  if (node.type !== 'tag' && node.type !== 'root') return; // comments, CDATA, directives
  const name = 'name' in node ? node.name : '';
  const block = BLOCK.has(name);
  if (block) out.push(BREAK);
  if ('children' in node) for (const child of node.children) collectText(child, out);
  if (block) out.push(BREAK);
}

/** feedx's first <div><i>author<br>time</i></div> (or RFI's <div>13/06/2023 - 16:18</div>). */
function removeFeedxMeta($: CheerioAPI, page: Element): string | undefined {
  for (const el of $(page).children().slice(0, 3).toArray()) {
    const $el = $(el);
    if (el.tagName !== 'div') continue;
    const text = $el.text().trim();
    // The meta line is short: testing that first spares a selector search through a huge div
    // (css-select's is quadratic in the number of elements there).
    if (text.length > 200 || !FEEDX_META_DATE.test(text) || $el.find('p, img, div').length > 0) continue;
    const italic = $el.find('i').first();
    let author: string | undefined;
    if (italic.length) {
      const beforeBreak = italic.html()?.split(/<br\s*\/?>/i)[0] ?? '';
      const names = load(beforeBreak)
        .text()
        .split(/[,，、]/)
        .map((s) => s.trim())
        .filter(Boolean);
      author = [...new Set(names)].join('、') || undefined;
      if (author && FEEDX_META_DATE.test(author)) author = undefined;
    }
    $el.remove();
    return author;
  }
  return undefined;
}

const NOT_CONTENT_IMAGE = /icon|logo|avatar|spacer|pixel|emoji|smilies|\.svg(?:$|\?)|\/graphics\//i;

function firstImage($: CheerioAPI, baseUrl: string): string | undefined {
  for (const el of $('img').toArray()) {
    const $img = $(el);
    const candidates = [$img.attr('src'), $img.attr('data-src'), $img.attr('srcset')?.split(/\s+/)[0]];
    for (const src of candidates) {
      if (!src || src.startsWith('data:') || NOT_CONTENT_IMAGE.test(src)) continue;
      if (Number($img.attr('width')) === 1) continue;
      try {
        const url = unproxy(new URL(src, baseUrl));
        // Only web images: a javascript: or file: "image" must never reach a page or the API.
        if (url.protocol === 'https:' || url.protocol === 'http:') return url.href;
      } catch {
        // not a URL: the next image may be one
      }
    }
  }
  return undefined;
}

/** feedx serves images through images.weserv.nl; the original URL is more durable. */
function unproxy(url: URL): URL {
  if (url.hostname === 'images.weserv.nl') {
    const inner = url.searchParams.get('url');
    if (inner) {
      try {
        return new URL(/^https?:\/\//.test(inner) ? inner : `https://${inner}`);
      } catch {
        return url;
      }
    }
  }
  return url;
}
