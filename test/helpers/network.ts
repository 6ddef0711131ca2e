// Several real Meilisearch processes on loopback, as a network (MEILI_INSTANCES, and MEILI_SHARDS
// when replicas are asked for) for the CLI and the server. Started together; a start that fails
// stops those already running.
import type { MeiliInstance } from '../../core/config.js';
import { startTestMeili, type TestMeili } from './meili.js';

export interface TestNetwork {
  members: TestMeili[];
  instances: MeiliInstance[];
  /** The environment naming them: MEILI_INSTANCES with one master key each (and MEILI_SHARDS). */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

/**
 * `size` instances ms0, ms1, …; each its own shard, or grouped by `shards` (shard name → the
 * numbers of its instances, in placement order), e.g. { a: [0, 1], b: [2] }.
 */
export async function startTestNetwork(size: number, shards?: Record<string, number[]>): Promise<TestNetwork> {
  const started = await Promise.allSettled(Array.from({ length: size }, () => startTestMeili()));
  const members = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const cleanup = async () => {
    await Promise.all(members.map((m) => m.cleanup().catch(() => undefined)));
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await cleanup();
    throw failed.reason;
  }
  const groups = Object.values(shards ?? {});
  const shardOf = (n: number) => (shards ? groups.findIndex((g) => g.includes(n)) : n);
  const instances = members.map((m, i) => ({ name: `ms${i}`, url: m.url, masterKey: m.masterKey, shard: shardOf(i) }));
  const env: Record<string, string> = {
    MEILI_INSTANCES: instances.map((i) => `${i.name}=${i.url}`).join(','),
    MEILI_MASTER_KEYS: instances.map((i) => `${i.name}=${i.masterKey}`).join(','),
    ...(shards
      ? {
          MEILI_SHARDS: Object.entries(shards)
            .map(([name, ns]) => `${name}=${ns.map((n) => `ms${n}`).join('+')}`)
            .join(','),
        }
      : {}),
  };
  return { members, instances, env, cleanup };
}
