// Runs `node dist/cli/tongwen.js serve` (what `npm start` runs) as a child process and reads its
// structured log lines, so tests see the real start-up and shutdown.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after } from 'node:test';
import { projectRoot } from '../../core/paths.js';
import { childEnv } from './env.js';
import { isRunning, stopOnExit } from './processes.js';
import { tempDir } from './meili.js';

export interface LogEvent {
  event?: string;
  [key: string]: unknown;
}

export class ServerProcess {
  readonly child: ChildProcess;
  readonly events: LogEvent[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  #listeners: Array<() => void> = [];

  /** `root`: the tree to run it from (the repository, or a copy laid out as an image is). */
  constructor(env: Record<string, string | undefined>, root = projectRoot) {
    this.child = spawn(process.execPath, [path.join(root, 'dist/cli/tongwen.js'), 'serve'], {
      cwd: root,
      env: childEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    stopOnExit(this.child);
    let partial = '';
    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        try {
          this.events.push(JSON.parse(line) as LogEvent);
        } catch {
          this.events.push({ event: 'non-json', line });
        }
      }
      for (const l of this.#listeners) l();
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  /** Resolves with the first log event named `name`; rejects if the process exits first. */
  waitFor(name: string, timeoutMs = 30_000): Promise<LogEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${name}; stderr: ${this.stderr}`)), timeoutMs);
      const check = () => {
        const found = this.events.find((e) => e.event === name);
        if (found) {
          clearTimeout(timer);
          resolve(found);
        }
      };
      this.#listeners.push(check);
      check();
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}) before ${name}; stderr: ${this.stderr}`));
      });
    });
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** The DATA_DIR lock a running server writes: its pid, its Meilisearch's pid and URL. */
export function readLock(dataDir: string): { pid: number; meiliPid: number; meiliUrl: string } {
  return JSON.parse(fs.readFileSync(path.join(dataDir, 'tongwen.lock'), 'utf8'));
}

/**
 * Server processes and data directories for one test file: started with `env` on top of
 * `defaults`, all killed and removed after the file's tests.
 */
export function serverFixture(defaults: Record<string, string> = {}) {
  const servers: ServerProcess[] = [];
  const dirs: string[] = [];
  after(async () => {
    // SIGTERM lets a server stop its own Meilisearch; one that does not exit in time is killed.
    for (const s of servers) {
      const timer = setTimeout(() => s.child.kill('SIGKILL'), 15_000);
      await s.stop('SIGTERM');
      clearTimeout(timer);
    }
    // A server killed by a test (SIGKILL) leaves its Meilisearch behind; the lock file names it.
    for (const d of dirs) {
      try {
        const { meiliPid } = readLock(d);
        if (isRunning(meiliPid)) process.kill(meiliPid, 'SIGKILL');
      } catch {
        // no lock: nothing was left running there
      }
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
  return {
    start(env: Record<string, string>): ServerProcess {
      const s = new ServerProcess({ ...defaults, ...env });
      servers.push(s);
      return s;
    },
    newDataDir(): string {
      const d = tempDir();
      dirs.push(d);
      return d;
    },
  };
}
