// The version of the code that turns an article file into what the reindex keeps of it (its
// document, its near-duplicate fingerprint, or the reason it is rejected). Content hashes include
// it, so when that code changes every file counts as changed; when anything else changes (the
// server, configuration, the Meilisearch plumbing, the reindex's own orchestration) no file is
// parsed again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../core/paths.js';

/**
 * The compiled modules (under dist/) that produce documents, fingerprints and rejections:
 * indexer/reindex/prepare.js and everything it imports, except indexer/reindex/state.js (whose
 * format has its own version in the state's header) and what that alone brings (disk.js,
 * paths.js, this module).
 * test/indexer/pipeline-version.test.ts checks the list against the imports.
 */
export const PIPELINE_MODULES: readonly string[] = [
  'core/entities',
  'core/errors.js',
  'core/index-document.js',
  'core/outlets.js',
  'core/text',
  'core/topics.js',
  'indexer/article-id.js',
  'indexer/clean',
  'indexer/dedupe',
  'indexer/formats',
  'indexer/mojibake.js',
  'indexer/parse-file.js',
  'indexer/reindex/prepare.js',
];

/** The npm packages those modules import: their versions change documents too. */
export const PIPELINE_PACKAGES: readonly string[] = ['@node-rs/jieba', 'cheerio', 'markdown-it', 'opencc-js', 'yaml', 'zod'];

/**
 * The word lists those modules read (relative to the repository): the names, keywords' stop
 * words and segmenter words change documents as their code does.
 */
export const PIPELINE_DATA: readonly string[] = ['core/entities', 'core/text/segmenter-words.txt', 'core/text/stop-words.txt'];

export interface PipelineSources {
  /** The compiled code: dist. */
  distDir: string;
  /** Where the packages are installed: node_modules. */
  nodeModules: string;
  /** Where the word lists are: the repository. */
  dataDir?: string;
  modules?: readonly string[];
  packages?: readonly string[];
}

/** 16 hex digits over the modules' compiled code, the word lists and the packages' versions. */
export function pipelineVersion(src: PipelineSources): string {
  const hash = crypto.createHash('sha256');
  const add = (relative: string) => {
    const full = path.join(src.distDir, relative);
    if (fs.statSync(full).isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) add(path.join(relative, name));
    } else if (relative.endsWith('.js')) {
      hash.update(`${relative}\n`).update(fs.readFileSync(full));
    }
  };
  for (const m of src.modules ?? PIPELINE_MODULES) add(m);
  const dataDir = src.dataDir ?? projectRoot;
  const addData = (relative: string) => {
    const full = path.join(dataDir, relative);
    if (fs.statSync(full).isDirectory()) {
      for (const name of fs.readdirSync(full).sort()) addData(path.join(relative, name));
    } else if (relative.endsWith('.txt')) {
      hash.update(`${relative}\n`).update(fs.readFileSync(full));
    }
  };
  for (const d of PIPELINE_DATA) addData(d);
  for (const name of src.packages ?? PIPELINE_PACKAGES) {
    const pkg = JSON.parse(fs.readFileSync(path.join(src.nodeModules, name, 'package.json'), 'utf8')) as { version: string };
    hash.update(`${name}@${pkg.version}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}
