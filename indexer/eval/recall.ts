// `npm run eval:recall [-- <dir>...] [--sample N] [--json] [--misses]`: cross-script recall. For a sample of
// articles, search each title as written, converted to the other script, and (traditional
// articles) converted to simplified with phrase conversion; count the share whose article is in
// the top 3. Done twice, on Tongwen's index and on a plain Meilisearch index of the same articles
// without normalization. Starts its own Meilisearch in a temp dir. A measurement, not a test.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch, type Index } from 'meilisearch';
import { Converter } from 'opencc-js';
import { evaluationRoots } from '../corpus-location.js';
import { toIndexDocument } from '../index-document.js';
import { INDEX_SETTINGS } from '../index-settings.js';
import { createLogger } from '../log.js';
import { startEmbeddedMeili } from '../meili/embedded.js';
import { toCanonical } from '../normalize.js';
import { parseAll } from '../parse-stream.js';
import { expectSuccess, DocumentSender } from '../reindex/sender.js';
import type { Article } from '../schema.js';

const toSimplifiedChars = Converter({ from: 't', to: 'cn' });
const toSimplifiedPhrases = Converter({ from: 'twp', to: 'cn' });
const toTraditionalChars = Converter({ from: 'cn', to: 't' });

interface Query {
  kind: 'same script' | 'other script (characters)' | 'simplified with phrases';
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
    const ours = await load(client, 'ours', INDEX_SETTINGS, articles.map(toIndexDocument));
    const plain = await load(client, 'plain', PLAIN_SETTINGS, articles.map((a) => ({ id: a.id, title: a.title, body: a.body, tags: a.tags })));

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
    const rows = new Map<string, { total: number; plain: number; ours: number }>();
    for (const q of queries) {
      const row = rows.get(q.kind) ?? { total: 0, plain: 0, ours: 0 };
      row.total++;
      const want = byId.get(q.article.id);
      const found = async (index: Index, text: string, on: string[]) =>
        (await index.search(text, { limit: 3, attributesToRetrieve: ['id'], attributesToSearchOn: on })).hits.some((h) => h.id === q.article.id || byId.get(String(h.id)) === want);
      if (await found(plain, q.text, ['title', 'body', 'tags'])) row.plain++;
      // As the server searches a title (several words): the segmented canonical fields.
      if (await found(ours, toCanonical(q.text), ['titleSearch', 'bodySearch', 'tagsSearch'])) row.ours++;
      else if (values.misses) process.stderr.write(`miss (${q.kind}): ${q.text} → ${toCanonical(q.text)} [${q.article.id}]\n`);
      rows.set(q.kind, row);
    }
    const result = {
      articles: articles.length,
      sample: sample.length,
      rows: [...rows].map(([kind, r]) => ({ kind, queries: r.total, plainTop3: pct(r.plain, r.total), oursTop3: pct(r.ours, r.total) })),
    };
    if (values.json) process.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      process.stdout.write(`Cross-script recall, top 3, ${result.sample} sampled titles of ${result.articles} articles\n`);
      process.stdout.write(`${'query'.padEnd(28)} ${'queries'.padStart(7)} ${'plain'.padStart(8)} ${'Tongwen'.padStart(8)}\n`);
      for (const r of result.rows) {
        process.stdout.write(`${r.kind.padEnd(28)} ${String(r.queries).padStart(7)} ${`${r.plainTop3}%`.padStart(8)} ${`${r.oursTop3}%`.padStart(8)}\n`);
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
