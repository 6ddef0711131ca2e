// Grouping on a real slice of the 48k hkcnews archive (folder 1-1000, unpacked to a temp dir):
// the same story saved under several article numbers becomes one story, stably. Needs the real
// corpus (TONGWEN_CORPUS); the fixture corpus's own copies are grouped in reindex.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fingerprint, groupCopies, type Fingerprint } from '../../../indexer/dedupe/group.js';
import { parseAll } from '../../../indexer/parse-stream.js';
import type { Article } from '../../../core/schema.js';
import { realCorpus, skipWithoutRealCorpus } from '../../helpers/corpus.js';
import { tempDir } from '../../helpers/meili.js';

describe('near-duplicate groups in hkcnews articles 1-1000', {
  skip: skipWithoutRealCorpus('Grouping a slice of the 48k hkcnews archive'),
}, () => {
  const real = realCorpus;
  if (!real) return;
  const dir = tempDir('tongwen-hk1000-');
  const articles: Article[] = [];
  let junk = 0;
  let fingerprints: Fingerprint[] = [];
  before(async () => {
    execFileSync('tar', ['-I', 'zstd', '-xf', path.join(real, 'hkcnews-48k.tar.zst'), '-C', dir, 'articles/1-1000']);
    for await (const r of parseAll([dir])) {
      if (r.ok) articles.push(r.doc);
      else if (r.junk) junk++;
    }
    fingerprints = articles.map((a) => fingerprint(a));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const articleIdOf = (n: number) => {
    const found = articles.find((a) => a.url === `https://hkcnews.com/article/${n}` || a.url.includes(`/article/${n}/`));
    return found?.id;
  };

  it('rejects the junk pages among the 800 files', () => {
    assert.equal(articles.length + junk, 800, 'every file is an article or a junk page here');
    assert.ok(junk > 0);
  });

  it('puts the five saved copies of one story (articles 915, 917, 918, 923, 925) in one group', () => {
    const { groups } = groupCopies(fingerprints);
    const ids = [915, 917, 918, 923, 925].map(articleIdOf);
    assert.ok(ids.every(Boolean), 'all five parsed');
    const group = groups.find((g) => g.representative.id === ids[0] || g.copies.some((c) => c.id === ids[0]))!;
    const members = [group.representative.id, ...group.copies.map((c) => c.id)].sort();
    assert.deepEqual(members, [...ids].sort());
    const longest = Math.max(...ids.map((id) => Array.from(articles.find((a) => a.id === id)!.body).length));
    assert.equal(
      Array.from(articles.find((a) => a.id === group.representative.id)!.body).length,
      longest,
      'the most complete copy represents the story',
    );
  });

  it('collapses many copies, and never groups across outlets or distant days', () => {
    const { groups } = groupCopies(fingerprints);
    const copies = articles.length - groups.length;
    assert.ok(copies > 100, `${copies} copies collapsed`);
    for (const g of groups) {
      for (const c of g.copies) {
        assert.equal(c.outlet, g.representative.outlet);
        if (c.day !== null && g.representative.day !== null) assert.ok(Math.abs(c.day - g.representative.day) <= 3);
      }
    }
  });

  it('gives the same groups and representatives for any input order', () => {
    const key = (fs: Fingerprint[]) =>
      groupCopies(fs)
        .groups.map((g) => `${g.representative.id}:${g.copies.map((c) => c.id).join(',')}`)
        .join('\n');
    const expected = key(fingerprints);
    assert.equal(key([...fingerprints].reverse()), expected);
    assert.equal(key([...fingerprints].sort((a, b) => a.titleKey.localeCompare(b.titleKey))), expected);
  });
});
