// `npm run eval:terms [-- <dir>...] [--dir <dir>]... [--data-dir <dir> [--rebuild]] [--queries file]
// [--judgments file] [--json | --verbose]`: the quality of the words that stand out and of the
// people facet. For each query of eval/terms-queries.json (known events, with the words and people
// a reader expects, written blind), it asks the server's code for the words (/api/terms) and the
// search's people facet, and prints the precision of the first 10 words and of the first 5
// people twice: against the blind lists alone, and against the blind lists with the pooled
// judgments of eval/terms-judgments.json (terms-lists.ts). A word counts as expected blind when it
// is one of the query's expected words, contains one or is contained in one; a judged word only
// when it is judged relevant as it is; a word judged neither way counts as not relevant, and the
// listing says how many were not judged. The query's own words and names are left out of both
// lists (the panel leaves them out too). Precision is averaged over the queries that show
// something, then again over those with at least WELL_SAMPLED matching stories (a word in two of
// five stories says little about an event). Builds its index through the real reindex in a
// temporary Meilisearch, or in --data-dir, kept for the next run with the same folders and
// pipeline (kept-index.ts). A measurement, not a test.
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
import { TERM_RANKING, type TermRankingName, termRankingName } from '../server/search/term-score.js';
import { searchTerms } from '../server/search/terms.js';
import { builtFrom, keptIndexPlan, writeNote } from './kept-index.js';
import { type BlindList, type Judgment, personVerdict, readBlindLists, readJudgments, type Verdict, wordVerdict } from './terms-lists.js';

/** The index's name in the evaluation's Meilisearch. */
const INDEX = 'articles';

/** Words and people judged per query. */
const TOP_TERMS = 10;
const TOP_PEOPLE = 5;
/** Matching stories from which a query counts in the second average. */
const WELL_SAMPLED = 20;

interface Shown {
  text: string;
  verdict: Verdict;
}

interface Row {
  q: string;
  stories: number;
  terms: Shown[];
  people: Shown[];
}

const share = (hit: number, of: number) => (of === 0 ? undefined : hit / of);
const mean = (values: Array<number | undefined>) => {
  const known = values.filter((v): v is number => v !== undefined);
  return { value: known.length ? known.reduce((a, b) => a + b, 0) / known.length : 0, queries: known.length };
};
const percent = (v: number | undefined) => (v === undefined ? '—' : `${(v * 100).toFixed(0)}%`);
const blind = (list: Shown[]) => share(list.filter((s) => s.verdict === 'blind').length, list.length);
const judged = (list: Shown[]) => share(list.filter((s) => s.verdict === 'blind' || s.verdict === 'relevant').length, list.length);
const unjudged = (list: Shown[]) => list.filter((s) => s.verdict === 'unjudged').length;
/** The listing's marks: * expected blind, + judged relevant, - judged not, ? not judged. */
const MARK: Record<Verdict, string> = { blind: '*', relevant: '+', not: '-', unjudged: '?' };
const marked = (list: Shown[]) => list.map((s) => `${s.text}${MARK[s.verdict]}`).join(' ');

function precision(rows: Row[]) {
  return {
    terms: { blind: mean(rows.map((r) => blind(r.terms))), judged: mean(rows.map((r) => judged(r.terms))) },
    people: { blind: mean(rows.map((r) => blind(r.people))), judged: mean(rows.map((r) => judged(r.people))) },
  };
}

async function measure(
  backend: ReturnType<typeof singleBackend>,
  list: BlindList,
  judgment: Judgment | undefined,
  ranking: TermRankingName,
): Promise<Row> {
  const p = parseSearchParams({ q: list.q });
  const own = toCanonical(list.q).split(/\s+/);
  const answer = await searchTerms(backend, p, ranking);
  const result = await search(backend, p, { coverage: false });
  const people = result.facets.person
    .map((f) => f.value)
    .filter((name) => !own.some((w) => w.includes(name) || name.includes(w)))
    .slice(0, TOP_PEOPLE);
  return {
    q: list.q,
    stories: answer.total,
    terms: answer.terms.slice(0, TOP_TERMS).map((t) => ({ text: t.text, verdict: wordVerdict(t.text, list, judgment) })),
    people: people.map((name) => ({ text: name, verdict: personVerdict(name, list, judgment) })),
  };
}

