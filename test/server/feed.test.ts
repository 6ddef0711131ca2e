// GET /feed.xml against a real Meilisearch loaded with the fixture corpus: every feed is checked
// as well-formed Atom and read back with a feed parser; its entries must be /api/search's newest.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseFeed } from '@rowanmanning/feed-parser';
// fast-xml-parser comes with @rowanmanning/feed-parser; its validator is strict where that parser is lenient.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import request from 'supertest';
import { buildFeed, plainText } from '../../server/routes/feed.js';
import { inScript } from '../../server/search/display.js';
import { parseSearchParams } from '../../server/search/params.js';
import type { SearchHit } from '../../server/search/search-result.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';

let ctx: LoadedApp;
before(async () => {
  ctx = await loadedApp();
});
after(async () => ctx.cleanup());

type Query = Record<string, string | string[]>;
type Xml = Record<string, unknown>;
interface ApiHit {
  id: string;
  title: string;
  url: string;
  outlet: { name: string };
  topics: string[];
  publishedAt: string | null;
  titleHtml: string;
  snippetHtml: string;
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  isArray: (name) => ['entry', 'link', 'category', 'author'].includes(name),
});
const text = (v: unknown): string => (typeof v === 'object' && v !== null ? String((v as Xml)['#text'] ?? '') : String(v ?? ''));
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Well-formed XML, an Atom feed with the required elements; the document as parsed. */
function checkAtom(xml: string): Xml {
  assert.equal(XMLValidator.validate(xml), true, 'well-formed XML');
  const doc = xmlParser.parse(xml) as Xml;
  const feed = doc.feed as Xml;
  assert.ok(feed, 'the root is <feed>');
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  for (const el of [feed, ...((feed.entry as Xml[] | undefined) ?? [])]) {
    assert.ok(text(el.id), 'id');
    assert.ok('title' in el, 'title');
    assert.match(text(el.updated), RFC3339);
  }
  for (const e of (feed.entry as Xml[] | undefined) ?? []) {
    assert.ok((e.author as Xml[] | undefined)?.length || (feed.author as Xml[] | undefined)?.length, 'an author');
    const alternates = (e.link as Xml[]).filter((l) => l['@rel'] === 'alternate');
    const kinds = alternates.map((l) => `${l['@type'] ?? ''}|${l['@hreflang'] ?? ''}`);
    assert.equal(new Set(kinds).size, kinds.length, 'no two alternate links of the same type and language');
  }
  return feed;
}

// A fixed Host: supertest listens on a new port for each request, and the feed's URLs are absolute.
const HOST = 'news.example:8080';
const feedRequest = (query: Query = {}, method: 'get' | 'head' = 'get') =>
  request(ctx.app)[method]('/feed.xml').set('Host', HOST).query(query);

async function getFeed(query: Query) {
  const res = await feedRequest(query)
    .buffer(true)
    .parse((r, done) => {
      let s = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (s += c));
      r.on('end', () => done(null, s));
    })
    .expect(200);
  assert.equal(res.headers['content-type'], 'application/atom+xml; charset=utf-8');
  assert.equal(res.headers['cache-control'], 'public, max-age=300');
  assert.match(res.headers.etag ?? '', /^"[A-Za-z0-9_-]{27}"$/, 'a strong ETag');
  const xml = res.body as string;
  return { res, xml, doc: checkAtom(xml), feed: parseFeed(xml) };
}

async function newest(query: Query): Promise<{ total: number; hits: ApiHit[] }> {
  const res = await request(ctx.app)
    .get('/api/search')
    .query({ ...query, sort: 'newest', perPage: '50' })
    .expect(200);
  return res.body;
}

