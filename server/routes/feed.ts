// GET /feed.xml: the newest 50 stories of a search (the search page's parameters) as an Atom 1.0
// feed, with ETag/Last-Modified revalidation.
import { createHash } from 'node:crypto';
import { Router, type Request } from 'express';
import { Feed } from 'feed';
import { OUTLET_NAMES } from '../../core/outlets.js';
import { InvalidParameter } from '../errors.js';
import type { SearchBackend } from '../search/backend.js';
import { escapeHtml, inScript } from '../search/display.js';
import { DEFAULT_PER_PAGE, parseSearchParams, type SearchParams } from '../search/params.js';
import { search } from '../search/search.js';
import type { SearchHit } from '../search/search-result.js';
import { pageLang, strings } from '../view-models/strings.js';
import { searchUrl } from '../view-models/url.js';
import { requestBackend } from '../request-signal.js';

export const FEED_SIZE = 50;
/** `updated` of a feed without dated stories: fixed, so that its ETag stays the same. */
const NO_DATE = new Date(0);
const ATOM_ROOT = '<feed xmlns="http://www.w3.org/2005/Atom">';

/** Characters XML 1.0 cannot carry at all (C0 controls, lone surrogates, U+FFFE/FFFF). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;
const xmlSafe = (text: string) => text.replace(NOT_XML, '');

// The feed package's XML writer turns "&amp;" in text back into "&" before escaping; escaping
// "&" first (as the package does for its own fields) makes the text come out as written.
const asText = (text: string) => xmlSafe(text).replace(/&/g, '&amp;');

/** The feed package writes titles and summaries as type="html": escaped, they read as plain text. */
const asHtml = (text: string) => escapeHtml(xmlSafe(text));

const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** Highlighted HTML (escaped text and <mark>) as plain text. */
export function plainText(html: string): string {
  return html.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);
}

function origin(req: Request): string {
  try {
    return new URL(`${req.protocol}://${req.get('host') ?? ''}`).origin;
  } catch {
    throw new InvalidParameter('host', 'the Host header is not a host name');
  }
}

function feedTitle(p: SearchParams): string {
  const t = strings(p.script);
  const shown = (text: string) => inScript(text, p.script);
  const parts = [`${t.siteName} Tongwen：${p.q || shown('全部报道')}`];
  if (p.outlet.length) parts.push(`${t.outlets}：${p.outlet.map((o) => shown(OUTLET_NAMES.get(o) ?? o)).join('、')}`);
  if (p.topic.length) parts.push(`${t.topics}：${p.topic.map(shown).join('、')}`);
  if (p.from || p.to) parts.push(`${t.dates}：${p.from ?? '…'} – ${p.to ?? '…'}`);
  return parts.join(' · ');
}

export interface BuiltFeed {
  xml: string;
  /** The newest story's date; undefined when no story in the feed has one. */
  newest: Date | undefined;
}

export function buildFeed(p: SearchParams, hits: SearchHit[], base: string): BuiltFeed {
  const dates = hits.flatMap((h) => (h.publishedAt ? [Date.parse(h.publishedAt)] : []));
  const newest = dates.length ? new Date(Math.max(...dates)) : undefined;
  const updated = newest ?? NO_DATE;
  const state = { ...p, page: 1, perPage: DEFAULT_PER_PAGE };
  // Without a query the search page is newest first already.
  const page = base + searchUrl({ ...state, sort: p.q ? 'newest' : null });
  const articleUrl = (h: SearchHit) => `${base}/article/${encodeURIComponent(h.id)}`;
  const feed = new Feed({
    id: asText(page),
    title: asText(feedTitle(p)),
    updated,
    link: page,
    feed: base + searchUrl({ ...state, sort: null }, '/feed.xml'),
    generator: 'Tongwen',
    author: { name: asText(`${strings(p.script).siteName} Tongwen`) },
  });
  for (const h of hits) {
    const outlet = h.outlet.name || h.outlet.id;
    feed.addItem({
      id: articleUrl(h),
      title: asHtml(inScript(h.title, p.script)),
      link: /^https?:\/\//i.test(h.url) && URL.canParse(h.url) ? h.url : articleUrl(h),
      // Atom requires a date on every entry; an undated story takes the feed's.
      date: h.publishedAt ? new Date(h.publishedAt) : updated,
      ...(h.publishedAt ? { published: new Date(h.publishedAt) } : {}),
      description: asHtml(plainText(h.snippetHtml)),
      // The package escapes only & and " in attributes; topics come from a fixed list anyway.
      category: h.topics.filter((tp) => !tp.includes('<') && xmlSafe(tp) === tp).map((tp) => ({ term: tp, name: inScript(tp, p.script) })),
      ...(outlet ? { author: [{ name: asText(inScript(outlet, p.script)) }] } : {}),
    });
  }
  return { xml: withAdditions(feed.atom1(), p, hits, articleUrl), newest };
}

/**
 * What the feed package cannot write: xml:lang, and a second alternate link per entry, to our
 * article page. It is typed, so that it differs from the link to the original, and comes after
 * it; the original's rel is written out, for readers that look for rel="alternate" first.
 */
function withAdditions(xml: string, p: SearchParams, hits: SearchHit[], articleUrl: (h: SearchHit) => string): string {
  if (!xml.includes(ATOM_ROOT)) throw new Error('feed: unexpected Atom output');
  let i = 0;
  let j = 0;
  // Titles and summaries are escaped inside CDATA, so these tags occur only as the entries' own
  // (the feed's own links have a rel).
  return xml
    .replace(ATOM_ROOT, `${ATOM_ROOT.slice(0, -1)} xml:lang="${pageLang(p.script)}">`)
    .replace(/<entry>/g, () => `<entry xml:lang="${escapeHtml(hits[i++]!.lang)}">`)
    .replace(/<link href="/g, '<link rel="alternate" href="')
    .replace(/<\/entry>/g, () => `    <link rel="alternate" type="text/html" href="${escapeHtml(articleUrl(hits[j++]!))}"/>\n    </entry>`);
}

export function feedRouter(backend: SearchBackend): Router {
  const router = Router();
  router.get('/feed.xml', async (req, res) => {
    const params = parseSearchParams(req.query as Record<string, unknown>);
    const base = origin(req);
    const result = await search(requestBackend(backend, res), { ...params, sort: 'newest', page: 1, perPage: FEED_SIZE });
    const { xml, newest } = buildFeed(params, result.hits, base);
    res.set({
      'Cache-Control': 'public, max-age=300',
      ETag: `"${createHash('sha1').update(xml).digest('base64url')}"`,
      ...(newest ? { 'Last-Modified': newest.toUTCString() } : {}),
    });
    // After the validators are set: req.fresh compares them with If-None-Match/If-Modified-Since.
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.type('application/atom+xml; charset=utf-8').send(xml);
  });
  return router;
}
