// Several Meilisearch instances as one index (MEILI_INSTANCES), with Meilisearch's own network
// for searching only: on every instance the `network` experimental feature is on, and /network
// names this instance (`self`) and every instance as a remote with the search key the others use
// to reach it. Then a federated search with one query per remote (`federationOptions.remote`) is
// answered by all, merged by the instance asked (checked on 1.21.0 with `sharding` false).
// Meilisearch's sharding (documents sent to one instance forwarded to the others) is an
// Enterprise Edition feature: it stays off, no remote gets a write key, and the indexer sends
// each instance its own share (core/shards.ts).
import { Meilisearch } from 'meilisearch';
import { isDeepStrictEqual } from 'node:util';
import type { MeiliInstance } from '../config.js';
import type { Logger } from '../log.js';
import { reindexKey, searchOnlyKey } from './keys.js';

export interface InstanceKeys {
  /** What the server searches with; also the key other instances search this one with. */
  searchKey: string;
  /** What the reindex writes with; never given to the other instances. */
  reindexKey: string;
}

interface RemoteConfig {
  url: string;
  searchApiKey: string | null;
  /** Used by Meilisearch's sharding only, which Tongwen leaves off: always null. */
  writeApiKey: string | null;
}

/** /network as Meilisearch 1.21 has it (the JS client's types describe a later release). */
interface NetworkConfig {
  self: string | null;
  remotes: Record<string, RemoteConfig | null>;
  /** Meilisearch's sharding (Enterprise Edition): always false here, also where an earlier version set it. */
  sharding: boolean;
}

export function masterClient(instance: MeiliInstance, timeout = 30_000): Meilisearch {
  return new Meilisearch({ host: instance.url, apiKey: instance.masterKey, timeout });
}

/** The keys of one instance, the network feature turned on; throws naming the instance. */
async function prepare(instance: MeiliInstance, indexName: string): Promise<InstanceKeys> {
  const master = masterClient(instance);
  try {
    const features = await master.getExperimentalFeatures();
    if (!features.network) await master.updateExperimentalFeatures({ network: true });
    return { searchKey: await searchOnlyKey(master, indexName), reindexKey: await reindexKey(master) };
  } catch (err) {
    throw new Error(`Meilisearch instance ${instance.name} (${instance.url}): ${(err as Error).message}`, { cause: err });
  }
}

/**
 * Makes every instance's /network describe the whole network, changing only what differs.
 * `tolerateDown` (the server): instances that do not answer are left out of the result and the
 * network is left as it is (a network configured before keeps working); otherwise (the reindex)
 * any instance that does not answer is an error.
 */
export async function configureNetwork(
  instances: MeiliInstance[],
  indexName: string,
  log: Logger,
  opts: { tolerateDown?: boolean } = {},
): Promise<Map<string, InstanceKeys>> {
  const settled = await Promise.allSettled(instances.map((i) => prepare(i, indexName)));
  const keys = new Map<string, InstanceKeys>();
  const down: string[] = [];
  settled.forEach((s, n) => {
    const name = instances[n]!.name;
    if (s.status === 'fulfilled') keys.set(name, s.value);
    else {
      down.push(name);
      log.warn({ event: 'meilisearch.instance_unreachable', instance: name, reason: (s.reason as Error).message });
    }
  });
  if (down.length > 0) {
    if (!opts.tolerateDown) {
      throw new Error(
        `every Meilisearch instance must answer: ${settled.flatMap((s) => (s.status === 'rejected' ? [(s.reason as Error).message] : [])).join('; ')}`,
      );
    }
    log.warn({ event: 'meilisearch.network_unchanged', down }, 'the network configuration was left as it is until every instance answers');
    return keys;
  }
  const remotes: Record<string, RemoteConfig> = {};
  for (const i of instances) {
    const k = keys.get(i.name)!;
    remotes[i.name] = { url: i.url, searchApiKey: k.searchKey, writeApiKey: null };
  }
  await Promise.all(
    instances.map(async (i) => {
      const master = masterClient(i);
      const current = await master.httpRequest.get<NetworkConfig>({ path: 'network' });
      const wanted: NetworkConfig = { self: i.name, remotes, sharding: false };
      if (isDeepStrictEqual({ ...current, remotes: current.remotes ?? {} }, wanted)) return;
      // PATCH merges remotes: one that is no longer named is removed with null.
      const stale = Object.keys(current.remotes ?? {}).filter((name) => !(name in remotes));
      await master.httpRequest.patch({
        path: 'network',
        body: { ...wanted, remotes: { ...remotes, ...Object.fromEntries(stale.map((s) => [s, null])) } },
      });
      log.info({ event: 'meilisearch.network_configured', instance: i.name, remotes: Object.keys(remotes), removed: stale });
    }),
  );
  return keys;
}
