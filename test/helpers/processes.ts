// Processes as the kernel sees them (/proc): which are descendants of a process, and whether a
// pid is still running (a zombie is not: it has exited and waits only to be reaped).
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

function stat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid …": comm may contain spaces and parentheses, so split after the last ')'.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0]!, ppid: Number(rest[1]) };
  } catch {
    return undefined;
  }
}

export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** Every live descendant of `root`, with its command line. */
export function descendants(root: number): Array<{ pid: number; command: string }> {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    const s = stat(pid);
    if (!s || !isRunning(pid)) continue;
    children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: Array<{ pid: number; command: string }> = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    let command = '';
    try {
      command = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
      continue;
    }
    out.push({ pid, command });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

const stopAtExit = new Map<ChildProcess, NodeJS.Signals>();
let exitListener = false;

/**
 * Signals `child` when this process exits, if it is still running then: a test whose setup fails
 * without cleaning up must not leave it behind. SIGTERM lets a server stop its own Meilisearch.
 */
export function stopOnExit(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): void {
  // One listener for the whole process (the set empties and fills many times in a test file).
  if (!exitListener) {
    exitListener = true;
    process.on('exit', () => {
      for (const [c, s] of stopAtExit) if (c.exitCode === null && c.signalCode === null) c.kill(s);
    });
  }
  stopAtExit.set(child, signal);
  child.once('exit', () => stopAtExit.delete(child));
}
