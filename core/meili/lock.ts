// One owner per DATA_DIR. The lock file records who owns it and where its Meilisearch listens,
// so a reindex can find the server's Meilisearch and a restart can clean up after a crash.
import fs from 'node:fs';
import path from 'node:path';
import { DataDirBusyError } from '../errors.js';
import type { Logger } from '../log.js';

export const LOCK_FILE = 'tongwen.lock';

export type LockRole = 'server' | 'reindex';

export interface LockInfo {
  pid: number;
  role: LockRole;
  startedAt: string;
  meiliPid?: number;
  meiliUrl?: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True if `pid` is alive and its command line contains `needle` (guards against pid reuse). */
export function processMatches(pid: number, needle: string): boolean {
  if (!isAlive(pid)) return false;
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle);
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the liveness check
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined; // missing, or torn by a crash mid-write: treat as stale
  }
}

/** The lock of a live owner of `dataDir`, if any. */
export function readLiveLock(dataDir: string): LockInfo | undefined {
  const info = readLock(path.join(dataDir, LOCK_FILE));
  return info && info.pid !== process.pid && processMatches(info.pid, 'node') ? info : undefined;
}

async function waitForExit(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

export class DataDirLock {
  readonly #file: string;
  #info: LockInfo;
  #released = false;

  private constructor(file: string, info: LockInfo) {
    this.#file = file;
    this.#info = info;
  }

  /** Take the lock or throw DataDirBusyError. A stale lock's orphaned Meilisearch is killed. */
  static async acquire(dataDir: string, role: LockRole, log: Logger, fileName = LOCK_FILE): Promise<DataDirLock> {
    const file = path.join(dataDir, fileName);
    const info: LockInfo = { pid: process.pid, role, startedAt: new Date().toISOString() };
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx', mode: 0o600 });
        return new DataDirLock(file, info);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const owner = readLock(file);
      if (owner && owner.pid !== process.pid && processMatches(owner.pid, 'node')) {
        throw new DataDirBusyError(dataDir, owner.pid, owner.role);
      }
      if (owner?.meiliPid && processMatches(owner.meiliPid, 'meilisearch')) {
        // The previous owner was killed without a chance to stop its Meilisearch.
        process.kill(owner.meiliPid, 'SIGKILL');
        await waitForExit(owner.meiliPid, 10_000);
        log.warn({ event: 'meilisearch.orphan_killed', pid: owner.meiliPid }, 'killed Meilisearch left by a dead owner');
      }
      log.warn({ event: 'lock.stale_removed', ownerPid: owner?.pid }, 'removed stale DATA_DIR lock');
      fs.rmSync(file, { force: true });
    }
    throw new Error(`${file}: could not take the lock after 3 attempts`);
  }

  update(patch: Partial<LockInfo>): void {
    this.#info = { ...this.#info, ...patch };
    const tmp = `${this.#file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.#info), { mode: 0o600 });
    fs.renameSync(tmp, this.#file); // atomic: readers never see half a file
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    const current = readLock(this.#file);
    if (current?.pid === process.pid) fs.rmSync(this.#file, { force: true });
  }
}
