// The server under load runs as its own process, as it does in production: the load generator
// does not share its event loop, and its memory can be read from /proc while it serves.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../core/paths.js';

export interface ServerProcess {
  url: string;
  pid: number;
  /** Resident set size now, in MB (VmRSS). */
  rssMb(): number;
  /** Peak resident set size since start, in MB (VmHWM). */
  peakRssMb(): number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** A process's resident memory now (VmRSS) or at its peak (VmHWM), in MB. */
export function statusMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : NaN;
}

/**
 * CPU seconds (user + system, all threads) a process has used so far, from /proc; NaN where
 * there is no /proc (the benchmarks then print no CPU figures) or the process is gone.
 */
export function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** USER_HZ: Linux reports process times in hundredths of a second on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/** A child process stopped with SIGTERM (SIGKILL after `graceMs`), and killed if we exit first. */
function stoppable(child: ChildProcess, graceMs: number): () => Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const kill = () => child.kill('SIGKILL');
  process.once('exit', kill);
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, graceMs))]);
    kill();
    process.off('exit', kill);
  };
}

/**
 * `npm start`'s server against an existing Meilisearch. `nodeArgs` go to node (e.g. --cpu-prof);
 * `env` overrides its environment (MEILI_INSTANCES for a network, with MEILI_URL set to '').
 */
export async function startServer(
  meili: { url: string; masterKey: string },
  options: { nodeArgs?: string[]; env?: Record<string, string> } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tongwen-bench-server-'));
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), path.join(projectRoot, 'dist/cli/tongwen.js'), 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      MEILI_URL: meili.url,
      MEILI_MASTER_KEY: meili.masterKey,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      ...options.env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stopChild = stoppable(child, 10_000);
  const stop = async () => {
    await stopChild();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; ; ) {
    if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode} before it answered /healthz`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error('the server did not answer /healthz within 30 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return { url, pid, rssMb: () => statusMb(pid, 'VmRSS'), peakRssMb: () => statusMb(pid, 'VmHWM'), stop };
}

/**
 * The pass-through floor (pass-through.ts) as its own process, serving the recorded requests in
 * `requestsFile`; `read`: it also decodes and parses every answer.
 */
export async function startPassThrough(requestsFile: string, read = false): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  const args = [path.join(projectRoot, 'dist/bench/pass-through.js'), requestsFile, ...(read ? ['--read'] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const stop = stoppable(child, 5_000);
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => {
      out += c;
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`the pass-through server exited with code ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
}
