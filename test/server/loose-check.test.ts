// Long phrases, which Meilisearch also matches in stories that have only their pieces: every total
// is the number of stories whose text has the terms (read here from every story), for required
// and excluded long terms, Han and Latin, many of them only in pieces; and past the cap on the
// candidates a search reads, the answer says its total is an upper bound.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { createLogger } from '../../core/log.js';
import { createApp } from '../../server/app.js';
import type { SearchBackend } from '../../server/search/backend.js';
import { singleBackend } from '../../server/search/backend.js';
import { checkLoosePhrases } from '../../server/search/loose-phrases.js';
import { parseSearchParams } from '../../server/search/params.js';
import { search } from '../../server/search/search.js';
import { countOf } from '../../server/search/matches.js';
import { meiliQuery, type Term } from '../../server/search/query.js';
import { searchClient } from '../../server/search-client.js';
import { CORPUS_TREES, loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { tempDir } from '../helpers/meili.js';
import { checkSchema } from '../helpers/openapi.js';

// Latin phrases written for this test (the fixture corpus is nearly all Chinese), some with their
// words together, some only in overlapping pieces.
const LATIN: Array<[string, string]> = [
  ['Harbour notes', 'The city council met on the harbour front and the city council voted.'],
  ['Harbour pieces', 'A city council of old; later the council met on the harbour, and met on it again.'],
  ['Rail notes', 'The new rail link opens next spring, said the rail link office.'],
  ['Rail pieces', 'Work on the new rail began; a rail link opens soon; the link opens next year.'],
];

/**
 * Long Han terms from the corpus, half of them substrings that occur, half of them only in
 * pieces: ABCDE where one text has ABCD and BCDE in different places but no text has ABCDE,
 * which Meilisearch matches (its phrase check sees AB BC CD together, and BC CD DE together).
 */
function hanTerms(texts: string[], n: number): string[] {
  const all = texts.join('\n');
  const whole = new Set<string>();
  const pieces = new Set<string>();
  for (const text of texts) {
    // Per text: the characters that follow each three-character string somewhere in it.
    const after3 = new Map<string, Set<string>>();
    const runs = (text.match(/\p{Script=Han}{4,}/gu) ?? []).map((r) => Array.from(r));
    for (const cs of runs) {
      for (let i = 0; i + 3 < cs.length; i++) {
        const key = cs.slice(i, i + 3).join('');
        if (!after3.has(key)) after3.set(key, new Set());
        after3.get(key)!.add(cs[i + 3]!);
      }
    }
    for (const cs of runs) {
      for (let i = 0; i + 4 <= cs.length; i++) {
        if (whole.size < n / 2 && i % 11 === 0 && i + 5 <= cs.length) whole.add(cs.slice(i, i + 5 + (i % 3)).join(''));
        for (const next of after3.get(cs.slice(i + 1, i + 4).join('')) ?? []) {
          const term = cs.slice(i, i + 4).join('') + next;
          if (pieces.size < n / 2 && !all.includes(term)) pieces.add(term);
        }
      }
    }
  }
  // Interleaved, so that any slice has both kinds.
  const a = [...whole];
  const b = [...pieces];
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]])
    .flat()
    .filter((t): t is string => t !== undefined);
}

const han = (text: string, exclude = false): Term => ({ text, script: 'han', phrase: true, exclude });
const latin = (text: string, exclude = false): Term => ({ text, script: 'latin', phrase: true, exclude });

