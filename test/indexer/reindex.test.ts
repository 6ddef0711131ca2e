// The reindex CLI against a real Meilisearch and the fixture corpus: full reindex, live swaps under
// search traffic, incremental runs, killed runs, near-duplicate copies, and usage errors.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Meilisearch } from 'meilisearch';
import { INDEX_SETTINGS, settingsToApply } from '../../core/index-settings.js';
import { toCanonical } from '../../core/text/normalize.js';
import { parseFile } from '../../indexer/parse-file.js';
import type { Article } from '../../core/schema.js';
import { meiliQuery, parseQuery } from '../../server/search/query.js';
import { findArticle } from '../../server/search/stories-by-id.js';
import { parseAll } from '../../indexer/parse-stream.js';
import { runCli, waitForStderr } from '../helpers/cli.js';
import { FIXTURE, FIXTURE_TREES, fixtureCorpusDir } from '../helpers/corpus.js';
import { chinaDay } from '../helpers/loaded-app.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';
import { singleBackend } from '../../server/search/backend.js';

const TREES = FIXTURE_TREES;
/** 香港 as the server asks Meilisearch for it. */
const HONG_KONG = meiliQuery(parseQuery('香港'));
const cleanup: string[] = [];
after(() => {
  for (const d of cleanup) fs.rmSync(d, { recursive: true, force: true });
});
function newDir(prefix: string): string {
  const d = tempDir(prefix);
  cleanup.push(d);
  return d;
}

async function parsedArticles(roots: string[]): Promise<Article[]> {
  const out: Article[] = [];
  for await (const r of parseAll(roots)) if (r.ok) out.push(r.doc);
  return out;
}

/** A file of the run, chosen at random (and named in the test's title) for a kill mid-parse. */
const randomFile = 1 + Math.floor(Math.random() * FIXTURE.files);
/** The log line a run writes as it takes its `n`-th file (at debug level). */
const atFile = (n: number) => new RegExp(`"event":"reindex\\.file_scanned","n":${n},`);

async function count(client: Meilisearch, index = 'articles'): Promise<number> {
  return (await client.index(index).getStats()).numberOfDocuments;
}

