// `node dist/bench/reindex-without-terms.js <dir>...`: a full reindex as `tongwen reindex <dir>
// --json` runs it against MEILI_URL, but with the stories' keywords and names left out
// (ReindexOptions.extractTerms false). bench:index --extraction-cost runs it as its own process,
// beside the real command on the same corpus, to measure what extraction adds to a full reindex.
// For the benchmark only: no command offers the option. Prints the run's summary as JSON.
import os from 'node:os';
import { Meilisearch } from 'meilisearch';
import { createLogger } from '../core/log.js';
import { reindex } from '../indexer/reindex/run.js';

/** The reindex command's priority (REINDEX_NICE in indexer/commands/reindex.ts): the same conditions. */
const COMMAND_NICE = 10;

async function main(): Promise<void> {
  const roots = process.argv.slice(2);
  const { MEILI_URL: host, MEILI_MASTER_KEY: apiKey, DATA_DIR: dataDir } = process.env;
  if (roots.length === 0 || !host || !dataDir) {
    throw new Error('usage: MEILI_URL=… [MEILI_MASTER_KEY=…] DATA_DIR=… node dist/bench/reindex-without-terms.js <dir>...');
  }
  os.setPriority(COMMAND_NICE);
  const summary = await reindex({
    client: new Meilisearch({ host, apiKey, timeout: 120_000 }),
    indexName: 'articles',
    dataDir,
    roots,
    incremental: false,
    prune: false,
    log: createLogger('warn', 2),
    extractTerms: false,
  });
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`reindex-without-terms failed: ${err.message}\n`);
  process.exitCode = 1;
});