function printTable(rows: Row[]): void {
  process.stdout.write(
    '| query | stories | words P@10 blind | judged | people P@5 blind | judged | words shown | people shown |\n|---|---|---|---|---|---|---|---|\n',
  );
  for (const r of rows) {
    process.stdout.write(
      `| ${r.q} | ${r.stories} | ${percent(blind(r.terms))} | ${percent(judged(r.terms))} | ${percent(blind(r.people))} | ${percent(judged(r.people))} | ${marked(r.terms)} | ${marked(r.people)} |\n`,
    );
  }
}

/** --verbose: one block per query, a word or name a line, with its verdict. */
function printListing(rows: Row[]): void {
  const verdictText: Record<Verdict, string> = {
    blind: 'expected (blind list)',
    relevant: 'relevant (judged)',
    not: 'not relevant (judged)',
    unjudged: 'NOT JUDGED',
  };
  for (const r of rows) {
    process.stdout.write(
      `\n${r.q}: ${r.stories} stories; words ${percent(blind(r.terms))} blind, ${percent(judged(r.terms))} judged; ` +
        `people ${percent(blind(r.people))} blind, ${percent(judged(r.people))} judged\n`,
    );
    for (const [title, list] of [
      ['words', r.terms],
      ['people', r.people],
    ] as const) {
      process.stdout.write(`  ${title}:${list.length ? '' : ' none shown'}\n`);
      for (const [i, s] of list.entries()) process.stdout.write(`    ${String(i + 1).padStart(2)}. ${s.text}  ${verdictText[s.verdict]}\n`);
    }
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      queries: { type: 'string', default: path.join(projectRoot, 'eval', 'terms-queries.json') },
      judgments: { type: 'string', default: path.join(projectRoot, 'eval', 'terms-judgments.json') },
      json: { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
      // As eval:counts takes its folders.
      dir: { type: 'string', multiple: true },
      'data-dir': { type: 'string' },
      rebuild: { type: 'boolean', default: false },
      // Another of server/search/term-score.ts's rankings than the panel's, to compare.
      ranking: { type: 'string', default: TERM_RANKING },
    },
    allowPositionals: true,
  });
  const ranking = termRankingName.safeParse(values.ranking);
  if (!ranking.success) throw new Error(`--ranking ${values.ranking}: one of ${termRankingName.options.join(', ')}`);
  const queries = readBlindLists(values.queries);
  const judgments = readJudgments(values.judgments, queries);
  const { roots, source } = evaluationRoots([...positionals, ...(values.dir ?? [])]);
  process.stderr.write(`eval:terms on ${source}, ${queries.length} queries, ${judgments.size} with judgments, ranking ${ranking.data}\n`);

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
    for (const list of queries) rows.push(await measure(backend, list, judgments.get(list.q), ranking.data));
    const all = precision(rows);
    const wellSampled = precision(rows.filter((r) => r.stories >= WELL_SAMPLED));
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ source, ranking: ranking.data, precision: all, wellSampled, rows }, null, 2)}\n`);
      return;
    }
    if (values.verbose) printListing(rows);
    else printTable(rows);
    const line = (what: string, p: ReturnType<typeof precision>) =>
      `${what}: words ${percent(p.terms.blind.value)} blind, ${percent(p.terms.judged.value)} judged (${p.terms.blind.queries} queries); ` +
      `people ${percent(p.people.blind.value)} blind, ${percent(p.people.judged.value)} judged (${p.people.blind.queries} queries)\n`;
    const notJudged = rows.reduce((n, r) => n + unjudged(r.terms) + unjudged(r.people), 0);
    process.stdout.write(
      `\nprecision of the first ${TOP_TERMS} words and the first ${TOP_PEOPLE} people\n` +
        line('all queries', all) +
        line(`with at least ${WELL_SAMPLED} matching stories`, wellSampled) +
        `words and people shown but not judged (counted as not relevant): ${notJudged}\n`,
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
