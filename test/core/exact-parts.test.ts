// The exact-match fields in parts (core/text/exact-parts.ts): every token of a long text is in a
// part that Meilisearch indexes whole, and any query term lies whole inside one part. Checked by
// counting positions the way Meilisearch 1.21 does, and against a real Meilisearch.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { exactParts, MEILI_LAST_POSITION, PART_LAST_POSITION, PART_OVERLAP_TOKENS } from '../../core/text/exact-parts.js';
import { bigramToken, exactField } from '../../core/text/exact-terms.js';
import { INDEX_SETTINGS } from '../../core/index-settings.js';
import { MAX_QUERY_CHARS } from '../../server/search/params.js';
import { longChineseText } from '../helpers/long-text.js';
import { startTestMeili, type TestMeili } from '../helpers/meili.js';

/** Meilisearch's position of each word of a part: 1 after a space, 8 after the hard separator ". ". */
function positions(part: string): number[] {
  const out: number[] = [];
  let at = 0;
  for (const [i, piece] of part.split(/(\. | )/).entries()) {
    if (i % 2 === 1) at += piece === ' ' ? 1 : 8;
    else {
      if (out.length === 0) at = 0;
      out.push(at);
    }
  }
  return out;
}

const words = (part: string) => part.split(/\. | /);

/**
 * Han text whose bigrams all differ: distinct Han characters (the unified block, then extensions
 * A and B), in runs of ten ended by a comma, so each token stands for one place in the text.
 */
function uniqueBigramText(chars: number): string {
  const han: string[] = [];
  for (const [from, to] of [
    [0x4e00, 0x9fff],
    [0x3400, 0x4dbf],
    [0x20000, 0x2a6df],
  ] as const) {
    for (let cp = from; cp <= to && han.length < chars; cp++) {
      const c = String.fromCodePoint(cp);
      if (/\p{Script=Han}/u.test(c)) han.push(c);
    }
  }
  assert.equal(han.length, chars);
  return han.map((c, i) => c + (i % 10 === 9 ? '，' : '')).join('');
}

describe('exact-match fields in parts', () => {
  it('a text that fits is one part, the same tokens as before parts; an empty text has none', () => {
    const text = '香港人权，covid19 疫情。2023年';
    assert.deepEqual(exactParts(text), { 1: exactField(text) });
    assert.equal(
      exactField(text),
      `${bigramToken('香港')} ${bigramToken('港人')} ${bigramToken('人权')}. covid 19. ${bigramToken('疫情')}. 2023`,
    );
    assert.deepEqual(exactParts(''), {});
    assert.deepEqual(exactParts('，。'), {});
  });

  it('a long text is cut into parts that each stay within the positions Meilisearch indexes', () => {
    const parts = Object.values(exactParts(longChineseText(300_000, 7)));
    assert.ok(parts.length >= 6, `${parts.length} parts`);
    for (const part of parts) assert.ok(positions(part).at(-1)! <= PART_LAST_POSITION);
    // Full parts are full: the cut is not far below the limit.
    for (const part of parts.slice(0, -1)) assert.ok(positions(part).at(-1)! > PART_LAST_POSITION - 16);
    assert.ok(PART_LAST_POSITION <= MEILI_LAST_POSITION);
  });

  it('each part repeats the last tokens of the one before, and together they hold every token once past that', () => {
    const text = longChineseText(200_000, 8);
    const parts = Object.entries(exactParts(text));
    assert.deepEqual(
      parts.map(([key]) => key),
      parts.map((_, i) => String(i + 1)),
    );
    const all = words(exactField(text));
    const joined = words(parts[0]![1]);
    for (const [, part] of parts.slice(1)) {
      const tokens = words(part);
      assert.deepEqual(tokens.slice(0, PART_OVERLAP_TOKENS), joined.slice(-PART_OVERLAP_TOKENS));
      joined.push(...tokens.slice(PART_OVERLAP_TOKENS));
    }
    assert.deepEqual(joined, all);
  });

  it('the overlap holds the longest term a query can have', () => {
    // A term has at most one token per character (Han: one bigram fewer than characters).
    assert.ok(PART_OVERLAP_TOKENS >= MAX_QUERY_CHARS);
  });
});

describe('exact-match parts in a real Meilisearch', () => {
  let meili: TestMeili;
  before(async () => {
    meili = await startTestMeili();
  });
  after(async () => meili?.cleanup());

  it('every token of a full part is found, up to its last position, and no phrase joins two parts', async () => {
    const text = uniqueBigramText(60_000);
    const parts = exactParts(text);
    const [first, second] = [words(parts[1]!), words(parts[2]!)];
    assert.ok(positions(parts[1]!).at(-1)! > PART_LAST_POSITION - 16, 'the first part is full');
    // The index's own settings; the second part's overlap left out, so its first token follows
    // the first part's last one in the text.
    const index = meili.client.index('parts');
    await meili.client.createIndex('parts', { primaryKey: 'id' }).waitTask();
    assert.equal((await index.updateSettings(INDEX_SETTINGS).waitTask()).status, 'succeeded');
    const doc = { id: 'long', titleExact: {}, bodyExact: { 1: parts[1], 2: second.slice(PART_OVERLAP_TOKENS).join(' ') } };
    assert.equal((await index.addDocuments([doc]).waitTask({ timeout: 60_000 })).status, 'succeeded');
    const total = async (q: string) => (await index.search(q, { matchingStrategy: 'all' })).estimatedTotalHits;
    for (const token of [first[0]!, first.at(-2)!, first.at(-1)!, second.at(-1)!]) assert.equal(await total(`"${token}"`), 1, token);
    assert.equal(await total(`"${first.at(-2)} ${first.at(-1)}"`), 1, 'a phrase inside a part');
    assert.equal(
      await total(`"${first.at(-1)} ${second[PART_OVERLAP_TOKENS]}"`),
      0,
      'the last word of one part and the first of the next are no phrase',
    );
  });
});
