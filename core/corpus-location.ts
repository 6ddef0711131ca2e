// Where article corpora live for tests, evaluations and benchmarks: the project's own fixture
// corpus (always there), and the real corpus that one environment variable points at.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './errors.js';
import { projectRoot } from './paths.js';

/** The variable that names the real corpus folder (seed/, feedx/, cdt/, hkcnews-sample/, hkcnews-48k.tar.zst). */
export const CORPUS_ENV = 'TONGWEN_CORPUS';

/** The fixture corpus written by the project (test/fixtures/corpus): three formats, every outlet, its dirt. */
export const fixtureCorpusDir = path.join(projectRoot, 'test', 'fixtures', 'corpus');
export const FIXTURE_TREES = ['feedx', 'cdt', 'hkcnews'].map((t) => path.join(fixtureCorpusDir, t));

/** The real corpus's article trees (its 48k tarball aside). */
export const REAL_TREES = ['seed', 'feedx', 'cdt', 'hkcnews-sample'] as const;

/**
 * The real corpus folder from TONGWEN_CORPUS, or undefined when the variable is unset.
 * A variable that points at nothing is an error, not a silent skip.
 */
export function realCorpusDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[CORPUS_ENV]?.trim();
  if (!value) return undefined;
  const dir = path.resolve(value);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new ConfigError(`${CORPUS_ENV}=${value}: no such folder (it should hold seed/, feedx/, cdt/, hkcnews-sample/)`);
  }
  return dir;
}

/** What to tell a user who runs something that needs the real corpus without it. */
export function missingCorpusMessage(what: string): string {
  return `${what} needs the real article corpus: set ${CORPUS_ENV} to its folder (see CONTRIBUTING.md, "The real corpus")`;
}

/** The 48k hkcnews tarball in the real corpus; a ConfigError that says what to do when it is missing. */
export function tarballPath(): string {
  const dir = realCorpusDir();
  if (!dir) throw new ConfigError(missingCorpusMessage('This benchmark'));
  const file = path.join(dir, 'hkcnews-48k.tar.zst');
  if (!fs.existsSync(file)) throw new ConfigError(`${CORPUS_ENV}=${dir} has no hkcnews-48k.tar.zst`);
  return file;
}

/**
 * Article folders for an evaluation: the ones given on the command line, else the real corpus's
 * trees when TONGWEN_CORPUS is set, else the fixture corpus (and `source` says which).
 */
export function evaluationRoots(given: string[]): { roots: string[]; source: string } {
  if (given.length) return { roots: given.map((d) => path.resolve(d)), source: 'the folders given' };
  const real = realCorpusDir();
  if (real) return { roots: REAL_TREES.map((t) => path.join(real, t)), source: `${CORPUS_ENV} (${REAL_TREES.join(', ')})` };
  return { roots: FIXTURE_TREES, source: `the fixture corpus (set ${CORPUS_ENV} or pass folders for real data)` };
}
