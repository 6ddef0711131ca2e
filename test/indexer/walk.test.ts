// Finding article files: symbolic links inside the given folders are followed (a file is read
// once), every link that is not is reported with a reason, cycles end, and folders that cannot be
// listed are reported as unseen (their files are not known to be gone).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { walkArticleFiles, type WalkProblem } from '../../indexer/walk.js';
import { tempDir } from '../helpers/meili.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A folder holding `files` (relative path → text) and `links` (relative path → target). */
function tree(files: string[], links: Record<string, string> = {}): string {
  const root = tempDir('tongwen-walk-');
  dirs.push(root);
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), 'text');
  }
  for (const [link, target] of Object.entries(links)) {
    fs.mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
    fs.symlinkSync(target, path.join(root, link));
  }
  return root;
}

async function walk(roots: string[]): Promise<{ files: string[]; problems: WalkProblem[] }> {
  const files: string[] = [];
  const problems: WalkProblem[] = [];
  for await (const e of walkArticleFiles(roots)) {
    if (typeof e === 'string') files.push(e);
    else problems.push(e);
  }
  return { files, problems };
}

const rel = (root: string, ps: string[]) => ps.map((p) => path.relative(root, p));

describe('walkArticleFiles', () => {
  it('reads a file reached through a link and its own path once, under its own path, and says why the link was not read', async () => {
    const root = tree(['a/x.md', 'b/y.txt', 'b/skip.json'], { 'a/link.md': '../b/y.txt', 'linked-dir': 'b' });
    const { files, problems } = await walk([root]);
    assert.deepEqual(rel(root, files), ['a/x.md', 'b/y.txt']);
    assert.deepEqual(
      problems.map((p) => [path.relative(root, p.path), p.error.replaceAll(root, '<root>'), p.unseen]),
      [
        ['a/link.md', 'symbolic link to <root>/b/y.txt, a file already read (a file is read once)', undefined],
        ['linked-dir', 'symbolic link to <root>/b, a folder already read (a folder is read once)', undefined],
      ],
    );
  });

  it("a link to another given folder is read once, under that folder's own path; given alone, it leads outside and is reported", async () => {
    const other = tree(['z.md']);
    const root = tree(['a.md'], { more: other });
    // Given alone, `more` leads outside: reported. Given with `other`, its file is read once, as other/z.md.
    const alone = await walk([root]);
    assert.deepEqual(rel(root, alone.files), ['a.md']);
    assert.match(alone.problems[0]!.error, /outside the folders being indexed/);
    const both = await walk([root, other]);
    assert.deepEqual(both.files, [path.join(root, 'a.md'), path.join(other, 'z.md')]);
    assert.match(both.problems[0]!.error, /a folder already read \(/);
  });

  it('a root given through a link: a link inside its real folder counts as inside', async () => {
    // The given root is itself a link: what lies under its real path is inside.
    const real = tree(['2024/a.md']);
    const outer = tree([], { archive: real });
    const archive = path.join(outer, 'archive');
    fs.symlinkSync(path.join(real, '2024'), path.join(real, 'latest'));
    const { files, problems } = await walk([archive]);
    assert.deepEqual(files, [path.join(archive, '2024', 'a.md')]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]!.error, new RegExp(`^symbolic link to ${real}/2024, a folder already read as ${archive}/2024`));
  });

  it('reports broken links, loops and links outside the folders as rejected, never silently', async () => {
    const outside = tree(['o.md']);
    const root = tree(['ok.md'], {
      'broken.md': 'nowhere.md',
      'loop-a': 'loop-b',
      'loop-b': 'loop-a',
      'out.md': path.join(outside, 'o.md'),
      'out-dir': outside,
      'picture.png': path.join(outside, 'o.md'),
    });
    const { files, problems } = await walk([root]);
    assert.deepEqual(rel(root, files), ['ok.md']);
    const byPath = Object.fromEntries(problems.map((p) => [path.relative(root, p.path), p]));
    assert.deepEqual(Object.keys(byPath).sort(), ['broken.md', 'loop-a', 'loop-b', 'out-dir', 'out.md']);
    assert.match(byPath['broken.md']!.error, /^symbolic link to nowhere\.md is broken/);
    assert.equal(byPath['broken.md']!.unseen, true, 'what a broken link held is not known to be gone');
    assert.match(byPath['loop-a']!.error, /loop of symbolic links/);
    assert.match(byPath['out.md']!.error, /outside the folders being indexed/);
    assert.match(byPath['out-dir']!.error, /outside the folders being indexed/);
    assert.equal(byPath['out.md']!.unseen, undefined);
  });

  it('ends a directory cycle at the first folder seen twice', async () => {
    const root = tree(['a/b/x.md'], { 'a/b/up': '..', 'a/b/self': '.' });
    const { files, problems } = await walk([root]);
    assert.deepEqual(rel(root, files), ['a/b/x.md']);
    assert.deepEqual(problems.map((p) => path.relative(root, p.path)).sort(), ['a/b/self', 'a/b/up']);
    for (const p of problems) assert.match(p.error, /a folder already read \(a folder is read once\)$/);
  });

  it('reports a folder it cannot list as unseen, and a root that is not there', async () => {
    const root = tree(['a.md']);
    // A directory entry that cannot be listed whoever we run as: a path longer than PATH_MAX.
    const deep = longPath(root);
    const { files, problems } = await walk([root, path.join(root, 'missing')]).finally(() => removeLongPath(root, deep));
    assert.deepEqual(files, [path.join(root, 'a.md')]);
    const unlisted = problems.find((p) => p.path === deep);
    assert.ok(unlisted, `problems: ${JSON.stringify(problems.map((p) => p.error))}`);
    assert.match(unlisted.error, /^cannot list directory \(ENAMETOOLONG\)$/);
    assert.equal(unlisted.unseen, true);
    const missing = problems.find((p) => p.path === path.join(root, 'missing'));
    assert.deepEqual(missing, { path: path.join(root, 'missing'), error: 'cannot read path (ENOENT)', unseen: true });
  });
});

const PATH_MAX = 4096;
const LONG_NAME = 'd'.repeat(200);

/** Nested folders under `root`, made by relative steps, down to the first whose path is PATH_MAX or longer. */
function longPath(root: string): string {
  let p = root;
  inside(root, () => {
    while (p.length < PATH_MAX) {
      fs.mkdirSync(LONG_NAME);
      process.chdir(LONG_NAME);
      p = path.join(p, LONG_NAME);
    }
  });
  return p;
}

/** Removes the folder longPath made (fs.rmSync cannot reach it by its path), so the rest can go. */
function removeLongPath(root: string, deep: string): void {
  inside(root, () => {
    for (const name of path.relative(root, path.dirname(deep)).split(path.sep)) process.chdir(name);
    fs.rmdirSync(LONG_NAME);
  });
}

function inside(dir: string, work: () => void): void {
  const cwd = process.cwd();
  try {
    process.chdir(dir);
    work();
  } finally {
    process.chdir(cwd);
  }
}