let ctx: LoadedApp;
let backend: SearchBackend;
let texts: string[];
/** Every story's canonical text, lower-cased, as matches.ts searches it. */
let stories: string[];
const dir = tempDir('tongwen-spans-');
before(async () => {
  LATIN.forEach(([title, body], i) => {
    const ms = Date.UTC(2021, 5, 1 + 9 * i);
    fs.writeFileSync(
      path.join(dir, `${i}.md`),
      `<!--${ms}-->\n[${title}](https://www.rfi.fr/cn/test/spans-${i})\n------\n\n<p>${body}</p>\n`,
    );
  });
  ctx = await loadedApp([...CORPUS_TREES, dir]);
  backend = singleBackend(searchClient(ctx.meili.url, ctx.searchKey), 'articles');
  const { results } = await backend.search<{ titleSearch: string; bodySearch: string }>([
    { q: '', page: 1, hitsPerPage: 1000, attributesToRetrieve: ['titleSearch', 'bodySearch'] },
  ]);
  texts = results[0]!.hits.map((h) => `${h.titleSearch}\n${h.bodySearch}`);
  stories = texts.map((t) => t.toLowerCase());
  assert.ok(texts.length < 1000, 'every story was read');
});
after(async () => {
  await ctx?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A long Han term of the corpus that Meilisearch matches in at least `n` stories (the most common five characters). */
async function termWithCandidates(n: number): Promise<{ text: string; candidates: number }> {
  const stories = new Map<string, number>();
  for (const t of texts) {
    const seen = new Set<string>();
    for (const run of t.match(/\p{Script=Han}{5,}/gu) ?? []) {
      const cs = Array.from(run);
      for (let i = 0; i + 5 <= cs.length; i++) seen.add(cs.slice(i, i + 5).join(''));
    }
    for (const g of seen) stories.set(g, (stories.get(g) ?? 0) + 1);
  }
  const text = [...stories].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const { results } = await backend.search([{ q: meiliQuery({ terms: [han(text)] }), matchingStrategy: 'all', page: 1, hitsPerPage: 0 }]);
  assert.ok(results[0]!.total >= n, `${text} is in ${results[0]!.total} stories`);
  return { text, candidates: results[0]!.total };
}

/** Stories whose text has every required term and no excluded one, counted by reading them all. */
function truth(terms: Term[]): number {
  return stories.filter((text) => terms.every((t) => countOf(text, t) > 0 !== t.exclude)).length;
}

/** The search's total equals the truth, and reports whether Meilisearch alone would have been wrong. */
async function same(terms: Term[]): Promise<number> {
  const q = terms.map((t) => `${t.exclude ? '-' : ''}"${t.text}"`).join(' ');
  const result = await search(backend, parseSearchParams({ q }), { coverage: false });
  assert.equal(result.bounded, undefined);
  assert.deepEqual(
    result.query.terms.map((t) => t.text),
    terms.map((t) => t.text),
    q,
  );
  assert.equal(result.total, truth(terms), q);
  const check = await checkLoosePhrases(backend, terms);
  return check.leaveOut.length;
}

describe('totals with long phrases are the stories whose text has them', () => {
  it('required long Han terms, alone and with another term', async () => {
    const terms = hanTerms(texts, 160);
    assert.ok(terms.length >= 100, `${terms.length} terms`);
    let leftOut = 0;
    for (const t of terms) leftOut += await same([han(t)]);
    for (let i = 0; i + 1 < 40; i += 2) leftOut += await same([han(terms[i]!), han(terms[i + 1]!)]);
    for (const t of terms.slice(0, 30)) leftOut += await same([han('香港'), han(t)]);
    assert.ok(leftOut >= 50, `pieces-only matches were exercised (${leftOut} left out)`);
  });

  it('excluded long Han terms, alone and after required terms', async () => {
    const terms = hanTerms(texts, 60);
    let leftOut = 0;
    for (const t of terms) leftOut += await same([han(t, true)]);
    for (const t of terms.slice(0, 30)) leftOut += await same([han('香港'), han(t, true)]);
    for (let i = 0; i + 1 < 20; i += 2) leftOut += await same([han(terms[i]!), han(terms[i + 1]!, true)]);
    assert.ok(leftOut >= 20, `excluded terms were exercised (${leftOut} left out)`);
  });

  it('Latin phrases of three words or more, required and excluded', async () => {
    let leftOut = 0;
    for (const p of [
      'city council met',
      'council met on',
      'city council met on the harbour',
      'new rail link',
      'rail link opens next',
      'link opens next year',
      'the rail link office',
    ]) {
      leftOut += await same([latin(p)]);
      leftOut += await same([latin(p, true)]);
      leftOut += await same([latin('rail'), latin(p, true)]);
    }
    assert.ok(leftOut >= 5, `${leftOut} left out`);
  });
});

describe('a search checks at most a set number of candidates, and says when it stopped', () => {
  const capped = (cap: number) =>
    createApp({
      backend: singleBackend(searchClient(ctx.meili.url, ctx.searchKey), 'articles'),
      log: createLogger('silent'),
      maxVerifiedCandidates: cap,
    });

  it('past the cap the total is an upper bound, flagged with the stories checked and to check', async () => {
    const { text, candidates } = await termWithCandidates(3);
    const q = `"${text}"`;
    const exact = (await request(capped(1_000_000)).get('/api/search').query({ q }).expect(200)).body;
    assert.equal(exact.bounded, undefined);
    const res = await request(capped(1)).get('/api/search').query({ q }).expect(200);
    checkSchema('SearchResponse', res.body);
    assert.deepEqual(res.body.bounded, { verified: 1, candidates });
    assert.ok(res.body.total >= exact.total, `${res.body.total} is an upper bound of ${exact.total}`);
    assert.ok(res.body.total - (candidates - 1) <= exact.total);
  });

  it('excluded long terms share the same cap', async () => {
    const { text, candidates } = await termWithCandidates(3);
    const res = (
      await request(capped(2))
        .get('/api/search')
        .query({ q: `-"${text}"` })
        .expect(200)
    ).body;
    assert.deepEqual(res.bounded, { verified: 2, candidates });
    const both = (
      await request(capped(2))
        .get('/api/search')
        .query({ q: `"${text}" -"city council met on"` })
        .expect(200)
    ).body;
    assert.equal(both.bounded.verified, 2, 'the required term used the whole budget');
    assert.ok(both.bounded.candidates >= candidates);
  });

  it('the search page says the count is an upper bound, next to it', async () => {
    const { text } = await termWithCandidates(3);
    const html = (
      await request(capped(1))
        .get('/')
        .query({ q: `"${text}"` })
        .expect(200)
    ).text;
    assert.match(html, /<strong>≤ [\d,]+<\/strong>/);
    assert.match(html, /class="notice bounded"[^>]*>总数为上限/);
    const plain = (
      await request(capped(1_000_000))
        .get('/')
        .query({ q: `"${text}"` })
        .expect(200)
    ).text;
    assert.doesNotMatch(plain, /class="notice bounded"/);
  });
});
