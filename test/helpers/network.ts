// Several real Meilisearch processes on loopback, as a network (MEILI_INSTANCES, and
// MEILI_REPLICAS when replicas are asked for) for the CLI and the server. Started together; a
// start that fails stops those already running. An instance can be restarted on its address,
// on its own data or on an empty data dir (a replacement).
import fs from 'node:fs';
import type { MeiliInstance } from '../../core/config.js';
import { MASTER_KEY_FILE } from '../../core/meili/master-key.js';
import { ringPlacement } from '../../core/shards.js';
import { startTestMeili, tempDir, type TestMeili } from './meili.js';

export interface TestNetwork {
  members: TestMeili[];
  instances: MeiliInstance[];
  /** The environment naming them: MEILI_INSTANCES with one master key each (and MEILI_REPLICAS). */
  env: Record<string, string>;
  /**
   * Starts instance `n` again on its address (after it was killed): on its own data, or
   * `empty`, on a new data dir with the same master key (a new machine in place of a dead one).
   */
  restart(n: number, opts?: { empty?: boolean }): Promise<TestMeili>;
  /** Stops every instance (resuming any left stopped) and removes their data. */
  cleanup(): Promise<void>;
}

/** `size` instances ms0, ms1, …, holding `replicas` shards each on the ring (core/shards.ts). */
export async function startTestNetwork(size: number, replicas = 1): Promise<TestNetwork> {
  const started = await Promise.allSettled(Array.from({ length: size }, () => startTestMeili()));
  const members = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const cleanup = async () => {
    // A test may have left an instance stopped (SIGSTOP): it must run again to stop.
    for (const m of members) {
      try {
        process.kill(m.meili.pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
    await Promise.all(members.map((m) => m.cleanup().catch(() => undefined)));
  };
  const failed = started.find((s) => s.status === 'rejected');
  if (failed) {
    await cleanup();
    throw failed.reason;
  }
  const placement = ringPlacement(size, replicas);
  const instances = members.map((m, i) => ({ name: `ms${i}`, url: m.url, masterKey: m.masterKey, shards: placement[i]! }));
  const env: Record<string, string> = {
    MEILI_INSTANCES: instances.map((i) => `${i.name}=${i.url}`).join(','),
    MEILI_MASTER_KEYS: instances.map((i) => `${i.name}=${i.masterKey}`).join(','),
    ...(replicas > 1 ? { MEILI_REPLICAS: String(replicas) } : {}),
  };
  const restart = async (n: number, opts: { empty?: boolean } = {}) => {
    const old = members[n]!;
    let dataDir = old.dataDir;
    if (opts.empty) {
      fs.rmSync(old.dataDir, { recursive: true, force: true });
      dataDir = tempDir();
      fs.writeFileSync(`${dataDir}/${MASTER_KEY_FILE}`, old.masterKey, { mode: 0o600 });
    }
    const fresh = await startTestMeili({ dataDir, port: Number(new URL(old.url).port) });
    members[n] = fresh;
    return fresh;
  };
  return { members, instances, env, restart, cleanup };
}
