// `npm run eval:counts [-- <word-list-file>] [--dir <dir>]... [--json]`: for each word, the truth
// (indexed stories whose title or body contains the word, after normalization) next to the total
// that /api/search reports, and the total a plain Meilisearch index (original text, no
// normalization) reports. Builds both indexes in a temporary Meilisearch. A measurement.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { evaluationRoots } from '../../indexer/corpus-location.js';
import { INDEX_SETTINGS } from '../../indexer/index-settings.js';
import { createLogger } from '../../indexer/log.js';
import { startEmbeddedMeili } from '../../indexer/meili/embedded.js';
import { toCanonical } from '../../indexer/normalize.js';
import { parseAll } from '../../indexer/parse-stream.js';
import { projectRoot } from '../../indexer/paths.js';
import { reindex } from '../../indexer/reindex/run.js';
import { loadState } from '../../indexer/reindex/state.js';
import { DocumentSender, expectSuccess } from '../../indexer/reindex/sender.js';
import type { Article } from '../../indexer/schema.js';
import { parseSearchParams } from '../search/params.js';
import { search } from '../search/search.js';

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { dir: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  const listFile = positionals[0] ?? path.join(projectRoot, 'server', 'eval', 'count-words.txt');
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
    const live = new Set(Object.keys(loadState(dataDir, 'articles').state!.live));
    const stories: Article[] = [];
    for await (const r of parseAll(roots)) if (r.ok && live.has(r.doc.id)) stories.push(r.doc);
    const haystacks = stories.map((a) => toCanonical(`${a.title}\n${a.body}`));

    // The plain index: the same stories, original text, no normalization, no bigrams.
    await expectSuccess(client, (await client.createIndex('plain', { primaryKey: 'id' })).taskUid);
    const plain = client.index('plain');
    await expectSuccess(client, (await plain.updateSettings({ ...INDEX_SETTINGS, searchableAttributes: ['title', 'body'], localizedAttributes: [{ attributePatterns: ['title', 'body'], locales: ['cmn'] }] })).taskUid);
    const sender = new DocumentSender(client, plain);
    for (const a of stories) await sender.add({ id: a.id, title: a.title, body: a.body, outlet: a.outlet.id });
    await sender.finish();

    const rows = [];
    for (const word of words) {
      const canonical = toCanonical(word);
      const truth = haystacks.filter((h) => h.includes(canonical)).length;
      const ours = (await search(client, 'articles', parseSearchParams({ q: word }))).total;
      const theirs = (await plain.search(word, { page: 1, hitsPerPage: 0 })).totalHits ?? 0;
      rows.push({ word, truth, tongwen: ours, plain: theirs });
    }
    const ratio = (n: number, d: number) => (d === 0 ? (n === 0 ? '—' : '∞') : `${Math.round((100 * n) / d)}%`);
    if (values.json) process.stdout.write(`${JSON.stringify({ stories: stories.length, rows })}\n`);
    else {
      process.stdout.write(`Counts on ${stories.length} stories (truth: title or body contains the word after normalization)\n`);
      process.stdout.write(`${'word'.padEnd(8, '\u3000')} ${'truth'.padStart(6)} ${'Tongwen'.padStart(8)} ${'ratio'.padStart(6)} ${'plain'.padStart(7)} ${'ratio'.padStart(6)}\n`);
      for (const r of rows) {
        process.stdout.write(`${r.word.padEnd(8, '\u3000')} ${String(r.truth).padStart(6)} ${String(r.tongwen).padStart(8)} ${ratio(r.tongwen, r.truth).padStart(6)} ${String(r.plain).padStart(7)} ${ratio(r.plain, r.truth).padStart(6)}\n`);
      }
      const exact = rows.filter((r) => r.tongwen === r.truth).length;
      process.stdout.write(`Tongwen equals the truth for ${exact} of ${rows.length} words.\n`);
    }
  } finally {
    await meili.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`eval:counts failed: ${err.message}\n`);
  process.exitCode = 1;
});