const articleId = (url: string | null) => decodeURIComponent(new URL(url!).pathname.replace(/^\/article\//, ''));

/** The feed's entries are the API's hits, in order, with their fields as plain text. */
function sameAsApi(feed: ReturnType<typeof parseFeed>, doc: Xml, hits: ApiHit[], script: 'orig' | 'hant' = 'orig') {
  assert.deepEqual(
    feed.items.map((i) => articleId(i.id)),
    hits.map((h) => h.id),
  );
  const entries = doc.entry as Xml[];
  hits.forEach((h, n) => {
    const item = feed.items[n]!;
    assert.equal(item.title, plainText(h.titleHtml), h.id);
    assert.equal(item.url, h.url, 'the link readers open is the original');
    assert.equal(item.description ?? '', plainText(h.snippetHtml), h.id);
    assert.deepEqual(
      item.categories.map((c) => c.term),
      h.topics,
    );
    assert.equal(item.authors[0]?.name, inScript(h.outlet.name, script));
    if (h.publishedAt) {
      assert.equal(item.published?.toISOString(), h.publishedAt);
      assert.equal(item.updated?.toISOString(), h.publishedAt);
    }
    const ours = (entries[n]!.link as Xml[]).find((l) => l['@type'] === 'text/html');
    assert.equal(articleId(String(ours?.['@href'])), h.id, 'an alternate link to our article page');
  });
}

describe('GET /feed.xml', () => {
  it('without a query: the newest 50 stories of the corpus, as /api/search shows them', async () => {
    assert.ok(ctx.articles.length > 50, 'the corpus has more than 50 stories');
    const { res, feed, doc } = await getFeed({ page: '3', perPage: '10', sort: 'oldest' });
    const api = await newest({});
    assert.equal(feed.meta.type, 'atom');
    assert.equal(feed.items.length, 50);
    sameAsApi(feed, doc, api.hits);
    assert.equal(feed.title, '同文 Tongwen：全部报道');
    assert.equal(feed.language, 'zh-Hans');
    const origin = `http://${HOST}`;
    assert.equal(feed.self, `${origin}/feed.xml`, 'self: the feed, without page, perPage or sort');
    assert.equal(feed.url, `${origin}/`, 'alternate: the search page');
    assert.equal(text(doc.id), `${origin}/`);
    const latest = Math.max(...api.hits.filter((h) => h.publishedAt).map((h) => Date.parse(h.publishedAt!)));
    assert.equal(feed.updated?.getTime(), latest);
    assert.equal(res.headers['last-modified'], new Date(latest).toUTCString());
    assert.equal(feed.generator?.label, 'Tongwen');
  });

  it('with a query and filters: the newest page of the same search, filters in the title', async () => {
    const query = { q: '香港', outlet: ['rfi', 'bbc', 'hkcnews'], topic: '港澳台', from: '2000-01-01' };
    const api = await newest(query);
    assert.ok(api.hits.length > 0, 'the search finds stories');
    const { feed, doc } = await getFeed(query);
    sameAsApi(feed, doc, api.hits);
    assert.match(feed.title!, /^同文 Tongwen：香港 · 媒体：.+、.+、.+ · 主题：港澳台 · 日期：2000-01-01 – …$/);
    assert.ok(!feed.title!.includes('rfi'), 'outlets by name');
    const page = new URL(feed.url!);
    assert.equal(page.pathname, '/');
    assert.deepEqual(page.searchParams.getAll('outlet'), query.outlet);
    assert.equal(page.searchParams.get('sort'), 'newest', "the page in the feed's order");
    assert.equal(new URL(feed.self!).searchParams.get('q'), '香港');
  });

  it('script=hant: titles, summaries and the feed title in traditional script', async () => {
    const query = { q: '北约', topic: '国际', script: 'hant' };
    const api = await newest(query);
    assert.ok(api.hits.length > 0);
    const { feed, doc } = await getFeed(query);
    sameAsApi(feed, doc, api.hits, 'hant');
    assert.equal(feed.title, `${inScript('同文', 'hant')} Tongwen：北约 · ${inScript('主题：国际', 'hant')}`);
    assert.equal(feed.language, 'zh-Hant');
    assert.ok(
      feed.items.some((i) => i.title!.includes('北約')),
      'converted titles',
    );
    for (const [n, h] of api.hits.entries()) assert.equal(feed.items[n]!.title, inScript(h.title, 'hant'));
    assert.ok((doc.entry as Xml[]).every((e) => e['@xml:lang'] === 'zh-Hant'));
  });

  it('no results: a valid feed without entries', async () => {
    const { res, feed, doc } = await getFeed({ q: 'qwxzvkjplmbnf' });
    assert.equal(feed.items.length, 0);
    assert.equal(doc.entry, undefined);
    assert.equal(feed.updated?.getTime(), 0, 'a fixed date');
    assert.equal(res.headers['last-modified'], undefined);
  });

  it('ETag: the same feed revalidates with 304, another ETag gets the feed', async () => {
    const first = await getFeed({ topic: '国际' });
    const etag = first.res.headers.etag!;
    const again = await getFeed({ topic: '国际' });
    assert.equal(again.res.headers.etag, etag, 'the same content, the same ETag');
    const fresh = await feedRequest({ topic: '国际' }).set('If-None-Match', etag).expect(304);
    assert.equal(fresh.text, '');
    assert.equal(fresh.headers.etag, etag);
    assert.equal(fresh.headers['cache-control'], 'public, max-age=300');
    await feedRequest({ topic: '国际' }).set('If-None-Match', `"other", ${etag}`).expect(304);
    await feedRequest({ topic: '国际' }).set('If-None-Match', '"other"').expect(200);
    const other = await getFeed({ topic: '体育' });
    assert.notEqual(other.res.headers.etag, etag);
    await feedRequest({ topic: '体育' }).set('If-None-Match', etag).expect(200);
    // If-None-Match decides when both are sent.
    await feedRequest({ topic: '国际' })
      .set('If-None-Match', '"other"')
      .set('If-Modified-Since', first.res.headers['last-modified']!)
      .expect(200);
  });

  it('Last-Modified: If-Modified-Since at or after it gets 304, before it the feed', async () => {
    const { res } = await getFeed({});
    const lastModified = res.headers['last-modified']!;
    const at = Date.parse(lastModified);
    await feedRequest().set('If-Modified-Since', lastModified).expect(304);
    await feedRequest()
      .set('If-Modified-Since', new Date(at + 86_400_000).toUTCString())
      .expect(304);
    await feedRequest()
      .set('If-Modified-Since', new Date(at - 1000).toUTCString())
      .expect(200);
  });

  it('HEAD: the headers of GET, no body', async () => {
    const { res } = await getFeed({ q: '香港' });
    const head = await feedRequest({ q: '香港' }, 'head').expect(200);
    assert.equal(head.headers['content-type'], 'application/atom+xml; charset=utf-8');
    assert.equal(head.headers.etag, res.headers.etag);
    assert.equal(head.headers['last-modified'], res.headers['last-modified']);
    assert.equal(head.text, undefined);
    await feedRequest({ q: '香港' }, 'head').set('If-None-Match', res.headers.etag!).expect(304);
  });

  it('a bad parameter: 400 with the JSON error', async () => {
    for (const [query, param] of [
      [{ topic: 'nope' }, 'topic'],
      [{ from: '2020-13-01' }, 'from'],
      [{ script: 'latin' }, 'script'],
      [{ q: ['a', 'b'] }, 'q'],
    ] as Array<[Query, string]>) {
      const res = await feedRequest(query).set('Accept', 'text/html').expect(400).expect('Content-Type', /json/);
      assert.equal(res.body.error.code, 'invalid_parameter');
      assert.equal(res.body.error.param, param);
    }
    // The feed's URLs are built on the Host header, so one that is not a host name is refused.
    await feedRequest().set('Host', 'bad<host>').expect(400);
  });

  it('a query with markup characters comes out as text', async () => {
    const q = 'a<b>&c"d\'e &amp; f\u0001';
    const { xml, feed, doc } = await getFeed({ q });
    assert.equal(text(doc.title), '同文 Tongwen：a<b>&c"d\'e &amp; f', 'exactly, without the control character');
    assert.ok(!xml.includes('<b>'));
    assert.equal(parseFeed((await getFeed({ q: 'x<y&z"' })).xml).title, '同文 Tongwen：x<y&z"');
    assert.equal(new URL(feed.url!).searchParams.get('q'), 'a<b>&c"d\'e &amp; f\u0001');
  });
});

describe('buildFeed', () => {
  const hit = (over: Partial<SearchHit>): SearchHit => ({
    id: 'a-1',
    title: 'T',
    url: 'https://example.com/a?x=1&y=2',
    outlet: { id: 'o', name: 'O' },
    topics: ['国际'],
    publishedAt: '2021-03-04T05:06:07.000Z',
    lang: 'zh-Hans',
    titleHtml: 'T',
    snippetHtml: 'S',
    copies: 0,
    ...over,
  });

  it('titles, summaries, authors and links with markup characters come out as text', () => {
    const p = parseSearchParams({});
    const { xml } = buildFeed(
      p,
      [
        hit({
          title: '<script>x</script> & "引号" ]]> &amp;\u0002',
          snippetHtml: '前 <mark>&lt;b&gt;</mark> &amp;amp; &quot;后&#39;',
          outlet: { id: 'o', name: 'A & <B>' },
        }),
        hit({ id: 'b-2', publishedAt: null, url: 'javascript:alert(1)' }),
      ],
      'http://example.org',
    );
    const doc = checkAtom(xml);
    const feed = parseFeed(xml);
    const [first, second] = feed.items;
    assert.equal(first!.title, '<script>x</script> & "引号" ]]> &amp;');
    assert.equal(first!.description, '前 <b> &amp; "后\'');
    assert.equal(first!.authors[0]?.name, 'A & <B>');
    assert.equal(first!.url, 'https://example.com/a?x=1&y=2');
    assert.equal(first!.id, 'http://example.org/article/a-1');
    assert.equal(text((doc.entry as Xml[])[0]!.author && ((doc.entry as Xml[])[0]!.author as Xml[])[0]!.name), 'A & <B>');
    // An undated story takes the feed's date; an unusable URL gives way to our article page.
    assert.equal(second!.published, null);
    assert.equal(second!.updated?.toISOString(), '2021-03-04T05:06:07.000Z');
    assert.equal(second!.url, 'http://example.org/article/b-2');
  });
});
