// The instances of MEILI_INSTANCES as a reindex or a repair writes to them: the network
// configured on those that answer (core/meili/network.ts), each with its reindex key and the
// shards it holds, and the names of those that do not answer (stale until repaired).
import { Meilisearch } from 'meilisearch';
import type { MeiliInstance } from '../../core/config.js';
import type { Logger } from '../../core/log.js';
import { configureNetwork } from '../../core/meili/network.js';
import type { Instance } from '../reindex/instances.js';

/** How long an instance may take to say it is there before a run counts it down. */
export const ANSWER_TIMEOUT_MS = 2_000;
/** One write request (a payload of up to 32 MB, a task's state) of a reindex. */
const WRITE_TIMEOUT_MS = 120_000;

export interface NetworkInstances {
  instances: Instance[];
  down: Array<{ instance: string; reason: string }>;
  shards: number;
}

export async function networkInstances(configured: MeiliInstance[], indexName: string, log: Logger): Promise<NetworkInstances> {
  const keys = await configureNetwork(configured, indexName, log, { tolerateDown: true });
  const down = configured
    .filter((i) => !keys.has(i.name))
    .map((i) => ({ instance: i.name, reason: 'did not answer when the run started' }));
  log.info({ event: 'meilisearch.network', instances: configured.map((i) => i.name), down: down.map((d) => d.instance) });
  const instances = configured
    .filter((i) => keys.has(i.name))
    .map((i) => {
      const apiKey = keys.get(i.name)!.reindexKey;
      return {
        name: i.name,
        shards: i.shards,
        client: new Meilisearch({ host: i.url, apiKey, timeout: WRITE_TIMEOUT_MS }),
        quick: new Meilisearch({ host: i.url, apiKey, timeout: ANSWER_TIMEOUT_MS }),
      };
    });
  return { instances, down, shards: configured.length };
}
