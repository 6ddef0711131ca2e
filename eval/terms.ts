// `npm run eval:terms [-- <dir>...] [--dir <dir>]... [--data-dir <dir> [--rebuild]] [--queries file] [--json | --verbose]`: the quality of the words that
// stand out and of the people facet. For each query of eval/terms-queries.json (known events,
// with the words and people a reader expects), it asks the server's code for the words
// (/api/terms) and the search's people facet, and prints the precision of the first 10 words and
// of the first 5 people: the share of those shown that the reader expects. A word counts as
// expected when it is one of the query's expected words, contains one or is contained in one.
// The query's own words and names are left out of both lists (the panel leaves them out too).
// Precision is averaged over the queries that show something, then again over those with at least
// WELL_SAMPLED matching stories (a word in two of five stories says little about an event). Builds
// its index through the real reindex in a temporary Meilisearch, or in --data-dir, kept for the
// next run with the same folders and pipeline (kept-index.ts). A measurement, not a test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { evaluationRoots } from '../core/corpus-location.js';
import { createLogger } from '../core/log.js';
import { startEmbeddedMeili } from '../core/meili/embedded.js';
import { projectRoot } from '../core/paths.js';
import { toCanonical } from '../core/text/normalize.js';
import { reindex } from '../indexer/reindex/run.js';
import { singleBackend } from '../server/search/backend.js';
import { parseSearchParams } from '../server/search/params.js';
import { search } from '../server/search/search.js';
import { searchTerms } from '../server/search/terms.js';
import { builtFrom, keptIndexPlan, writeNote } from './kept-index.js';

/** The index's name in the evaluation's Meilisearch. */
const INDEX = 'articles';

/** Words and people judged per query. */
const TOP_TERMS = 10;
const TOP_PEOPLE = 5;
/** Matching stories from which a query counts in the second average. */
const WELL_SAMPLED = 20;

interface Judged {
  q: string;
  terms: string[];
  people: string[];
}

interface Row {
  q: string;
  stories: number;
  terms: string[];
  termsExpected: number;
  people: string[];
  peopleExpected: number;
}

const matches = (word: string, expected: string[]) => expected.some((e) => e === word || word.includes(e) || e.includes(word));

function readQueries(file: string): Judged[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { queries?: unknown };
  if (!Array.isArray(data.queries)) throw new Error(`${file}: no "queries" list`);
  return data.queries.map((q: Partial<Judged>, i) => {
    if (typeof q.q !== 'string' || !Array.isArray(q.terms) || !Array.isArray(q.people)) {
      throw new Error(`${file}: query ${i + 1} needs q, terms and people`);
    }
    return { q: q.q, terms: q.terms.map(toCanonical), people: q.people.map(toCanonical) };
  });
}

const share = (hit: number, of: number) => (of === 0 ? undefined : hit / of);
const mean = (values: Array<number | undefined>) => {
  const known = values.filter((v): v is number => v !== undefined);
  return { value: known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0, queries: known.length };
};
const percent = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(0)}%`);

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      queries: { type: 'string', default: path.join(projectRoot, 'eval', 'terms-queries.json') },
      json: { type: 'boolean', default: false },
      // As eval:counts takes its folders.
      dir: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      rebuild: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const queries = readQueries(values.queries);
  const { roots, source } = evaluationRoots([...positionals, ...(values.dir ?? [])]);
  process.stderr.write(`eval:terms on ${source}, ${queries.length} queries\n`);

  const kept = values['data-dir'] ? path.resolve(values['data-dir']) : undefined;
  const wanted = builtFrom(roots, INDEX);
  const dataDir = kept ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-terms-'));
  if (kept) fs.mkdirSync(kept, { recursive: true });
  const plan = kept ? keptIndexPlan(kept, wanted, values.rebuild) : 'build';
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  try {
    const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 60_000 });
    if (plan === 'build') {
      const log = createLogger('warn', 2);
      await reindex({ client, indexName: INDEX, dataDir, roots, incremental: false, prune: false, allowShrink: true, log });
      if (kept) writeNote(kept, wanted);
    } else {
      process.stderr.write(`eval:terms reuses the index in ${kept} (same folders, pipeline ${wanted.pipelineVersion})\n`);
    }
    const backend = singleBackend(client, INDEX);
    const rows: Row[] = [];
    for (const judged of queries) {
      const p = parseSearchParams({ q: judged.q });
      const own = toCanonical(judged.q).split(/\s+/);
      const answer = await searchTerms(backend, p);
      const terms = answer.terms.slice(0, TOP_TERMS).map((t) => t.text);
      const result = await search(backend, p, { coverage: false });
      const people = result.facets.person
        .map((f) => f.value)
        .filter((name) => !own.some((w) => w.includes(name) || name.includes(w)))
        .slice(0, TOP_PEOPLE);
      rows.push({
        q: judged.q,
        stories: answer.total,
        terms,
        termsExpected: terms.filter((w) => matches(w, judged.terms)).length,
        people,
        peopleExpected: people.filter((n) => judged.people.includes(n)).length,
      });
    }
    const precision = (of: Row[]) => ({
      terms: mean(of.map((r) => share(r.termsExpected, r.terms.length))),
      people: mean(of.map((r) => share(r.peopleExpected, r.people.length))),
    });
    const { terms: termsPrecision, people: peoplePrecision } = precision(rows);
    const wellSampled = precision(rows.filter((r) => r.stories >= WELL_SAMPLED));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ source, termsPrecision, peoplePrecision, wellSampled, rows }, null, 2)}\n`);
      return;
    }
    process.stdout.write(
      '| query | stories | words P@10 | people P@5 | words shown (expected marked *) | people shown |\n|---|---|---|---|---|---|\n',
    );
    for (const r of rows) {
      const mark = (list: string[], ok: (w: string) => boolean) => list.map((w) => (ok(w) ? `${w}*` : w)).join(' ');
      const judged = queries.find((q) => q.q === r.q)!;
      process.stdout.write(
        `| ${r.q} | ${r.stories} | ${percent(share(r.termsExpected, r.terms.length))} | ${percent(share(r.peopleExpected, r.people.length))} | ${mark(r.terms, (w) => matches(w, judged.terms))} | ${mark(r.people, (n) => judged.people.includes(n))} |\n`,
      );
    }
    process.stdout.write(
      `\nprecision of the first ${TOP_TERMS} words: ${percent(termsPrecision.value)} over ${termsPrecision.queries} queries that show words\n` +
        `precision of the first ${TOP_PEOPLE} people: ${percent(peoplePrecision.value)} over ${peoplePrecision.queries} queries that show people\n` +
        `with at least ${WELL_SAMPLED} matching stories: words ${percent(wellSampled.terms.value)} over ${wellSampled.terms.queries} queries, ` +
        `people ${percent(wellSampled.people.value)} over ${wellSampled.people.queries}\n`,
    );
  } finally {
    await meili.stop();
    if (!kept) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
