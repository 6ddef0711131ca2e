// Starts a real Meilisearch (the embedded binary) on a free port with a temp data dir.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Meilisearch } from 'meilisearch';
import { createLogger } from '../../core/log.js';
import { startEmbeddedMeili, type EmbeddedMeili } from '../../core/meili/embedded.js';

export interface TestMeili {
  url: string;
  masterKey: string;
  dataDir: string;
  meili: EmbeddedMeili;
  client: Meilisearch;
  /** Stops the process and removes the data dir. */
  cleanup(): Promise<void>;
}

export function tempDir(prefix = 'tongwen-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function startTestMeili(opts: { dataDir?: string; port?: number } = {}): Promise<TestMeili> {
  const dataDir = opts.dataDir ?? tempDir();
  const meili = await startEmbeddedMeili({ dataDir, log: createLogger('silent'), port: opts.port });
  const client = new Meilisearch({ host: meili.url, apiKey: meili.masterKey, timeout: 10_000 });
  return {
    url: meili.url,
    masterKey: meili.masterKey,
    dataDir,
    meili,
    client,
    cleanup: async () => {
      await meili.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
