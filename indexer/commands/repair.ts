// `tongwen repair [--json]`: brings the stale instances of a network (MEILI_INSTANCES) up to date
// and nothing else: an instance that missed writes (it was down during a reindex) or a new, empty
// one put in place of a dead one is rebuilt from its replicas (indexer/reindex/catch-up.ts), and
// serves again. Every reindex does the same first. Exit 0: every instance is up to date. 1: an
// instance is still stale (it did not answer), or a shard has no replica up to date to copy
// from. 2: bad usage or configuration.
import { parseArgs } from 'node:util';
import { DataDirBusyError } from '../../core/errors.js';
import { createLogger } from '../../core/log.js';
import { DataDirLock } from '../../core/meili/lock.js';
import { catchUp } from '../reindex/catch-up.js';
import { ReindexFailed } from '../reindex/failed.js';
import { networkInstances } from './network.js';
import { configOrUsage, usageOf } from './usage.js';

export const REPAIR_HELP = `Usage: tongwen repair [--json]

Brings the stale instances of MEILI_INSTANCES up to date: an instance that was down during a
reindex, or a new, empty one that replaces a dead one under the same name. Each shard it holds is
copied from an up-to-date replica into a new index beside its live one, checked and swapped in;
until then the server does not ask it. Every reindex does this first.
  --json          print the outcome as JSON on stdout
Exit 0 when every instance is up to date, 1 when one is still stale (it does not answer) or a
shard has no up-to-date replica to copy from.
`;

export async function repairCommand(args: string[]): Promise<number> {
  let values: { json: boolean; help: boolean };
  const usage = usageOf('repair', REPAIR_HELP);
  try {
    ({ values } = parseArgs({
      args,
      options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
    }));
  } catch (err) {
    return usage((err as Error).message);
  }
  if (values.help) {
    process.stdout.write(REPAIR_HELP);
    return 0;
  }
  const config = configOrUsage(usage);
  if (typeof config === 'number') return config;
  if (!config.meiliInstances)
    return usage('repairs the instances of a network (MEILI_INSTANCES); one Meilisearch has no replicas to repair from');
  const log = createLogger(config.logLevel, 2);
  let lock: DataDirLock | undefined;
  try {
    // A repair and a reindex never write at once: both hold the reindex lock.
    lock = await DataDirLock.acquire(config.dataDir, 'reindex', log, 'reindex.lock');
    const network = await networkInstances(config.meiliInstances, config.indexName, log);
    const done = await catchUp(network.instances, config.indexName, network.shards, log, { downBefore: network.down });
    const outcome = { generation: done.generation, repaired: done.repaired, stale: done.down.map((d) => d.instance) };
    if (values.json) process.stdout.write(`${JSON.stringify(outcome)}\n`);
    else
      process.stdout.write(
        `Generation ${done.generation}: ${done.repaired.length ? `repaired ${done.repaired.join(', ')}` : 'nothing to repair'}` +
          `${outcome.stale.length ? `; still stale (not answering): ${outcome.stale.join(', ')}` : '; every instance is up to date'}.\n`,
      );
    return outcome.stale.length ? 1 : 0;
  } catch (err) {
    const known = err instanceof ReindexFailed || err instanceof DataDirBusyError;
    log.error({ event: 'repair.failed', reason: (err as Error).message, ...(known ? {} : { err }) });
    process.stderr.write(`tongwen repair: failed: ${(err as Error).message}\n`);
    if (values.json) process.stdout.write(`${JSON.stringify({ error: { code: 'repair_failed', message: (err as Error).message } })}\n`);
    return 1;
  } finally {
    lock?.release();
  }
}
