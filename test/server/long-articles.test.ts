// Long articles are searchable to their last character: Meilisearch indexes only the first 65,536
// positions of an attribute, so the exact fields are stored in parts (core/text/exact-parts.ts).
// A generated 300,000-character article, through the real reindex and /api/search.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { exactParts } from '../../core/text/exact-parts.js';
import { bigramsOf } from '../../core/text/exact-terms.js';
import { toCanonical } from '../../core/text/normalize.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { longChineseText, withWordAt, writeFeedxArticle } from '../helpers/long-text.js';
import { tempDir } from '../helpers/meili.js';

const LENGTH = 300_000;
/** Words of characters the generator never writes (MARKER_CHARS), so each occurs only where put. */
const NEAR_END = '鑫龘';
const NEAR_END_AT = 299_000;
/** Across the end of the first part: its first bigram ends part 1. */
const STRADDLING = '爨麤靐齉';
/** Inside the overlap (in parts 1 and 2) and in the title: three fields, one story. */
const IN_OVERLAP = '齉爨';
/** Five characters: checked by reading the candidates' text (server/search/loose-phrases.ts). */
const LONG_TERM = '麤鑫麤鑫麤';
const LONG_TERM_AT = 280_000;

/** Characters of `text` whose exact field fits in the first part. */
function firstPartChars(text: string): number {
  let [lo, hi] = [0, text.length];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (Object.keys(exactParts(text.slice(0, mid))).length <= 1) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** `text` with STRADDLING written where the first part ends inside it. */
function withStraddlingWord(text: string): string {
  const end = firstPartChars(text);
  const bigrams = bigramsOf(STRADDLING).split(' ');
  for (let at = end - 3; at <= end; at++) {
    const candidate = withWordAt(text, STRADDLING, at);
    const part1 = exactParts(candidate)[1]!;
    if (part1.endsWith(` ${bigrams[0]}`) || part1.endsWith(` ${bigrams[0]} ${bigrams[1]}`)) return candidate;
  }
  throw new Error('no place found where the word straddles the end of the first part');
}

let ctx: LoadedApp;
let body: string;
const dir = tempDir('tongwen-long-');
before(async () => {
  body = longChineseText(LENGTH, 1);
  body = withWordAt(body, NEAR_END, NEAR_END_AT);
  body = withWordAt(body, LONG_TERM, LONG_TERM_AT);
  body = withWordAt(body, IN_OVERLAP, firstPartChars(body) - 150);
  body = withStraddlingWord(body);
  writeFeedxArticle(dir, 0, `长文${IN_OVERLAP}测试`, body);
  writeFeedxArticle(dir, 1, `${NEAR_END}短讯`, `这是一篇短讯，正文里也有${NEAR_END}。`);
  writeFeedxArticle(dir, 2, '无关的短讯', '这篇短讯与前面的都不同。');
  ctx = await loadedApp([dir]);
});
after(async () => {
  await ctx?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const search = async (q: string) => (await request(ctx.app).get('/api/search').query({ q }).expect(200)).body;
const long = () => ctx.articles.find((a) => a.body.length === LENGTH)!;

describe('a 300,000-character article', () => {
  it('is indexed as written, in several parts, with the test words where they were put', () => {
    // Compared as booleans: a failure would otherwise print the 300,000 characters twice.
    assert.ok(long().body === body, 'the parsed body is the text written');
    assert.ok(toCanonical(body) === body, 'the text is canonical: what the indexer stores is what the test cut into parts');
    const parts = exactParts(body);
    assert.ok(Object.keys(parts).length >= 6);
    const phrase = (w: string) => bigramsOf(w);
    assert.ok(parts[1]!.includes(phrase(IN_OVERLAP)) && parts[2]!.includes(phrase(IN_OVERLAP)), 'in the overlap');
    assert.ok(!parts[1]!.includes(phrase(STRADDLING)) && parts[2]!.includes(phrase(STRADDLING)), 'straddles the end of part 1');
    assert.ok(!parts[1]!.includes(phrase(NEAR_END)));
  });

  it('a word near its end is found, counted and marked in the snippet', async () => {
    const res = await search(NEAR_END);
    assert.equal(res.total, 2);
    assert.deepEqual(res.facets.year, [{ value: '2023', label: '2023', count: 2 }]);
    const hit = res.hits.find((h: { id: string }) => h.id === long().id);
    assert.ok(hit, 'the long article is a hit');
    const before = body.slice(NEAR_END_AT - 20, NEAR_END_AT);
    assert.ok(hit.snippetHtml.includes(`${before}<mark>${NEAR_END}</mark>`), hit.snippetHtml);
  });

  it('a word across the end of one part and the start of the next is found, counted and marked', async () => {
    const res = await search(STRADDLING);
    assert.equal(res.total, 1);
    assert.match(res.hits[0].snippetHtml, new RegExp(`<mark>${STRADDLING}</mark>`));
  });

  it('a story with the word in its title and in two parts counts once', async () => {
    const res = await search(IN_OVERLAP);
    assert.equal(res.total, 1);
    assert.equal(res.hits[0].titleHtml, `长文<mark>${IN_OVERLAP}</mark>测试`);
    assert.match(res.hits[0].snippetHtml, new RegExp(`<mark>${IN_OVERLAP}</mark>`));
  });

  it('a long term near its end is found and counted; excluding a word there leaves the story out', async () => {
    assert.equal((await search(`"${LONG_TERM}"`)).total, 1);
    assert.equal((await search(`-${NEAR_END}`)).total, 1);
    assert.equal((await search(`${NEAR_END} -${STRADDLING}`)).total, 1);
  });
});
