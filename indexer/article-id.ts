// Canonical URLs and the document ids derived from them. The same article must get the same id
// on every run and machine, whichever copy (archive.org capture, http/https, damaged slug) we saw.
import crypto from 'node:crypto';

const ARCHIVE_WRAPPER = /^https?:\/\/web\.archive\.org\/web\/\d+[a-z_]*\/(.+)$/i;

/** The original URL inside a web.archive.org capture URL, or the URL itself. */
export function unwrapArchiveUrl(url: string): string {
  const m = ARCHIVE_WRAPPER.exec(url.trim());
  return m ? m[1]! : url.trim();
}

/**
 * One spelling per article: https, lower-case host without `www.`, no fragment or tracking
 * parameters, duplicate slashes collapsed, percent-escapes upper-cased. hkcnews URLs reduce to
 * `/article/<number>`, since the slug after the number is often damaged and never needed.
 */
const WEB_HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/i;

export function canonicalUrl(raw: string): URL {
  const url = new URL(unwrapArchiveUrl(raw));
  // The URL parser accepts hosts like "}" (found by fuzzing): an article URL is http(s) on a DNS name.
  if (!/^https?:$/.test(url.protocol) || !WEB_HOST.test(url.hostname)) throw new TypeError(`not a web page URL: ${raw}`);
  url.protocol = 'https:';
  url.hostname = url.hostname.toLowerCase().replace(/^www\./, '');
  url.hash = '';
  for (const key of [...url.searchParams.keys()]) {
    if (/^(utm_|fbclid$|gclid$)/.test(key)) url.searchParams.delete(key);
  }
  url.pathname = url.pathname.replace(/\/{2,}/g, '/').replace(/%[0-9a-f]{2}/gi, (e) => e.toUpperCase());
  const hk = /^\/article\/(\d+)(?:\/|$)/.exec(url.pathname);
  if (url.hostname === 'hkcnews.com' && hk) {
    url.pathname = `/article/${hk[1]}`;
    url.search = '';
  }
  return url;
}

/** `<outlet>-<20 hex chars of SHA-256(canonical URL)>`: only [a-z0-9-], as Meilisearch requires. */
export function articleId(outletId: string, canonical: URL): string {
  const hash = crypto.createHash('sha256').update(canonical.href).digest('hex').slice(0, 20);
  return `${outletId}-${hash}`;
}
