// Runs the Meilisearch binary as a child process: loopback only, data and key under DATA_DIR,
// analytics off. The child never outlives us: stop() on shutdown, SIGKILL on unexpected exit.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { MeiliStartError } from '../errors.js';
import type { Logger } from '../log.js';
import { meiliBinaryPath } from './binary.js';
import { readOrCreateMasterKey } from './master-key.js';

export interface EmbeddedMeili {
  readonly url: string;
  readonly masterKey: string;
  readonly pid: number;
  /** Resolves when the process exits, for whatever reason, with its exit code or signal. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  log: Logger;
  /** How long to wait for /health after spawn. */
  startTimeoutMs?: number;
  /** A fixed port (tests restarting on the same address); a free one otherwise. */
  port?: number;
}

/** A port that was free a moment ago. Meilisearch may still lose a race for it; start() retries. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Children still running; killed if our process exits without stop() (one 'exit' listener for all). */
const running = new Set<ChildProcess>();

function killAtExit(child: ChildProcess): void {
  // Synchronous, so it runs inside 'exit'.
  if (!process.listeners('exit').includes(killAll)) process.on('exit', killAll);
  running.add(child);
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

export async function startEmbeddedMeili(opts: EmbeddedOptions): Promise<EmbeddedMeili> {
  const binary = meiliBinaryPath();
  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  const masterKey = readOrCreateMasterKey(opts.dataDir);
  const home = path.join(opts.dataDir, 'meilisearch');
  fs.mkdirSync(home, { recursive: true, mode: 0o700 });
  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = opts.port ?? (await freePort());
    try {
      return await spawnOnce(binary, home, port, masterKey, opts);
    } catch (err) {
      lastError = err;
      opts.log.warn({ event: 'meilisearch.start_failed', attempt, port, reason: (err as Error).message });
    }
  }
  throw lastError;
}

async function spawnOnce(binary: string, home: string, port: number, masterKey: string, opts: EmbeddedOptions): Promise<EmbeddedMeili> {
  const { log } = opts;
  const url = `http://127.0.0.1:${port}`;
  // A clean environment: stray MEILI_* variables of the user's shell must not change the engine.
  // The key goes by environment, not argv, so `ps` does not show it.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', MEILI_MASTER_KEY: masterKey };
  const child = spawn(
    binary,
    [
      '--db-path',
      path.join(home, 'data.ms'),
      '--dump-dir',
      path.join(home, 'dumps'),
      '--snapshot-dir',
      path.join(home, 'snapshots'),
      '--http-addr',
      `127.0.0.1:${port}`,
      '--env',
      'production',
      '--no-analytics',
      '--log-level',
      'WARN',
    ],
    { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const tail: string[] = [];
  forwardOutput(child, log, tail);

  let exitCode: number | null | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      exitCode = code;
      running.delete(child);
      log.info({ event: 'meilisearch.exited', pid: child.pid, code, signal });
      resolve({ code, signal });
    });
  });
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  killAtExit(child);

  const stop = async () => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + (opts.startTimeoutMs ?? 60_000);
  try {
    await Promise.race([spawnError, waitHealthy(url, deadline, () => exitCode !== undefined)]);
  } catch (err) {
    await stop();
    const output = tail.join('\n').trim();
    throw new MeiliStartError(
      `Meilisearch (${binary}) did not become healthy on ${url}: ${(err as Error).message}` +
        (output ? `; its last output: ${output}` : ''),
    );
  }
  log.info({ event: 'meilisearch.started', pid: child.pid, url, dbPath: path.join(home, 'data.ms') });
  return { url, masterKey, pid: child.pid!, exited, stop };
}

async function waitHealthy(url: string, deadline: number, hasExited: () => boolean): Promise<void> {
  while (Date.now() < deadline) {
    if (hasExited()) throw new Error('the process exited during start-up');
    try {
      const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting for /health');
}

/** Meilisearch writes its own text logs; re-emit them as structured events and keep a tail for errors. */
function forwardOutput(child: ChildProcess, log: Logger, tail: string[]): void {
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split('\n');
      partial = lines.pop() ?? '';
      for (const raw of lines) {
        // Colour codes (ESC [ … m) are dropped: the lines are logged as plain text.
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
        if (!line) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        // Meilisearch logs every 4xx answer as WARN; those are ordinary (e.g. index_not_found).
        if (/\b(WARN|ERROR)\b/.test(line) && !line.includes('while processing the incoming HTTP request'))
          log.warn({ event: 'meilisearch.log', line });
        else log.debug({ event: 'meilisearch.log', line });
      }
    });
  }
}
