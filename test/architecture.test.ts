// The folders are the architecture (docs/design.md): core/ is what both sides share and imports
// nothing else of ours; indexer/ and server/ build on it and never import each other; cli/ starts
// either; bench/ and eval/ are tools beside the product, and nothing of the product imports them
// or the tests. Read from the sources' own import statements.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../core/paths.js';

/** Which top-level folders each folder may import from. */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: ['core'],
  indexer: ['core', 'indexer'],
  server: ['core', 'server'],
  cli: ['core', 'indexer', 'server', 'cli'],
  eval: ['core', 'indexer', 'server', 'eval'],
  bench: ['core', 'indexer', 'server', 'eval', 'bench'],
};

const IMPORT = /^\s*(?:import|export)\b[^'"]*?from\s+'(\.[^']+)'|^\s*import\s+'(\.[^']+)'|\bimport\(\s*'(\.[^']+)'\s*\)/gm;

function sourcesOf(folder: string): string[] {
  return fs
    .readdirSync(path.join(projectRoot, folder), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(folder, f));
}

/** Every relative import of the product's and tools' sources, as [file, top-level folder it reaches]. */
function imports(): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  for (const folder of Object.keys(MAY_IMPORT)) {
    for (const file of sourcesOf(folder)) {
      const source = fs.readFileSync(path.join(projectRoot, file), 'utf8');
      for (const m of source.matchAll(IMPORT)) {
        const spec = (m[1] ?? m[2] ?? m[3])!;
        const target = path.normalize(path.join(path.dirname(file), spec));
        out.push([file, spec, target.split(path.sep)[0]!]);
      }
    }
  }
  return out;
}

describe('the layout', () => {
  const all = imports();

  it('finds the imports it checks', () => {
    for (const folder of Object.keys(MAY_IMPORT))
      assert.ok(
        all.some(([file]) => file.startsWith(`${folder}${path.sep}`)),
        `${folder}/ has imports`,
      );
  });

  for (const [folder, allowed] of Object.entries(MAY_IMPORT)) {
    it(`${folder}/ imports only from ${allowed.join(', ')}`, () => {
      const wrong = all.filter(([file, , reached]) => file.startsWith(`${folder}${path.sep}`) && !allowed.includes(reached));
      assert.deepEqual(
        wrong.map(([file, spec]) => `${file} imports ${spec}`),
        [],
      );
    });
  }

  it('starts the server only from the CLI: no module of server/ runs on import', () => {
    const main = fs.readFileSync(path.join(projectRoot, 'server', 'main.ts'), 'utf8');
    assert.doesNotMatch(main, /^(?:void\s+)?(?:serve|main)\(\)/m);
  });
});
