// Reindex progress: a live bar on a terminal, a plain log line every few seconds otherwise.
import cliProgress from 'cli-progress';
import type { Logger } from '../../core/log.js';

export interface ProgressCounts {
  files: number;
  totalFiles: number;
  sent: number;
  indexed: number;
  /** Documents the run expects to index: the file count until grouping knows the stories. */
  expected: number;
}

export interface Progress {
  update(counts: ProgressCounts): void;
  stop(): void;
}

/** `1m 05s`, `42s`: the time left at the rate so far; `…` until there is a rate. */
export function timeLeft(remaining: number, perSecond: number): string {
  if (perSecond <= 0 || !Number.isFinite(remaining / perSecond)) return '…';
  const s = Math.max(0, Math.round(remaining / perSecond));
  return s >= 60 ? `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** `tty`: a bar redrawn in place on stderr, cleared when the run ends (the summary follows). */
export function createProgress(log: Logger, tty: boolean, intervalMs = 5_000): Progress {
  const started = Date.now();
  const rate = (n: number) => Math.round(n / Math.max(1, (Date.now() - started) / 1000));
  if (tty) {
    const bar = new cliProgress.SingleBar(
      {
        format: ' {bar} {percentage}% | files {files}/{totalFiles} | sent {sent} | indexed {value} | {rate} docs/s | ETA {left}',
        hideCursor: true,
        clearOnComplete: true,
        stream: process.stderr,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(1, 0, { files: 0, totalFiles: 0, sent: 0, rate: 0, left: '…' });
    let stopped = false;
    return {
      update: (c) => {
        const perSecond = rate(c.indexed);
        bar.setTotal(Math.max(1, c.expected));
        bar.update(c.indexed, {
          files: c.files,
          totalFiles: c.totalFiles,
          sent: c.sent,
          rate: perSecond,
          left: timeLeft(c.expected - c.indexed, perSecond),
        });
      },
      stop: () => {
        // Stopped on success and again on the way out (and on an interrupt): the bar goes once.
        if (stopped) return;
        stopped = true;
        bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update: (c) => {
      if (Date.now() - last < intervalMs) return;
      last = Date.now();
      log.info({ event: 'reindex.progress', ...c, docsPerSecond: rate(c.indexed) });
    },
    stop: () => {},
  };
}
