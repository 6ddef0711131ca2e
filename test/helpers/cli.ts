// Runs the `tongwen` CLI as a child process, as an operator would.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../indexer/paths.js';
import { childEnv } from './env.js';
import { stopOnExit } from './processes.js';

export interface CliRun {
  child: ChildProcess;
  stdout: string;
  stderr: string;
  done: Promise<number | null>;
}

/** `as`: run as another user (the tests run as root, which file permissions do not stop). */
export function runCli(args: string[], env: Record<string, string | undefined>, as?: { uid: number; gid: number }): CliRun {
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/indexer/cli.js'), ...args], {
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    ...as,
  });
  stopOnExit(child);
  const run: CliRun = { child, stdout: '', stderr: '', done: Promise.resolve(null) };
  child.stdout!.setEncoding('utf8').on('data', (c: string) => (run.stdout += c));
  child.stderr!.setEncoding('utf8').on('data', (c: string) => (run.stderr += c));
  run.done = new Promise((resolve) => child.once('close', (code) => resolve(code)));
  return run;
}

/** Waits until `pattern` appears in the run's stderr (its log lines). */
export async function waitForStderr(run: CliRun, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pattern.test(run.stderr)) {
    if (run.child.exitCode !== null || Date.now() > deadline) throw new Error(`never saw ${pattern}; stderr: ${run.stderr.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
