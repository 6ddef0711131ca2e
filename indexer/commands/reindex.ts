// `tongwen reindex <dir>... [--incremental] [--prune] [--allow-shrink] [--json]` (also `npm run
// reindex -- <dir>...`). Exit 0: the index was updated (rejected files are listed, not fatal).
// 1: the reindex failed or was stopped, and the live index is untouched. 2: bad usage or
// configuration.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Meilisearch } from 'meilisearch';
import { DataDirBusyError, MeiliStartError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { connectMeili, type MeiliConnection } from '../../core/meili/connect.js';
import { reindexKey } from '../../core/meili/keys.js';
import { DiskFullError, writeError } from '../disk.js';
import { DataDirLock } from '../../core/meili/lock.js';
import { createProgress } from '../reindex/progress.js';
import { networkInstances, type NetworkInstances } from './network.js';
import { reindexOutput, terminalLog } from './reindex-output.js';
import { configOrUsage, usageOf } from './usage.js';
import { reindex, ReindexFailed, ShrinkRefused, type ReindexSummary } from '../reindex/run.js';
import { SHRINK_LIMIT } from '../reindex/shrink-guard.js';

export const REINDEX_HELP = `Usage: tongwen reindex <dir>... [--incremental [--prune]] [--allow-shrink] [--json]

Loads article files (.md, .txt, recursively) into Meilisearch.
  (default)       full reindex: build a new index beside the live one, verify it, swap it in
  --incremental   send only new and changed files (by content hash) to the live index
  --prune         with --incremental: also delete documents whose files are gone from <dir>
                  (files under a folder that cannot be listed keep theirs)
  --allow-shrink  let the run remove more than ${SHRINK_LIMIT * 100}% of the live stories, or the stories of a
                  <dir> that is empty or unreadable (without it, such a run stops, exit 1)
  --json          print the summary as JSON on stdout
Works whether or not the server runs: it uses the server's Meilisearch (same DATA_DIR), starts
the embedded one for the run, or uses MEILI_URL, or the instances of MEILI_INSTANCES (each story
goes to every instance that holds its shard; stale instances are first brought up to date, as by
tongwen repair; an instance that is down is skipped while each shard has a replica up, and is
stale afterwards). The summary is also written to DATA_DIR/reports/last-reindex.json.
`;

export async function reindexCommand(args: string[]): Promise<number> {
  const usage = usageOf('reindex', REINDEX_HELP);
  let values: { incremental: boolean; prune: boolean; 'allow-shrink': boolean; json: boolean; help: boolean };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args,
      options: {
        incremental: { type: 'boolean', default: false },
        prune: { type: 'boolean', default: false },
        'allow-shrink': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(REINDEX_HELP);
    return 0;
  }
  if (positionals.length === 0) return usage('give at least one directory of article files');
  if (values.prune && !values.incremental)
    return usage('--prune only applies to --incremental (a full reindex already drops what is gone)');
  for (const p of positionals) {
    if (!fs.existsSync(p)) return usage(`${p}: no such file or directory`);
  }

  const config = configOrUsage(usage);
  if (typeof config === 'number') return config;
  const output = reindexOutput({ json: values.json, stderrIsTTY: Boolean(process.stderr.isTTY) });
  const log = createLogger(config.logLevel, output.jsonLogs ? 2 : terminalLog(process.stderr));
  let lock: DataDirLock | undefined;
  let meili: MeiliConnection | undefined;
  const progress = createProgress(log, output.progressBar);
  // Interrupted: stop our Meilisearch and free DATA_DIR; the half-built index (never live) is
  // removed by the next run.
  const interrupted = (signal: NodeJS.Signals) => {
    progress.stop();
    log.warn({ event: 'reindex.interrupted', signal }, 'the live index is unchanged');
    void (meili?.close() ?? Promise.resolve()).finally(() => {
      lock?.release();
      process.exit(130);
    });
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    lock = await DataDirLock.acquire(config.dataDir, 'reindex', log, 'reindex.lock');
    const network: NetworkInstances | undefined = config.meiliInstances
      ? await networkInstances(config.meiliInstances, config.indexName, log)
      : undefined;
    if (!network) meili = await connectMeili(config, log, 'reindex');
    // Searches and Meilisearch's indexing come first: the reindex (and the parse workers it
    // starts, which inherit this) runs at a lower CPU priority than the server and Meilisearch,
    // which is started before this so that it keeps the normal priority.
    try {
      os.setPriority(REINDEX_NICE);
    } catch {
      // not permitted here; run at normal priority
    }
    let client: Meilisearch;
    if (meili) {
      // The master key only fetches the reindex key; the work itself runs with that key.
      const master = new Meilisearch({ host: meili.host, apiKey: meili.apiKey, timeout: 120_000 });
      const apiKey = meili.apiKey ? await reindexKey(master) : undefined;
      client = new Meilisearch({ host: meili.host, apiKey, timeout: 120_000 });
    } else {
      const first = network!.instances[0];
      if (!first) throw new ReindexFailed(`none of the ${network!.down.length} Meilisearch instances of MEILI_INSTANCES answers`);
      client = first.client;
    }
    const summary = await reindex({
      client,
      ...(network ? { instances: network.instances, shards: network.shards, down: network.down } : {}),
      indexName: config.indexName,
      dataDir: config.dataDir,
      roots: positionals,
      incremental: values.incremental,
      prune: values.prune,
      allowShrink: values['allow-shrink'],
      log,
      progress,
      meiliOnDataDir: meili !== undefined && meili.mode !== 'external',
    });
    progress.stop();
    writeReport(config.dataDir, summary);
    log.info({
      event: 'reindex.done',
      index: summary.index,
      mode: summary.mode,
      documents: summary.documents,
      durationMs: summary.durationMs,
    });
    process.stdout.write(values.json ? `${JSON.stringify(summary)}\n` : humanSummary(summary, shownPath(reportFile(config.dataDir))));
    return 0;
  } catch (err) {
    progress.stop();
    const known =
      err instanceof DataDirBusyError || err instanceof MeiliStartError || err instanceof DiskFullError || err instanceof ReindexFailed;
    const shrink = err instanceof ShrinkRefused ? { shrink: err.details } : {};
    // On a terminal the line below says it; an unexpected error's stack is logged there too.
    if (output.jsonLogs || !known)
      log.error({ event: 'reindex.failed', reason: (err as Error).message, ...shrink, ...(known ? {} : { err }) });
    process.stderr.write(`tongwen reindex: ${err instanceof ShrinkRefused ? 'stopped' : 'failed'}: ${(err as Error).message}\n`);
    // A program that asked for JSON gets why on stdout too (a stopped shrink with its numbers).
    if (values.json && err instanceof ReindexFailed) {
      const code = err instanceof ShrinkRefused ? 'shrink_refused' : 'reindex_failed';
      process.stdout.write(`${JSON.stringify({ error: { code, message: err.message, ...shrink } })}\n`);
    }
    return 1;
  } finally {
    await meili?.close();
    lock?.release();
  }
}

/** Unix nice value of the reindex process: 10 yields the CPU to the server and Meilisearch. */
const REINDEX_NICE = 10;

const reportFile = (dataDir: string) => path.join(dataDir, 'reports', 'last-reindex.json');

function writeReport(dataDir: string, summary: ReindexSummary): void {
  const file = reportFile(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(summary, null, 2)}\n`);
    fs.renameSync(`${file}.tmp`, file);
  } catch (err) {
    throw writeError(err, file);
  }
}

/** A path under the working directory as the reader typed it there (relative); others whole. */
function shownPath(p: string): string {
  const relative = path.relative(process.cwd(), p);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
}

/** Rejected files and warnings the terminal summary lists; the report file has them all. */
const SUMMARY_LIST_LIMIT = 20;

/** The summary for a person at a terminal (--json prints the summary itself); `report` is where all of it is. */
function humanSummary(s: ReindexSummary, report: string): string {
  const lines = [
    `${s.mode === 'full' ? 'Full' : 'Incremental'} reindex of "${s.index}" done in ${(s.durationMs / 1000).toFixed(1)} s: ` +
      `${s.documents} documents live.`,
    `  stories indexed ${s.indexed}, updated ${s.updated}, deleted ${s.deleted}; files unchanged ${s.unchanged}`,
    `  rejected ${s.rejected.length} files (${s.junk} junk pages), ${s.copies} near-duplicate copies folded into their story, ${s.warnings.length} warnings; peak memory ${s.peakRssMb} MB`,
  ];
  if (s.note) lines.push(`  note: ${s.note}`);
  if (s.repaired?.length) lines.push(`  brought up to date first: ${s.repaired.join(', ')}`);
  if (s.stale?.length)
    lines.push(`  stale (missed writes of this run; serve nothing until \`tongwen repair\` or the next reindex): ${s.stale.join(', ')}`);
  const list = (title: string, items: Array<{ path: string; why: string }>) => {
    if (!items.length) return;
    lines.push(`${title}:`);
    for (const i of items.slice(0, SUMMARY_LIST_LIMIT)) lines.push(`  ${shownPath(i.path)}: ${i.why}`);
    if (items.length > SUMMARY_LIST_LIMIT) lines.push(`  … and ${items.length - SUMMARY_LIST_LIMIT} more (all in ${report})`);
  };
  list(
    'Rejected files',
    s.rejected.map((r) => ({ path: r.path, why: r.reason })),
  );
  list(
    'Warnings',
    s.warnings.map((w) => ({ path: w.path, why: w.warning })),
  );
  if (s.notPruned?.length) {
    lines.push('Not pruned (could not be read, so not known to be gone; their documents stay):');
    for (const k of s.notPruned) lines.push(`  ${shownPath(k.path)}: ${k.files} files`);
  }
  return `${lines.join('\n')}\n`;
}
