// The image runs what the repository runs. No Docker engine exists here, so the image's file tree
// is assembled from the Dockerfile itself: its last stage's COPY instructions, with files the
// build stage makes taken from the built repository (dist for the sources the build stage copies,
// node_modules less what its npm flags and rm commands leave out) and the others from the build
// context (less .dockerignore). The CLI and the server then run from that tree against a real
// Meilisearch, through an unspaced Chinese search (which reads a data file beside the sources).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../core/meili/embedded.js';
import { projectRoot } from '../core/paths.js';
import { childEnv } from './helpers/env.js';
import { startTestMeili, tempDir, type TestMeili } from './helpers/meili.js';
import { stopOnExit } from './helpers/processes.js';
import { ServerProcess } from './helpers/server-process.js';

interface Instruction {
  op: string;
  args: string;
}

interface Stage {
  name?: string;
  workdir: string;
  steps: Instruction[];
}

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [, op, args] = /^(\S+)\s*(.*)$/.exec(l)!;
      return { op: op!.toUpperCase(), args: args! };
    });
}

function stagesOf(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const step of instructions(text)) {
    if (step.op === 'FROM') stages.push({ name: /\bAS\s+(\S+)/i.exec(step.args)?.[1], workdir: '/', steps: [] });
    else {
      const stage = stages.at(-1)!;
      if (step.op === 'WORKDIR') stage.workdir = path.posix.resolve(stage.workdir, step.args);
      stage.steps.push(step);
    }
  }
  return stages;
}

interface Copy {
  from?: string;
  sources: string[];
  dest: string;
}

function copiesOf(stage: Stage): Copy[] {
  return stage.steps
    .filter((s) => s.op === 'COPY')
    .map((s) => {
      assert.ok(!s.args.startsWith('['), `COPY in JSON form is not read by this test: ${s.args}`);
      const words = s.args.split(/\s+/);
      const from = words.find((w) => w.startsWith('--from='))?.slice('--from='.length);
      const paths = words.filter((w) => !w.startsWith('--'));
      return { from, sources: paths.slice(0, -1), dest: paths.at(-1)! };
    });
}

/** The build context's .dockerignore as a test: is `rel` (a path in the repository) left out? */
function dockerIgnored(): (rel: string) => boolean {
  const file = path.join(projectRoot, '.dockerignore');
  const patterns = fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'))
    : [];
  assert.ok(!patterns.some((p) => p.startsWith('!')), '.dockerignore exceptions (!) are not read by this test');
  const regexes = patterns.map(
    (p) =>
      new RegExp(
        `^${p
          .replace(/^\/+|\/+$/g, '')
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '[^/]*')}(?:/|$)`,
      ),
  );
  return (rel) => regexes.some((re) => re.test(rel));
}

/** Copies a file or a folder's contents; folders as hard links (same disk, and far quicker). */
function copyInto(src: string, dest: string, destIsDir: boolean): void {
  if (fs.statSync(src).isDirectory()) {
    fs.mkdirSync(dest, { recursive: true });
    for (const entry of fs.readdirSync(src)) execFileSync('cp', ['-al', path.join(src, entry), dest]);
  } else {
    const target = destIsDir ? path.join(dest, path.basename(src)) : dest;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(src, target);
  }
}

/** What npm leaves out of node_modules under the build stage's --omit flags, from the lockfile. */
function omittedPackages(omit: Set<string>): string[] {
  const lock = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; optional?: boolean; devOptional?: boolean }>;
  };
  return Object.entries(lock.packages)
    .filter(
      ([where, p]) =>
        where.startsWith('node_modules/') &&
        ((p.dev && omit.has('dev')) || (p.optional && omit.has('optional')) || (p.devOptional && omit.has('dev') && omit.has('optional'))),
    )
    .map(([where]) => where);
}