describe('tongwen reindex (external Meilisearch via MEILI_URL)', () => {
  let meili: TestMeili;
  let env: Record<string, string>;
  before(async () => {
    meili = await startTestMeili();
    env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: newDir('tongwen-reindex-') };
  });
  after(async () => meili.cleanup());

  it('a full reindex of the fixture corpus gives exactly the expected stories and settings', async () => {
    const run = runCli(['reindex', ...TREES, '--json'], env);
    assert.equal(await run.done, 0, run.stderr);
    const summary = JSON.parse(run.stdout);
    // Every article file parses, the near-duplicate copies fold into their stories.
    assert.equal((await parsedArticles(TREES)).length, FIXTURE.articles);
    const expected = FIXTURE.stories;
    assert.equal(summary.copies, FIXTURE.copies);
    assert.equal(summary.documents, expected);
    assert.equal(summary.indexed, expected);
    assert.equal(summary.rejected.length, FIXTURE.rejected);
    for (const r of summary.rejected) assert.ok(r.path && r.reason);
    for (const key of ['index', 'indexed', 'updated', 'deleted', 'unchanged', 'rejected', 'durationMs']) assert.ok(key in summary, key);
    assert.equal(await count(meili.client), expected);
    assert.equal(await settingsToApply(meili.client.index('articles')), undefined, 'settings are exactly INDEX_SETTINGS');
    const report = JSON.parse(fs.readFileSync(path.join(env.DATA_DIR!, 'reports', 'last-reindex.json'), 'utf8'));
    assert.equal(report.documents, expected);
    const indexes = (await meili.client.getRawIndexes()).results.map((i) => i.uid);
    assert.deepEqual(indexes, ['articles'], 'the build index is gone after the swap');
  });

  it('stores canonical search fields so a query in either script finds the article', async () => {
    const index = meili.client.index('articles');
    for (const q of ['立法會', '立法会']) {
      const res = await index.search(meiliQuery(parseQuery(q)), { limit: 1 });
      assert.ok(res.estimatedTotalHits! > 0, q);
    }
    const hk = (await parsedArticles([path.join(fixtureCorpusDir, 'hkcnews')])).find((a) => a.title.includes('立法會'))!;
    const hit = (await index.search(meiliQuery(parseQuery(`"${hk.title}"`)), { limit: 1 })).hits[0]!;
    assert.equal(hit.title, hk.title, 'the original script is kept for display');
    assert.equal(hit.titleSearch, toCanonical(String(hit.title)), 'the search copy is the canonical form of the title');
    assert.ok(INDEX_SETTINGS.displayedAttributes.length > 0);
  });

  it('a second full reindex swaps in while searches keep answering, never empty, never failing', async () => {
    const index = meili.client.index('articles');
    let searches = 0;
    const problems: string[] = [];
    let running = true;
    const loop = (async () => {
      while (running) {
        try {
          const res = await index.search(HONG_KONG, { limit: 5 });
          if (res.hits.length === 0) problems.push('empty result');
        } catch (err) {
          problems.push((err as Error).message);
        }
        searches++;
      }
    })();
    const run = runCli(['reindex', ...TREES], env);
    const code = await run.done;
    running = false;
    await loop;
    assert.equal(code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`Full reindex of "articles" done in [\\d.]+ s: ${FIXTURE.stories} documents live\\.`));
    assert.match(run.stdout, new RegExp(`indexed ${FIXTURE.stories}, updated 0, deleted 0`));
    assert.ok(searches > 20, `searched ${searches} times`);
    assert.deepEqual(problems, []);
  });

  // Killed (SIGKILL: no clean-up of any kind) at each stage of a full reindex, each marked by the
  // run's own log line, and once at a file chosen at random: searches always see a complete
  // index, and the next run tidies up.
  const killPoints: Array<[string, RegExp]> = [
    ['as parsing starts', /reindex\.scan_started/],
    ['while parsing, at file 95', atFile(95)],
    ['while Meilisearch indexes the new build', /reindex\.payload_enqueued/],
    ['just after the swap, before the old index is deleted', /reindex\.swapped/],
    [`at a file chosen at random (file ${randomFile} of ${FIXTURE.files})`, atFile(randomFile)],
  ];
  for (const [when, event] of killPoints) {
    it(`a reindex killed ${when} leaves a complete live index; the next run cleans up`, async () => {
      const run = runCli(['reindex', ...TREES], { ...env, LOG_LEVEL: 'debug' });
      await waitForStderr(run, event);
      run.child.kill('SIGKILL');
      await run.done;
      assert.equal(await count(meili.client), FIXTURE.stories, 'the live index is complete');
      const hits = await meili.client.index('articles').search(HONG_KONG, { limit: 1 });
      assert.ok(hits.estimatedTotalHits > 0, 'and answers searches');
      const next = runCli(['reindex', ...TREES, '--json'], env);
      assert.equal(await next.done, 0, next.stderr);
      assert.deepEqual(
        (await meili.client.getRawIndexes()).results.map((i) => i.uid),
        ['articles'],
        'no build index is left',
      );
      assert.equal(await count(meili.client), FIXTURE.stories);
    });
  }

  it('a reindex that finds no articles fails with exit 1 and leaves the live index alone', async () => {
    const empty = newDir('tongwen-empty-');
    fs.writeFileSync(path.join(empty, 'bad.md'), 'not an article');
    const run = runCli(['reindex', empty], env);
    assert.equal(await run.done, 1);
    assert.match(run.stderr, /no articles found in .* \(1 files rejected\); the live index was left as it is/);
    assert.equal(await count(meili.client), FIXTURE.stories);
  });

  it('usage errors exit 2 and touch nothing', async () => {
    for (const args of [['reindex'], ['reindex', TREES[0]!, '--prune'], ['reindex', '/no/such/dir'], ['reindex', '--bogus', TREES[0]!]]) {
      const run = runCli(args, env);
      assert.equal(await run.done, 2, args.join(' '));
      assert.match(run.stderr, /Usage: tongwen reindex/);
    }
  });
});

