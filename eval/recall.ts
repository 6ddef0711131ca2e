// `npm run eval:recall [-- <dir>...] [--sample N] [--seed S] [--json] [--misses]`: recall. For a
// sample of articles, search each title as written, converted to the other script, and
// (traditional articles) converted to simplified with phrase conversion, and count the share
// whose article is in the top 3: on Tongwen (the server's search) and on a plain Meilisearch index
// of the same articles without normalization. Then two words of each title, picked with a fixed
// seed: the share whose article is in Tongwen's top 10. Tongwen's index is built by the real
// reindex, so an article found is its story (near-duplicate copies are one story); on the plain
// index, identical copies count as found. Starts its own Meilisearch in a temp
// dir. A measurement, not a test.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch, type Index } from 'meilisearch';
import { Converter } from '../core/text/opencc.js';
import { evaluationRoots } from '../core/corpus-location.js';
import { INDEX_SETTINGS } from '../core/index-settings.js';
import { createLogger } from '../core/log.js';
import { startEmbeddedMeili } from '../core/meili/embedded.js';
import { toCanonical } from '../core/text/normalize.js';
import { parseAll } from '../indexer/parse-stream.js';
import { reindex } from '../indexer/reindex/run.js';
import { expectSuccess, DocumentSender } from '../indexer/reindex/sender.js';
import { loadState } from '../indexer/reindex/state.js';
import type { Article } from '../core/schema.js';
import { parseSearchParams } from '../server/search/params.js';
import { search } from '../server/search/search.js';
import { random } from './random.js';
import { titleWords } from './title-words.js';
import { singleBackend } from '../server/search/backend.js';

const toSimplifiedChars = Converter({ from: 't', to: 'cn' });
const toSimplifiedPhrases = Converter({ from: 'twp', to: 'cn' });
const toTraditionalChars = Converter({ from: 'cn', to: 't' });

interface Query {
  kind: 'same script' | 'other script (characters)' | 'simplified with phrases' | 'two title words';
  text: string;
  article: Article;
}

