// No run shrinks the archive by surprise: an incremental run that cannot trust its saved state
// rebuilds from every folder the live index was built from (or stops and says what to run), and
// a run that would remove more than SHRINK_LIMIT of the live stories, or the stories of a folder
// that is empty or cannot be read, stops with the live index unchanged unless --allow-shrink.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SHRINK_LIMIT } from '../../indexer/reindex/shrink-guard.js';
import { statePath } from '../../indexer/reindex/state.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURE, fixtureCorpusDir } from '../helpers/corpus.js';
import { startTestMeili, tempDir, type TestMeili } from '../helpers/meili.js';

/** Stories in the fixture's cdt/ tree alone. */
const CDT_STORIES = 32;
/** Who file permissions stop: as root they stop no one, so the run that must not read goes as nobody. */
const UNPRIVILEGED = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

describe('a reindex never shrinks the archive by surprise', () => {
  let meili: TestMeili | undefined;
  let env: Record<string, string>;
  const dirs: string[] = [];
  /** A copy of the fixture corpus (feedx/, cdt/, hkcnews/), which tests change and put back. */
  let corpus: string;
  let trees: string[];
  let cdt: string;

  const reindex = async (args: string[], as?: { uid: number; gid: number }) => {
    const run = runCli(['reindex', ...args, '--json'], env, as);
    const code = await run.done;
    return { code, stderr: run.stderr, out: run.stdout ? JSON.parse(run.stdout) : undefined };
  };
  const live = async () => (await meili!.client.index('articles').getStats()).numberOfDocuments;
  const stateFile = () => statePath(env.DATA_DIR!, 'articles');
  const editHeader = (edit: (header: Record<string, unknown>) => Record<string, unknown>) => {
    const [first, ...rest] = fs.readFileSync(stateFile(), 'utf8').split('\n');
    fs.writeFileSync(stateFile(), [JSON.stringify(edit(JSON.parse(first!))), ...rest].join('\n'));
  };
  /** Back to the whole corpus, indexed in full from its three trees. */
  const restore = async () => {
    const r = await reindex(trees);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.documents, FIXTURE.stories);
  };

  before(async () => {
    corpus = tempDir('tongwen-shrink-corpus-');
    dirs.push(corpus);
    fs.chmodSync(corpus, 0o755);
    trees = ['feedx', 'cdt', 'hkcnews'].map((t) => path.join(corpus, t));
    for (const t of trees) fs.cpSync(path.join(fixtureCorpusDir, path.basename(t)), t, { recursive: true });
    cdt = path.join(corpus, 'cdt');
    const dataDir = tempDir('tongwen-shrink-data-');
    dirs.push(dataDir);
    meili = await startTestMeili();
    env = { MEILI_URL: meili.url, MEILI_MASTER_KEY: meili.masterKey, DATA_DIR: dataDir };
    await restore();
  });
  after(async () => {
    await meili?.cleanup();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('records the folders the live index is built from in the saved state', () => {
    const header = JSON.parse(fs.readFileSync(stateFile(), 'utf8').split('\n')[0]!);
    assert.deepEqual(header.roots, [...trees].sort());
  });

  it('state removed, then an incremental run of one folder: stops, names a full reindex of every folder, live index unchanged', async () => {
    fs.rmSync(stateFile());
    const r = await reindex(['--incremental', cdt]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /cannot trust its saved state \(no saved state from an earlier reindex\), and nothing records which folders the 172 live stories were read from/,
    );
    assert.match(r.stderr, /Run a full reindex of every folder of the archive: tongwen reindex <every folder>/);
    assert.equal(r.out.error.code, 'reindex_failed');
    assert.equal(await live(), FIXTURE.stories);
    await restore();
  });

  it('state cut off after its first line, then an incremental run of one folder: rebuilt from every recorded folder', async () => {
    fs.writeFileSync(stateFile(), `${fs.readFileSync(stateFile(), 'utf8').split('\n')[0]}\n`);
    const r = await reindex(['--incremental', cdt]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.mode, 'full');
    assert.match(r.out.note, /full reindex of every folder the live index was built from .*: .*articles\.jsonl is incomplete/);
    assert.equal(r.out.documents, FIXTURE.stories);
    assert.equal(await live(), FIXTURE.stories);
  });

  it('state that does not match the live count, then an incremental run of one folder: rebuilt from every recorded folder', async () => {
    editHeader((h) => ({ ...h, documents: 100 }));
    const r = await reindex(['--incremental', cdt]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.out.mode, 'full');
    assert.match(r.out.note, /saved state lists 100 documents, the live index has 172/);
    assert.equal(r.out.documents, FIXTURE.stories);
  });

  it('a recorded folder missing when the state cannot be trusted: stops and names the command that rebuilds', async () => {
    editHeader((h) => ({ ...h, documents: 100 }));
    const away = path.join(corpus, 'hkcnews-away');
    fs.renameSync(trees[2]!, away);
    try {
      const r = await reindex(['--incremental', cdt]);
      assert.equal(r.code, 1, r.stderr);
      assert.ok(r.out.error.message.includes(`${trees[2]} cannot be read`), r.out.error.message);
      assert.ok(r.out.error.message.includes(`run: tongwen reindex ${[...trees].sort().join(' ')}`), r.out.error.message);
      assert.equal(await live(), FIXTURE.stories);
    } finally {
      fs.renameSync(away, trees[2]!);
    }
    await restore();
  });

  it('a full reindex of a subset is stopped before the swap; --allow-shrink lets it through', async () => {
    const stopped = await reindex([cdt]);
    assert.equal(stopped.code, 1, stopped.stderr);
    const removed = FIXTURE.stories - CDT_STORIES;
    const pct = `${Number(((100 * removed) / FIXTURE.stories).toFixed(1))}%`;
    assert.match(
      stopped.stderr,
      new RegExp(
        `stopped: this run would remove ${removed} of 172 live stories \\(${pct}\\), more than the ${SHRINK_LIMIT * 100}% .*: 79 under ${trees[2]}, 61 under ${trees[0]}; the live index is unchanged\\. .*--allow-shrink`,
      ),
    );
    assert.deepEqual(stopped.out.error.shrink, {
      live: FIXTURE.stories,
      removed,
      share: removed / FIXTURE.stories,
      folders: [
        { path: trees[2], stories: 79 },
        { path: trees[0], stories: 61 },
      ],
    });
    assert.equal(await live(), FIXTURE.stories);
    assert.deepEqual(
      (await meili!.client.getRawIndexes()).results.map((i) => i.uid),
      ['articles'],
      'the build is removed',
    );

    const allowed = await reindex([cdt, '--allow-shrink']);
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(allowed.out.documents, CDT_STORIES);
    assert.equal(allowed.out.deleted, removed);
    assert.match(allowed.out.note, new RegExp(`--allow-shrink: this run removes ${removed} of 172 live stories`));
    await restore();
  });

  it('an empty root (an unmounted disk) is stopped, full or --incremental --prune, naming the root', async () => {
    const away = path.join(corpus, 'cdt-away');
    fs.renameSync(cdt, away);
    fs.mkdirSync(cdt);
    try {
      for (const args of [trees, ['--incremental', '--prune', cdt]]) {
        const r = await reindex(args);
        assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
        assert.match(
          r.stderr,
          new RegExp(
            `stopped: ${cdt} holds no article files \\(an unmounted disk\\?\\), and this run would remove the ${CDT_STORIES} of 172 live stories \\(18\\.6%\\) whose files were there`,
          ),
        );
        assert.equal(await live(), FIXTURE.stories, args.join(' '));
      }
    } finally {
      fs.rmdirSync(cdt);
      fs.renameSync(away, cdt);
    }
    const unchanged = await reindex(['--incremental', '--prune', cdt]);
    assert.deepEqual([unchanged.code, unchanged.out.deleted, unchanged.out.documents], [0, 0, FIXTURE.stories], unchanged.stderr);
  });

  it('--prune keeps and reports the documents of a folder it cannot list, and prunes what is really gone', async () => {
    const unreadable = path.join(trees[2]!, '1-1000');
    const inside = fs.readdirSync(unreadable).filter((f) => f.endsWith('.md')).length;
    const gone = path.join(trees[1]!, fs.readdirSync(cdt).sort()[0]!);
    const goneText = fs.readFileSync(gone);
    if (UNPRIVILEGED) chownTree(env.DATA_DIR!, UNPRIVILEGED);
    fs.chmodSync(unreadable, 0o000);
    fs.rmSync(gone);
    try {
      const r = await reindex(['--incremental', '--prune', corpus], UNPRIVILEGED);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(r.out.notPruned, [{ path: unreadable, files: inside }]);
      assert.ok(
        r.out.rejected.some(
          (x: { path: string; reason: string }) => x.path === unreadable && x.reason === 'cannot list directory (EACCES)',
        ),
      );
      assert.deepEqual([r.out.deleted, r.out.documents], [1, FIXTURE.stories - 1]);

      // A full reindex that cannot list it would drop its stories: stopped.
      const full = await reindex(trees, UNPRIVILEGED);
      assert.equal(full.code, 1, full.stderr);
      assert.match(
        full.stderr,
        new RegExp(`stopped: ${unreadable} could not be read, and this run would remove the \\d+ of 171 live stories`),
      );
      assert.equal(await live(), FIXTURE.stories - 1);
    } finally {
      fs.chmodSync(unreadable, 0o755);
      fs.writeFileSync(gone, goneText);
    }
    await restore();
  });

  it('symbolic links in a tree are read once or reported with a reason, never skipped without a word', async () => {
    const outside = tempDir('tongwen-shrink-outside-');
    dirs.push(outside);
    const links = { again: cdt, 'broken.md': path.join(outside, 'nothing.md'), elsewhere: outside };
    for (const [name, target] of Object.entries(links)) fs.symlinkSync(target, path.join(trees[0]!, name));
    try {
      const r = await reindex(['--incremental', corpus]);
      assert.equal(r.code, 0, r.stderr);
      const reasons = Object.fromEntries(
        r.out.rejected.map((x: { path: string; reason: string }) => [path.relative(trees[0]!, x.path), x.reason]),
      );
      assert.equal(reasons.again, `symbolic link to ${cdt}, a folder already read (a folder is read once)`);
      assert.match(reasons['broken.md'], /^symbolic link to .*nothing\.md is broken/);
      assert.match(reasons.elsewhere, /outside the folders being indexed/);
      assert.deepEqual([r.out.indexed, r.out.deleted, r.out.documents], [0, 0, FIXTURE.stories]);
    } finally {
      for (const name of Object.keys(links)) fs.rmSync(path.join(trees[0]!, name));
    }
  });

  it('a state saved before roots were recorded still serves an incremental run, which records them', async () => {
    editHeader(({ roots: _roots, ...h }) => h);
    const r = await reindex(['--incremental', cdt]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.out.mode, r.out.indexed, r.out.updated, r.out.deleted], ['incremental', 0, 0, 0]);
    const roots: string[] = JSON.parse(fs.readFileSync(stateFile(), 'utf8').split('\n')[0]!).roots;
    assert.ok(roots.includes(cdt), roots.join(', '));
    assert.ok(roots.includes(path.join(trees[0]!, 'rfi')) && roots.includes(path.join(trees[2]!, '1-1000')), roots.join(', '));
    // Enough to rebuild from when the state is not to be trusted.
    editHeader((h) => ({ ...h, documents: 100 }));
    const rebuilt = await reindex(['--incremental', cdt]);
    assert.deepEqual([rebuilt.code, rebuilt.out.mode, rebuilt.out.documents], [0, 'full', FIXTURE.stories], rebuilt.stderr);
  });
});

function chownTree(dir: string, as: { uid: number; gid: number }): void {
  fs.chownSync(dir, as.uid, as.gid);
  for (const entry of fs.readdirSync(dir, { recursive: true })) fs.chownSync(path.join(dir, String(entry)), as.uid, as.gid);
}
