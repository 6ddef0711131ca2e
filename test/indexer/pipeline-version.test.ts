// The pipeline version changes with the code that produces documents and with nothing else: a
// change to the server's configuration must not make the next incremental run parse every file.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { projectRoot } from '../../core/paths.js';
import { PIPELINE_DATA, PIPELINE_MODULES, PIPELINE_PACKAGES, pipelineVersion } from '../../indexer/reindex/pipeline-version.js';
import { PIPELINE_VERSION } from '../../indexer/reindex/state.js';
import { isUnder } from '../../indexer/walk.js';
import { tempDir } from '../helpers/meili.js';

const built = path.join(projectRoot, 'dist');
/** Modules prepare.js reaches that do not shape what a file becomes (see PIPELINE_MODULES). */
const NOT_PIPELINE = ['indexer/reindex/state.js', 'indexer/reindex/pipeline-version.js', 'indexer/disk.js', 'core/paths.js'];

describe('the pipeline version', () => {
  let copy: string;
  let nodeModules: string;
  const version = () => pipelineVersion({ distDir: copy, nodeModules });
  /** The version with `relative` (under dist/) changed, then restored. */
  const versionWithChanged = (relative: string) => {
    const file = path.join(copy, relative);
    const original = fs.readFileSync(file);
    fs.appendFileSync(file, '\n// changed\n');
    try {
      return version();
    } finally {
      fs.writeFileSync(file, original);
    }
  };

  before(() => {
    copy = tempDir('tongwen-pipeline-');
    for (const dir of ['core', 'indexer']) fs.cpSync(path.join(built, dir), path.join(copy, dir), { recursive: true });
    nodeModules = tempDir('tongwen-pipeline-modules-');
    for (const name of PIPELINE_PACKAGES) {
      fs.mkdirSync(path.join(nodeModules, name), { recursive: true });
      fs.copyFileSync(path.join(projectRoot, 'node_modules', name, 'package.json'), path.join(nodeModules, name, 'package.json'));
    }
  });
  after(() => {
    for (const d of [copy, nodeModules]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  it('is a function of the compiled code: a copy of it gives the running version', () => {
    assert.equal(version(), PIPELINE_VERSION);
  });

  it('does not change with configuration, the server side, Meilisearch plumbing or the reindex orchestration', () => {
    for (const m of [
      'core/config.js',
      'core/log.js',
      'core/index-settings.js',
      'core/meili/connect.js',
      'indexer/walk.js',
      'indexer/commands/reindex.js',
      'indexer/reindex/run.js',
      'indexer/reindex/state.js',
    ]) {
      assert.equal(versionWithChanged(m), PIPELINE_VERSION, m);
    }
  });

  it('changes with the code that turns a file into a document, a fingerprint or a rejection', () => {
    for (const m of [
      'indexer/clean/rfi.js',
      'indexer/formats/feedx.js',
      'core/text/normalize.js',
      'core/text/opencc.js',
      'core/text/exact-parts.js',
      'core/index-document.js',
      'indexer/dedupe/minhash.js',
      'indexer/reindex/prepare.js',
      'indexer/parse-file.js',
    ]) {
      assert.notEqual(versionWithChanged(m), PIPELINE_VERSION, m);
    }
  });

  it('changes with the word lists that extraction reads (a name added to a list)', () => {
    const data = tempDir('tongwen-pipeline-data-');
    try {
      for (const d of PIPELINE_DATA) fs.cpSync(path.join(projectRoot, d), path.join(data, d), { recursive: true });
      const withData = () => pipelineVersion({ distDir: copy, nodeModules, dataDir: data });
      assert.equal(withData(), PIPELINE_VERSION);
      fs.appendFileSync(path.join(data, 'core/entities/people.txt'), '\n新名字\n');
      assert.notEqual(withData(), PIPELINE_VERSION);
    } finally {
      fs.rmSync(data, { recursive: true, force: true });
    }
  });

  it('changes with the version of a package that shapes documents', () => {
    const file = path.join(nodeModules, 'opencc-js', 'package.json');
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(file, JSON.stringify({ ...pkg, version: `${pkg.version}-next` }));
    assert.notEqual(version(), PIPELINE_VERSION);
  });

  it('lists every module and package that prepare.js imports, and nothing it does not', () => {
    const { modules, packages } = importClosure('indexer/reindex/prepare.js');
    const produce = modules.filter((m) => !NOT_PIPELINE.includes(m));
    const listed = (m: string) => PIPELINE_MODULES.some((entry) => isUnder(m, entry));
    assert.deepEqual(
      produce.filter((m) => !listed(m)),
      [],
      'imported but not in PIPELINE_MODULES',
    );
    assert.deepEqual(
      PIPELINE_MODULES.filter((entry) => !produce.some((m) => isUnder(m, entry))),
      [],
      'in PIPELINE_MODULES but not imported',
    );
    assert.deepEqual(packages, [...PIPELINE_PACKAGES].sort());
  });
});

/** Modules (relative to dist/) reached from `entry` by static imports, and the npm packages those outside NOT_PIPELINE import. */
function importClosure(entry: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (m: string) => {
    if (modules.has(m)) return;
    modules.add(m);
    const source = fs.readFileSync(path.join(built, m), 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)) {
      const spec = (match[1] ?? match[2])!;
      if (spec.startsWith('.')) visit(path.relative(built, path.resolve(path.dirname(path.join(built, m)), spec)));
      else if (!spec.startsWith('node:') && !NOT_PIPELINE.includes(m))
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  };
  visit(entry);
  return { modules: [...modules].sort(), packages: [...packages].sort() };
}
