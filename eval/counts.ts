// `npm run eval:counts [-- <word-list-file>] [--dir <dir>]... [--queries N] [--seed S] [--json]`:
// are totals and facet counts exact? Builds the index of the given folders (else TONGWEN_CORPUS's
// trees, else the fixture corpus) in a temporary Meilisearch, then runs one-word queries from the
// word list and N queries generated from the stories' titles with a fixed seed: several words,
// three words, phrases, exclusions, unspaced Chinese and Latin words, OR between two or three
// alternatives (alone, with another word, with an exclusion), and unspaced words of four
// characters, half of them in the other script. For each, the truth (truth.ts: by plain string
// search, the stories that satisfy the terms the server says it searched; for OR queries and
// four-character words, the query's own meaning as it was generated) is compared with
// /api/search's total and its outlet, topic and year counts; for one-word queries also with a
// plain Meilisearch index's total. A measurement.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { Converter } from '../core/text/opencc.js';
import { evaluationRoots } from '../core/corpus-location.js';
import { INDEX_SETTINGS } from '../core/index-settings.js';
import { createLogger } from '../core/log.js';
import { startEmbeddedMeili } from '../core/meili/embedded.js';
import { toCanonical } from '../core/text/normalize.js';
import { parseAll } from '../indexer/parse-stream.js';
import { projectRoot } from '../core/paths.js';
import { reindex } from '../indexer/reindex/run.js';
import { loadState } from '../indexer/reindex/state.js';
import { DocumentSender, expectSuccess } from '../indexer/reindex/sender.js';
import type { Article } from '../core/schema.js';
import { parseSearchParams } from '../server/search/params.js';
import { search } from '../server/search/search.js';
import type { SearchResult } from '../server/search/search-result.js';
import { random } from './random.js';
import { hanWords, latinTitleWords } from './title-words.js';
import { contains, countBy, satisfies, truthStory, type TruthStory } from './truth.js';
import { singleBackend } from '../server/search/backend.js';

const toTraditional = Converter({ from: 'cn', to: 'hk' });

type Kind =
  | 'one word'
  | 'two words'
  | 'three words'
  | 'phrase'
  | 'exclusion'
  | 'unspaced'
  | 'latin'
  | 'or'
  | 'or and'
  | 'or not'
  | 'four chars';

interface Query {
  kind: Kind;
  q: string;
  /** For generated unspaced queries: the words that were joined. */
  joined?: string[];
  /** The query's meaning, written as it was generated (else: the terms the server read). */
  truth?: (s: TruthStory) => boolean;
}

