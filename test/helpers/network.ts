// Several real Meilisearch processes on loopback, as a network (MEILI_INSTANCES) for the CLI and
// the server. Started together; a start that fails stops those already running.
import type { MeiliInstance } from '../../core/config.js';
import { startTestMeili, type TestMeili } from './meili.js';

export interface TestNetwork {
  members: TestMeili[];
  instances: MeiliInstance[];
  /** The environment naming them: MEILI_INSTANCES with one master key each. */
  env: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function startTestNetwork(size: number): Promise<TestNetwork> {
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
  const instances = members.map((m, i) => ({ name: `ms${i}`, url: m.url, masterKey: m.masterKey }));
  const env = {
    MEILI_INSTANCES: instances.map((i) => `${i.name}=${i.url}`).join(','),
    MEILI_MASTER_KEYS: instances.map((i) => `${i.name}=${i.masterKey}`).join(','),
  };
  return { members, instances, env, cleanup };
}