/** The image's /app as the Dockerfile lays it out, under `root`. */
function assembleImage(root: string): string {
  const stages = stagesOf(fs.readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8'));
  const final = stages.at(-1)!;
  const ignored = dockerIgnored();
  for (const copy of copiesOf(final)) {
    const dest = path.join(root, path.posix.resolve(final.workdir, copy.dest));
    const destIsDir = copy.dest.endsWith('/') || copy.sources.length > 1;
    for (const source of copy.sources) {
      if (!copy.from) {
        const rel = path.posix.normalize(source).replace(/\/$/, '');
        assert.ok(!ignored(rel), `COPY ${source}: left out of the build context by .dockerignore`);
        assert.ok(fs.existsSync(path.join(projectRoot, rel)), `COPY ${source}: not in the repository`);
        copyInto(path.join(projectRoot, rel), dest, destIsDir);
        continue;
      }
      const build = stages.find((s) => s.name === copy.from);
      assert.ok(build, `COPY --from=${copy.from}: no such stage`);
      const rel = path.posix.relative(build.workdir, path.posix.resolve(build.workdir, source));
      const made = ['dist', 'node_modules', ...copiesOf(build).flatMap((c) => c.sources)];
      assert.ok(made.includes(rel), `COPY --from=${copy.from} ${source}: not something the build stage makes or copies`);
      assert.ok(fs.existsSync(path.join(projectRoot, rel)), `COPY --from=${copy.from} ${source}: not in the built repository`);
      copyInto(path.join(projectRoot, rel), dest, destIsDir);
      const target = destIsDir && !fs.statSync(path.join(projectRoot, rel)).isDirectory() ? path.join(dest, path.basename(rel)) : dest;
      pruneAsTheBuildStageDoes(build, rel, target);
    }
  }
  return path.join(root, final.workdir);
}

/**
 * What the build stage leaves out of what it makes: dist holds only the compiled folders whose
 * sources it copies; node_modules loses what its `--omit=` flags leave out; `rm -rf` in its RUN
 * lines removes the rest.
 */
function pruneAsTheBuildStageDoes(build: Stage, rel: string, copied: string): void {
  const runs = build.steps.filter((s) => s.op === 'RUN').flatMap((s) => s.args.split(/&&|;/).map((c) => c.trim().split(/\s+/)));
  if (rel === 'dist') {
    const compiled = new Set(copiesOf(build).flatMap((c) => c.sources));
    for (const entry of fs.readdirSync(copied))
      if (!compiled.has(entry)) fs.rmSync(path.join(copied, entry), { recursive: true, force: true });
  }
  if (rel === 'node_modules') {
    const omit = new Set(
      runs.filter((c) => c[0] === 'npm').flatMap((c) => c.filter((w) => w.startsWith('--omit=')).map((w) => w.slice('--omit='.length))),
    );
    for (const where of omittedPackages(omit))
      fs.rmSync(path.join(copied, path.relative('node_modules', where)), { recursive: true, force: true });
  }
  for (const c of runs.filter((c) => c[0] === 'rm')) {
    for (const target of c.slice(1).filter((w) => !w.startsWith('-'))) {
      const inside = path.posix.relative(rel, path.posix.relative(build.workdir, path.posix.resolve(build.workdir, target)));
      if (!inside.startsWith('..')) fs.rmSync(path.join(copied, inside), { recursive: true, force: true });
    }
  }
}

/** Runs `node <script>` in `cwd`; resolves with its exit code and output. */
function runNode(
  cwd: string,
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [script, ...args], { cwd, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  stopOnExit(child);
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, output })));
}

describe('the Docker image, assembled from the Dockerfile', () => {
  let meili: TestMeili;
  let root: string;
  let app: string;
  let server: ServerProcess | undefined;

  before(async () => {
    root = tempDir('tongwen-image-');
    meili = await startTestMeili();
  });
  after(async () => {
    await server?.stop();
    await meili?.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('holds every file it copies, from the build or the build context', () => {
    app = assembleImage(root);
    for (const needed of ['package.json', 'dist/cli/tongwen.js', 'dist/server/main.js', 'dist/core/paths.js', 'views']) {
      assert.ok(fs.existsSync(path.join(app, needed)), `${needed} is in the image`);
    }
    assert.ok(!fs.existsSync(path.join(app, 'dist', 'test')), 'the build stage compiles no tests');
  });

  it('reindexes with its CLI and answers an unspaced Chinese search from its server', async () => {
    assert.ok(app, 'the image tree was assembled');
    const env = {
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      DATA_DIR: path.join(root, 'data'),
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
    };
    const reindex = await runNode(app, 'dist/cli/tongwen.js', ['reindex', path.join(projectRoot, 'test/fixtures/corpus/feedx/rfi')], env);
    assert.equal(reindex.code, 0, reindex.output.slice(-2000));

    const port = await freePort();
    server = new ServerProcess({ ...env, PORT: String(port) }, app);
    await server.waitFor('server.listening');
    const res = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent('香港区议会选举')}`);
    const body = (await res.json()) as { total?: number };
    assert.equal(res.status, 200, `${JSON.stringify(body)}\n${server.stderr.slice(-2000)}`);
    assert.ok((body.total ?? 0) >= 1, `the fixture article is found: ${JSON.stringify(body).slice(0, 500)}`);
  });
});
