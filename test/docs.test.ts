// The documentation says what the code does: the README stays a short page for users, every link
// and every file path in the docs leads somewhere, CI runs the README's test command, and
// docs/reliability.md gives every bound the number and the file the code gives it. Read from the
// Markdown and the sources as they are, so a renamed module or a changed bound fails here until
// the docs follow.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { projectRoot } from '../core/paths.js';

const README_MAX_LINES = 200;

/** The documentation, relative to the project root. */
const DOCS = [
  'README.md',
  'CONTRIBUTING.md',
  'bench/README.md',
  'eval/README.md',
  ...fs
    .readdirSync(path.join(projectRoot, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

const read = (file: string) => fs.readFileSync(path.join(projectRoot, file), 'utf8');
const exists = (file: string) => fs.existsSync(path.join(projectRoot, file));

/** Markdown lines outside fenced code blocks, with their numbers. */
function prose(text: string): Array<[number, string]> {
  let fenced = false;
  const out: Array<[number, string]> = [];
  text.split('\n').forEach((line, i) => {
    if (/^\s*```/.test(line)) fenced = !fenced;
    else if (!fenced) out.push([i + 1, line]);
  });
  return out;
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const [, line] of prose(text)) {
    const m = /^#{1,6}\s+(.*)$/.exec(line);
    if (!m) continue;
    const base = m[1]!
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** Relative links and images of a Markdown file: [file, line, target]. */
function links(file: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  for (const [n, line] of prose(read(file))) {
    // Not in code spans: `[title](url)` there is an example, not a link.
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!/^[a-z]+:/.test(m[1]!)) out.push([n, m[1]!]);
    }
  }
  return out;
}

const TOP_FOLDERS = ['core', 'indexer', 'server', 'cli', 'views', 'bench', 'eval', 'docs', 'test', 'dist'];
/** Made by the tests, not committed. */
const GENERATED = ['test/screenshots/'];

/** Paths written in code spans (`server/limits.ts`), as [line, path]. */
function codePaths(text: string): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const pathLike = new RegExp(`^(?:${TOP_FOLDERS.join('|')})/[\\w./-]*$`);
  for (const [n, line] of prose(text)) {
    for (const m of line.matchAll(/`([^`]+)`/g)) if (pathLike.test(m[1]!)) out.push([n, m[1]!]);
  }
  return out;
}

/** dist/x/y.js is compiled from x/y.ts. */
const sourceOf = (p: string) => (p.startsWith('dist/') ? p.slice('dist/'.length).replace(/\.js$/, '.ts') : p);

describe('the documentation', () => {
  it(`the README is a page for users: at most ${README_MAX_LINES} lines, with the quick start and the test command`, () => {
    const readme = read('README.md');
    const lines = readme.trimEnd().split('\n').length;
    assert.ok(lines <= README_MAX_LINES, `README.md has ${lines} lines`);
    const quickStart = /^## Quick start\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    assert.match(quickStart, /^npm install && npm start\b/m);
    assert.match(quickStart, /^npm test$/m);
    for (const folder of TOP_FOLDERS.filter((f) => f !== 'dist'))
      assert.match(readme, new RegExp(`^${folder}/ `, 'm'), `the README's picture shows ${folder}/`);
  });

  it('CI runs exactly the README’s test command', () => {
    const commands = read('.ci/run')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    assert.equal(commands.at(-1), 'npm test');
  });

  it('every relative link leads to a file, and every #anchor to a heading there', () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      for (const [n, target] of links(file)) {
        const [p, anchor] = target.split('#') as [string, string | undefined];
        const resolved = p ? path.normalize(path.join(path.dirname(file), p)) : file;
        if (!exists(resolved)) broken.push(`${file}:${n} → ${target} (no such file)`);
        else if (anchor !== undefined && resolved.endsWith('.md') && !anchorsOf(read(resolved)).has(anchor))
          broken.push(`${file}:${n} → ${target} (no such heading)`);
      }
    }
    assert.deepEqual(broken, []);
  });

  it('every file path the docs name exists (for dist/…js, its source)', () => {
    const missing: string[] = [];
    for (const file of DOCS) {
      for (const [n, p] of codePaths(read(file))) {
        if (GENERATED.some((g) => p.startsWith(g))) continue;
        if (!exists(sourceOf(p))) missing.push(`${file}:${n}: ${p}`);
      }
    }
    assert.deepEqual(missing, []);
  });

  it('names the entry points as they are: tongwen.js, not the old per-side entries', () => {
    const old = ['dist/indexer/cli.js', 'dist/server/main.js', 'server/bench', 'server/eval'];
    const found = DOCS.flatMap((file) => old.filter((o) => read(file).includes(o)).map((o) => `${file}: ${o}`));
    assert.deepEqual(found, []);
  });
});

// --- docs/reliability.md against the sources -------------------------------------------------

interface Constant {
  file: string;
  /** The expression it is set to, as written. */
  expression: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(projectRoot, dir), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
}

/** Every top-level `const NAME = …;` of the product's sources, by name (a name may be defined in several files). */
function constants(): Map<string, Constant[]> {
  const out = new Map<string, Constant[]>();
  for (const file of ['core', 'indexer', 'server'].flatMap(sourceFiles)) {
    for (const m of read(file).matchAll(/^(?:export )?const ([A-Z][A-Z0-9_]*)\b[^=\n]*=\s*([^;]+);/gm)) {
      out.set(m[1]!, [...(out.get(m[1]!) ?? []), { file, expression: m[2]!.trim() }]);
    }
  }
  return out;
}

/** The number a constant is set to (literals, products of literals, or another constant), else undefined. */
function constantValue(name: string, all: Map<string, Constant[]>): number | undefined {
  const defs = all.get(name);
  if (defs?.length !== 1) return undefined;
  const e = defs[0]!.expression.replace(/_/g, '');
  if (/^[A-Z][A-Z0-9]*$/.test(defs[0]!.expression)) return constantValue(defs[0]!.expression, all);
  if (!/^[\d.]+(?:\s*\*\s*[\d.]+)*$/.test(e)) return undefined;
  return e.split('*').reduce((n, f) => n * Number(f.trim()), 1);
}

/** How the docs write a constant's value, from its name's unit. */
function shown(name: string, value: number): RegExp {
  const n = (x: number) => x.toLocaleString('en-US');
  if (name.endsWith('_MS')) {
    if (value % 3_600_000 === 0) return new RegExp(`\\b${n(value / 3_600_000)} h\\b`);
    if (value % 1000 === 0) return new RegExp(`\\b${n(value / 1000)} s\\b`);
    return new RegExp(`\\b${n(value)} ms\\b`);
  }
  if (name.endsWith('_S')) return new RegExp(`\\b${n(value)} s\\b`);
  if (name.endsWith('_BYTES')) return new RegExp(`\\b${n(value / 1024 / 1024)} Mi?B\\b`);
  if (name === 'SHRINK_LIMIT') return new RegExp(`\\b${n(value * 100)}%`);
  if (name === 'DB_GROWTH') return new RegExp(`\\b${n(value)}×`);
  return new RegExp(`(?<![\\d,.])${n(value).replace(/\./g, '\\.')}(?![\\d,])`);
}

/** Numeric constants that are not bounds, and where they are explained instead. */
const NOT_BOUNDS: Record<string, string> = {
  LEAD_CHARS: 'the stored opening of a body (docs/loading.md, excerpt)',
  CHINA_OFFSET_MS: 'Hong Kong/Beijing time (docs/api.md)',
  SIGNATURE_SIZE: 'MinHash slots (docs/design.md, grouping copies)',
  SHINGLE: 'shingle length (docs/design.md, grouping copies)',
  BODY_SAME_TITLE: 'a grouping threshold (docs/design.md)',
  BODY_NEAR_TITLE: 'a grouping threshold (docs/design.md)',
  CONTAINED: 'a grouping threshold (docs/design.md)',
  TITLE_NEAR: 'a grouping threshold (docs/design.md)',
  WIDTH: 'the chart’s drawing width',
};

/**
 * The line that says something about a name: a table row, or the paragraph or list item around
 * it. A row or item that names a constant must also give its value and the file that defines it.
 */
function unitAround(lines: string[], i: number): string {
  if (lines[i]!.startsWith('|')) return lines[i]!;
  const starts = (l: string) => /^\s*[-*] /.test(l);
  let from = i;
  while (from > 0 && lines[from - 1]!.trim() !== '' && !starts(lines[from]!)) from--;
  let to = i;
  while (to + 1 < lines.length && lines[to + 1]!.trim() !== '' && !starts(lines[to + 1]!)) to++;
  return lines.slice(from, to + 1).join('\n');
}

describe('docs/reliability.md', () => {
  const doc = read('docs/reliability.md');
  const lines = doc.split('\n');
  const all = constants();
  const envNames = new Set([...read('core/config.ts').matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!));
  const named = [...new Set([...doc.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)].map((m) => m[1]!))].filter((n) => !envNames.has(n));

  it('finds the constants it checks', () => {
    assert.ok(named.length >= 30, `${named.length} constants named`);
    assert.equal(constantValue('REQUEST_DEADLINE_MS', all), 10_000);
  });

  it('lists every exported numeric constant of core/, indexer/ and server/ (or it is not a bound)', () => {
    const exported = ['core', 'indexer', 'server']
      .flatMap(sourceFiles)
      .flatMap((file) => [...read(file).matchAll(/^export const ([A-Z][A-Z0-9_]*)\b/gm)].map((m) => m[1]!))
      .filter((name) => constantValue(name, all) !== undefined);
    const undocumented = exported.filter((name) => !named.includes(name) && !(name in NOT_BOUNDS));
    assert.deepEqual(undocumented, [], 'add them to docs/reliability.md, or to NOT_BOUNDS with where they are explained');
  });

  it('names each constant beside the file that defines it and the value it has there', () => {
    const wrong: string[] = [];
    for (const name of named) {
      const defs = all.get(name) ?? [];
      if (defs.length !== 1) {
        wrong.push(`${name}: defined ${defs.length === 0 ? 'nowhere' : `in ${defs.map((d) => d.file).join(', ')}`}`);
        continue;
      }
      const value = constantValue(name, all);
      lines.forEach((line, i) => {
        if (!line.includes(`\`${name}\``)) return;
        const unit = unitAround(lines, i);
        if (!unit.includes(defs[0]!.file)) wrong.push(`line ${i + 1}: ${name} is defined in ${defs[0]!.file}, which is not named there`);
        if (value !== undefined && !shown(name, value).test(unit))
          wrong.push(`line ${i + 1}: ${name} is ${value} in ${defs[0]!.file}, not shown as ${shown(name, value).source}`);
      });
    }
    assert.deepEqual(wrong, []);
  });
});