describe('tongwen reindex --incremental', () => {
  let meili: TestMeili;
  let env: Record<string, string>;
  let copy: string;
  /** Stories and article files in the copy after the first full reindex. */
  let stories = 0;
  let files = 0;
  before(async () => {
    meili = await startTestMeili();
    env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: newDir('tongwen-incr-') };
    copy = newDir('tongwen-corpus-copy-');
    fs.cpSync(path.join(fixtureCorpusDir, 'hkcnews'), path.join(copy, 'hk'), { recursive: true });
    fs.cpSync(path.join(fixtureCorpusDir, 'feedx'), path.join(copy, 'feedx'), { recursive: true });
    fs.chmodSync(copy, 0o755);
    const run = runCli(['reindex', copy, '--json'], env);
    assert.equal(await run.done, 0, run.stderr);
    stories = JSON.parse(run.stdout).documents;
    files = (await parsedArticles([copy])).length;
    assert.ok(stories > 50 && files > stories, `${stories} stories from ${files} article files`);
  });
  after(async () => meili.cleanup());

  const summaryOf = async (args: string[]) => {
    const run = runCli(['reindex', copy, '--incremental', '--json', ...args], env);
    assert.equal(await run.done, 0, run.stderr);
    return JSON.parse(run.stdout);
  };

  it('over an unchanged corpus sends nothing', async () => {
    const s = await summaryOf([]);
    assert.equal(s.mode, 'incremental');
    assert.deepEqual([s.indexed, s.updated, s.deleted], [0, 0, 0]);
    assert.equal(s.unchanged, files);
    assert.equal(s.documents, stories);
  });

  it('sends exactly the changed and added files, and with --prune deletes the removed ones', async () => {
    const files = fs.readdirSync(path.join(copy, 'feedx', 'rfi')).sort();
    const changed = path.join(copy, 'feedx', 'rfi', files[0]!);
    fs.writeFileSync(changed, fs.readFileSync(changed, 'utf8').replace('<p>', '<p>tongwenmarker42 同文測試。'));
    const removed = path.join(copy, 'feedx', 'rfi', files[1]!);
    fs.rmSync(removed);
    const added = path.join(copy, 'new-article.md');
    fs.writeFileSync(
      added,
      '<!--1700000000000-->\n[同文新增文章](https://www.voachinese.com/a/tongwen-test/1.html)\n------\n\n<p>这是一篇新加入的测试文章，内容关于网络安全。</p>\n',
    );

    const withoutPrune = await summaryOf([]);
    assert.deepEqual([withoutPrune.indexed, withoutPrune.updated, withoutPrune.deleted], [1, 1, 0]);
    assert.equal(withoutPrune.documents, stories + 1, 'without --prune the removed file keeps its document');

    const withPrune = await summaryOf(['--prune']);
    assert.deepEqual([withPrune.indexed, withPrune.updated, withPrune.deleted], [0, 0, 1]);
    assert.equal(withPrune.documents, stories);
    assert.equal(await count(meili.client), stories);

    const index = meili.client.index('articles');
    assert.equal((await index.search(meiliQuery(parseQuery('tongwenmarker42')))).hits.length, 1, 'the change is searchable');
    assert.equal((await index.search(meiliQuery(parseQuery('网络安全 新加入的测试文章')))).hits[0]?.title, '同文新增文章');
  });

  it('without a saved state, stops rather than guess which folders the live index holds; a full reindex starts again', async () => {
    fs.rmSync(path.join(env.DATA_DIR!, 'reindex-state'), { recursive: true });
    const run = runCli(['reindex', copy, '--incremental'], env);
    assert.equal(await run.done, 1, run.stderr);
    assert.match(run.stderr, /no saved state from an earlier reindex.*Run a full reindex of every folder of the archive/);
    assert.equal(await count(meili.client), stories, 'the live index is unchanged');
    const full = runCli(['reindex', copy, '--json'], env);
    assert.equal(await full.done, 0, full.stderr);
    assert.equal(JSON.parse(full.stdout).documents, stories);
  });

  it('rebuilds from every recorded folder when its saved state is cut off or damaged, and says where', async () => {
    const file = path.join(env.DATA_DIR!, 'reindex-state', 'articles.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    fs.writeFileSync(file, lines.slice(0, Math.floor(lines.length / 2)).join('\n'));
    const cut = await summaryOf([]);
    assert.equal(cut.mode, 'full');
    assert.match(cut.note, /articles\.jsonl is incomplete/);
    const again = fs.readFileSync(file, 'utf8').split('\n');
    again[3] = '{"path": 1';
    fs.writeFileSync(file, again.join('\n'));
    const damaged = await summaryOf([]);
    assert.equal(damaged.mode, 'full');
    assert.match(damaged.note, /articles\.jsonl is unreadable at line 4/);
    assert.equal(damaged.documents, stories);
    const unchanged = await summaryOf([]);
    assert.deepEqual(
      [unchanged.mode, unchanged.indexed, unchanged.updated, unchanged.deleted, unchanged.documents],
      ['incremental', 0, 0, 0, stories],
    );
  });

  it('killed while scanning, as sending starts, or while Meilisearch applies: the live index stays complete; the next run completes the update', async () => {
    const hk = path.join(copy, 'hk');
    // 30 files that are articles with a document of their own (not junk, not a folded copy).
    const files: string[] = [];
    for (const f of fs
      .readdirSync(hk, { recursive: true })
      .map(String)
      .filter((x) => x.endsWith('.md'))
      .sort()) {
      const parsed = await parseFile(path.join(hk, f));
      if (!parsed.ok) continue;
      const live = await meili.client
        .index('articles')
        .getDocument(parsed.doc.id, { fields: ['id'] })
        .then(
          () => true,
          () => false,
        );
      if (live) files.push(f);
      if (files.length === 30) break;
    }
    files.forEach((f, i) => {
      const file = path.join(hk, f);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n---\n/, `\n---\n\n同文增量標記 incrmarker${i}x。\n\n`));
    });
    const kills: Array<[string, RegExp]> = [
      ['while scanning', atFile(60)],
      ['as sending starts', /reindex\.grouped/],
      ['while Meilisearch applies the updates', /reindex\.payload_enqueued/],
    ];
    for (const [when, event] of kills) {
      const run = runCli(['reindex', copy, '--incremental'], { ...env, LOG_LEVEL: 'debug' });
      await waitForStderr(run, event);
      run.child.kill('SIGKILL');
      await run.done;
      assert.equal(await count(meili.client), stories, `killed ${when}: no document lost`);
      assert.ok(
        (await meili.client.index('articles').search(HONG_KONG, { limit: 1 })).estimatedTotalHits > 0,
        `killed ${when}: searchable`,
      );
    }
    const s = await summaryOf([]);
    assert.equal(s.documents, stories);
    for (const [i, f] of files.entries()) {
      const parsed = await parseFile(path.join(hk, f));
      assert.ok(parsed.ok);
      const doc = await meili.client.index('articles').getDocument<{ body: string }>(parsed.doc.id, { fields: ['body'] });
      assert.ok(doc.body.includes(`incrmarker${i}x`), `the change to ${f} is live`);
    }
  });
});

