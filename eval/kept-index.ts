// An evaluation's index kept between runs (`--data-dir <dir>`): a full reindex of the 48k takes
// 10-20 minutes, a ranking change needs none. The folder holds Meilisearch's data, the reindex's
// state and a note of what the index was built from (the roots and the pipeline version). A run
// reuses the index only when the note matches; a folder with another note is refused (not
// silently reused, not silently rebuilt), a folder without one (new, or a build cut short) is
// built anew.
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../core/errors.js';
import { PIPELINE_VERSION } from '../indexer/reindex/state.js';

/** The note's file in the kept folder. */
const NOTE = 'eval-index.json';

export interface BuiltFrom {
  roots: string[];
  pipelineVersion: string;
  indexName: string;
}

/** What this run would build: its roots (resolved, in order) with the current pipeline version. */
export function builtFrom(roots: string[], indexName: string): BuiltFrom {
  return { roots: roots.map((r) => path.resolve(r)), pipelineVersion: PIPELINE_VERSION, indexName };
}

function readNote(dataDir: string): BuiltFrom | undefined {
  const file = path.join(dataDir, NOTE);
  if (!fs.existsSync(file)) return undefined;
  const note = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<BuiltFrom>;
  if (!Array.isArray(note.roots) || typeof note.pipelineVersion !== 'string' || typeof note.indexName !== 'string') {
    throw new ConfigError(`${file}: not a note of eval's index (roots, pipelineVersion, indexName)`);
  }
  return { roots: note.roots, pipelineVersion: note.pipelineVersion, indexName: note.indexName };
}

/** Why a kept index does not fit this run, or undefined when it does. */
export function mismatch(kept: BuiltFrom, wanted: BuiltFrom): string | undefined {
  if (kept.indexName !== wanted.indexName) return `it holds index ${kept.indexName}, not ${wanted.indexName}`;
  if (kept.pipelineVersion !== wanted.pipelineVersion) {
    return `it was built by pipeline version ${kept.pipelineVersion}, the code is now ${wanted.pipelineVersion}`;
  }
  if (kept.roots.join('\n') !== wanted.roots.join('\n')) {
    return `it was built from ${kept.roots.join(', ')}, not ${wanted.roots.join(', ')}`;
  }
  return undefined;
}

/**
 * Whether the kept folder's index can be used as it is ('reuse') or must be built ('build');
 * a ConfigError when it was built from something else, unless `rebuild` (then it is emptied).
 */
export function keptIndexPlan(dataDir: string, wanted: BuiltFrom, rebuild: boolean): 'reuse' | 'build' {
  const kept = readNote(dataDir);
  if (kept && !rebuild) {
    const why = mismatch(kept, wanted);
    if (!why) return 'reuse';
    throw new ConfigError(`--data-dir ${dataDir}: ${why}; pass --rebuild to build it again there, or another folder`);
  }
  // A build cut short leaves no note: whatever is there is rebuilt.
  fs.rmSync(path.join(dataDir, NOTE), { force: true });
  return 'build';
}

/** Written once the build is complete. */
export function writeNote(dataDir: string, built: BuiltFrom): void {
  fs.writeFileSync(path.join(dataDir, NOTE), `${JSON.stringify(built, null, 2)}\n`);
}
