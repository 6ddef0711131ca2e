// Runs the `tongwen` CLI as a child process, as an operator would.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../core/paths.js';
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
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/cli/tongwen.js'), ...args], {
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

/**
 * Resolves as soon as `pattern` appears in the run's stderr (its log lines): on the data event
 * that brings it, so that a test can act at that point of the run. Rejects if the run ends first,
 * or after `timeoutMs` (a safety net, never a wait).
 */
export function waitForStderr(run: CliRun, pattern: RegExp, timeoutMs = 60_000): Promise<void> {
  if (pattern.test(run.stderr)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stderr = run.child.stderr!;
    const done = (err?: Error) => {
      clearTimeout(timer);
      stderr.off('data', onData);
      run.child.off('close', onClose);
      if (err) reject(err);
      else resolve();
    };
    const fail = (why: string) => done(new Error(`never saw ${pattern} (${why}); stderr: ${run.stderr.slice(-2000)}`));
    // Listeners run in order: runCli's own listener has appended the chunk to run.stderr already.
    const onData = () => {
      if (pattern.test(run.stderr)) done();
    };
    const onClose = () => fail('the run ended');
    const timer = setTimeout(() => fail(`not within ${timeoutMs} ms`), timeoutMs);
    stderr.on('data', onData);
    run.child.once('close', onClose);
  });
}
