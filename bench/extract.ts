// `npm run bench:extract [-- <dir>...]`: what index-time extraction (core/text/extract.ts) adds to
// a full reindex, before and after in one run. It prepares every file (parse, clean, normalize,
// the exact fields: the parse workers' work) and times extraction (withTerms, which a reindex runs
// only for the stories it sends, not for their copies) apart; then loads the documents
// into a temporary Meilisearch twice, without the extracted fields and their settings and with
// them (each twice, alternating, the faster kept), and times each load to its last task. Folders: those given, else the real corpus's trees
// when TONGWEN_CORPUS is set, else the fixture corpus. Prints a table; never fails on timing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { evaluationRoots } from '../core/corpus-location.js';
import { withTerms, type IndexDocument } from '../core/index-document.js';
import { INDEX_SETTINGS } from '../core/index-settings.js';
import { createLogger } from '../core/log.js';
import { startEmbeddedMeili } from '../core/meili/embedded.js';
import { prepareFile } from '../indexer/reindex/prepare.js';
import { DocumentSender, expectSuccess } from '../indexer/reindex/sender.js';
import { walkArticleFiles } from '../indexer/walk.js';

const EXTRACTED = ['keywords', 'people', 'places', 'organizations'];

const without = (o: object) => Object.fromEntries(Object.entries(o).filter(([k]) => !EXTRACTED.includes(k)));

async function load(client: Meilisearch, uid: string, settings: object, docs: object[]): Promise<number> {
  const started = performance.now();
  await expectSuccess(client, (await client.createIndex(uid, { primaryKey: 'id' })).taskUid);
  const index = client.index(uid);
  await expectSuccess(client, (await index.updateSettings(settings)).taskUid);
  const sender = new DocumentSender(client, index);
  for (const d of docs) await sender.addJson(JSON.stringify(d));
  await sender.finish();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const { roots, source } = evaluationRoots(positionals);
  process.stderr.write(`bench:extract on ${source}\n`);
  const files: Array<{ path: string; bytes: Buffer }> = [];
  for await (const f of walkArticleFiles(roots)) if (typeof f === 'string') files.push({ path: f, bytes: fs.readFileSync(f) });

  // Warm both (OpenCC's and jieba's dictionaries load on first use), then measure.
  const first = files.find((f) => prepareFile(f.path, f.bytes).ok);
  if (first) {
    const r = prepareFile(first.path, first.bytes);
    if (r.ok) withTerms(r.doc);
  }
  const docs: IndexDocument[] = [];
  let prepareMs = 0;
  let extractMs = 0;
  for (const f of files) {
    const t0 = performance.now();
    const r = prepareFile(f.path, f.bytes);
    prepareMs += performance.now() - t0;
    if (!r.ok) continue;
    const t1 = performance.now();
    docs.push(withTerms(r.doc));
    extractMs += performance.now() - t1;
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-bench-extract-'));
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent') });
  try {
    const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 600_000 });
    const before = {
      ...INDEX_SETTINGS,
      filterableAttributes: INDEX_SETTINGS.filterableAttributes.filter((a) => !EXTRACTED.includes(a)),
      displayedAttributes: INDEX_SETTINGS.displayedAttributes.filter((a) => !EXTRACTED.includes(a)),
    };
    // Each load twice, alternating, and the faster kept: the first load of a process also pays
    // Meilisearch's warm-up.
    const plain = docs.map(without);
    const times = { before: [] as number[], after: [] as number[] };
    for (const round of [1, 2]) {
      times.before.push(await load(client, `before-${round}`, before, plain));
      times.after.push(await load(client, `after-${round}`, INDEX_SETTINGS, docs));
    }
    const loadBefore = Math.min(...times.before);
    const loadAfter = Math.min(...times.after);
    const cpuBefore = prepareMs;
    const cpuAfter = prepareMs + extractMs;
    const totalBefore = cpuBefore + loadBefore;
    const totalAfter = cpuAfter + loadAfter;
    const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    process.stdout.write(
      [
        `${files.length} files, ${docs.length} documents`,
        '| step | without extraction | with extraction | added |',
        '|---|---|---|---|',
        `| prepare (one thread) | ${s(cpuBefore)} | ${s(cpuAfter)} | ${((extractMs / cpuBefore) * 100).toFixed(1)}% |`,
        `| Meilisearch load | ${s(loadBefore)} | ${s(loadAfter)} | ${(((loadAfter - loadBefore) / loadBefore) * 100).toFixed(1)}% |`,
        `| both | ${s(totalBefore)} | ${s(totalAfter)} | ${(((totalAfter - totalBefore) / totalBefore) * 100).toFixed(1)}% |`,
        `extraction: ${(extractMs / docs.length).toFixed(2)} ms a document`,
        '',
      ].join('\n'),
    );
  } finally {
    await meili.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
