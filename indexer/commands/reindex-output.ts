// What a reindex writes where. A person at a terminal sees a progress bar, a line for each warning
// or error, and the summary; programs (--json, or stderr not a terminal: a pipe, a file, a CI log)
// get the log as JSON lines on stderr, every few seconds a progress line among them.
import type { DestinationStream } from 'pino';

export interface ReindexOutput {
  /** A live progress bar on stderr (else `reindex.progress` log lines). */
  progressBar: boolean;
  /** Log events as JSON lines on stderr (else readable lines, warnings and errors only). */
  jsonLogs: boolean;
}

export function reindexOutput(opts: { json: boolean; stderrIsTTY: boolean }): ReindexOutput {
  const terminal = opts.stderrIsTTY && !opts.json;
  return { progressBar: terminal, jsonLogs: !terminal };
}

/** pino's numbers for the levels a person is shown. */
const SHOWN_LEVELS: Record<number, string> = { 40: 'warning', 50: 'error', 60: 'fatal' };
/** Fields every line has, which say nothing to a person. */
const ROUTINE = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'event', 'err']);

/**
 * One log line (pino's JSON) as a person reads it, or undefined for what the bar and the summary
 * already say (info and below): `warning: <message> (<event>; key value, …)`, and an unexpected
 * error's stack under it.
 */
export function readableLine(json: string): string | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json.trimEnd();
  }
  const level = SHOWN_LEVELS[Number(entry.level)];
  if (!level) return undefined;
  const details = Object.entries(entry)
    .filter(([k]) => !ROUTINE.has(k))
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const what = typeof entry.msg === 'string' ? entry.msg : typeof entry.event === 'string' ? entry.event : 'log';
  const context = [
    typeof entry.msg === 'string' && typeof entry.event === 'string' ? entry.event : undefined,
    details.join(', ') || undefined,
  ]
    .filter(Boolean)
    .join('; ');
  const err = entry.err as { stack?: unknown } | undefined;
  const stack = typeof err?.stack === 'string' ? `\n${err.stack}` : '';
  return `${level}: ${what}${context ? ` (${context})` : ''}${stack}`;
}

/** A pino destination that writes readable lines to a terminal, each over the progress bar's line. */
export function terminalLog(out: NodeJS.WritableStream): DestinationStream {
  return {
    write(chunk: string) {
      for (const json of chunk.split('\n')) {
        const line = json.trim() ? readableLine(json) : undefined;
        // \r and "erase line": the bar is drawn again below at its next update.
        if (line !== undefined) out.write(`\r\x1b[K${line}\n`);
      }
    },
  };
}
