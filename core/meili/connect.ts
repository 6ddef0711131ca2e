// Decides which Meilisearch to talk to: MEILI_URL if set, else the embedded one owned by this
// process, or (for a reindex) the one a running server on the same DATA_DIR already started.
import fs from 'node:fs';
import type { Config } from '../config.js';
import { DataDirBusyError } from '../errors.js';
import type { Logger } from '../log.js';
import { startEmbeddedMeili, type EmbeddedMeili } from './embedded.js';
import { DataDirLock, readLiveLock, type LockRole } from './lock.js';
import { MeiliSupervisor } from './supervisor.js';
import { masterKeyPath } from './master-key.js';

export interface MeiliConnection {
  readonly host: string;
  /** The master key (admin rights). Never log it, never send it to a browser. */
  readonly apiKey: string | undefined;
  readonly mode: 'external' | 'embedded' | 'shared';
  /** Set when this process owns the Meilisearch child. */
  readonly embedded: EmbeddedMeili | undefined;
  /** Set for the server's own Meilisearch, which is restarted if it dies. */
  readonly supervisor?: MeiliSupervisor;
  close(): Promise<void>;
}

/**
 * `server` must own DATA_DIR and fails fast if another process does.
 * `reindex` shares a running server's Meilisearch, or owns DATA_DIR for the length of its run.
 */
export async function connectMeili(config: Config, log: Logger, role: LockRole): Promise<MeiliConnection> {
  if (config.meiliUrl) {
    log.info({ event: 'meilisearch.external', url: config.meiliUrl });
    return { host: config.meiliUrl, apiKey: config.meiliMasterKey, mode: 'external', embedded: undefined, close: async () => {} };
  }
  if (config.meiliMasterKey) {
    log.warn({ event: 'config.ignored', variable: 'MEILI_MASTER_KEY' }, 'MEILI_MASTER_KEY is ignored without MEILI_URL');
  }
  let lock: DataDirLock;
  try {
    lock = await DataDirLock.acquire(config.dataDir, role, log);
  } catch (err) {
    const shared = role === 'reindex' && err instanceof DataDirBusyError ? await sharedMeili(config) : undefined;
    if (!shared) throw err;
    log.info({ event: 'meilisearch.shared', url: shared.host, ownerPid: err instanceof DataDirBusyError ? err.ownerPid : undefined });
    return shared;
  }
  try {
    const embedded = await startEmbeddedMeili({ dataDir: config.dataDir, log });
    lock.update({ meiliPid: embedded.pid, meiliUrl: embedded.url });
    // The server restarts a dead Meilisearch; a reindex run fails instead (its tasks are lost).
    const supervisor =
      role === 'server'
        ? new MeiliSupervisor(embedded, {
            dataDir: config.dataDir,
            log,
            onStarted: (m) => lock.update({ meiliPid: m.pid, meiliUrl: m.url }),
          })
        : undefined;
    return {
      host: embedded.url,
      apiKey: embedded.masterKey,
      mode: 'embedded',
      embedded,
      supervisor,
      close: async () => {
        await (supervisor ?? embedded).stop();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** The running owner's Meilisearch, waiting briefly if it is still starting. */
async function sharedMeili(config: Config): Promise<MeiliConnection | undefined> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const owner = readLiveLock(config.dataDir);
    if (!owner) return undefined;
    if (owner.meiliUrl) {
      const apiKey = fs.readFileSync(masterKeyPath(config.dataDir), 'utf8').trim();
      return { host: owner.meiliUrl, apiKey, mode: 'shared', embedded: undefined, close: async () => {} };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return undefined;
}
