// Long phrases, which Meilisearch checks only a few words at a time: a story that has the
// phrase's pieces in different places must not count, whether the phrase is required or excluded.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { isLoose } from '../../server/search/loose-phrases.js';
import { loadedApp, type LoadedApp } from '../helpers/loaded-app.js';
import { tempDir } from '../helpers/meili.js';

// Stories written for this test, a week apart so that none is a copy of another.
const STORIES: Array<[string, string]> = [
  ['甲乙丙丁戊己在此', '这篇报道的正文里有完整的甲乙丙丁戊己，也有别的字。'],
  ['分开的片段', '这篇只有甲乙丙丁，后面又有乙丙丁戊己，却从来没有连在一起。'],
  ['无关的报道', '这篇与前面两篇都没有共同的词。'],
  ['English words', 'The phrase one two three four appears here once.'],
  ['English pieces', 'Here one two three stops, and later two three four stands alone.'],
];

let ctx: LoadedApp;
const dir = tempDir('tongwen-loose-');
before(async () => {
  STORIES.forEach(([title, body], i) => {
    const ms = Date.UTC(2022, 0, 1 + 7 * i);
    fs.writeFileSync(
      path.join(dir, `${i}.md`),
      `<!--${ms}-->\n[${title}](https://www.rfi.fr/cn/test/loose-${i})\n------\n\n<p>${body}</p>\n`,
    );
  });
  ctx = await loadedApp([dir]);
});
after(async () => {
  await ctx?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const total = async (q: string) => (await request(ctx.app).get('/api/search').query({ q }).expect(200)).body.total;

describe('long phrases count exactly', () => {
  it('Han terms of five characters or more, and phrases of three words or more, are checked', () => {
    assert.equal(isLoose({ text: '甲乙丙丁', script: 'han' }), false);
    assert.equal(isLoose({ text: '甲乙丙丁戊', script: 'han' }), true);
    assert.equal(isLoose({ text: 'one two', script: 'latin' }), false);
    assert.equal(isLoose({ text: 'one two three', script: 'latin' }), true);
  });

  it('a required long phrase counts only the stories that contain it in one place', async () => {
    assert.equal(await total('"甲乙丙丁"'), 2, 'four characters: both stories have them together');
    assert.equal(await total('"甲乙丙丁戊己"'), 1);
    assert.equal(await total('甲乙丙丁戊'), 1);
    assert.equal(await total('"one two three four"'), 1);
    const page = (await request(ctx.app).get('/api/search').query({ q: '"甲乙丙丁戊己"' }).expect(200)).body;
    assert.deepEqual(
      page.hits.map((h: { title: string }) => h.title),
      ['甲乙丙丁戊己在此'],
    );
    assert.deepEqual(page.facets.year, [{ value: '2022', label: '2022', count: 1 }]);
  });

  it('an excluded long phrase leaves out only the stories that contain it', async () => {
    assert.equal(await total('-"甲乙丙丁戊己"'), STORIES.length - 1);
    assert.equal(await total('甲乙丙丁 -"甲乙丙丁戊己"'), 1);
    assert.equal(await total('-"one two three four"'), STORIES.length - 1);
  });
});