describe('tongwen reindex folds near-duplicate copies into one story', () => {
  let meili: TestMeili;
  let env: Record<string, string>;
  let dir: string;
  let source: string;
  let sourceDoc: Article;
  /** Stories in the fixture hkcnews folder before any copy is added. */
  let stories = 0;
  const idOf = async (file: string) => {
    const r = await parseFile(file);
    assert.ok(r.ok, !r.ok ? r.error : '');
    return r.doc.id;
  };
  /** A copy of `source` saved under another article number, its body changed by `edit`. */
  const copyAs = (number: number, edit: (markdown: string) => string) => {
    const text = fs.readFileSync(source, 'utf8').replace(/\/article\/\d+\//g, `/article/${number}/`);
    const [, front, body] = /^(---\n[\s\S]*?\n---\n)([\s\S]*)$/.exec(text)!;
    const file = path.join(dir, `copy_${number}.md`);
    fs.writeFileSync(file, front! + edit(body!));
    return file;
  };
  const firstParagraph = (md: string) => md.split(/\n\s*\n/).find((p) => p.length > 40 && !p.startsWith('#') && !p.startsWith('<'))!;

  before(async () => {
    meili = await startTestMeili();
    env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: newDir('tongwen-groups-') };
    dir = newDir('tongwen-groups-corpus-');
    fs.cpSync(path.join(fixtureCorpusDir, 'hkcnews'), dir, { recursive: true });
    stories = (await reindexJson()).documents;
    // A dated story of its own (no copies yet) with a sound URL, to save again under other numbers.
    for (const file of fs
      .readdirSync(dir, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.md'))
      .sort()) {
      const r = await parseFile(path.join(dir, file));
      if (!r.ok || !r.doc.publishedAt || /%EF%BF%BD/i.test(fs.readFileSync(path.join(dir, file), 'utf8'))) continue;
      const live = await story(r.doc.id).catch(() => undefined);
      if (live && (live.alsoPublishedAs as unknown[] | undefined)?.length === 0 && firstParagraph(r.doc.body)) {
        source = path.join(dir, file);
        sourceDoc = r.doc;
        break;
      }
    }
    assert.ok(source, 'a story to copy');
  });
  after(async () => meili.cleanup());

  const reindexJson = async (...args: string[]) => {
    const run = runCli(['reindex', dir, '--json', ...args], env);
    assert.equal(await run.done, 0, run.stderr);
    return JSON.parse(run.stdout);
  };
  const story = async (id: string) => meili.client.index('articles').getDocument(id);

  it('indexes one document per story, the most complete copy, listing the others', async () => {
    const longer = copyAs(99000001, (md) => md.replace(firstParagraph(md), `${firstParagraph(md)}（補充：被告將於下月再次提堂。）`));
    const shorter = copyAs(99000002, (md) => md.replace(firstParagraph(md), ''));
    const s = await reindexJson();
    assert.equal(s.copies, FIXTURE.hkcnewsCopies + 2);
    assert.equal(s.documents, stories, 'the two copies folded in');
    const rep = await story(await idOf(longer));
    const listed = (rep.alsoPublishedAs as Array<{ id: string }>).map((c) => c.id).sort();
    assert.deepEqual(listed, [await idOf(source), await idOf(shorter)].sort());
    await assert.rejects(story(await idOf(source)), /not found/i, 'copies are not separate documents');
    const viaCopy = await findArticle(singleBackend(meili.client, 'articles'), await idOf(source));
    assert.equal(viaCopy?.id, await idOf(longer), 'the id of a copy finds its story');
    const month = chinaDay(sourceDoc.publishedAt!).slice(0, 7);
    const hits = await meili.client
      .index('articles')
      .search('', { filter: `year = ${month.slice(0, 4)} AND month = "${month}"`, limit: 1000 });
    assert.equal(hits.hits.filter((h) => h.title === sourceDoc.title).length, 1, 'search shows the story once');
  });

  it('an incremental run re-elects the representative when a more complete copy is added, and back when it is removed', async () => {
    const longest = copyAs(99000003, (md) =>
      md.replace(
        firstParagraph(md),
        `${firstParagraph(md)}（補充：被告將於下月再次提堂。）\n\n另據了解，案件將交由區域法院審理，控方需時整理證據。`,
      ),
    );
    const added = await reindexJson('--incremental');
    assert.deepEqual([added.indexed, added.deleted, added.copies, added.documents], [1, 1, FIXTURE.hkcnewsCopies + 3, stories]);
    const rep = await story(await idOf(longest));
    assert.equal((rep.alsoPublishedAs as unknown[]).length, 3);
    // Each copy keeps its title and date for the story's page, also those of files not parsed
    // again this run (from the state).
    const published = Date.parse(sourceDoc.publishedAt!);
    assert.deepEqual(
      (rep.alsoPublishedAs as Array<{ title: string; publishedAt: number }>).map((c) => [c.title, c.publishedAt]),
      Array(3).fill([sourceDoc.title, published]),
    );

    fs.rmSync(longest);
    const removed = await reindexJson('--incremental', '--prune');
    assert.deepEqual([removed.indexed, removed.deleted, removed.copies, removed.documents], [1, 1, FIXTURE.hkcnewsCopies + 2, stories]);
    const back = await story(await idOf(path.join(dir, 'copy_99000001.md')));
    assert.equal((back.alsoPublishedAs as unknown[]).length, 2);
  });

  it('an unchanged corpus keeps its groups and sends nothing', async () => {
    const s = await reindexJson('--incremental');
    assert.deepEqual([s.indexed, s.updated, s.deleted, s.copies, s.documents], [0, 0, 0, FIXTURE.hkcnewsCopies + 2, stories]);
  });
});