const PLAIN_SETTINGS = {
  ...INDEX_SETTINGS,
  searchableAttributes: ['title', 'body', 'tags'],
  localizedAttributes: [{ attributePatterns: ['title', 'body', 'tags'], locales: ['cmn'] }],
};

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: {
      sample: { type: 'string', default: '400' },
      json: { type: 'boolean', default: false },
      misses: { type: 'boolean', default: false },
      seed: { type: 'string', default: '20261127' },
    },
    allowPositionals: true,
  });
  const { roots, source } = evaluationRoots(positionals);
  process.stderr.write(`eval:recall on ${source}\n`);
  const articles: Article[] = [];
  for await (const r of parseAll(roots)) if (r.ok) articles.push(r.doc);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-recall-'));
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  try {
    const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 60_000 });
    // Tongwen's index as readers have it: through the real reindex, near-duplicate copies folded.
    await reindex({ client, indexName: 'ours', dataDir, roots, incremental: false, prune: false, log: createLogger('warn', 2) });
    const storyOf = new Map<string, string>();
    for (const [rep, copies] of Object.entries((await loadState(dataDir, 'ours')).state!.live))
      for (const id of [rep, ...copies]) storyOf.set(id, rep);
    const plain = await load(
      client,
      'plain',
      PLAIN_SETTINGS,
      articles.map((a) => ({ id: a.id, title: a.title, body: a.body, tags: a.tags })),
    );

    // Identical copies (same text under another URL) count as found.
    const fingerprint = (a: Pick<Article, 'title' | 'body'>) => crypto.createHash('sha1').update(`${a.title}\n${a.body}`).digest('hex');
    const byId = new Map(articles.map((a) => [a.id, fingerprint(a)]));

    const sample = pickSample(articles, Number(values.sample));
    const queries: Query[] = [];
    for (const article of sample) {
      queries.push({ kind: 'same script', text: article.title, article });
      if (article.script === 'hant') {
        queries.push({ kind: 'other script (characters)', text: toSimplifiedChars(article.title), article });
        queries.push({ kind: 'simplified with phrases', text: toSimplifiedPhrases(article.title), article });
      } else if (article.script === 'hans') {
        queries.push({ kind: 'other script (characters)', text: toTraditionalChars(article.title), article });
      }
    }
    const next = random(Number(values.seed));
    for (const article of sample) {
      const words = titleWords(article.title);
      if (words.length < 2) continue;
      const a = words[Math.floor(next() * words.length)]!;
      const rest = words.filter((w) => w !== a);
      queries.push({ kind: 'two title words', text: `${a} ${rest[Math.floor(next() * rest.length)]!}`, article });
    }
    const rows = new Map<string, { total: number; plain: number; ours: number; top: number }>();
    for (const q of queries) {
      const top = q.kind === 'two title words' ? 10 : 3;
      const row = rows.get(q.kind) ?? { total: 0, plain: 0, ours: 0, top };
      row.total++;
      const want = byId.get(q.article.id);
      const isIt = (id: unknown) => id === q.article.id || byId.get(String(id)) === want;
      if (top === 3 && (await plain.search(q.text, { limit: 3, attributesToRetrieve: ['id'] })).hits.some((h) => isIt(h.id))) row.plain++;
      // Tongwen shows a story once: its hit is the story the sampled article belongs to.
      const story = storyOf.get(q.article.id);
      // As a reader searches: the server's search, relevance order.
      const { hits } = await search(singleBackend(client, 'ours'), parseSearchParams({ q: q.text, perPage: String(top) }));
      if (hits.some((h) => isIt(h.id) || h.id === story)) row.ours++;
      else if (values.misses) process.stderr.write(`miss (${q.kind}): ${q.text} → ${toCanonical(q.text)} [${q.article.id}]\n`);
      rows.set(q.kind, row);
    }
    const result = {
      articles: articles.length,
      sample: sample.length,
      rows: [...rows].map(([kind, r]) => ({
        kind,
        queries: r.total,
        top: r.top,
        plain: r.top === 3 ? pct(r.plain, r.total) : null,
        ours: pct(r.ours, r.total),
      })),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(`Recall: the article in the top N, ${result.sample} sampled titles of ${result.articles} articles\n`);
      process.stdout.write(
        `${'query'.padEnd(28)} ${'queries'.padStart(7)} ${'top'.padStart(4)} ${'plain'.padStart(8)} ${'Tongwen'.padStart(8)}\n`,
      );
      for (const r of result.rows) {
        process.stdout.write(
          `${r.kind.padEnd(28)} ${String(r.queries).padStart(7)} ${String(r.top).padStart(4)} ${(r.plain === null ? '—' : `${r.plain}%`).padStart(8)} ${`${r.ours}%`.padStart(8)}\n`,
        );
      }
    }
  } finally {
    await meili.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function pct(n: number, total: number): number {
  return total === 0 ? 0 : Math.round((1000 * n) / total) / 10;
}

/** Every k-th article by id order: deterministic, spread over outlets and scripts. */
function pickSample(articles: Article[], size: number): Article[] {
  const sorted = [...articles].sort((a, b) => (a.id < b.id ? -1 : 1));
  const step = Math.max(1, Math.floor(sorted.length / Math.max(1, size)));
  return sorted.filter((_, i) => i % step === 0).slice(0, size);
}

async function load(client: Meilisearch, uid: string, settings: object, docs: object[]): Promise<Index> {
  await expectSuccess(client, (await client.createIndex(uid, { primaryKey: 'id' })).taskUid);
  const index = client.index(uid);
  await expectSuccess(client, (await index.updateSettings(settings)).taskUid);
  const sender = new DocumentSender(client, index);
  for (const d of docs) await sender.add(d);
  await sender.finish();
  return index;
}

main().catch((err: Error) => {
  process.stderr.write(`eval:recall failed: ${err.message}\n`);
  process.exitCode = 1;
});