/** Queries built from titles: the words a reader would remember of a story, in either script. */
export function generateQueries(stories: Article[], n: number, seed: number): Query[] {
  const next = random(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const script = (q: string) => (next() < 0.5 ? toTraditional(q) : q);
  const titles = stories.map((s) => toCanonical(s.title));
  const kinds: Kind[] = [
    'two words',
    'two words',
    'three words',
    'phrase',
    'exclusion',
    'unspaced',
    'latin',
    'or',
    'or',
    'or and',
    'or not',
    'four chars',
  ];
  // Alternatives are words of up to four characters (each one word, a substring) or Latin words,
  // from different titles: stories with one, the other, or both.
  const alternative = (title: string) => {
    const short = hanWords(title).filter((w) => Array.from(w).length <= 4);
    const latin = latinTitleWords(title);
    return short.length && (latin.length === 0 || next() < 0.85) ? pick(short) : latin.length ? pick(latin) : undefined;
  };
  const has = (w: string) => (s: TruthStory) => contains(s, w);
  const out: Query[] = [];
  const seen = new Set<string>();
  for (let attempt = 0; out.length < n && attempt < n * 50; attempt++) {
    const kind = kinds[out.length % kinds.length]!;
    const title = pick(titles);
    const words = hanWords(title);
    let query: Query | undefined;
    if (kind === 'two words' && words.length >= 2) {
      const a = pick(words);
      const b = pick(words.filter((w) => w !== a));
      query = { kind, q: script(`${a} ${b}`) };
    } else if (kind === 'three words' && words.length >= 3) {
      const shuffled = [...words].sort(() => next() - 0.5).slice(0, 3);
      query = { kind, q: script(shuffled.join(' ')) };
    } else if (kind === 'phrase') {
      const run = pick(title.match(/\p{Script=Han}{3,}/gu) ?? ['']);
      const chars = Array.from(run);
      if (chars.length >= 3) {
        const len = Math.min(chars.length, 3 + Math.floor(next() * 4));
        const start = Math.floor(next() * (chars.length - len + 1));
        query = { kind, q: script(`"${chars.slice(start, start + len).join('')}"`) };
      }
    } else if (kind === 'exclusion' && words.length >= 1) {
      const a = pick(words);
      const other = hanWords(pick(titles)).filter((w) => w !== a);
      if (other.length) query = { kind, q: script(`${a} -${pick(other)}`) };
    } else if (kind === 'unspaced' && words.length >= 2) {
      const i = Math.floor(next() * (words.length - 1));
      const joined = [words[i]!, words[i + 1]!];
      query = { kind, q: script(joined.join('')), joined };
    } else if (kind === 'or' || kind === 'or and' || kind === 'or not') {
      const n = kind === 'or' && next() < 0.4 ? 3 : 2;
      const alts = [...new Set([alternative(title), ...Array.from({ length: n - 1 }, () => alternative(pick(titles)))])].filter(
        (w): w is string => w !== undefined,
      );
      const rest = words.filter((w) => !alts.includes(w) && Array.from(w).length <= 4);
      if (alts.length === n && (kind === 'or' || rest.length)) {
        const either = (s: TruthStory) => alts.some((w) => contains(s, w));
        if (kind === 'or') query = { kind, q: script(alts.join(' OR ')), truth: either };
        else {
          const other = pick(rest);
          query =
            kind === 'or and'
              ? { kind, q: script(`(${alts.join(' OR ')}) ${other}`), truth: (s) => either(s) && has(other)(s) }
              : { kind, q: script(`(${alts.join(' OR ')}) -${other}`), truth: (s) => either(s) && !has(other)(s) };
        }
      }
    } else if (kind === 'four chars') {
      const runs = (title.match(/\p{Script=Han}{4,}/gu) ?? []).map((r) => Array.from(r));
      if (runs.length) {
        const run = pick(runs);
        const start = Math.floor(next() * (run.length - 3));
        const word = run.slice(start, start + 4).join('');
        query = { kind, q: script(word), truth: has(word) };
      }
    } else if (kind === 'latin') {
      const latin = latinTitleWords(title);
      if (latin.length) query = { kind, q: words.length && next() < 0.6 ? `${pick(latin)} ${script(pick(words))}` : pick(latin) };
    }
    if (query && !seen.has(query.q)) {
      seen.add(query.q);
      out.push(query);
    }
  }
  return out;
}

interface Row {
  kind: Kind;
  q: string;
  read: string;
  truth: number;
  tongwen: number;
  facetsExact: boolean;
  plain?: number;
  /** Unspaced queries: the segmenter found the words that were joined. */
  segmentedAsJoined?: boolean;
}

function facetsMatch(result: SearchResult, expected: TruthStory[]): boolean {
  const got = (list: Array<{ value: string; count: number }>) =>
    JSON.stringify(
      Object.fromEntries(
        list
          .filter((f) => f.count > 0)
          .map((f) => [f.value, f.count])
          .sort(),
      ),
    );
  const want = (m: Record<string, number>) => JSON.stringify(Object.fromEntries(Object.entries(m).sort()));
  return (
    got(result.facets.outlet) === want(countBy(expected, (s) => s.outlet)) &&
    got(result.facets.topic) === want(countBy(expected, (s) => s.topics)) &&
    got(result.facets.year) === want(countBy(expected, (s) => s.year))
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      dir: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      queries: { type: 'string', default: '180' },
      seed: { type: 'string', default: '20261127' },
    },
    allowPositionals: true,
  });
  const listFile = positionals[0] ?? path.join(projectRoot, 'eval', 'count-words.txt');
  const words = fs
    .readFileSync(listFile, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const { roots, source } = evaluationRoots(values.dir ?? []);
  process.stderr.write(`eval:counts on ${source}\n`);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-counts-'));
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  try {
    const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 120_000 });
    const log = createLogger('warn', 2);
    await reindex({ client, indexName: 'articles', dataDir, roots, incremental: false, prune: false, log });
    const live = new Set(Object.keys((await loadState(dataDir, 'articles')).state!.live));
    const stories: Article[] = [];
    for await (const r of parseAll(roots)) if (r.ok && live.delete(r.doc.id)) stories.push(r.doc);
    const truths = stories.map(truthStory);

    // The plain index: the same stories, original text, no normalization, no exact fields.
    await expectSuccess(client, (await client.createIndex('plain', { primaryKey: 'id' })).taskUid);
    const plain = client.index('plain');
    await expectSuccess(
      client,
      (
        await plain.updateSettings({
          ...INDEX_SETTINGS,
          searchableAttributes: ['title', 'body'],
          localizedAttributes: [{ attributePatterns: ['title', 'body'], locales: ['cmn'] }],
        })
      ).taskUid,
    );
    const sender = new DocumentSender(client, plain);
    for (const a of stories) await sender.add({ id: a.id, title: a.title, body: a.body, outlet: a.outlet.id });
    await sender.finish();

    const seed = Number(values.seed);
    const queries: Query[] = [
      ...words.map((q) => ({ kind: 'one word' as const, q })),
      ...generateQueries(stories, Number(values.queries), seed),
    ];
    const rows: Row[] = [];
    for (const query of queries) {
      const result = await search(singleBackend(client, 'articles'), parseSearchParams({ q: query.q }));
      const expected = truths.filter((s) => (query.truth ? query.truth(s) : satisfies(s, result.query.terms)));
      const row: Row = {
        kind: query.kind,
        q: query.q,
        read: result.query.alternatives
          .map((alt) => alt.terms.map((t) => (t.exclude ? '-' : '') + (t.phrase ? `"${t.text}"` : t.text)).join(' '))
          .join(' | '),
        truth: expected.length,
        tongwen: result.total,
        facetsExact: facetsMatch(result, expected),
      };
      if (query.kind === 'one word') row.plain = (await plain.search(query.q, { page: 1, hitsPerPage: 0 })).totalHits ?? 0;
      // Four characters or fewer are one word, not segmented.
      if (query.joined && Array.from(query.joined.join('')).length > 4)
        row.segmentedAsJoined = JSON.stringify(result.query.terms.map((t) => t.text)) === JSON.stringify(query.joined);
      rows.push(row);
    }
    report(rows, stories.length, seed, Boolean(values.json));
  } finally {
    await meili.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(rows: Row[], stories: number, seed: number, json: boolean): void {
  const exact = (r: Row) => r.tongwen === r.truth && r.facetsExact;
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)}%` : '—');
  if (json) {
    process.stdout.write(`${JSON.stringify({ stories, seed, exact: rows.filter(exact).length, queries: rows.length, rows })}\n`);
    return;
  }
  process.stdout.write(
    `Counts on ${stories} stories; ${rows.length} queries (seed ${seed}). Truth: stories that satisfy the terms as read, by string search.\n\n`,
  );
  for (const r of rows) {
    const mark = exact(r) ? ' ' : '✗';
    const plain = r.plain === undefined ? '' : `  plain ${r.plain}`;
    process.stdout.write(
      `${mark} ${r.kind.padEnd(11)} ${r.q}  →  ${r.read}  truth ${r.truth}  Tongwen ${r.tongwen}${r.facetsExact ? '' : '  (facets differ)'}${plain}\n`,
    );
  }
  process.stdout.write('\nkind          queries  total exact  total and facets exact\n');
  const kinds = [...new Set(rows.map((r) => r.kind))];
  for (const kind of [...kinds, 'all']) {
    const of = rows.filter((r) => kind === 'all' || r.kind === kind);
    process.stdout.write(
      `${kind.padEnd(13)} ${String(of.length).padStart(7)}  ${pct(of.filter((r) => r.tongwen === r.truth).length, of.length).padStart(11)}  ${pct(of.filter(exact).length, of.length).padStart(22)}\n`,
    );
  }
  const oneWord = rows.filter((r) => r.plain !== undefined);
  if (oneWord.length)
    process.stdout.write(
      `\nA plain Meilisearch index gives the true total for ${oneWord.filter((r) => r.plain === r.truth).length} of ${oneWord.length} one-word queries.\n`,
    );
  const unspaced = rows.filter((r) => r.segmentedAsJoined !== undefined);
  if (unspaced.length)
    process.stdout.write(
      `Unspaced queries read as the words that were joined: ${unspaced.filter((r) => r.segmentedAsJoined).length} of ${unspaced.length}.\n`,
    );
}

main().catch((err: Error) => {
  process.stderr.write(`eval:counts failed: ${err.message}\n`);
  process.exitCode = 1;
});
